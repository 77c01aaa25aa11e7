#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "crypto/hash.h"
#include "facade/engine.h"
#include "json/parse.h"
#include "json/write.h"
#include "pcs/build.h"
#include "pcs/canonical.h"
#include "pcs/dedup.h"
#include "pcs/document.h"
#include "pcs/evaluate.h"
#include "pcs/signing.h"
#include "util/decimal_round.h"
#include "util/numpy_random.h"

namespace {

std::string read(const std::string& rel) {
  std::ifstream f(std::string(FLK_SOURCE_DIR) + "/" + rel);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

flk::pcs::Document build_case(int n) {
  flk::crypto::init();
  auto rows = flk::pcs::rows_from_csv(read("tests/data/tiny_case_" + std::to_string(n) + ".csv"), 1000, 3);
  EXPECT_TRUE(rows.ok());
  flk::pcs::BuildParams p;
  p.shard_id = "test-shard-001";
  p.epoch = 1;
  p.sent_at = "2025-01-19T12:00:00Z";
  auto d = flk::pcs::build(*rows, p);
  EXPECT_TRUE(d.ok());
  return *d;
}

flk::pcs::Key hmac_key(const std::string& s) {
  flk::pcs::Key k;
  k.secret = flk::crypto::bytes_of(s);
  return k;
}

}  // namespace

TEST(NumpyRandom, MatchesNumpyLegacyStreams) {
  // numpy.random.RandomState(42).random_sample(2) and .randn(5)
  flk::NumpyRandom u(42);
  EXPECT_EQ(u.uniform(), 0.3745401188473625);
  EXPECT_EQ(u.uniform(), 0.9507143064099162);
  flk::NumpyRandom g(42);
  const double expected[] = {0.4967141530112327, -0.13826430117118466, 0.6476885381006925, 1.5230298564080254,
                             -0.23415337472333597};
  for (double e : expected) EXPECT_NEAR(g.gauss(), e, 1e-15);
}

TEST(DecimalRound, BothRules) {
  EXPECT_EQ(flk::round_exact(1.123456789012345, 9), 1.123456789);
  EXPECT_EQ(flk::round_repr_half_up(1.412345678901234, 9), 1.412345679);
  EXPECT_EQ(flk::round_repr_half_up(0.734567890123456, 9), 0.73456789);
  // repr "0.0000000005" rounds half up to 1e-09 (Python Decimal ROUND_HALF_UP), half-even would not.
  EXPECT_EQ(flk::round_repr_half_up(5e-10, 9), 1e-09);
  EXPECT_EQ(flk::round_repr_half_up(-5e-10, 9), -1e-09);
  EXPECT_EQ(flk::round_repr_half_up(0.9999999999, 9), 1.0);
  EXPECT_EQ(flk::round_repr_half_up(4e-10, 9), 0.0);
  EXPECT_EQ(flk::round_repr_half_up(123.5, 9), 123.5);
}

TEST(Document, Rfc3339) {
  for (const char* ok : {"2025-01-19T12:00:00Z", "2025-01-19T12:00:00.123456789Z", "2025-01-19t12:00:00+05:30"})
    EXPECT_TRUE(flk::pcs::is_rfc3339(ok)) << ok;
  for (const char* bad : {"2025-01-19", "2025-13-19T12:00:00Z", "2025-01-19T12:00:00", "2025-01-19T12:00:00.Z",
                          "2025-01-19T25:00:00Z", "2025-01-19T12:00:00+5:30", "yesterday"})
    EXPECT_FALSE(flk::pcs::is_rfc3339(bad)) << bad;
}

// Property: a built and signed PCS verifies; changing any signed field or any byte of the
// signature makes it fail; fields outside the signature do not matter to it.
TEST(Signing, FlipsOfSignedFieldsAlwaysFail) {
  for (int n : {1, 2}) {
    flk::pcs::Document d = build_case(n);
    flk::pcs::Key key = hmac_key("testsecret");
    flk::crypto::Seed seed{};
    seed[0] = 7;
    flk::pcs::Key ed;
    ed.alg = flk::pcs::Alg::Ed25519;
    ed.seed = seed;
    flk::pcs::Key ed_pub;
    ed_pub.alg = flk::pcs::Alg::Ed25519;
    ed_pub.public_key = flk::crypto::ed25519_public_key(seed);
    for (const auto& [sign_key, verify_key] : {std::pair{key, key}, std::pair{ed, ed_pub}}) {
      auto s = flk::pcs::subset_of(d);
      std::string sig = flk::pcs::sign(s, sign_key);
      EXPECT_EQ(flk::pcs::check_signature(s, sig, verify_key), "");
      auto changed = [&](auto mutate) {
        auto t = s;
        mutate(t);
        return !flk::pcs::check_signature(t, sig, verify_key).empty();
      };
      EXPECT_TRUE(changed([](auto& t) { t.pcs_id[0] ^= 1; }));
      EXPECT_TRUE(changed([](auto& t) { t.merkle_root[63] ^= 1; }));
      EXPECT_TRUE(changed([](auto& t) { t.shard_id += "x"; }));
      EXPECT_TRUE(changed([](auto& t) { t.epoch += 1; }));
      EXPECT_TRUE(changed([](auto& t) { t.d_hat += 1e-9; }));
      EXPECT_TRUE(changed([](auto& t) { t.coh_star += 1e-9; }));
      EXPECT_TRUE(changed([](auto& t) { t.r += 1e-9; }));
      EXPECT_TRUE(changed([](auto& t) { t.budget += 1e-9; }));
      EXPECT_FALSE(changed([](auto& t) { t.d_hat += 1e-12; }));  // below the 9-dp rounding
      auto raw = flk::crypto::from_base64(sig);
      for (size_t i = 0; i < raw->size(); ++i)
        for (int bit : {0, 7}) {
          auto flipped = *raw;
          flipped[i] ^= static_cast<uint8_t>(1 << bit);
          EXPECT_FALSE(flk::pcs::check_signature(s, flk::crypto::to_base64(flipped), verify_key).empty());
        }
    }
  }
}

TEST(Build, GoldenCasesAreAcceptedByTheEngine) {
  for (int n : {1, 2}) {
    auto d = build_case(n);
    auto v = flk::pcs::evaluate(d);
    EXPECT_TRUE(v.accepted);
    EXPECT_FALSE(v.escalated);
    EXPECT_EQ(v.status(), 200);
    EXPECT_EQ(*v.recomputed_d_hat, d.d_hat);
    EXPECT_EQ(*v.recomputed_budget, d.budget);
  }
}

TEST(Dedup, FirstWriteWinsUntilExpiry) {
  flk::pcs::MemoryDedupStore s(2);
  EXPECT_TRUE(*s.put_if_absent("a", "first", 1000, 100));
  EXPECT_FALSE(*s.put_if_absent("a", "second", 1050, 100));
  EXPECT_EQ(**s.get("a", 1099), "first");
  EXPECT_FALSE(s.get("a", 1100)->has_value());  // expired reads as absent
  EXPECT_TRUE(*s.put_if_absent("a", "third", 1100, 100));
  EXPECT_TRUE(*s.put_if_absent("b", "b", 1100, 100));
  EXPECT_EQ(s.put_if_absent("c", "c", 1150, 100).error().code, "store_full");  // never evicts live entries
  EXPECT_TRUE(*s.put_if_absent("c", "c", 1200, 100));                          // both expired: swept
  EXPECT_EQ(s.size(), 1u);
}

TEST(Submit, SignatureBeforeDedupAndFirstWriteWins) {
  flk::Engine engine;
  auto doc = build_case(1);
  doc.sig = flk::pcs::sign(flk::pcs::subset_of(doc), hmac_key("testsecret"));
  std::string pcs = flk::json::to_string(flk::pcs::to_json(doc));
  auto submit = [&](const std::string& p, const char* secret, int64_t now) {
    auto out = engine.call("pcs.submit", R"({"pcs":)" + p + R"(,"key":{"alg":"hmac","key_text":")" + secret +
                                             R"("},"now_ms":)" + std::to_string(now) + "}");
    EXPECT_TRUE(out.ok) << out.json;
    return *flk::json::parse(out.json);
  };
  // A bad signature is answered 401 and never reaches the store.
  EXPECT_EQ(submit(pcs, "wrong", 0).find("status")->as_int(), 401);
  EXPECT_EQ(engine.dedup().size(), 0u);
  auto first = submit(pcs, "testsecret", 0);
  EXPECT_EQ(first.find("status")->as_int(), 200);
  EXPECT_FALSE(first.find("duplicate")->as_bool());
  auto again = submit(pcs, "testsecret", 1000);
  EXPECT_TRUE(again.find("duplicate")->as_bool());
  EXPECT_EQ(again.find("status")->as_int(), 200);
  // After the TTL the entry is gone and the PCS is evaluated again.
  EXPECT_FALSE(submit(pcs, "testsecret", flk::pcs::kDefaultDedupTtlMs).find("duplicate")->as_bool());
}

// The expiry is now_ms + ttl_ms: unbounded, now_ms 9223372036854775000 (or ttl_ms as large) overflowed
// it, the entry was expired as it was written, and a replay at the same time was evaluated again.
TEST(Submit, TimesAreBoundedSoTheExpiryCannotOverflow) {
  flk::Engine engine;
  auto doc = build_case(1);
  doc.sig = flk::pcs::sign(flk::pcs::subset_of(doc), hmac_key("testsecret"));
  const std::string pcs = flk::json::to_string(flk::pcs::to_json(doc));
  auto submit = [&](const std::string& times) {
    return engine.call_value("pcs.submit", *flk::json::parse(R"({"pcs":)" + pcs +
                                                             R"(,"key":{"alg":"hmac","key_text":"testsecret"},)" + times + "}"));
  };
  for (const auto& [times, path] : std::vector<std::pair<std::string, std::string>>{
           {R"("now_ms":9223372036854775000)", "$.now_ms"},
           {R"("now_ms":9007199254740993)", "$.now_ms"},
           {R"("now_ms":1000,"ttl_ms":9223372036854775000)", "$.ttl_ms"}}) {
    auto out = submit(times);
    ASSERT_FALSE(out.ok()) << times;
    EXPECT_EQ(out.error().code, "out_of_range") << times;
    EXPECT_EQ(out.error().path, path) << times;
  }
  EXPECT_EQ(engine.dedup().size(), 0u);
  // At the bounds the expiry does not wrap: a replay at the same time is a duplicate.
  const std::string at_bounds = R"("now_ms":9007199254740992,"ttl_ms":9007199254740992)";
  EXPECT_FALSE(submit(at_bounds)->find("duplicate")->as_bool());
  EXPECT_TRUE(submit(at_bounds)->find("duplicate")->as_bool());
}
