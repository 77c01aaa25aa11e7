#include "hrs/train.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "hrs/groups.h"
#include "hrs/lexical.h"
#include "hrs/metrics.h"
#include "math/dmath.h"
#include "util/progress.h"

namespace flk::hrs {
namespace {

uint64_t splitmix64(uint64_t& s) {
  uint64_t z = (s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

void progress(const std::string& s) { report_progress(s.c_str()); }

struct Prepared {
  Matrix x;  // n × kModelFeatures; the lexical column is filled per use
  std::vector<Buckets> lex, lex_plain;  // with regime; plain bag of words (baseline)
  std::vector<double> novelty;
  std::vector<int> y;
  std::vector<std::string_view> source;
  std::vector<uint32_t> set_id;
  std::vector<std::string> sets;
  Grouping groups;
  std::vector<int> fold;
};

Prepared prepare(const std::vector<Example>& data, const TrainOptions& opt) {
  Prepared p;
  const size_t n = data.size();
  p.x.rows = n;
  p.x.cols = kModelFeatures;
  p.x.v.assign(n * kModelFeatures, 0);
  p.lex.resize(n);
  p.lex_plain.resize(n);
  p.novelty.resize(n);
  std::map<std::string_view, uint32_t> set_index;
  std::vector<std::string_view> qs(n), cs(n);
  for (size_t i = 0; i < n; ++i) {
    const Example& e = data[i];
    FeatureInput in;
    in.question = e.question;
    in.context = e.context;
    in.answer = e.answer;
    in.task = e.task;
    std::vector<Token> tok;
    Features f = compute_features(in, &tok);
    for (int k = 0; k < kNumFeatures; ++k) p.x.row(i)[k] = f.x[k];
    p.lex[i] = lexical_buckets(tok, opt.lexical_bits, lexical_regime(f.x, tok.size()));
    p.lex_plain[i] = lexical_buckets(tok, opt.lexical_bits, 0);
    p.novelty[i] = novel_word_share(tok, e.question, e.context);
    p.y.push_back(e.label);
    p.source.push_back(e.source);
    auto it = set_index.emplace(e.source, static_cast<uint32_t>(set_index.size())).first;
    p.set_id.push_back(it->second);
    qs[i] = e.question;
    cs[i] = e.context;
  }
  p.sets.resize(set_index.size());
  for (auto& kv : set_index) p.sets[kv.second] = std::string(kv.first);
  p.groups = group_examples(qs, cs);
  p.fold = assign_folds(p.groups, p.set_id, opt.folds, opt.seed);
  return p;
}

// Bootstrap over the groups of the rows with w > 0: every group is drawn with replacement as
// many times as there are such groups; an example's weight is its group's draw count.
std::vector<double> group_bootstrap(const Prepared& p, const std::vector<double>& in_train, uint64_t seed) {
  std::vector<uint32_t> present;
  std::vector<uint8_t> mark(p.groups.groups, 0);
  for (size_t i = 0; i < in_train.size(); ++i)
    if (in_train[i] > 0 && !mark[p.groups.group[i]]) {
      mark[p.groups.group[i]] = 1;
      present.push_back(p.groups.group[i]);
    }
  std::sort(present.begin(), present.end());
  std::vector<double> draws(p.groups.groups, 0);
  uint64_t s = seed;
  for (size_t k = 0; k < present.size(); ++k) draws[present[splitmix64(s) % present.size()]] += 1;
  std::vector<double> w(in_train.size(), 0);
  for (size_t i = 0; i < w.size(); ++i)
    if (in_train[i] > 0) w[i] = draws[p.groups.group[i]];
  return w;
}

// Rows with positive weight, as a compact matrix (the dense logistic fit is O(rows·d²)).
Matrix take_rows(const Matrix& x, const std::vector<double>& w, std::vector<double>& w_out, std::vector<int>& y_out,
                 const std::vector<int>& y) {
  Matrix m;
  m.cols = x.cols;
  for (size_t i = 0; i < x.rows; ++i)
    if (w[i] > 0) {
      m.v.insert(m.v.end(), x.row(i), x.row(i) + x.cols);
      w_out.push_back(w[i]);
      y_out.push_back(y[i]);
      ++m.rows;
    }
  return m;
}

void fit_member(Model& m, const Matrix& x, const std::vector<int>& y, const std::vector<double>& w,
                const TrainOptions& opt) {
  if (opt.kind == ModelKind::Logistic) {
    std::vector<double> ws;
    std::vector<int> ys;
    Matrix sub = take_rows(x, w, ws, ys, y);
    m.linear.push_back(fit_dense_logistic(sub, ys, ws, opt.linear_l2));
  } else {
    m.gbt.push_back(fit_gbt(x, y, w, opt.gbt));
  }
}

SparseLinearModel fit_lexical(const Prepared& p, const std::vector<Buckets>& lex, const std::vector<uint8_t>& use,
                              const TrainOptions& opt, const SparseLinearModel* start) {
  std::vector<const Buckets*> xs;
  std::vector<int> ys;
  for (size_t i = 0; i < use.size(); ++i)
    if (use[i]) {
      xs.push_back(&lex[i]);
      ys.push_back(p.y[i]);
    }
  std::vector<double> w(xs.size(), 1.0);
  return fit_sparse_logistic(xs, size_t{1} << opt.lexical_bits, ys, w, opt.lexical_l2, start);
}

// One-feature logistic baseline fitted on `train` rows of one set, applied to `test` rows.
void one_feature_baseline(const std::vector<double>& v, const Prepared& p, const std::vector<uint8_t>& train,
                          const std::vector<uint8_t>& test, std::vector<double>& out) {
  Matrix x;
  x.cols = 1;
  std::vector<int> ys;
  for (size_t i = 0; i < v.size(); ++i)
    if (train[i]) {
      x.v.push_back(v[i]);
      ys.push_back(p.y[i]);
      ++x.rows;
    }
  std::vector<double> w(x.rows, 1.0);
  LinearModel m = fit_dense_logistic(x, ys, w, 1e-6);
  for (size_t i = 0; i < v.size(); ++i)
    if (test[i]) out[i] = dm::sigmoid(linear_logit(m, &v[i]));
}

}  // namespace

std::vector<SetMetrics> metrics_by_set(const std::vector<double>& prob, const std::vector<int>& label,
                                       const std::vector<std::string_view>& source) {
  std::map<std::string_view, std::vector<size_t>> by;
  for (size_t i = 0; i < prob.size(); ++i) by[source[i]].push_back(i);
  std::vector<SetMetrics> out;
  auto one = [&](const std::string& name, const std::vector<size_t>& idx) {
    std::vector<double> p;
    std::vector<int> y;
    for (size_t i : idx) {
      p.push_back(prob[i]);
      y.push_back(label[i]);
    }
    SetMetrics s;
    s.set = name;
    s.examples = idx.size();
    for (int v : y) s.positives += v != 0;
    s.auroc = auroc(p, y);
    s.auprc = auprc(p, y);
    s.ece = ece(p, y);
    s.brier = brier(p, y);
    out.push_back(s);
  };
  for (auto& kv : by) one(std::string(kv.first), kv.second);
  std::vector<size_t> all(prob.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  one("all", all);
  return out;
}

Result<TrainResult> train_model(const std::vector<Example>& data, const TrainOptions& opt) {
  if (data.size() < 20) return make_error("out_of_range", "training needs at least 20 examples", "$.examples");
  size_t pos = 0;
  for (const Example& e : data) pos += e.label != 0;
  if (pos == 0 || pos == data.size())
    return make_error("out_of_range", "training needs examples of both labels", "$.examples");
  progress("features for " + std::to_string(data.size()) + " examples");
  Prepared p = prepare(data, opt);
  const size_t n = data.size();
  const int K = opt.folds;
  for (int k = 0; k < K; ++k)
    if (std::find(p.fold.begin(), p.fold.end(), k) == p.fold.end())
      return make_error("out_of_range", "fewer groups than folds: fold " + std::to_string(k) + " is empty",
                        "$.examples");
  progress(std::to_string(p.groups.groups) + " groups in " + std::to_string(K) + " folds");

  SparseLinearModel first_outer;
  std::vector<double> oof_logit(n), oof_spread(n), lex_oof(n), base_len(n), base_nov(n), base_bow(n);
  for (int k = 0; k < K; ++k) {
    progress("fold " + std::to_string(k + 1) + "/" + std::to_string(K));
    std::vector<uint8_t> train(n), test(n);
    for (size_t i = 0; i < n; ++i) {
      train[i] = p.fold[i] != k;
      test[i] = !train[i];
    }
    // Bag-of-words logits: out-of-fold inside the training folds, from all of them on the test fold.
    // (The inner fits start from the outer one: same optimum up to one fold, fewer iterations.)
    Matrix x = p.x;
    SparseLinearModel lm = fit_lexical(p, p.lex, train, opt, nullptr);
    for (size_t i = 0; i < n; ++i)
      if (test[i]) x.row(i)[kLexicalFeature] = lex_oof[i] = sparse_logit(lm, p.lex[i]);
    for (int j = 0; j < K; ++j) {
      if (j == k) continue;
      std::vector<uint8_t> use(n);
      for (size_t i = 0; i < n; ++i) use[i] = p.fold[i] != k && p.fold[i] != j;
      SparseLinearModel inner = fit_lexical(p, p.lex, use, opt, &lm);
      for (size_t i = 0; i < n; ++i)
        if (p.fold[i] == j) x.row(i)[kLexicalFeature] = sparse_logit(inner, p.lex[i]);
    }
    if (k == 0) first_outer = lm;

    Model m;
    m.kind = opt.kind;
    std::vector<double> in_train(train.begin(), train.end());
    for (int b = 0; b < opt.bags; ++b) {
      std::vector<double> w = opt.bags == 1 ? in_train : group_bootstrap(p, in_train, opt.seed * 1000003 + k * 101 + b);
      fit_member(m, x, p.y, w, opt);
    }
    for (size_t i = 0; i < n; ++i)
      if (test[i]) {
        ModelRow r;
        std::copy(x.row(i), x.row(i) + kModelFeatures, r.begin());
        Score s = score_row(m, r);
        oof_logit[i] = s.logit;
        oof_spread[i] = s.spread;
      }

    // Baselines, each fitted per set on this fold's training rows of that set.
    for (uint32_t s = 0; s < p.sets.size(); ++s) {
      std::vector<uint8_t> tr(n), te(n);
      for (size_t i = 0; i < n; ++i) {
        tr[i] = train[i] && p.set_id[i] == s;
        te[i] = test[i] && p.set_id[i] == s;
      }
      std::vector<double> len(n);
      for (size_t i = 0; i < n; ++i) len[i] = p.x.row(i)[kAnsTokens];
      one_feature_baseline(len, p, tr, te, base_len);
      one_feature_baseline(p.novelty, p, tr, te, base_nov);
      SparseLinearModel bow = fit_lexical(p, p.lex_plain, tr, opt, nullptr);
      for (size_t i = 0; i < n; ++i)
        if (te[i]) base_bow[i] = dm::sigmoid(sparse_logit(bow, p.lex_plain[i]));
    }
  }

  // Calibration: each fold's logits calibrated by a map fitted on the other folds' logits.
  progress("calibration");
  std::vector<double> cal_platt(n), cal_iso(n);
  for (int k = 0; k < K; ++k) {
    std::vector<double> z;
    std::vector<int> y;
    for (size_t i = 0; i < n; ++i)
      if (p.fold[i] != k) {
        z.push_back(oof_logit[i]);
        y.push_back(p.y[i]);
      }
    Calibrator cp = fit_platt(z, y), ci = fit_isotonic(z, y);
    for (size_t i = 0; i < n; ++i)
      if (p.fold[i] == k) {
        cal_platt[i] = calibrate(cp, oof_logit[i]);
        cal_iso[i] = calibrate(ci, oof_logit[i]);
      }
  }
  TrainResult out;
  CvReport& rep = out.report;
  rep.folds = K;
  rep.examples = n;
  rep.groups = p.groups.groups;
  rep.calibration.brier_platt = brier(cal_platt, p.y);
  rep.calibration.brier_isotonic = brier(cal_iso, p.y);
  rep.calibration.ece_platt = ece(cal_platt, p.y);
  rep.calibration.ece_isotonic = ece(cal_iso, p.y);
  bool iso = rep.calibration.brier_isotonic < rep.calibration.brier_platt;
  rep.calibration.chosen = iso ? "isotonic" : "platt";
  const std::vector<double>& cal = iso ? cal_iso : cal_platt;
  Model& model = out.model;
  model.kind = opt.kind;
  model.lexical_bits = opt.lexical_bits;
  model.calibrator = iso ? fit_isotonic(oof_logit, p.y) : fit_platt(oof_logit, p.y);

  double width = 0;
  for (size_t i = 0; i < n; ++i)
    width += calibrate(model.calibrator, oof_logit[i] + 1.96 * oof_spread[i]) -
             calibrate(model.calibrator, oof_logit[i] - 1.96 * oof_spread[i]);
  rep.mean_interval_width = width / n;
  rep.methods.push_back({"hrs", metrics_by_set(cal, p.y, p.source)});
  std::vector<double> lex_prob(n);
  for (size_t i = 0; i < n; ++i) lex_prob[i] = dm::sigmoid(lex_oof[i]);
  rep.methods.push_back({"hrs_bow_submodel", metrics_by_set(lex_prob, p.y, p.source)});
  rep.methods.push_back({"baseline_length", metrics_by_set(base_len, p.y, p.source)});
  rep.methods.push_back({"baseline_novel_words", metrics_by_set(base_nov, p.y, p.source)});
  rep.methods.push_back({"baseline_bag_of_words", metrics_by_set(base_bow, p.y, p.source)});
  {
    std::map<std::string_view, std::vector<uint8_t>> seen;
    std::map<std::string_view, size_t> count;
    for (size_t i = 0; i < n; ++i) {
      auto& v = seen[p.source[i]];
      if (v.empty()) v.assign(p.groups.groups, 0);
      if (!v[p.groups.group[i]]) {
        v[p.groups.group[i]] = 1;
        ++count[p.source[i]];
      }
    }
    for (auto& kv : count) rep.set_groups.emplace_back(std::string(kv.first), kv.second);
  }

  // The shipped model: bag-of-words on everything; members on everything with out-of-fold
  // bag-of-words logits (as they were trained in cross-validation).
  progress("final model");
  std::vector<uint8_t> all(n, 1);
  model.lexical = fit_lexical(p, p.lex, all, opt, &first_outer);
  // Shipped to 5 decimals (a logit moves by well under 1e-3): the weights are most of the
  // model file, and short numbers compress.
  for (double& w : model.lexical.weight) w = std::round(w * 1e5) / 1e5 + 0.0;  // + 0.0: no -0.0
  Matrix x = p.x;
  for (size_t i = 0; i < n; ++i) x.row(i)[kLexicalFeature] = lex_oof[i];
  std::vector<double> ones(n, 1.0);
  for (int b = 0; b < opt.bags; ++b) {
    std::vector<double> w = opt.bags == 1 ? ones : group_bootstrap(p, ones, opt.seed * 1000003 + K * 101 + b);
    fit_member(model, x, p.y, w, opt);
  }
  // Leaf values shipped to 1e-7 (a member's logit moves by < 1e-5): they are most of the trees' bytes.
  for (GbtModel& g : model.gbt)
    for (Tree& t : g.trees)
      for (double& v : t.value) v = std::round(v * 1e7) / 1e7 + 0.0;

  // Drift baselines and global importance (mean |contribution| on every 40th example).
  for (int f = 0; f < kModelFeatures; ++f) {
    std::vector<double> v(n);
    for (size_t i = 0; i < n; ++i) v[i] = x.row(i)[f];
    out.baseline.push_back(make_baseline(std::move(v)));
  }
  out.baseline.push_back(make_baseline(oof_logit));
  rep.importance.assign(kModelFeatures, 0);
  double m_rows = 0;
  for (size_t i = 0; i < n; i += 40) {
    ModelRow r;
    std::copy(x.row(i), x.row(i) + kModelFeatures, r.begin());
    Explanation e = explain_row(model, r);
    for (int f = 0; f < kModelFeatures; ++f) rep.importance[f] += std::abs(e.phi[f]);
    ++m_rows;
  }
  for (double& v : rep.importance) v /= m_rows;
  return out;
}

}  // namespace flk::hrs
