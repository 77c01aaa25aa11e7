#include <gtest/gtest.h>

#include <regex>

#include "audit/chain.h"
#include "crypto/hash.h"
#include "facade/engine.h"
#include "json/write.h"

using flk::json::Value;

namespace {

// A chain of (time, type, tenant) entries linked from the genesis.
Value chain(const std::vector<std::array<const char*, 3>>& rows) {
  Value list = Value::array();
  std::string prev = flk::audit::kGenesisHash;
  int64_t seq = 0;
  for (const auto& r : rows) {
    flk::audit::EntryFields f;
    f.seq = ++seq;
    f.time = r[0];
    f.type = r[1];
    f.tenant = r[2];
    f.data = Value::object().set("n", seq);
    Value e = flk::audit::link(f, prev);
    prev = e.find("hash")->as_string();
    list.push(std::move(e));
  }
  return list;
}

const std::vector<std::array<const char*, 3>> kRows = {
    {"2025-12-31T23:59:59Z", "key.added", "acme"},        // before the period
    {"2026-01-02T10:00:00Z", "key.added", "acme"},
    {"2026-01-03T10:00:00.250Z", "tenant.updated", "beta"},
    {"2026-01-04T10:00:00Z", "pcs.verdict", "acme"},
    {"2026-01-05T10:00:00Z", "key.retired", "acme"},
    {"2026-01-06T10:00:00Z", "verify.decided", "acme"},
    {"2026-01-07T10:00:00Z", "canary.started", "beta"},
    {"2026-01-08T10:00:00Z", "canary.promoted", "beta"},
    {"2026-02-01T00:00:00Z", "anomaly.detected", "acme"},  // the end is exclusive
};

Value call(flk::Engine& e, Value in) {
  auto out = e.call_value("compliance.report", in);
  EXPECT_TRUE(out.ok()) << (out.ok() ? "" : out.error().message);
  return out.ok() ? *out : Value();
}

Value input(Value entries, const char* framework = "soc2") {
  Value in = Value::object();
  in.set("entries", std::move(entries)).set("framework", framework);
  in.set("from", "2026-01-01T00:00:00Z").set("to", "2026-02-01T00:00:00Z");
  return in;
}

const Value& control(const Value& report, const std::string& id) {
  for (const Value& c : report.find("controls")->as_array())
    if (c.find("id")->as_string() == id) return c;
  static Value none;
  ADD_FAILURE() << "no control " << id;
  return none;
}

std::string status(const Value& report, const std::string& id) { return control(report, id).find("status")->as_string(); }

}  // namespace

TEST(Compliance, MapsThePeriodsEntriesToControls) {
  flk::crypto::init();
  flk::Engine e;
  Value rep = *call(e, input(chain(kRows))).find("report");
  EXPECT_EQ(rep.find("summary")->find("entries_in_period")->as_int(), 7);
  EXPECT_EQ(rep.find("summary")->find("tenants_in_period")->as_int(), 2);
  EXPECT_EQ(status(rep, "change.keys"), "evidenced");
  EXPECT_EQ(status(rep, "change.tenants"), "evidenced");
  EXPECT_EQ(status(rep, "change.models"), "no_activity");
  EXPECT_EQ(status(rep, "monitoring.incidents"), "no_activity");  // the anomaly is after the period
  EXPECT_EQ(status(rep, "access.routes"), "partial");             // refused requests are not audited
  EXPECT_EQ(status(rep, "audit.integrity"), "partial");           // no head kept elsewhere
  EXPECT_EQ(status(rep, "retention.data"), "not_evidenced");
  EXPECT_EQ(status(rep, "change.rollouts"), "partial");   // direct policy activations skip the canary
  EXPECT_EQ(status(rep, "integrity.outputs"), "partial");  // edge decisions are not in this chain
  EXPECT_EQ(status(rep, "monitoring.cost"), "no_activity");
  const auto& rollouts = control(rep, "change.rollouts").find("evidence")->as_array();
  EXPECT_EQ(rollouts[0].find("count")->as_int(), 1);  // canary.started
  EXPECT_EQ(rollouts[2].find("first_seq")->as_int(), 8);  // canary.promoted
  const Value& keys = control(rep, "change.keys").find("evidence")->as_array()[0];
  EXPECT_EQ(keys.find("count")->as_int(), 1);
  EXPECT_EQ(keys.find("first_seq")->as_int(), 2);
  EXPECT_EQ(rep.find("chain")->find("count")->as_int(), 9);
  EXPECT_GE(rep.find("limitations")->as_array().size(), 8u);
}

TEST(Compliance, AnchoredHeadBrokenChainAndStatedRetention) {
  flk::crypto::init();
  flk::Engine e;
  Value entries = chain(kRows);
  Value in = input(entries, "iso27001");
  in.set("head_seq", 9).set("head_hash", entries.as_array().back().find("hash")->as_string());
  in.set("config", Value::object().set("dedup_ttl_s", 1209600).set("anomaly_event_ttl_s", "7776000"));
  Value rep = *call(e, in).find("report");
  EXPECT_EQ(status(rep, "audit.integrity"), "evidenced");
  EXPECT_EQ(status(rep, "retention.data"), "partial");
  EXPECT_EQ(control(rep, "change.keys").find("references")->as_string(), "A.8.24, A.8.32");

  entries.as_array()[2].set("tenant", "mallory");  // entry 3 edited: its hash no longer matches
  Value broken = *call(e, input(entries)).find("report");
  EXPECT_FALSE(broken.find("chain")->find("valid")->as_bool());
  EXPECT_EQ(status(broken, "audit.integrity"), "failed");
  EXPECT_EQ(status(broken, "change.tenants"), "failed");
  EXPECT_EQ(broken.find("summary")->find("entries_in_period")->as_int(), 1);  // only entries before the break
}

TEST(Compliance, SameChainSameBytesInEveryFormat) {
  flk::crypto::init();
  flk::Engine e;
  Value in = input(chain(kRows));
  in.set("formats", Value::array().push("html").push("oscal"));
  std::string a = flk::json::to_string(call(e, in)), b = flk::json::to_string(call(e, in));
  EXPECT_EQ(a, b);
  Value out = call(e, in);
  const std::string& html = out.find("html")->as_string();
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("What this report cannot evidence"), std::string::npos);
  const Value& ar = *out.find("oscal")->find("assessment-results");
  std::regex uuid("^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  EXPECT_TRUE(std::regex_match(ar.find("uuid")->as_string(), uuid));
  const Value& result = ar.find("results")->as_array()[0];
  EXPECT_EQ(result.find("findings")->as_array().size(), 11u);
  EXPECT_EQ(ar.find("metadata")->find("oscal-version")->as_string(), "1.1.2");
}

TEST(Compliance, RejectsBadInput) {
  flk::crypto::init();
  flk::Engine e;
  Value in = input(chain(kRows));
  in.set("framework", "pci");
  EXPECT_EQ(e.call_value("compliance.report", in).error().path, "$.framework");
  in = input(chain(kRows));
  in.set("to", "2025-01-01T00:00:00Z");
  EXPECT_EQ(e.call_value("compliance.report", in).error().code, "out_of_range");
  in = input(chain(kRows));
  in.set("from", "yesterday");
  EXPECT_EQ(e.call_value("compliance.report", in).error().code, "bad_format");
}

// A gap of any width is judged from the seqs present, not by walking it: an entry can claim
// seq 4e18, or INT64_MAX, and the chain after it must still be checked without overflow.
TEST(AuditChain, GapsAndExtremeSeqsAreJudgedWithoutWalkingThem) {
  auto entry = [](int64_t seq, const std::string& prev) {
    flk::audit::EntryFields f;
    f.seq = seq;
    f.time = "2026-01-02T10:00:00Z";
    f.type = "key.added";
    f.tenant = "acme";
    f.data = Value::object();
    return flk::audit::link(f, prev);
  };
  auto verify = [](const std::vector<Value>& list, int64_t first_seq = 1) {
    std::vector<flk::Result<Value>> rows(list.begin(), list.end());
    return flk::audit::verify(rows, flk::audit::Expect{flk::audit::kGenesisHash, first_seq, {}, {}});
  };
  Value first = entry(1, flk::audit::kGenesisHash);
  const std::string h1 = first.find("hash")->as_string();
  Value far = entry(4000000000000000000, h1);
  auto gap = verify({first, far});
  ASSERT_TRUE(gap.problem);
  EXPECT_EQ(gap.problem->kind, "deleted");
  EXPECT_EQ(gap.problem->index, 1u);

  auto reordered = verify({first, entry(5, h1), entry(3, h1)});
  ASSERT_TRUE(reordered.problem);
  EXPECT_EQ(reordered.problem->kind, "reordered");
  EXPECT_EQ(reordered.problem->index, 1u);

  Value top = entry(INT64_MAX, flk::audit::kGenesisHash);
  auto after_top = verify({top, entry(INT64_MAX, top.find("hash")->as_string())}, INT64_MAX);
  ASSERT_TRUE(after_top.problem);
  EXPECT_EQ(after_top.problem->kind, "reordered");
  EXPECT_EQ(after_top.problem->index, 1u);
}
