#include "ensemble/fit.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "hrs/metrics.h"
#include "math/dmath.h"

namespace flk::ensemble {

const char* const kStackerVoters[4] = {"risk", "grounding", "citation_overlap", "micro_vote"};
constexpr size_t kStacked = 4;

Prepared prepare(const std::vector<hrs::Example>& data) {
  Prepared p;
  for (const hrs::Example& e : data) {
    Request r;
    r.question = e.question;
    r.context = e.context;
    r.answer = e.answer;
    r.task = e.task;
    p.micro.push_back(micro_features(e.context, e.answer));
    Vote g = vote_grounding(r);
    p.grounding.push_back(g.status == VoteStatus::kOk ? g.score : -1);
    p.sentence_jaccard.push_back(e.context.empty() ? std::vector<double>{} : aligned_sentence_jaccard(e.context, e.answer));
    p.label.push_back(e.label);
  }
  return p;
}

hrs::LinearModel fit_micro(const Prepared& p, const std::vector<uint8_t>& use) {
  hrs::Matrix x;
  x.cols = kMicroFeatures;
  std::vector<int> y;
  for (size_t i = 0; i < p.micro.size(); ++i) {
    if (!use[i] || p.micro[i][kHasContext] == 0) continue;
    x.v.insert(x.v.end(), p.micro[i].begin(), p.micro[i].end());
    y.push_back(p.label[i]);
    ++x.rows;
  }
  return hrs::fit_dense_logistic(x, y, std::vector<double>(y.size(), 1.0), kMicroL2);
}

double citation_score(const std::vector<double>& jaccard, double threshold) {
  if (jaccard.empty()) return -1;
  size_t weak = 0;
  for (double j : jaccard) weak += j < threshold;
  return static_cast<double>(weak) / static_cast<double>(jaccard.size());
}

double fit_citation_threshold(const Prepared& p, const std::vector<uint8_t>& use) {
  double best = -2, best_t = 0.5;
  for (int s = 1; s <= 100; ++s) {
    const double t = s / 100.0;
    double tp = 0, fp = 0, pos = 0, neg = 0;
    for (size_t i = 0; i < p.label.size(); ++i) {
      if (!use[i] || p.sentence_jaccard[i].empty()) continue;
      bool flagged = citation_score(p.sentence_jaccard[i], t) > 0;
      (p.label[i] ? pos : neg) += 1;
      (p.label[i] ? tp : fp) += flagged;
    }
    if (pos == 0 || neg == 0) return best_t;
    const double j = tp / pos - fp / neg;
    if (j > best) best = j, best_t = t;
  }
  return best_t;
}

namespace {

bool has_context(const Prepared& p, size_t i) { return p.micro[i][kHasContext] != 0; }

std::vector<double> stack_row(const std::vector<double>& scores) {
  std::vector<double> x(2 * kStacked);
  for (size_t k = 0; k < kStacked; ++k) {
    const bool missing = scores[k] < 0;
    x[2 * k] = missing ? 0 : scores[k];
    x[2 * k + 1] = missing;
  }
  return x;
}

}  // namespace

Stacker fit_stacker(const std::vector<std::vector<double>>& scores, const std::vector<int>& label,
                    const std::vector<uint8_t>& use) {
  hrs::Matrix x;
  x.cols = 2 * kStacked;
  std::vector<int> y;
  for (size_t i = 0; i < scores.size(); ++i) {
    if (!use[i]) continue;
    std::vector<double> r = stack_row(scores[i]);
    x.v.insert(x.v.end(), r.begin(), r.end());
    y.push_back(label[i]);
    ++x.rows;
  }
  Stacker s;
  s.voters.assign(std::begin(kStackerVoters), std::end(kStackerVoters));
  s.model = hrs::fit_dense_logistic(x, y, std::vector<double>(y.size(), 1.0), kStackerL2);
  return s;
}

double stacker_probability(const Stacker& s, const std::vector<double>& scores) {
  std::vector<double> x = stack_row(scores);
  return dm::sigmoid(hrs::linear_logit(s.model, x.data()));
}

namespace {

// Label-1 examples outside the top ceil(budget * n) scores (ties broken by position).
size_t escaped_at_budget(const std::vector<double>& score, const std::vector<int>& label, double budget,
                         size_t* escalated) {
  std::vector<size_t> order(score.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return score[a] > score[b]; });
  const size_t k = static_cast<size_t>(std::ceil(budget * static_cast<double>(score.size())));
  *escalated = k;
  size_t escaped = 0;
  for (size_t r = k; r < order.size(); ++r) escaped += label[order[r]];
  return escaped;
}

double pearson(const std::vector<double>& a, const std::vector<double>& b) {
  const double n = static_cast<double>(a.size());
  double ma = 0, mb = 0;
  for (size_t i = 0; i < a.size(); ++i) ma += a[i], mb += b[i];
  ma /= n, mb /= n;
  double sab = 0, saa = 0, sbb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
  }
  return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : 0;
}

Decision default_nofm(const std::vector<double>& s) {
  // The default policy's voters: risk, grounding, micro_vote (citation needs citations).
  int pass = 0, flag = 0, counted = 0;
  for (size_t k : {size_t{0}, size_t{1}, size_t{3}}) {
    if (s[k] < 0) continue;
    ++counted;
    pass += s[k] < 0.3;
    flag += s[k] >= 0.7;
  }
  const int need = 2;
  if (counted < need) return Decision::kEscalate;
  if (pass >= need) return Decision::kAccept;
  return flag >= need ? Decision::kReject : Decision::kEscalate;
}

}  // namespace

EvalResult evaluate(const std::vector<hrs::Example>& data, const std::vector<double>& risk_oof,
                    const std::vector<int>& fold, int folds, double budget) {
  const size_t n = data.size();
  Prepared p = prepare(data);
  EvalResult out;
  out.budget = budget;
  out.folds = folds;
  // Micro-vote scores out of fold: outer (held-out fold) and inner (for the stacker's training rows).
  std::vector<double> micro_outer(n), stacked_oof(n);
  std::vector<std::vector<double>> oof_scores(n, std::vector<double>(kStacked, -1));
  for (int k = 0; k < folds; ++k) {
    std::vector<uint8_t> train(n), test(n);
    for (size_t i = 0; i < n; ++i) train[i] = fold[i] != k, test[i] = fold[i] == k;
    hrs::LinearModel mo = fit_micro(p, train);
    double t = fit_citation_threshold(p, train);
    std::vector<std::vector<double>> rows(n, std::vector<double>(kStacked, -1));
    for (size_t i = 0; i < n; ++i) {
      rows[i][0] = risk_oof[i];
      rows[i][1] = p.grounding[i];
      rows[i][2] = citation_score(p.sentence_jaccard[i], t);
      if (test[i]) micro_outer[i] = dm::sigmoid(hrs::linear_logit(mo, p.micro[i].data()));
      if (test[i] && has_context(p, i)) rows[i][3] = micro_outer[i];
    }
    for (int j = 0; j < folds; ++j) {
      if (j == k) continue;
      std::vector<uint8_t> use(n);
      for (size_t i = 0; i < n; ++i) use[i] = fold[i] != k && fold[i] != j;
      hrs::LinearModel mi = fit_micro(p, use);
      for (size_t i = 0; i < n; ++i)
        if (fold[i] == j && has_context(p, i)) rows[i][3] = dm::sigmoid(hrs::linear_logit(mi, p.micro[i].data()));
    }
    Stacker st = fit_stacker(rows, p.label, train);
    for (size_t i = 0; i < n; ++i)
      if (test[i]) {
        stacked_oof[i] = stacker_probability(st, rows[i]);
        oof_scores[i] = rows[i];
      }
  }
  std::map<std::string, std::vector<size_t>> by_set;
  for (size_t i = 0; i < n; ++i) by_set[std::string(data[i].source)].push_back(i);
  by_set["all"].resize(n);
  std::iota(by_set["all"].begin(), by_set["all"].end(), 0);
  for (const auto& kv : by_set) {
    SetResult s;
    s.set = kv.first;
    std::vector<double> risk, ens, micro, risk_grounded;
    std::vector<int> y;
    for (size_t i : kv.second) {
      risk.push_back(risk_oof[i]);
      if (has_context(p, i)) micro.push_back(micro_outer[i]), risk_grounded.push_back(risk_oof[i]);
      ens.push_back(stacked_oof[i]);
      y.push_back(p.label[i]);
      s.positives += p.label[i];
      Decision d = default_nofm(oof_scores[i]);
      s.nofm_accept += d == Decision::kAccept;
      s.nofm_escalate += d == Decision::kEscalate;
      s.nofm_reject += d == Decision::kReject;
      s.nofm_escaped += d == Decision::kAccept && p.label[i];
      s.nofm_false_reject += d == Decision::kReject && !p.label[i];
    }
    s.examples = y.size();
    s.auroc_risk = hrs::auroc(risk, y);
    s.auroc_ensemble = hrs::auroc(ens, y);
    s.ece_ensemble = hrs::ece(ens, y);
    s.corr_risk_micro = micro.empty() ? 0 : pearson(risk_grounded, micro);
    s.escaped_risk = escaped_at_budget(risk, y, budget, &s.escalated);
    s.escaped_ensemble = escaped_at_budget(ens, y, budget, &s.escalated);
    for (size_t k = 1; k < kStacked; ++k) {
      std::vector<double> v;
      std::vector<int> yy;
      for (size_t i : kv.second)
        if (oof_scores[i][k] >= 0) v.push_back(oof_scores[i][k]), yy.push_back(p.label[i]);
      if (!v.empty()) s.auroc_voters.emplace_back(kStackerVoters[k], hrs::auroc(v, yy));
    }
    out.sets.push_back(std::move(s));
  }
  // Shipped: everything fitted on all examples; the stacker on the out-of-fold scores.
  std::vector<uint8_t> all(n, 1);
  out.learned.voters.micro = fit_micro(p, all);
  out.learned.voters.citation_threshold = fit_citation_threshold(p, all);
  for (size_t i = 0; i < n; ++i) oof_scores[i][2] = citation_score(p.sentence_jaccard[i], out.learned.voters.citation_threshold);
  out.learned.stacker = fit_stacker(oof_scores, p.label, all);
  return out;
}

}  // namespace flk::ensemble
