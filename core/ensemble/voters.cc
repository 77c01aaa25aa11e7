#include "ensemble/voters.h"

#include <algorithm>

#include "ensemble/shingles.h"
#include "hrs/features.h"
#include "math/dmath.h"

namespace flk::ensemble {
namespace {

uint64_t text_bytes(const Request& r) { return r.question.size() + r.context.size() + r.answer.size(); }

hrs::FeatureInput feature_input(const Request& r) {
  hrs::FeatureInput in;
  in.question = r.question;
  in.context = r.context;
  in.answer = r.answer;
  in.task = r.task;
  return in;
}

json::Value range(uint32_t b, uint32_t e) {
  json::Value a = json::Value::array();
  a.push(static_cast<int64_t>(b)).push(static_cast<int64_t>(e));
  return a;
}

// Per answer sentence with content words: its support by `source` (the HRS alignment).
std::vector<hrs::SentenceSupport> support_by(std::string_view source, std::string_view answer) {
  hrs::FeatureInput in;
  in.context = source;
  in.answer = answer;
  std::vector<hrs::Token> tok;
  std::vector<hrs::SentenceSupport> sup;
  hrs::compute_features(in, &tok, &sup);
  sup.erase(std::remove_if(sup.begin(), sup.end(), [](const hrs::SentenceSupport& s) { return s.content == 0; }),
            sup.end());
  return sup;
}

}  // namespace

const char* status_name(VoteStatus s) {
  switch (s) {
    case VoteStatus::kOk: return "ok";
    case VoteStatus::kTimeout: return "timeout";
    case VoteStatus::kError: return "error";
    case VoteStatus::kSkipped: return "skipped";
  }
  return "error";
}

// The verifier's own verdict: 0 accepted, 0.5 escalated (a soft failure), 1 rejected.
Vote vote_pcs(const Request& r) {
  if (!r.pcs) return skipped("pcs_recompute", "no pcs given");
  pcs::VerifyResult v = pcs::evaluate(*r.pcs, r.pcs_params);
  json::Value ev = json::Value::object();
  ev.set("pcs_id", r.pcs->pcs_id).set("accepted", v.accepted).set("escalated", v.escalated);
  if (!v.reason.empty()) ev.set("reason", v.reason);
  if (v.recomputed_d_hat) ev.set("recomputed_D_hat", *v.recomputed_d_hat);
  if (v.recomputed_budget) ev.set("recomputed_budget", *v.recomputed_budget);
  double score = v.accepted && !v.escalated ? 0 : (v.accepted ? 0.5 : 1);
  uint64_t work = 64 * (r.pcs->scales.size() + 1);
  return scored("pcs_recompute", score, work, std::move(ev));
}

Vote vote_risk(const hrs::Model& m, const Request& r) {
  std::vector<hrs::Token> tok;
  hrs::Features f = hrs::compute_features(feature_input(r), &tok);
  hrs::Score s = hrs::score_row(m, hrs::model_row(f, hrs::lexical_logit(m, f, tok)));
  json::Value ev = json::Value::object();
  json::Value interval = json::Value::array();
  interval.push(s.low).push(s.high);
  ev.set("logit", s.logit).set("interval", std::move(interval));
  return scored("risk", s.probability, text_bytes(r), std::move(ev));
}

// 1 - mean support of the answer's sentences by their best context sentence. Mismatches are
// reported, not scored: counting a mismatched sentence as unsupported lowered the voter's
// grouped-CV AUROC on BEGIN and HaluEval QA (docs/ensemble.md).
Vote vote_grounding(const Request& r) {
  std::vector<hrs::Token> tok;
  std::vector<hrs::SentenceSupport> sup;
  hrs::compute_features(feature_input(r), &tok, &sup);
  double sum = 0, worst = 1, counted = 0;
  uint32_t weakest = 0, mismatches = 0;
  for (uint32_t j = 0; j < sup.size(); ++j) {
    if (sup[j].content == 0) continue;
    const double s = sup[j].support;
    sum += s;
    ++counted;
    mismatches += sup[j].mismatch != 0;
    if (s < worst) worst = s, weakest = j;
  }
  if (counted == 0) return skipped("grounding", sup.empty() ? "no context words" : "no content words in the answer");
  json::Value ev = json::Value::object();
  ev.set("mean_support", sum / counted).set("min_support", worst);
  ev.set("weakest", range(sup[weakest].begin, sup[weakest].end));
  ev.set("sentences_with_mismatch", static_cast<int64_t>(mismatches));
  return scored("grounding", 1 - sum / counted, text_bytes(r), std::move(ev));
}

// Share of citations whose claim and cited passage share too few word 3-grams.
Vote vote_citation(const Request& r, double threshold) {
  if (r.citations.empty()) return skipped("citation_overlap", "no citations given");
  json::Value per = json::Value::array();
  uint64_t work = 0;
  size_t weak = 0;
  for (const Citation& c : r.citations) {
    std::string_view claim = r.answer.substr(c.answer_begin, c.answer_end - c.answer_begin);
    std::string_view passage = r.context.substr(c.source_begin, c.source_end - c.source_begin);
    double j = jaccard(word_shingles(claim), word_shingles(passage));
    weak += j < threshold;
    work += claim.size() + passage.size();
    per.push(j);
  }
  json::Value ev = json::Value::object();
  ev.set("jaccard", std::move(per)).set("threshold", threshold).set("below_threshold", static_cast<int64_t>(weak));
  return scored("citation_overlap", static_cast<double>(weak) / static_cast<double>(r.citations.size()), work,
                std::move(ev));
}

// Its features all compare the answer with the context: without one it has nothing to say.
Vote vote_micro(const hrs::LinearModel& m, const Request& r) {
  MicroRow x = micro_features(r.context, r.answer);
  if (x[kHasContext] == 0) return skipped("micro_vote", "no context words");
  double z = hrs::linear_logit(m, x.data());
  json::Value feats = json::Value::object();
  for (int k = 0; k < kMicroFeatures; ++k) feats.set(micro_feature_name(k), x[k]);
  json::Value ev = json::Value::object();
  ev.set("logit", z).set("features", std::move(feats));
  return scored("micro_vote", dm::sigmoid(z), text_bytes(r), std::move(ev));
}

// SelfCheckGPT-style: a sentence the samples do not repeat is suspect. Per answer sentence,
// 1 - mean over samples of its support by that sample; the score is the mean over sentences.
Vote vote_self_consistency(const Request& r) {
  if (r.samples.empty()) return skipped("self_consistency", "no samples given");
  std::vector<double> sum;
  std::vector<std::pair<uint32_t, uint32_t>> where;
  uint64_t work = 0;
  for (std::string_view s : r.samples) {
    std::vector<hrs::SentenceSupport> sup = support_by(s, r.answer);
    work += s.size() + r.answer.size();
    if (where.empty())
      for (const auto& x : sup) where.emplace_back(x.begin, x.end);
    sum.resize(where.size(), 0);
    for (size_t j = 0; j < sup.size() && j < where.size(); ++j) sum[j] += sup[j].support;
  }
  if (where.empty()) return skipped("self_consistency", "no content words in the answer or samples");
  json::Value per = json::Value::array();
  double total = 0;
  const double n = static_cast<double>(r.samples.size());
  for (size_t j = 0; j < where.size(); ++j) {
    double inconsistency = 1 - sum[j] / n;
    total += inconsistency;
    json::Value o = json::Value::object();
    o.set("answer", range(where[j].first, where[j].second)).set("inconsistency", inconsistency);
    per.push(std::move(o));
  }
  json::Value ev = json::Value::object();
  ev.set("samples", static_cast<int64_t>(r.samples.size())).set("sentences", std::move(per));
  return scored("self_consistency", total / static_cast<double>(where.size()), work, std::move(ev));
}

Vote vote_host(const HostVote& h) {
  Vote v;
  v.voter = "host:" + h.name;
  v.latency_us = h.latency_us;
  v.status = h.status;
  if (h.status == VoteStatus::kOk && h.timeout_us && h.latency_us > *h.timeout_us) v.status = VoteStatus::kTimeout;
  if (v.status == VoteStatus::kOk) v.score = h.score;
  if (!h.message.empty()) v.evidence.set("message", h.message);
  if (h.timeout_us) v.evidence.set("timeout_us", static_cast<int64_t>(*h.timeout_us));
  return v;
}

std::vector<double> aligned_sentence_jaccard(std::string_view context, std::string_view answer) {
  std::vector<double> out;
  for (const hrs::SentenceSupport& s : support_by(context, answer)) {
    if (s.source_end == 0) {
      out.push_back(0);
      continue;
    }
    out.push_back(jaccard(word_shingles(answer.substr(s.begin, s.end - s.begin)),
                          word_shingles(context.substr(s.source_begin, s.source_end - s.source_begin))));
  }
  return out;
}

}  // namespace flk::ensemble
