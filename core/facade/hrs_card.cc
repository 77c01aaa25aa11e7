#include "facade/hrs_card.h"

#include <algorithm>
#include <numeric>

#include "hrs/model.h"

namespace flk::hrs_io {
namespace {

json::Value strings(std::initializer_list<const char*> items) {
  json::Value a = json::Value::array();
  for (const char* s : items) a.push(s);
  return a;
}

}  // namespace

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
  if (opt.kind == hrs::ModelKind::Gbt) {
    json::Value g = json::Value::object();
    g.set("trees", opt.gbt.trees).set("depth", opt.gbt.depth).set("learning_rate", opt.gbt.learning_rate);
    g.set("l2", opt.gbt.l2).set("min_child_weight", opt.gbt.min_child_weight).set("bins", opt.gbt.bins);
    cfg.set("gbt", std::move(g));
  }
  card.set("training_config", std::move(cfg));

  json::Value metrics = json::Value::object();
  for (const auto& m : rep.methods) metrics.set(m.method, set_metrics_json(m.sets));
  card.set("cv_metrics", std::move(metrics));
  card.set("cv_protocol",
           "grouped " + std::to_string(rep.folds) +
               "-fold cross-validation; hrs = calibrated out-of-fold probabilities (calibrator cross-fitted on the "
               "other folds' logits); baselines = one-feature or bag-of-words logistic regressions fitted per set "
               "on the same training folds");

  json::Value cal = json::Value::object();
  cal.set("chosen", rep.calibration.chosen);
  cal.set("brier_platt", rep.calibration.brier_platt).set("brier_isotonic", rep.calibration.brier_isotonic);
  cal.set("ece_platt", rep.calibration.ece_platt).set("ece_isotonic", rep.calibration.ece_isotonic);
  card.set("calibration", std::move(cal));

  json::Value interval = json::Value::object();
  interval.set("method",
               "95% interval = calibrate(mean logit -/+ 1.96 x standard deviation of the bootstrap members' logits); "
               "members are fitted on group-bootstrap resamples, so the interval reflects how much the score "
               "depends on the training sample, not label noise");
  interval.set("mean_width_cv", rep.mean_interval_width);
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
           strings({"Lexical features only: no world knowledge. Without a context the score rests on answer form "
                    "and wording, which the benchmarks reward but real traffic may not.",
                    "Trained on six English benchmarks; several carry shortcuts (answer length on HaluEval QA, "
                    "copying on BEGIN, hedging on TruthfulQA) that the model learns and that will not transfer.",
                    "SummEdits-style edits (one changed word in a faithful summary) are close to chance.",
                    "No token log-probabilities or embeddings in the training data: those feature groups are "
                    "computed and reported but carry no weight in this model.",
                    "Calibration is global: per-set calibration error is larger where base rates differ."}));
  return card;
}

}  // namespace flk::hrs_io
