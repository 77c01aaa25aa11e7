// flk-server settings: a flag beats the environment, which beats the config file, which beats
// the default; bad values and unknown names are errors, never silently ignored.
#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "app/config.h"
#include "test_stores.h"

namespace flk::server {
namespace {

std::map<std::string, std::string> g_env;
const char* fake_env(const char* name) {
  auto it = g_env.find(name);
  return it == g_env.end() ? nullptr : it->second.c_str();
}

TEST(Config, DefaultsThenFileThenEnvironmentThenFlags) {
  testing::TempDir dir;
  const std::string file = dir.path + "/flk.json";
  std::ofstream(file) << R"({"listen": "0.0.0.0:9000", "rate-limit": 5, "wal-fsync": false, "data": "/from/file"})";
  g_env = {{"FLK_CONFIG", file}, {"FLK_DATA", "/from/env"}, {"FLK_THREADS", "3"}};
  auto r = parse_config({"--threads", "7", "--log-level=debug"}, fake_env);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const Config& c = r->config;
  EXPECT_EQ(c.listen, "0.0.0.0:9000");  // file
  EXPECT_EQ(c.rate_limit, 5);           // file
  EXPECT_FALSE(c.wal_fsync);            // file
  EXPECT_EQ(c.data, "/from/env");       // env over file
  EXPECT_EQ(c.threads, 7);              // flag over env
  EXPECT_EQ(c.log_level, "debug");
  EXPECT_EQ(c.max_body, 1 << 20);       // default
  EXPECT_EQ(c.dedup_ttl_s, 14 * 24 * 3600);
}

TEST(Config, WorkerPoolsHaveDefaultsAndSettings) {
  g_env = {{"FLK_STORE_QUEUE", "0"}};
  auto d = parse_config({}, fake_env);
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->config.compute_threads, 0);  // one per core
  EXPECT_EQ(d->config.compute_queue, 64);
  EXPECT_EQ(d->config.store_threads, 2);
  EXPECT_EQ(d->config.store_queue, 0);  // env
  auto r = parse_config({"--compute-threads", "3", "--compute-queue=1", "--store-threads", "4"}, fake_env);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->config.compute_threads, 3);
  EXPECT_EQ(r->config.compute_queue, 1);
  EXPECT_EQ(r->config.store_threads, 4);
  EXPECT_FALSE(parse_config({"--compute-queue", "-1"}, fake_env).ok());
  g_env.clear();
}

TEST(Config, BadValuesAndUnknownNamesAreErrors) {
  g_env.clear();
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--threads", "-1"}, {"--rate-limit", "fast"}, {"--wal-fsync", "maybe"},
        {"--no-such-flag", "1"}, {"--listen"}, {"stray"}}) {
    auto r = parse_config(args, fake_env);
    ASSERT_FALSE(r.ok()) << args[0];
    EXPECT_EQ(r.error().code, "bad_config");
  }
  g_env = {{"FLK_MAX_BODY", "lots"}};
  EXPECT_FALSE(parse_config({}, fake_env).ok());
  testing::TempDir dir;
  std::ofstream(dir.path + "/bad.json") << R"({"listen": "x", "colour": "blue"})";
  g_env = {};
  auto r = parse_config({"--config", dir.path + "/bad.json"}, fake_env);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("colour"), std::string::npos);
  // A misspelt flag last on the line is unknown, not short of a value.
  auto typo = parse_config({"--tenant-file"}, fake_env);
  ASSERT_FALSE(typo.ok());
  EXPECT_EQ(typo.error().message, "unknown flag --tenant-file (see --help)");
  auto bare = parse_config({"--listen"}, fake_env);
  ASSERT_FALSE(bare.ok());
  EXPECT_EQ(bare.error().message, "--listen needs a value");
}

TEST(Config, ThePiiSettingTakesAnObjectInTheFileAsJsonText) {
  testing::TempDir dir;
  std::ofstream(dir.path + "/pii.json") << R"({"pii": {"tenants": {"a": {"action": "block"}}, "default": {"action": "detect"}}})";
  g_env = {};
  auto r = parse_config({"--config", dir.path + "/pii.json"}, fake_env);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->config.pii, R"({"default":{"action":"detect"},"tenants":{"a":{"action":"block"}}})");
  g_env = {{"FLK_PII", R"({"default":{"action":"redact"}})"}};
  auto e = parse_config({"--config", dir.path + "/pii.json"}, fake_env);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->config.pii, R"({"default":{"action":"redact"}})");  // env over file
  std::ofstream(dir.path + "/listen.json") << R"({"listen": {"host": "x"}})";
  g_env = {};
  EXPECT_FALSE(parse_config({"--config", dir.path + "/listen.json"}, fake_env).ok());  // objects only where JSON is the kind
}

TEST(Config, HelpListsEverySettingWithItsEnvironmentVariable) {
  const std::string h = config_help();
  for (const char* s : {"--listen", "FLK_LISTEN", "--store", "FLK_WAL_FSYNC", "--admin-token", "--config"})
    EXPECT_NE(h.find(s), std::string::npos) << s;
}

}  // namespace
}  // namespace flk::server
