// The ensemble gate: every voter forced to time out and to fail under every failure mode (a
// fail_closed policy must never let an answer through), the combination rules, the voters'
// scores on hand-checkable inputs and typed errors for bad requests.
#include <gtest/gtest.h>

#include "ensemble/cascade.h"
#include "ensemble/combine.h"
#include "ensemble/micro.h"
#include "ensemble/shingles.h"
#include "facade/engine.h"
#include "json/parse.h"
#include "json/write.h"
#include "shared_data.h"

#include <sstream>

using namespace flk;
using namespace flk::ensemble;

namespace {

Vote ok(const char* name, double score) { return scored(name, score, 1, json::Value::object()); }
Vote bad(const char* name, VoteStatus s) {
  Vote v = ok(name, 0);
  v.status = s;
  return v;
}

const char* kRequest =
    R"({"question":"When was the Eiffel Tower finished?","context":"The Eiffel Tower was finished in March 1889.",)"
    R"("answer":"It was finished in 1889.")";

json::Value verify(Engine& e, const std::string& extra) {
  auto in = json::parse(std::string(kRequest) + extra + "}");
  EXPECT_TRUE(in.ok());
  auto r = e.call_value("ensemble.verify", *in);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : json::Value();
}

std::string error_path(Engine& e, const char* op, const std::string& input) {
  auto in = json::parse(input);
  EXPECT_TRUE(in.ok()) << input;
  auto r = e.call_value(op, *in);
  return r.ok() ? "(no error)" : r.error().code + " " + r.error().path;
}

}  // namespace

TEST(EnsembleCombine, TwoOfThree) {
  Policy p;
  Stacker none;
  EXPECT_EQ(combine({ok("risk", 0.1), ok("grounding", 0.2), ok("micro_vote", 0.9)}, p, none).decision, Decision::kAccept);
  EXPECT_EQ(combine({ok("risk", 0.9), ok("grounding", 0.8), ok("micro_vote", 0.1)}, p, none).decision, Decision::kReject);
  Verdict split = combine({ok("risk", 0.9), ok("grounding", 0.5), ok("micro_vote", 0.1)}, p, none);
  EXPECT_EQ(split.decision, Decision::kEscalate);
  EXPECT_FALSE(split.degraded);
  // 1-of-3 with one pass and one flag: the voters disagree.
  p.n = 1;
  EXPECT_EQ(combine({ok("risk", 0.9), ok("grounding", 0.5), ok("micro_vote", 0.1)}, p, none).decision, Decision::kEscalate);
}

TEST(EnsembleCombine, EveryFailureUnderEveryMode) {
  Stacker none;
  for (VoteStatus s : {VoteStatus::kTimeout, VoteStatus::kError}) {
    for (FailMode m : {FailMode::kFailOpen, FailMode::kFailClosed, FailMode::kDegrade}) {
      Policy p;
      (s == VoteStatus::kTimeout ? p.on_timeout : p.on_error) = m;
      // Two passing voters and a failed one.
      Verdict v = combine({ok("risk", 0.1), ok("grounding", 0.1), bad("micro_vote", s)}, p, none);
      ASSERT_EQ(v.failures.size(), 1u);
      EXPECT_EQ(v.failures[0].mode, m);
      EXPECT_TRUE(v.degraded) << fail_mode_name(m);
      if (m == FailMode::kFailClosed) {
        EXPECT_EQ(v.decision, Decision::kReject);
      } else {
        EXPECT_EQ(v.decision, Decision::kAccept) << fail_mode_name(m);
        EXPECT_EQ(v.counted, m == FailMode::kDegrade ? 2 : 3);
      }
      // One passing voter and a failed one: fail_open reaches the quorum, degrade cannot.
      Verdict w = combine({ok("risk", 0.1), bad("grounding", s), ok("micro_vote", 0.5)}, p, none);
      EXPECT_EQ(w.decision, m == FailMode::kFailOpen   ? Decision::kAccept
                            : m == FailMode::kDegrade ? Decision::kEscalate
                                                      : Decision::kReject)
          << fail_mode_name(m);
      // The other mode is untouched by this status.
      Policy q;
      (s == VoteStatus::kTimeout ? q.on_error : q.on_timeout) = FailMode::kFailClosed;
      EXPECT_EQ(combine({ok("risk", 0.1), ok("grounding", 0.1), bad("micro_vote", s)}, q, none).decision, Decision::kAccept);
    }
  }
}

TEST(EnsembleCombine, FailClosedOverridesTheStacker) {
  Stacker st;
  st.voters = {"risk", "grounding"};
  st.model.center.assign(4, 0);
  st.model.scale.assign(4, 1);
  st.model.weight = {4, 0, 2, 1};
  st.model.bias = -4;
  Policy p;
  p.method = Method::kStacker;
  Verdict good = combine({ok("risk", 0.05), ok("grounding", 0.05)}, p, st);
  EXPECT_EQ(good.decision, Decision::kAccept);
  EXPECT_NEAR(good.contribution[0], 0.2, 1e-12);
  p.on_timeout = FailMode::kFailClosed;
  EXPECT_EQ(combine({ok("risk", 0.05), bad("grounding", VoteStatus::kTimeout)}, p, st).decision, Decision::kReject);
  p.on_timeout = FailMode::kDegrade;
  Verdict d = combine({ok("risk", 0.05), bad("grounding", VoteStatus::kTimeout)}, p, st);
  EXPECT_TRUE(d.degraded);
  EXPECT_GT(d.probability, good.probability);  // grounding's missing indicator carries weight
}

TEST(EnsembleShingles, JaccardOfWordTrigrams) {
  auto a = word_shingles("the tower was finished in 1889");
  EXPECT_EQ(a.size(), 4u);
  EXPECT_DOUBLE_EQ(jaccard(a, a), 1.0);
  EXPECT_DOUBLE_EQ(jaccard(a, word_shingles("The towers were finished in 1889.")), 1.0 / 7.0);  // "finish in 1889" (stems)
  EXPECT_EQ(word_shingles("two words").size(), 1u);
  auto rep = word_shingles("a b c a b c a b c");
  EXPECT_EQ(rep.size(), 3u);  // repeats counted once, so Jaccard stays <= 1
  EXPECT_DOUBLE_EQ(jaccard({}, {}), 1.0);
  EXPECT_DOUBLE_EQ(jaccard(a, {}), 0.0);
}

TEST(EnsembleMicro, CharacterFeatures) {
  MicroRow x = micro_features("Finished in March 1889.", "Finished in 1889");
  EXPECT_DOUBLE_EQ(x[kDigitsInContext], 1.0);
  EXPECT_DOUBLE_EQ(x[kHasDigits], 1.0);
  EXPECT_DOUBLE_EQ(x[kHasContext], 1.0);
  EXPECT_GT(x[kChar4InContext], 0.8);
  EXPECT_LT(x[kChar16InContext], x[kChar4InContext]);
  MicroRow y = micro_features("", "Finished in 1899");
  EXPECT_DOUBLE_EQ(y[kHasContext], 0.0);
  EXPECT_DOUBLE_EQ(y[kChar4InContext], 0.0);
  EXPECT_DOUBLE_EQ(micro_features("Finished in March 1889.", "in 1899")[kDigitsInContext], 0.0);
}

// Through the facade: each voter made to time out (a deadline below its modeled cost, or an
// injected timeout) and to fail (injected error), under each mode.
TEST(EnsembleVerify, EachVoterTimesOutAndFailsUnderEachMode) {
  Engine e;
  const std::string extra = R"(,"citations":[{"answer":[0,23],"source":[0,43]}],"samples":["It was finished in 1889."])";
  for (const std::string voter : {"risk", "grounding", "micro_vote", "citation_overlap", "self_consistency"}) {
    std::string voters = R"("voters":["risk","grounding","micro_vote")";
    if (voter == "citation_overlap" || voter == "self_consistency") voters += ",\"" + voter + "\"";
    voters += "]";
    for (const std::string how : {"deadline", "timeout", "error"}) {
      const std::string fault = how == "deadline" ? R"("deadline_us":{")" + voter + R"(":0})"
                                                  : R"("inject":{")" + voter + R"(":")" + how + "\"}";
      const char* key = how == "error" ? "on_error" : "on_timeout";
      for (const std::string mode : {"fail_open", "fail_closed", "degrade"}) {
        json::Value out =
            verify(e, extra + R"(,"policy":{)" + voters + "," + fault + ",\"" + key + "\":\"" + mode + "\"}");
        SCOPED_TRACE(voter + " " + how + " " + mode);
        ASSERT_TRUE(out.is_object());
        EXPECT_TRUE(out.find("degraded")->as_bool());
        const auto& f = out.find("failures")->as_array();
        ASSERT_EQ(f.size(), 1u) << json::to_string(out);
        EXPECT_EQ(f[0].find("voter")->as_string(), voter);
        EXPECT_EQ(f[0].find("mode")->as_string(), mode);
        EXPECT_EQ(f[0].find("status")->as_string(), how == "error" ? "error" : "timeout");
        if (mode == "fail_closed") EXPECT_EQ(out.find("decision")->as_string(), "reject");
        else EXPECT_NE(out.find("decision")->as_string(), "reject") << json::to_string(out);
      }
    }
  }
}

// The PCS voter on a real PCS (pcs.build), made to fail in each way.
TEST(EnsembleVerify, PcsRecomputeVoter) {
  Engine e;
  auto built = e.call_value("pcs.build", *json::parse(R"({"points":[[0.1,0.2],[0.4,0.1],[0.9,0.8],[0.3,0.7],[0.5,0.5],)"
                                                      R"([0.2,0.9],[0.8,0.3],[0.6,0.6]],"shard_id":"s1","epoch":1,)"
                                                      R"("sent_at":"2026-01-01T00:00:00Z"})"));
  ASSERT_TRUE(built.ok()) << built.error().message;
  const std::string pcs = ",\"pcs\":" + json::to_string(*built);
  json::Value good = verify(e, pcs + R"(,"policy":{"voters":["pcs_recompute","risk","grounding"]})");
  const json::Value& v = good.find("votes")->as_array()[0];
  EXPECT_EQ(v.find("voter")->as_string(), "pcs_recompute");
  EXPECT_EQ(v.find("status")->as_string(), "ok");
  EXPECT_EQ(v.find("score")->as_double(), 0.0) << json::to_string(v);
  for (const std::string how : {"timeout", "error"})
    for (const std::string mode : {"fail_open", "fail_closed", "degrade"}) {
      json::Value out = verify(e, pcs + R"(,"policy":{"voters":["pcs_recompute","risk","grounding"],"inject":)"
                                          R"({"pcs_recompute":")" + how + R"("},"on_)" + how + R"(":")" + mode + R"("})");
      EXPECT_EQ(out.find("decision")->as_string() == "reject", mode == "fail_closed") << how << " " << mode;
      EXPECT_TRUE(out.find("degraded")->as_bool());
    }
  // A tampered D_hat: the recompute disagrees and the voter says so.
  json::Value doc = *built;
  doc.set("D_hat", built->find("D_hat")->as_double() + 1);
  json::Value bad = verify(e, ",\"pcs\":" + json::to_string(doc) + R"(,"policy":{"voters":["pcs_recompute"],"n":1})");
  EXPECT_GT(bad.find("votes")->as_array()[0].find("score")->as_double(), 0.0);
}

TEST(EnsembleVerify, HostVotesAndTheirTimeouts) {
  Engine e;
  json::Value late = verify(e, R"(,"host_votes":[{"name":"judge","score":0.1,"latency_us":900,"timeout_us":500}],"policy":{"on_timeout":"fail_closed"})");
  EXPECT_EQ(late.find("decision")->as_string(), "reject");
  json::Value policy_deadline = verify(e, R"(,"host_votes":[{"name":"judge","score":0.1,"latency_us":900}],"policy":{"deadline_us":{"host":800}})");
  EXPECT_EQ(policy_deadline.find("failures")->as_array()[0].find("voter")->as_string(), "host:judge");
  json::Value failed = verify(e, R"(,"host_votes":[{"name":"nli","status":"error","latency_us":3}],"policy":{"on_error":"fail_open"})");
  EXPECT_TRUE(failed.find("degraded")->as_bool());
  EXPECT_NE(failed.find("decision")->as_string(), "reject");
}

TEST(EnsembleVerify, ModeledLatencyIsDeterministic) {
  Engine e;
  json::Value a = verify(e, ""), b = verify(e, "");
  EXPECT_EQ(json::to_string(a), json::to_string(b));
  EXPECT_EQ(a.find("clock")->as_string(), "modeled");
  EXPECT_GT(a.find("latency_us")->as_int(), 0);
}

TEST(EnsembleVerify, BadInputIsATypedErrorWithItsPath) {
  Engine e;
  const std::string base = kRequest;
  EXPECT_EQ(error_path(e, "ensemble.verify", base + R"(,"extra":1})"), "unknown_field $.extra");
  EXPECT_EQ(error_path(e, "ensemble.verify", base + R"(,"policy":{"n":0}})"), "out_of_range $.policy.n");
  EXPECT_EQ(error_path(e, "ensemble.verify", base + R"(,"policy":{"on_error":"ignore"}})"), "out_of_range $.policy.on_error");
  EXPECT_EQ(error_path(e, "ensemble.verify", base + R"(,"policy":{"deadline_us":{"oracle":5}}})"),
            "unknown_field $.policy.deadline_us.oracle");
  EXPECT_EQ(error_path(e, "ensemble.verify", base + R"(,"citations":[{"answer":[0,23],"source":[10,99]}]})"),
            "out_of_range $.citations[0].source");
  EXPECT_EQ(error_path(e, "ensemble.verify", base + R"(,"citations":[{"answer":[5,2],"source":[0,4]}]})"),
            "out_of_range $.citations[0].answer");
  EXPECT_EQ(error_path(e, "ensemble.verify", R"({"answer":"x","citations":[{"answer":[0,1],"source":[0,0]}]})"),
            "out_of_range $.citations[0].source");
  EXPECT_NE(error_path(e, "ensemble.verify", base + R"(,"pcs":{"pcs_id":"x"}})").find("$.pcs"), std::string::npos);
  std::string big(70000, 'a');
  EXPECT_EQ(error_path(e, "ensemble.verify", R"({"answer":")" + big + "\"}"), "too_large $.answer");
  EXPECT_EQ(error_path(e, "ensemble.grounding", R"({"answer":"a","context":")" + std::string((4u << 20) + 1, 'b') + "\"}"),
            "too_large $.context");
  EXPECT_EQ(error_path(e, "ensemble.self_consistency", R"({"answer":"a","samples":["s",")" + std::string(65537, 'x') + "\"]}"),
            "too_large $.samples[1]");
  std::string samples = R"({"answer":"x","samples":[)";
  for (int i = 0; i < 21; ++i) samples += std::string(i ? "," : "") + "\"s\"";
  EXPECT_EQ(error_path(e, "ensemble.verify", samples + "]}"), "too_large $.samples");
  std::string cites = std::string(kRequest) + R"(,"citations":[)";
  for (int i = 0; i < 65; ++i) cites += std::string(i ? "," : "") + R"({"answer":[0,1],"source":[0,1]})";
  EXPECT_EQ(error_path(e, "ensemble.verify", cites + "]}"), "too_large $.citations");
  EXPECT_EQ(error_path(e, "ensemble.host_vote", R"({"host_vote":{"name":"j","latency_us":1}})"),
            "missing_field $.host_vote.score");
}

// The cascade gives the decision of the full run on real requests (BEGIN and HaluEval QA, with
// context), under several policies, and runs fewer voters on some of them.
TEST(EnsembleCascade, SameDecisionAsTheFullRunWithLessWork) {
  bool found = false;
  std::string text = test::read_shared("data/halueval_qa.jsonl", &found) + test::read_shared("data/begin_dialogue.jsonl", &found);
  ASSERT_TRUE(found) << "shared data missing: set FLK_SHARED_DIR";
  Engine e;
  std::istringstream lines(text);
  std::string line;
  size_t n = 0, saved = 0;
  const char* policies[] = {R"({"n":2})", R"({"n":1})", R"({"n":3})",
                            R"({"n":2,"voters":["risk","grounding","micro_vote","citation_overlap"]})",
                            R"({"n":2,"inject":{"grounding":"error"},"on_error":"fail_closed"})",
                            R"({"n":2,"inject":{"risk":"timeout"},"on_timeout":"fail_open"})"};
  while (std::getline(lines, line) && n < 240) {
    auto rec = json::parse(line);
    ASSERT_TRUE(rec.ok());
    json::Value req = json::Value::object();
    for (const char* k : {"question", "context", "answer"}) req.set(k, *rec->find(k));
    const json::Value policy_text = *json::parse(policies[n % 6]);
    json::Value full = req, fast = req;
    full.set("policy", policy_text);
    json::Value pc = policy_text;
    pc.set("cascade", true);
    fast.set("policy", pc);
    auto a = e.call_value("ensemble.verify", full), b = e.call_value("ensemble.verify", fast);
    ASSERT_TRUE(a.ok() && b.ok()) << (a.ok() ? b.error().message : a.error().message);
    EXPECT_EQ(a->find("decision")->as_string(), b->find("decision")->as_string()) << line.substr(0, 200);
    EXPECT_LE(b->find("latency_us")->as_int(), a->find("latency_us")->as_int());
    saved += b->find("latency_us")->as_int() < a->find("latency_us")->as_int();
    ++n;
  }
  EXPECT_GT(saved, n / 4);
}
