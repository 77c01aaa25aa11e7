#include "hrs/train.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "hrs/calibration_fit.h"
#include "hrs/forms.h"
#include "hrs/groups.h"
#include "hrs/lexical.h"
#include "hrs/metrics.h"
#include "hrs/text_hash.h"
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

// Rows: the n examples first, then the balancing and synthetic rows (trained on, never scored
// for metrics), then the probe rows (scored, never trained on). Derived rows share their
// origin's fold.
enum Role : int { kReal = 0, kBalance = 1, kSynthetic = 2, kProbeBase = 3 };

struct Prepared {
  size_t n = 0;                   // examples
  std::vector<int> role;          // per row
  std::vector<uint32_t> origin;   // per row: the example it derives from
  Matrix x;  // rows × kModelFeatures: every feature as computed; the lexical column is 0
  std::vector<uint32_t> regime;   // per row: lexical_regime of its features
  std::vector<Buckets> lex, lex_plain;  // with regime; plain bag of words (baseline)
  std::vector<double> novelty, length;  // baselines' inputs (length: answer_tokens_log)
  std::vector<int> y;
  std::vector<std::string_view> source;
  std::vector<uint32_t> set_id;
  std::vector<std::string> sets;
  Grouping groups;
  std::vector<int> fold;
};

// The derived answers: balancing rows, synthetic rows, then every probe's rewrites.
struct Derived {
  std::vector<std::string> answer;
  std::vector<uint32_t> origin;
  std::vector<int> role;
  std::vector<int> label;  // -1: the origin's
  std::vector<Swap> swap;
};

Derived derive(const std::vector<Example>& data, const TrainOptions& opt) {
  Derived d;
  auto add = [&](std::string a, size_t i, int role, int label = -1, Swap swap = Swap::None) {
    if (a.empty() || a == data[i].answer) return;
    d.answer.push_back(std::move(a));
    d.origin.push_back(static_cast<uint32_t>(i));
    d.role.push_back(role);
    d.label.push_back(label);
    d.swap.push_back(swap);
  };
  if (opt.balance_forms)
    for (size_t i = 0; i < data.size(); ++i) add(balancing_answer(form_input(data[i])), i, kBalance);
  if (opt.synthetic)
    for (size_t i = 0; i < data.size(); ++i) {
      if (data[i].task == Task::Dialogue) continue;
      SyntheticAnswer s;
      uint64_t h = fnv1a(data[i].context) ^ (opt.seed * 0x9E3779B97F4A7C15ull);
      if (synthetic_answer(data[i].context, h ^ (h >> 29), s)) add(std::move(s.answer), i, kSynthetic, s.label, s.swap);
    }
  if (opt.probes)
    for (int pr = 0; pr < kProbes; ++pr)
      for (size_t i = 0; i < data.size(); ++i)
        add(probe_answer(static_cast<Probe>(pr), form_input(data[i])), i, kProbeBase + pr);
  return d;
}

Prepared prepare(const std::vector<Example>& data, const Derived& d, const TrainOptions& opt) {
  Prepared p;
  const size_t n = data.size(), rows = n + d.answer.size();
  p.n = n;
  p.x.rows = rows;
  p.x.cols = kModelFeatures;
  p.x.v.assign(rows * kModelFeatures, 0);
  p.lex.resize(rows);
  p.lex_plain.resize(n);
  p.novelty.resize(n);
  p.length.resize(n);
  std::map<std::string_view, uint32_t> set_index;
  std::vector<std::string_view> qs(n), cs(n);
  for (size_t r = 0; r < rows; ++r) {
    const uint32_t o = r < n ? static_cast<uint32_t>(r) : d.origin[r - n];
    const Example& e = data[o];
    p.role.push_back(r < n ? kReal : d.role[r - n]);
    p.origin.push_back(o);
    FeatureInput in;
    in.question = e.question;
    in.context = e.context;
    in.answer = r < n ? e.answer : std::string_view(d.answer[r - n]);
    in.task = e.task;
    std::vector<Token> tok;
    Features f = compute_features(in, &tok);
    for (int k = 0; k < kNumFeatures; ++k) p.x.row(r)[k] = f.x[k];
    p.regime.push_back(lexical_regime(f.x.data()));
    p.lex[r] = lexical_buckets(tok, opt.lexical_bits, p.regime[r], Words::Content);
    p.y.push_back(r < n || d.label[r - n] < 0 ? e.label : d.label[r - n]);
    if (r >= n) continue;
    p.lex_plain[r] = lexical_buckets(tok, opt.lexical_bits, 0);
    p.novelty[r] = novel_word_share(tok, e.question, e.context);
    p.length[r] = f.x[kAnsTokens];
    p.source.push_back(e.source);
    auto it = set_index.emplace(e.source, static_cast<uint32_t>(set_index.size())).first;
    p.set_id.push_back(it->second);
    qs[r] = e.question;
    cs[r] = e.context;
  }
  p.sets.resize(set_index.size());
  for (auto& kv : set_index) p.sets[kv.second] = std::string(kv.first);
  p.groups = group_examples(qs, cs);
  p.fold = assign_folds(p.groups, p.set_id, opt.folds, opt.seed);
  for (size_t r = n; r < rows; ++r) p.fold.push_back(p.fold[p.origin[r]]);
  return p;
}

// The members' inputs: the features with the form features held at 0 (TrainOptions::drop_form),
// so no tree splits on them; the lexical column is filled per use.
Matrix member_inputs(const Prepared& p, const TrainOptions& opt) {
  Matrix x = p.x;
  if (opt.drop_form)
    for (size_t r = 0; r < x.rows; ++r)
      for (int k = 0; k < kNumFeatures; ++k)
        if (is_form_feature(k)) x.row(r)[k] = 0;
  return x;
}

// Bootstrap over the groups of the rows with w > 0: every group is drawn with replacement as
// many times as there are such groups; a row's weight is its group's draw count times its own.
std::vector<double> group_bootstrap(const Prepared& p, const std::vector<double>& in_train, uint64_t seed) {
  std::vector<uint32_t> present;
  std::vector<uint8_t> mark(p.groups.groups, 0);
  for (size_t i = 0; i < in_train.size(); ++i)
    if (in_train[i] > 0 && !mark[p.groups.group[p.origin[i]]]) {
      mark[p.groups.group[p.origin[i]]] = 1;
      present.push_back(p.groups.group[p.origin[i]]);
    }
  std::sort(present.begin(), present.end());
  std::vector<double> draws(p.groups.groups, 0);
  uint64_t s = seed;
  for (size_t k = 0; k < present.size(); ++k) draws[present[splitmix64(s) % present.size()]] += 1;
  std::vector<double> w(in_train.size(), 0);
  for (size_t i = 0; i < w.size(); ++i)
    if (in_train[i] > 0) w[i] = in_train[i] * draws[p.groups.group[p.origin[i]]];
  return w;
}

// TrainOptions::balance_labels: row weights scaled so that, within each regime (lexical_regime),
// every set has the regime's rate of label 1 (rates from the `use` rows of real examples; a
// derived row counts as its origin). A regime of one set is left as it is.
void balance_labels(const Prepared& p, const std::vector<uint8_t>& use, std::vector<double>& w) {
  const size_t n = p.set_id.size(), cells = p.sets.size() * (kRegimes + 1);
  const std::vector<uint32_t>& regime = p.regime;
  std::vector<double> pos(cells, 0), all(cells, 0), rpos(kRegimes + 1, 0), rall(kRegimes + 1, 0);
  auto cell = [&](size_t i) { return p.set_id[i] * (kRegimes + 1) + regime[i]; };
  for (size_t i = 0; i < n; ++i) {
    if (!use[i]) continue;
    all[cell(i)] += 1;
    pos[cell(i)] += p.y[i] != 0;
    rall[regime[i]] += 1;
    rpos[regime[i]] += p.y[i] != 0;
  }
  for (size_t i = 0; i < w.size(); ++i) {
    const size_t o = p.origin[i], c = cell(o);
    if (w[i] == 0 || pos[c] == 0 || pos[c] == all[c]) continue;
    const double rate = pos[c] / all[c], target = rpos[regime[o]] / rall[regime[o]];
    w[i] *= p.y[i] ? target / rate : (1 - target) / (1 - rate);
  }
}

// The members' weight of each row in `use`: 1, and TrainOptions::synthetic_weight for synthetic
// rows (they teach copied sentences with a swapped fact, which the benchmarks rarely show, and
// at full weight cost BEGIN what they gain elsewhere: docs/hrs.md, "Paraphrase and copied facts").
std::vector<double> member_weights(const Prepared& p, const std::vector<uint8_t>& use, const TrainOptions& opt) {
  std::vector<double> w(use.begin(), use.end());
  for (size_t i = 0; i < w.size(); ++i)
    if (p.role[i] == kSynthetic) w[i] *= opt.synthetic_weight;
  if (opt.balance_labels) balance_labels(p, use, w);
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

// balance: TrainOptions::balance_labels applies (the sub-model; not the per-set baseline).
SparseLinearModel fit_lexical(const Prepared& p, const std::vector<Buckets>& lex, const std::vector<uint8_t>& use,
                              const TrainOptions& opt, const SparseLinearModel* start, bool balance = false) {
  std::vector<double> weight(use.begin(), use.end());
  if (balance && opt.balance_labels) balance_labels(p, use, weight);
  std::vector<const Buckets*> xs;
  std::vector<int> ys;
  std::vector<double> w;
  for (size_t i = 0; i < use.size(); ++i)
    if (use[i]) {
      xs.push_back(&lex[i]);
      ys.push_back(p.y[i]);
      w.push_back(weight[i]);
    }
  return fit_sparse_logistic(xs, size_t{1} << opt.lexical_bits, ys, w, opt.lexical_l2, start);
}

// The HRS sub-model: fitted on every bucket, then (TrainOptions::lexical_keep) refitted on the
// buckets of largest |weight| only, the others held at 0.
SparseLinearModel fit_submodel(const Prepared& p, const std::vector<uint8_t>& use, const TrainOptions& opt,
                               const SparseLinearModel* start) {
  const size_t buckets = size_t{1} << opt.lexical_bits;
  if (opt.lexical_keep <= 0 || static_cast<size_t>(opt.lexical_keep) >= buckets)
    return fit_lexical(p, p.lex, use, opt, start, true);
  SparseLinearModel full = fit_lexical(p, p.lex, use, opt, nullptr, true);
  std::vector<uint32_t> order(buckets);
  for (uint32_t k = 0; k < buckets; ++k) order[k] = k;
  auto larger = [&](uint32_t a, uint32_t b) {  // ties by bucket: deterministic
    double wa = std::abs(full.weight[a]), wb = std::abs(full.weight[b]);
    return wa != wb ? wa > wb : a < b;
  };
  std::nth_element(order.begin(), order.begin() + opt.lexical_keep, order.end(), larger);
  std::vector<uint8_t> kept(buckets, 0);
  for (int k = 0; k < opt.lexical_keep; ++k) kept[order[k]] = 1;
  std::vector<Buckets> pruned(p.lex.size());
  for (size_t i = 0; i < use.size(); ++i)
    if (use[i])
      for (uint32_t b : p.lex[i])
        if (kept[b]) pruned[i].push_back(b);
  SparseLinearModel m = fit_lexical(p, pruned, use, opt, &full, true);
  for (size_t k = 0; k < buckets; ++k)
    if (!kept[k]) m.weight[k] = 0;
  return m;
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


FormInput form_input(const Example& e) {
  FormInput f;
  f.question = e.question;
  f.context = e.context;
  f.answer = e.answer;
  f.qa = e.task == Task::Qa || e.task == Task::Unknown;
  f.label = e.label;
  return f;
}

std::vector<ProbeMetrics> probe_metrics(const std::vector<double>& prob, const std::vector<int>& label,
                                        const std::vector<std::string_view>& source,
                                        const std::vector<ProbeScore>& rewrites) {
  std::vector<ProbeMetrics> out;
  std::map<std::string_view, std::vector<size_t>> by;
  for (size_t i = 0; i < prob.size(); ++i) by[source[i]].push_back(i);
  for (int pr = 0; pr < kProbes; ++pr)
    for (const auto& set : by) {
      std::vector<double> swapped(prob);
      ProbeMetrics m;
      m.probe = probe_name(static_cast<Probe>(pr));
      m.set = std::string(set.first);
      double shift[2] = {0, 0}, count[2] = {0, 0};
      for (const ProbeScore& r : rewrites) {
        if (r.probe != pr || source[r.origin] != set.first) continue;
        swapped[r.origin] = r.prob;
        ++m.changed;
        int y = label[r.origin] != 0;
        double before = prob[r.origin];
        shift[y] += r.prob - before;
        count[y] += 1;
        m.flipped += y ? (before >= 0.5 && r.prob < 0.5) : (before < 0.5 && r.prob >= 0.5);
      }
      if (m.changed == 0) continue;
      std::vector<double> a, b;
      std::vector<int> y;
      for (size_t i : set.second) {
        a.push_back(swapped[i]);
        b.push_back(prob[i]);
        y.push_back(label[i]);
      }
      m.auroc = auroc(a, y);
      m.auroc_original = auroc(b, y);
      m.shift_label0 = count[0] > 0 ? shift[0] / count[0] : 0;
      m.shift_label1 = count[1] > 0 ? shift[1] / count[1] : 0;
      m.flipped /= static_cast<double>(m.changed);
      out.push_back(m);
    }
  return out;
}

Result<TrainResult> train_model(const std::vector<Example>& data, const TrainOptions& opt) {
  if (data.size() < 20) return make_error("out_of_range", "training needs at least 20 examples", "$.examples");
  size_t pos = 0;
  for (const Example& e : data) pos += e.label != 0;
  if (pos == 0 || pos == data.size())
    return make_error("out_of_range", "training needs examples of both labels", "$.examples");
  Derived derived = derive(data, opt);
  progress("features for " + std::to_string(data.size()) + " examples and " + std::to_string(derived.answer.size()) +
           " rewrites");
  Prepared p = prepare(data, derived, opt);
  const size_t n = data.size(), rows = p.role.size();
  const int K = opt.folds;
  for (int k = 0; k < K; ++k)
    if (std::find(p.fold.begin(), p.fold.begin() + n, k) == p.fold.begin() + n)
      return make_error("out_of_range", "fewer groups than folds: fold " + std::to_string(k) + " is empty",
                        "$.examples");
  progress(std::to_string(p.groups.groups) + " groups in " + std::to_string(K) + " folds");
  auto trains = [&](size_t r) { return p.role[r] < kProbeBase; };
  // The bag of words does not learn from synthetic rows: a swapped word says nothing about
  // which words mark hallucinations.
  auto trains_lexical = [&](size_t r) { return p.role[r] < kSynthetic; };

  SparseLinearModel first_outer;
  std::vector<double> oof_logit(rows), oof_spread(rows), lex_oof(rows), base_len(n), base_nov(n), base_bow(n);
  for (int k = 0; k < K; ++k) {
    progress("fold " + std::to_string(k + 1) + "/" + std::to_string(K));
    std::vector<uint8_t> train(rows), test(rows), train_lexical(rows);
    for (size_t i = 0; i < rows; ++i) {
      train[i] = p.fold[i] != k && trains(i);
      train_lexical[i] = p.fold[i] != k && trains_lexical(i);
      test[i] = p.fold[i] == k;
    }
    // Bag-of-words logits: out-of-fold inside the training folds, from all of them on the test fold.
    // (The inner fits start from the outer one: same optimum up to one fold, fewer iterations.)
    Matrix x = member_inputs(p, opt);
    SparseLinearModel lm = fit_submodel(p, train_lexical, opt, nullptr);
    for (size_t i = 0; i < rows; ++i)
      if (test[i]) x.row(i)[kLexicalFeature] = lex_oof[i] = sparse_logit(lm, p.lex[i]);
    for (int j = 0; j < K; ++j) {
      if (j == k) continue;
      std::vector<uint8_t> use(rows);
      for (size_t i = 0; i < rows; ++i) use[i] = p.fold[i] != k && p.fold[i] != j && trains_lexical(i);
      SparseLinearModel inner = fit_submodel(p, use, opt, &lm);
      for (size_t i = 0; i < rows; ++i)
        if (p.fold[i] == j && trains(i)) x.row(i)[kLexicalFeature] = sparse_logit(inner, p.lex[i]);
    }
    if (k == 0) first_outer = lm;

    Model m;
    m.kind = opt.kind;
    std::vector<double> in_train = member_weights(p, train, opt);
    for (int b = 0; b < opt.bags; ++b) {
      std::vector<double> w = opt.bags == 1 ? in_train : group_bootstrap(p, in_train, opt.seed * 1000003 + k * 101 + b);
      fit_member(m, x, p.y, w, opt);
    }
    for (size_t i = 0; i < rows; ++i)
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
      bool any_train = false, any_test = false;
      for (size_t i = 0; i < n; ++i) {
        tr[i] = train[i] && p.set_id[i] == s;
        te[i] = test[i] && p.set_id[i] == s;
        any_train = any_train || tr[i];
        any_test = any_test || te[i];
      }
      if (!any_test) continue;
      // A set with no training rows in this fold (a set of one group) has nothing to fit: its
      // baselines say 0.5 rather than fit on nothing (which divided by zero).
      if (!any_train) {
        for (size_t i = 0; i < n; ++i)
          if (te[i]) base_len[i] = base_nov[i] = base_bow[i] = 0.5;
        continue;
      }
      one_feature_baseline(p.length, p, tr, te, base_len);
      one_feature_baseline(p.novelty, p, tr, te, base_nov);
      SparseLinearModel bow = fit_lexical(p, p.lex_plain, tr, opt, nullptr);
      for (size_t i = 0; i < n; ++i)
        if (te[i]) base_bow[i] = dm::sigmoid(sparse_logit(bow, p.lex_plain[i]));
    }
  }

  // Calibration (calibration_fit.h): probe rows are calibrated by their fold's maps too.
  progress("calibration");
  const std::vector<uint32_t>& regime = p.regime;
  std::vector<uint8_t> fits(rows), scored(rows);
  for (size_t i = 0; i < rows; ++i) {
    fits[i] = p.role[i] == kReal;
    scored[i] = p.role[i] == kReal || p.role[i] >= kProbeBase;
  }
  CalibrationFit calib = fit_calibration(oof_logit, p.y, p.fold, regime, fits, scored, p.origin, K);
  std::vector<double> oof_real(oof_logit.begin(), oof_logit.begin() + n);
  std::vector<int> y_real(p.y.begin(), p.y.begin() + n);
  TrainResult out;
  CvReport& rep = out.report;
  rep.folds = K;
  rep.examples = n;
  rep.groups = p.groups.groups;
  for (size_t i = n; i < rows; ++i) rep.balancing_rows += p.role[i] == kBalance;
  {
    std::map<std::string, size_t> swaps;
    for (size_t i = n; i < rows; ++i)
      if (p.role[i] == kSynthetic) ++swaps[swap_name(derived.swap[i - n])];
    rep.synthetic_rows.assign(swaps.begin(), swaps.end());
  }
  rep.calibration = calib.choice;
  rep.regime_calibration = calib.regimes;
  const std::vector<double> cal(calib.prob.begin(), calib.prob.begin() + n);
  Model& model = out.model;
  model.kind = opt.kind;
  model.lexical_bits = opt.lexical_bits;
  model.calibrator = calib.global;
  model.regime_calibrators = calib.by_regime;

  {
    std::vector<uint8_t> grounded(n);
    std::vector<const Calibrator*> maps(n);
    for (size_t i = 0; i < n; ++i) {
      grounded[i] = p.x.row(i)[kHasContext] > 0;
      maps[i] = &calibrator_for(model.calibrator, model.regime_calibrators, regime[i]);
    }
    std::vector<double> spread(oof_spread.begin(), oof_spread.begin() + n);
    std::vector<int> fold(p.fold.begin(), p.fold.begin() + n);
    rep.grounding = fit_grounding(maps, oof_real, spread, y_real, grounded, fold, K);
    model.grounding_sd = rep.grounding.sd;
    double width = 0;
    for (size_t i = 0; i < n; ++i) {
      double h = interval_half_width(oof_spread[i], model.grounding_sd[grounded[i]]);
      width += calibrate(*maps[i], oof_logit[i] + h) - calibrate(*maps[i], oof_logit[i] - h);
    }
    rep.mean_interval_width = width / n;
  }
  rep.methods.push_back({"hrs", metrics_by_set(cal, y_real, p.source)});
  const std::vector<double> cal_global(calib.prob_global.begin(), calib.prob_global.begin() + n);
  rep.methods.push_back({"hrs_global_calibration", metrics_by_set(cal_global, y_real, p.source)});
  out.oof_probability = cal;
  out.fold.assign(p.fold.begin(), p.fold.begin() + n);
  {
    std::vector<ProbeScore> rewrites;
    for (size_t i = n; i < rows; ++i)
      if (p.role[i] >= kProbeBase) rewrites.push_back({p.origin[i], p.role[i] - kProbeBase, calib.prob[i]});
    rep.probes = probe_metrics(cal, y_real, p.source, rewrites);
  }
  std::vector<double> lex_prob(n);
  for (size_t i = 0; i < n; ++i) lex_prob[i] = dm::sigmoid(lex_oof[i]);
  rep.methods.push_back({"hrs_bow_submodel", metrics_by_set(lex_prob, y_real, p.source)});
  rep.methods.push_back({"baseline_length", metrics_by_set(base_len, y_real, p.source)});
  rep.methods.push_back({"baseline_novel_words", metrics_by_set(base_nov, y_real, p.source)});
  rep.methods.push_back({"baseline_bag_of_words", metrics_by_set(base_bow, y_real, p.source)});
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
  std::vector<uint8_t> all(rows), all_lexical(rows);
  for (size_t i = 0; i < rows; ++i) {
    all[i] = trains(i);
    all_lexical[i] = trains_lexical(i);
  }
  model.lexical = fit_submodel(p, all_lexical, opt, &first_outer);
  // Shipped to 4 decimals (a logit moves by a few 1e-3 at most): the weights are most of the
  // model file, and short numbers compress.
  for (double& w : model.lexical.weight) w = std::round(w * 1e4) / 1e4 + 0.0;  // + 0.0: no -0.0
  Matrix x = member_inputs(p, opt);
  for (size_t i = 0; i < rows; ++i) x.row(i)[kLexicalFeature] = lex_oof[i];
  std::vector<double> weights = member_weights(p, all, opt);
  for (int b = 0; b < opt.bags; ++b) {
    std::vector<double> w = opt.bags == 1 ? weights : group_bootstrap(p, weights, opt.seed * 1000003 + K * 101 + b);
    fit_member(model, x, p.y, w, opt);
  }
  // Leaf values shipped to 1e-7 (a member's logit moves by < 1e-5): they are most of the trees' bytes.
  // Covers (sums of row weights, TreeSHAP's) to 1e-3: synthetic rows' fractional weights leave
  // float noise in their last digits (33354.80000000114), which does not compress.
  for (GbtModel& g : model.gbt)
    for (Tree& t : g.trees) {
      for (double& v : t.value) v = std::round(v * 1e7) / 1e7 + 0.0;
      for (double& c : t.cover) c = std::round(c * 1e3) / 1e3 + 0.0;
    }

  // Drift baselines (of the features as requests will show them, form features included) and
  // global importance (mean |contribution| on every 40th example).
  for (int f = 0; f < kModelFeatures; ++f) {
    std::vector<double> v(n);
    for (size_t i = 0; i < n; ++i) v[i] = f == kLexicalFeature ? x.row(i)[f] : p.x.row(i)[f];
    out.baseline.push_back(make_baseline(std::move(v)));
  }
  out.baseline.push_back(make_baseline(oof_real));
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
