// The SIEM shipper's parts that need no receiver: the cursor file (atomic, never silently reset),
// the receiver URL, and the two body formats. Delivery itself: tests/js/server-siem.test.mjs.
#include <gtest/gtest.h>

#include <fstream>

#include "json/parse.h"
#include "siem/body.h"
#include "siem/client.h"
#include "siem/cursor.h"
#include "test_stores.h"

namespace flk::server {
namespace {

TEST(SiemCursor, MissingIsTheStartSavedIsReadBackMalformedIsAnError) {
  testing::TempDir dir;
  const std::string path = dir.path + "/siem-cursor.json";
  auto none = load_siem_cursor(path);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->seq, 0);
  ASSERT_TRUE(save_siem_cursor(path, SiemCursor{42, "ab"}).ok());
  auto back = load_siem_cursor(path);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->seq, 42);
  EXPECT_EQ(back->hash, "ab");
  std::ifstream tmp(path + ".tmp");
  EXPECT_FALSE(tmp.good()) << "the temporary file is renamed into place";
  for (const char* bad : {"", "{\"seq\": -1, \"hash\": \"\"}", "{\"seq\": 3}", "[1]"}) {
    std::ofstream(path) << bad;
    auto r = load_siem_cursor(path);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, "bad_config");
  }
  EXPECT_FALSE(save_siem_cursor(dir.path + "/no/such/dir/c.json", SiemCursor{1, "x"}).ok());
}

TEST(SiemUrl, SplitsOriginAndPathAndRefusesOtherSchemes) {
  auto u = parse_siem_url("https://splunk.example:8088/services/collector/event?channel=x");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->origin, "https://splunk.example:8088");
  EXPECT_EQ(u->path, "/services/collector/event?channel=x");
  auto bare = parse_siem_url("http://127.0.0.1:9000");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->path, "/");
  for (const char* bad : {"ftp://x/y", "127.0.0.1:80/x", "http:///x", "http://a b/"}) EXPECT_FALSE(parse_siem_url(bad).ok()) << bad;
}

json::Value entry(int64_t seq) {
  return json::parse(R"({"data":{},"hash":"h)" + std::to_string(seq) + R"(","prev_hash":"p","seq":)" + std::to_string(seq) +
                     R"(,"tenant":"t","time":"2025-01-19T12:00:00.250Z","type":"tenant.updated"})")
      .value();
}

TEST(SiemBody, CloudEventsBatchIsOneArrayWithTheHashAsId) {
  auto b = siem_body(SiemFormat::cloudevents, {entry(1), entry(2)}, "//flk-server/h", "h");
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ(b->content_type, "application/cloudevents-batch+json");
  auto v = json::parse(b->text);
  ASSERT_TRUE(v.ok() && v->is_array());
  ASSERT_EQ(v->as_array().size(), 2u);
  const json::Value& ev = v->as_array()[1];
  EXPECT_EQ(ev.find("id")->as_string(), "h2");
  EXPECT_EQ(ev.find("sequence")->as_string(), "2");
  EXPECT_EQ(ev.find("source")->as_string(), "//flk-server/h");
  EXPECT_EQ(ev.find("type")->as_string(), "dev.fractal-lba.audit.tenant.updated");
}

TEST(SiemBody, HecIsOneEventPerLineWithEpochSecondsAndIndexedSeqAndHash) {
  auto b = siem_body(SiemFormat::hec, {entry(7), entry(8)}, "//flk-server/h", "h");
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ(b->content_type, "application/json");
  const std::string first = b->text.substr(0, b->text.find('\n'));
  EXPECT_EQ(first,
            R"({"event":{"data":{},"hash":"h7","prev_hash":"p","seq":7,"tenant":"t","time":"2025-01-19T12:00:00.250Z",)"
            R"("type":"tenant.updated"},"fields":{"flk_hash":"h7","flk_seq":7},"host":"h","source":"flk-server",)"
            R"("sourcetype":"flk:audit","time":1737288000.25})");
  EXPECT_EQ(std::count(b->text.begin(), b->text.end(), '\n'), 2);
  json::Value broken = entry(9);
  broken.set("time", "yesterday");
  EXPECT_FALSE(siem_body(SiemFormat::hec, {broken}, "s", "h").ok());
}

}  // namespace
}  // namespace flk::server
