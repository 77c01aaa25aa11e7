#include "facade/hrs_card.h"

#include <algorithm>
#include <map>
#include <numeric>

#include "hrs/lexical.h"
#include "hrs/model.h"

namespace flk::hrs_io {
namespace {

json::Value strings(std::initializer_list<const char*> items) {
  json::Value a = json::Value::array();
  for (const char* s : items) a.push(s);
  return a;
}

}  // namespace

json::Value probe_metrics_json(const std::vector<hrs::ProbeMetrics>& probes) {
  std::map<std::string, json::Value> by;  // probe name -> {set -> metrics}
  json::Value order = json::Value::array();
  for (const auto& m : probes) {
    json::Value x = json::Value::object();
    x.set("changed", static_cast<int64_t>(m.changed)).set("auroc", m.auroc).set("auroc_original", m.auroc_original);
    x.set("shift_label0", m.shift_label0).set("shift_label1", m.shift_label1).set("wrong_side_of_half", m.flipped);
    auto it = by.find(m.probe);
    if (it == by.end()) it = by.emplace(m.probe, json::Value::object()).first;
    it->second.set(m.set, std::move(x));
  }
  json::Value o = json::Value::object();
  for (auto& kv : by) o.set(kv.first, std::move(kv.second));
  return o;
}

json::Value set_metrics_json(const std::vector<hrs::SetMetrics>& sets) {
  json::Value o = json::Value::object();
  for (const auto& s : sets) {
    json::Value m = json::Value::object();
    m.set("examples", static_cast<int64_t>(s.examples)).set("positives", static_cast<int64_t>(s.positives));
    m.set("auroc", s.auroc).set("auprc", s.auprc).set("ece", s.ece).set("brier", s.brier);
    o.set(s.set, std::move(m));
  }
  return o;
}

json::Value card_json(const hrs::CvReport& rep, const hrs::TrainOptions& opt, const std::string& data_sha256,
                      double positive_ratio) {
  json::Value card = json::Value::object();
  card.set("algorithm", opt.kind == hrs::ModelKind::Gbt ? "gbdt" : "logistic_regression");
  card.set("feature_schema", hrs::kFeatureSchemaVersion);

  json::Value data = json::Value::object();
  data.set("examples", static_cast<int64_t>(rep.examples)).set("groups", static_cast<int64_t>(rep.groups));
  data.set("positive_ratio", positive_ratio).set("dataset_sha256", data_sha256);
  json::Value groups = json::Value::object();
  for (const auto& g : rep.set_groups) groups.set(g.first, static_cast<int64_t>(g.second));
  data.set("groups_per_set", std::move(groups));
  data.set("grouping", "connected components of equal normalised question or context text");
  card.set("training_data", std::move(data));

  json::Value cfg = json::Value::object();
  cfg.set("folds", opt.folds).set("bootstrap_members", opt.bags).set("seed", static_cast<int64_t>(opt.seed));
  cfg.set("linear_l2", opt.linear_l2).set("lexical_l2", opt.lexical_l2).set("lexical_bits", opt.lexical_bits);
  cfg.set("lexical_keep", opt.lexical_keep);
  if (opt.kind == hrs::ModelKind::Gbt) {
    json::Value g = json::Value::object();
    g.set("trees", opt.gbt.trees).set("depth", opt.gbt.depth).set("learning_rate", opt.gbt.learning_rate);
    g.set("l2", opt.gbt.l2).set("min_child_weight", opt.gbt.min_child_weight).set("bins", opt.gbt.bins);
    cfg.set("gbt", std::move(g));
  }
  cfg.set("drop_form", opt.drop_form).set("balance_forms", opt.balance_forms).set("balance_labels", opt.balance_labels);
  cfg.set("synthetic", opt.synthetic);
  cfg.set("synthetic_weight", opt.synthetic_weight);
  card.set("training_config", std::move(cfg));

  json::Value form = json::Value::object();
  json::Value dropped = json::Value::array();
  for (int f = 0; f < hrs::kNumFeatures; ++f)
    if (opt.drop_form && hrs::is_form_feature(f)) dropped.push(hrs::feature_info(f).name);
  form.set("dropped_features", std::move(dropped));
  form.set("balancing_rows", static_cast<int64_t>(rep.balancing_rows));
  form.set("probes", probe_metrics_json(rep.probes));
  card.set("form", std::move(form));
  json::Value synthetic = json::Value::object();
  for (const auto& [swap, rows] : rep.synthetic_rows) synthetic.set(swap, static_cast<int64_t>(rows));
  card.set("synthetic_rows", std::move(synthetic));

  json::Value metrics = json::Value::object();
  for (const auto& m : rep.methods) metrics.set(m.method, set_metrics_json(m.sets));
  card.set("cv_metrics", std::move(metrics));
  card.set("cv_protocol",
           "grouped " + std::to_string(rep.folds) +
               "-fold cross-validation; hrs = calibrated out-of-fold probabilities (the global and per-regime maps "
               "cross-fitted on the other folds' logits; hrs_global_calibration: the global map alone); baselines = "
               "one-feature or bag-of-words logistic regressions fitted per set on the same training folds");

  json::Value cal = json::Value::object();
  cal.set("chosen", rep.calibration.chosen);
  cal.set("brier_platt", rep.calibration.brier_platt).set("brier_isotonic", rep.calibration.brier_isotonic);
  cal.set("ece_platt", rep.calibration.ece_platt).set("ece_isotonic", rep.calibration.ece_isotonic);
  json::Value per_regime = json::Value::object();
  for (const hrs::RegimeCalibrationFit& f : rep.regime_calibration) {
    json::Value o = json::Value::object();
    o.set("examples", static_cast<int64_t>(f.examples)).set("positives", static_cast<int64_t>(f.positives));
    o.set("chosen", f.choice.chosen).set("kept", f.kept);
    o.set("brier_global", f.brier_global).set("brier_regime", f.brier_regime);
    o.set("ece_global", f.ece_global).set("ece_regime", f.ece_regime);
    o.set("probe_rewrites", static_cast<int64_t>(f.rewrites));
    o.set("wrong_side_global", f.wrong_side_global).set("wrong_side_regime", f.wrong_side_regime);
    per_regime.set(hrs::regime_name(f.regime), std::move(o));
  }
  cal.set("per_regime", std::move(per_regime));
  cal.set("per_regime_rule", "a regime (task; question: none, asking or instructing; context given) with at least " +
                                 std::to_string(hrs::kRegimeFloor) +
                                 " examples of each label in every fold's fitting part gets its own map (Platt or "
                                 "isotonic by cross-fitted Brier) and keeps it where its cross-fitted Brier score "
                                 "beats the global map's on that regime, the share of the regime's form-probe rewrites "
                                 "that cross 0.5 the wrong way grows by at most half a percentage point and the map "
                                 "does not decrease");
  card.set("calibration", std::move(cal));

  json::Value interval = json::Value::object();
  interval.set("method",
               "95% interval = calibrate(mean logit -/+ 1.96 x standard deviation of the bootstrap members' logits); "
               "members are fitted on group-bootstrap resamples, so the interval reflects how much the score "
               "depends on the training sample, not label noise; plus, in quadrature, a grounding term per regime "
               "(no context / context) fitted on out-of-fold logits so that the interval reaches the label's side of "
               "0.5 for 95% of that regime's examples");
  interval.set("mean_width_cv", rep.mean_interval_width);
  json::Value grounding = json::Value::object();
  const char* regimes[2] = {"no_context", "context"};
  for (int k = 0; k < 2; ++k) {
    const hrs::GroundingFit& g = rep.grounding;
    json::Value o = json::Value::object();
    o.set("examples", static_cast<int64_t>(g.examples[k])).set("grounding_sd", g.sd[k]);
    o.set("coverage_cv_member_spread_only", g.coverage_before[k]).set("coverage_cv", g.coverage_after[k]);
    o.set("mean_width_cv_member_spread_only", g.width_before[k]).set("mean_width_cv", g.width_after[k]);
    grounding.set(regimes[k], std::move(o));
  }
  interval.set("grounding", std::move(grounding));
  card.set("interval", std::move(interval));

  std::vector<int> order(hrs::kModelFeatures);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return rep.importance[a] > rep.importance[b]; });
  json::Value imp = json::Value::array();
  for (int f : order) {
    json::Value e = json::Value::object();
    e.set("feature", hrs::model_feature_name(f)).set("mean_abs_contribution", rep.importance[f]);
    imp.push(std::move(e));
  }
  card.set("feature_importance", std::move(imp));
  card.set("explainability_methods",
           strings({opt.kind == hrs::ModelKind::Gbt ? "tree_shap" : "exact_linear_contributions"}));

  card.set("intended_use",
           "Ranking and flagging LLM answers for review by their risk of being unsupported by the given context "
           "or wrong, from text alone (question, context, answer), in the browser, at the edge or on a server.");
  card.set("use_cases", strings({"triage of answers for human review", "routing risky answers to stronger "
                                  "verification", "monitoring hallucination rates over time"}));
  card.set("non_use_cases", strings({"sole arbiter of factual truth", "decisions about people",
                                      "languages other than English"}));
  card.set("limitations",
           strings({"Lexical features only: no world knowledge. Without a context the score rests on the answer's "
                    "content words alone and is close to chance on closed-book QA (HaluEval QA samples).",
                    "Answer form is not an input (form features dropped, forms balanced in training, copy shares "
                    "over content tokens), but a correct sentence cut to its span still rises on closed-book QA, "
                    "where the cut drops content words the bag of words weighs (see form.probes).",
                    "Synthetic rows (context sentences kept, or with one entity, number, month, negation, antonym or "
                    "pronoun swapped; synthetic_rows) are trained on at training_config.synthetic_weight: they teach "
                    "a copied sentence with a swapped fact, which the benchmarks rarely show.",
                    "Trained on six English benchmarks; copying on BEGIN and hedging on TruthfulQA remain "
                    "learnable shortcuts.",
                    "SummEdits-style edits (one changed word in a faithful summary) are weakly separated.",
                    "The interval is the bootstrap members' spread plus a grounding term per regime (no context / "
                    "context) fitted for 95% coverage of the label's side of 0.5 on held-out folds of the training "
                    "data (interval.grounding); on other data its coverage is not guaranteed.",
                    "WordNet antonyms and synonyms are matched by surface word, not by sense.",
                    "No token log-probabilities or embeddings in the training data: those feature groups are "
                    "computed and reported but carry no weight in this model.",
                    "Calibration is per regime (task; question: none, asking or instructing; context given), not per "
                    "benchmark: sets that share a regime (closed-book questions: TruthfulQA, HaluEval QA samples) "
                    "share one map, and with each set's labels weighted to its regime's base rate in training "
                    "(training_config.balance_labels) no score carries a set's base rate, so their calibration "
                    "error grows where their base rates differ."}));
  return card;
}

}  // namespace flk::hrs_io
