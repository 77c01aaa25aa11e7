// Hallucination Risk Scorer ops: features, score (probability, 95 % interval, band, reasons),
// explain, train, eval, model registry, A/B routing and drift checks. docs/hrs.md describes
// the features, models and metrics.
#include <algorithm>
#include <array>
#include <cmath>

#include "crypto/hash.h"
#include "facade/hrs_card.h"
#include "facade/hrs_drift_json.h"
#include "facade/hrs_input.h"
#include "facade/hrs_registry.h"
#include "facade/hrs_train_work.h"
#include "facade/registry.h"
#include "hrs/lbfgs.h"
#include "hrs/lexical.h"
#include "hrs/metrics.h"
#include "hrs/router.h"
#include "json/fields.h"
#include "json/write.h"
#include "util/work_budget.h"

namespace flk {
namespace {

using hrs_io::LoadedModel;
using ModelPtr = std::shared_ptr<const LoadedModel>;

constexpr int kMaxReasons = hrs::kModelFeatures;

json::Value group_list(uint8_t mask) {
  json::Value a = json::Value::array();
  for (hrs::FeatureGroup g : {hrs::kGroupAnswer, hrs::kGroupQuestion, hrs::kGroupContext, hrs::kGroupLogprobs,
                              hrs::kGroupEmbeddings})
    if (mask & g) a.push(hrs::group_name(g));
  return a;
}

// Model for a request: model_id, else the A/B experiment's arm for route_key, else the default.
Result<ModelPtr> resolve_model(Engine& e, json::ObjectReader& r, std::string* arm) {
  FLK_ASSIGN(auto id, r.opt_string("model_id", 64));
  FLK_ASSIGN(auto key, r.opt_string("route_key", 1024));
  if (id && key)
    return make_error("conflicting_fields", "give model_id or route_key, not both", r.path_of("route_key"));
  if (id) return hrs_io::find_model(e, *id, r.path_of("model_id"));
  if (key) {
    hrs_io::Registry& reg = hrs_io::registry(e);
    if (!reg.experiment)
      return make_error("not_found", "route_key given but no experiment is set (hrs.ab_set)", r.path_of("route_key"));
    bool treat = hrs::route_to_treatment(*key, reg.experiment->traffic_split);
    if (arm) *arm = treat ? "treatment" : "control";
    return hrs_io::find_model(e, treat ? reg.experiment->treatment : reg.experiment->control,
                              r.path_of("route_key"));
  }
  return hrs_io::default_model(e);
}

struct Scored {
  hrs::Features features;
  hrs::ModelRow row;
  hrs::Score score;
};

Scored score_request(const LoadedModel& m, const hrs_io::Request& req) {
  Scored s;
  std::vector<hrs::Token> tok;
  s.features = hrs::compute_features(req.input, &tok);
  s.row = hrs::model_row(s.features, hrs::lexical_logit(m.model, s.features, tok));
  s.score = hrs::score_row(m.model, s.row);
  return s;
}

const char* band(double p) { return p < 0.3 ? "low" : (p < 0.7 ? "medium" : "high"); }

// The `top` largest contributions by magnitude, ties in feature order (a stable sort's order).
json::Value contributions(const hrs::Explanation& e, const hrs::ModelRow& row, int top) {
  std::array<bool, hrs::kModelFeatures> taken{};
  json::Value a = json::Value::array();
  for (int k = 0; k < top && k < hrs::kModelFeatures; ++k) {
    int f = -1;
    for (int i = 0; i < hrs::kModelFeatures; ++i)
      if (!taken[i] && (f < 0 || std::abs(e.phi[i]) > std::abs(e.phi[f]))) f = i;
    taken[f] = true;
    json::Value o = json::Value::object();
    o.set("feature", hrs::model_feature_name(f)).set("contribution", e.phi[f]).set("value", row[f]);
    a.push(std::move(o));
  }
  return a;
}

json::Value groups_json(const LoadedModel& m, uint8_t given) {
  uint8_t uses = m.groups_used;
  json::Value g = json::Value::object();
  g.set("used", group_list(given & uses));
  g.set("missing", group_list(uses & ~given));
  g.set("ignored", group_list(given & ~uses));
  return g;
}

Result<json::Value> op_features(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  hrs_io::Request req;
  FLK_TRY(hrs_io::read_request(r, req));
  FLK_TRY(r.finish());
  hrs::Features f = hrs::compute_features(req.input);
  json::Value x = json::Value::object();
  for (int k = 0; k < hrs::kNumFeatures; ++k) x.set(hrs::feature_info(k).name, f.x[k]);
  json::Value out = json::Value::object();
  out.set("features", std::move(x)).set("groups", group_list(f.groups)).set("schema", hrs::kFeatureSchemaVersion);
  return out;
}

Result<json::Value> op_score(Engine& e, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  hrs_io::Request req;
  FLK_TRY(hrs_io::read_request(r, req));
  FLK_ASSIGN(auto top, r.opt_integer("reasons", 0, kMaxReasons));
  std::string arm;
  FLK_ASSIGN(ModelPtr m, resolve_model(e, r, &arm));
  FLK_TRY(r.finish());
  Scored s = score_request(*m, req);
  json::Value out = json::Value::object();
  out.set("probability", s.score.probability);
  json::Value interval = json::Value::array();
  interval.push(s.score.low).push(s.score.high);
  out.set("interval", std::move(interval));
  out.set("band", band(s.score.probability));
  out.set("logit", s.score.logit);
  out.set("model_id", m->id);
  if (!arm.empty()) out.set("arm", arm);
  int n = top ? static_cast<int>(*top) : 3;
  json::Value reasons = json::Value::array();
  if (n > 0) reasons = contributions(hrs::explain_row(m->model, s.row), s.row, n);
  out.set("reasons", std::move(reasons));
  out.set("feature_groups", groups_json(*m, s.features.groups));
  return out;
}

json::Value byte_range(uint32_t begin, uint32_t end) {
  json::Value a = json::Value::array();
  a.push(static_cast<int64_t>(begin)).push(static_cast<int64_t>(end));
  return a;
}

// Per answer sentence: how much of it the best context sentence supports, where that sentence
// is and what it contradicts (docs/hrs.md, "Sentence support").
Result<json::Value> op_support(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  hrs_io::Request req;
  FLK_TRY(hrs_io::read_request(r, req));
  FLK_TRY(r.finish());
  std::vector<hrs::Token> tok;
  std::vector<hrs::SentenceSupport> sup;
  hrs::Features f = hrs::compute_features(req.input, &tok, &sup);
  const bool grounded = (f.groups & hrs::kGroupContext) != 0;
  const uint32_t sentences = tok.empty() ? 0 : tok.back().sentence + 1;
  json::Value list = json::Value::array();
  double min_support = 1, sum = 0, counted = 0;
  for (size_t j = 0; j < sup.size(); ++j) {
    const hrs::SentenceSupport& s = sup[j];
    json::Value o = json::Value::object();
    o.set("answer", byte_range(s.begin, s.end)).set("support", s.support);
    o.set("source", s.source_end ? byte_range(s.source_begin, s.source_end) : json::Value());
    json::Value mm = json::Value::array();
    if (s.mismatch & hrs::kMismatchNumber) mm.push("number");
    if (s.mismatch & hrs::kMismatchEntity) mm.push("entity");
    if (s.mismatch & hrs::kMismatchNegation) mm.push("negation");
    if (s.mismatch & hrs::kMismatchAntonym) mm.push("antonym");
    o.set("mismatch", std::move(mm));
    o.set("numbers_missing", static_cast<int64_t>(s.numbers - s.numbers_found));
    o.set("entities_missing", static_cast<int64_t>(s.entities - s.entities_found));
    list.push(std::move(o));
    if (s.content == 0) continue;
    min_support = std::min(min_support, s.support);
    sum += s.support;
    ++counted;
  }
  json::Value out = json::Value::object();
  out.set("grounded", grounded).set("offsets", "utf8_bytes");
  out.set("answer_sentences", static_cast<int64_t>(sentences));
  out.set("truncated", sentences > hrs::kMaxSupportSentences);
  out.set("min_support", counted > 0 ? min_support : 0).set("mean_support", counted > 0 ? sum / counted : 0);
  out.set("sentences", std::move(list));
  return out;
}

Result<json::Value> op_explain(Engine& e, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  hrs_io::Request req;
  FLK_TRY(hrs_io::read_request(r, req));
  FLK_ASSIGN(ModelPtr m, resolve_model(e, r, nullptr));
  FLK_TRY(r.finish());
  Scored s = score_request(*m, req);
  hrs::Explanation ex = hrs::explain_row(m->model, s.row);
  json::Value out = json::Value::object();
  out.set("method", m->model.kind == hrs::ModelKind::Gbt ? "tree_shap" : "exact_linear");
  out.set("logit", s.score.logit).set("reference", ex.reference).set("probability", s.score.probability);
  out.set("contributions", contributions(ex, s.row, hrs::kModelFeatures));
  out.set("model_id", m->id);
  return out;
}

std::string dataset_sha256(const std::vector<hrs::Example>& data) {
  std::string all;
  for (const auto& e : data) {
    json::Value o = json::Value::object();
    o.set("source", e.source).set("question", e.question).set("context", e.context).set("answer", e.answer);
    o.set("task", e.task == hrs::Task::Dialogue ? "dialogue"
                  : e.task == hrs::Task::Summarization ? "summarization"
                  : e.task == hrs::Task::Qa ? "qa" : "");
    o.set("label", e.label);
    all += json::to_string(o);
    all += '\n';
  }
  return crypto::sha256_hex(all);
}

Result<json::Value> op_train(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(const json::Value* ev, r.required("examples"));
  FLK_ASSIGN(auto data, hrs_io::read_examples(*ev, "$.examples"));
  hrs::TrainOptions opt;
  FLK_ASSIGN(auto kind, r.opt_string("kind", 16));
  if (kind) {
    if (*kind == "gbt") opt.kind = hrs::ModelKind::Gbt;
    else if (*kind == "logistic") opt.kind = hrs::ModelKind::Logistic;
    else return make_error("out_of_range", "$.kind must be gbt or logistic", "$.kind");
  }
  FLK_ASSIGN(auto folds, r.opt_integer("folds", 2, 10));
  FLK_ASSIGN(auto bags, r.opt_integer("bags", 1, static_cast<int64_t>(hrs_io::kMaxMembers)));
  FLK_ASSIGN(auto seed, r.opt_integer("seed", 0, INT64_MAX));
  FLK_ASSIGN(auto trees, r.opt_integer("trees", 1, 2000));
  FLK_ASSIGN(auto depth, r.opt_integer("depth", 1, 8));
  FLK_ASSIGN(auto lr, r.opt_number("learning_rate", {1e-4, 1}));
  FLK_ASSIGN(auto bits, r.opt_integer("lexical_bits", 8, 18));
  FLK_ASSIGN(auto keep, r.opt_integer("lexical_keep", 0, int64_t{1} << 18));
  FLK_ASSIGN(auto lex_l2, r.opt_number("lexical_l2", {0, 100}));
  FLK_ASSIGN(auto lin_l2, r.opt_number("linear_l2", {0, 100}));
  FLK_ASSIGN(auto drop_form, r.opt_boolean("drop_form"));
  FLK_ASSIGN(auto balance, r.opt_boolean("balance_forms"));
  FLK_ASSIGN(auto balance_labels, r.opt_boolean("balance_labels"));
  FLK_ASSIGN(auto probes, r.opt_boolean("probes"));
  FLK_ASSIGN(auto synthetic, r.opt_boolean("synthetic"));
  FLK_ASSIGN(auto synthetic_weight, r.opt_number("synthetic_weight", {1e-3, 1}));
  FLK_TRY(r.finish());
  if (synthetic) opt.synthetic = *synthetic;
  if (synthetic_weight) opt.synthetic_weight = *synthetic_weight;
  if (drop_form) opt.drop_form = *drop_form;
  if (balance) opt.balance_forms = *balance;
  if (balance_labels) opt.balance_labels = *balance_labels;
  if (probes) opt.probes = *probes;
  if (folds) opt.folds = static_cast<int>(*folds);
  if (bags) opt.bags = static_cast<int>(*bags);
  if (seed) opt.seed = static_cast<uint64_t>(*seed);
  if (trees) opt.gbt.trees = static_cast<int>(*trees);
  if (depth) opt.gbt.depth = static_cast<int>(*depth);
  if (lr) opt.gbt.learning_rate = *lr;
  if (bits) opt.lexical_bits = static_cast<int>(*bits);
  if (keep) opt.lexical_keep = static_cast<int>(*keep);
  if (lex_l2) opt.lexical_l2 = *lex_l2;
  if (lin_l2) opt.linear_l2 = *lin_l2;
  FLK_TRY(hrs_io::check_train_work(opt, data, opt.kind == hrs::ModelKind::Gbt ? "$.trees" : "$.bags"));
  FLK_ASSIGN(hrs::TrainResult t, hrs::train_model(data, opt));
  double pos = 0;
  for (const auto& x : data) pos += x.label;
  json::Value card = hrs_io::card_json(t.report, opt, dataset_sha256(data), pos / data.size());
  json::Value out = json::Value::object();
  out.set("model", hrs_io::model_json(t.model, t.baseline, std::move(card)));
  return out;
}

json::Value curve_json(const std::vector<hrs::CurvePoint>& pts) {
  json::Value a = json::Value::array();
  for (const auto& p : pts) {
    json::Value t = json::Value::array();
    t.push(p.x).push(p.y).push(p.threshold);
    a.push(std::move(t));
  }
  return a;
}

Result<json::Value> op_eval(Engine& e, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(const json::Value* ev, r.required("examples"));
  FLK_ASSIGN(auto data, hrs_io::read_examples(*ev, "$.examples"));
  FLK_ASSIGN(ModelPtr m, resolve_model(e, r, nullptr));
  FLK_ASSIGN(auto probes, r.opt_boolean("probes"));
  FLK_TRY(r.finish());
  if (data.empty()) return make_error("bad_length", "$.examples must not be empty", "$.examples");
  std::vector<double> prob;
  std::vector<int> label;
  std::vector<std::string_view> source;
  std::vector<hrs::ProbeScore> rewrites;
  for (const auto& x : data) {
    hrs_io::Request req;
    req.input.question = x.question;
    req.input.context = x.context;
    req.input.answer = x.answer;
    req.input.task = x.task;
    prob.push_back(score_request(*m, req).score.probability);
    label.push_back(x.label);
    source.push_back(x.source);
    if (!probes || !*probes) continue;
    for (int p = 0; p < hrs::kProbes; ++p) {
      std::string answer = hrs::probe_answer(static_cast<hrs::Probe>(p), hrs::form_input(x));
      if (answer.empty() || answer == x.answer) continue;
      req.input.answer = answer;
      rewrites.push_back({static_cast<uint32_t>(prob.size() - 1), p, score_request(*m, req).score.probability});
    }
  }
  json::Value sets = hrs_io::set_metrics_json(hrs::metrics_by_set(prob, label, source));
  for (auto& kv : sets.as_object()) {
    std::vector<double> p;
    std::vector<int> y;
    for (size_t i = 0; i < prob.size(); ++i)
      if (kv.first == "all" || source[i] == kv.first) {
        p.push_back(prob[i]);
        y.push_back(label[i]);
      }
    kv.second.set("roc", curve_json(hrs::roc_points(p, y))).set("pr", curve_json(hrs::pr_points(p, y)));
  }
  json::Value out = json::Value::object();
  out.set("model_id", m->id).set("sets", std::move(sets));
  if (probes && *probes) out.set("probes", hrs_io::probe_metrics_json(hrs::probe_metrics(prob, label, source, rewrites)));
  return out;
}

json::Value model_summary(const LoadedModel& m, bool is_default) {
  json::Value o = json::Value::object();
  o.set("model_id", m.id).set("kind", hrs::kind_name(m.model.kind));
  o.set("members", static_cast<int64_t>(m.model.members())).set("default", is_default);
  o.set("calibration", hrs::method_name(m.model.calibrator.method));
  json::Value by_regime = json::Value::array();
  for (const hrs::RegimeCalibrator& rc : m.model.regime_calibrators) {
    json::Value r = json::Value::object();
    r.set("regime", hrs::regime_name(rc.regime)).set("method", hrs::method_name(rc.map.method));
    by_regime.push(std::move(r));
  }
  o.set("calibration_by_regime", std::move(by_regime));
  return o;
}

Result<json::Value> op_model_load(Engine& e, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(const json::Value* mv, r.required("model"));
  FLK_TRY(r.finish());
  FLK_ASSIGN(LoadedModel m, hrs_io::load_model(*mv, "$.model"));
  FLK_TRY(hrs_io::default_model(e));
  ModelPtr p = hrs_io::add_model(e, std::move(m));
  return model_summary(*p, p->id == hrs_io::registry(e).default_id);
}

Result<json::Value> op_models(Engine& e, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_TRY(r.finish());
  FLK_TRY(hrs_io::default_model(e));
  hrs_io::Registry& reg = hrs_io::registry(e);
  json::Value list = json::Value::array();
  for (const auto& kv : reg.models) list.push(model_summary(*kv.second, kv.first == reg.default_id));
  json::Value out = json::Value::object();
  out.set("models", std::move(list)).set("default_id", reg.default_id);
  if (reg.experiment) {
    json::Value x = json::Value::object();
    x.set("control", reg.experiment->control).set("treatment", reg.experiment->treatment);
    x.set("traffic_split", reg.experiment->traffic_split);
    out.set("experiment", std::move(x));
  }
  return out;
}

Result<json::Value> op_ab_set(Engine& e, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(std::string control, r.string("control", 64));
  FLK_ASSIGN(std::string treatment, r.string("treatment", 64));
  FLK_ASSIGN(double split, r.number("traffic_split", {0, 1}));
  FLK_TRY(r.finish());
  FLK_TRY(hrs_io::find_model(e, control, "$.control"));
  FLK_TRY(hrs_io::find_model(e, treatment, "$.treatment"));
  auto x = std::make_unique<hrs_io::Experiment>();
  x->control = control;
  x->treatment = treatment;
  x->traffic_split = split;
  hrs_io::registry(e).experiment = std::move(x);
  json::Value out = json::Value::object();
  out.set("control", control).set("treatment", treatment).set("traffic_split", split);
  return out;
}

Result<json::Value> op_route(Engine& e, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(std::string key, r.string("key", 1024));
  FLK_TRY(r.finish());
  hrs_io::Registry& reg = hrs_io::registry(e);
  if (!reg.experiment) return make_error("not_found", "no experiment is set (hrs.ab_set)", "$");
  bool treat = hrs::route_to_treatment(key, reg.experiment->traffic_split);
  json::Value out = json::Value::object();
  out.set("arm", treat ? "treatment" : "control");
  out.set("model_id", treat ? reg.experiment->treatment : reg.experiment->control);
  return out;
}

Result<json::Value> op_drift(Engine& e, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(const json::Value* ev, r.required("examples"));
  FLK_ASSIGN(ModelPtr m, resolve_model(e, r, nullptr));
  FLK_TRY(r.finish());
  if (!ev->is_array()) return json::wrong_type("$.examples", "an array", *ev);
  const auto& a = ev->as_array();
  if (a.empty() || a.size() > hrs_io::kMaxExamples)
    return make_error("bad_length", "$.examples must hold 1 to " + std::to_string(hrs_io::kMaxExamples) + " examples",
                      "$.examples");
  std::vector<std::vector<double>> cols(hrs::kModelFeatures + 1);
  std::vector<double> prob;
  std::vector<int> label;
  for (size_t i = 0; i < a.size(); ++i) {
    FLK_ASSIGN(auto er, json::ObjectReader::open(a[i], json::index_path("$.examples", i)));
    hrs_io::Request req;
    FLK_TRY(hrs_io::read_request(er, req));
    FLK_ASSIGN(auto y, er.opt_integer("label", 0, 1));
    FLK_ASSIGN(auto id, er.opt_string("id", 1024));
    FLK_ASSIGN(auto src, er.opt_string("source", 256));
    (void)id, (void)src;
    FLK_TRY(er.finish());
    Scored s = score_request(*m, req);
    for (int f = 0; f < hrs::kModelFeatures; ++f) cols[f].push_back(s.row[f]);
    cols[hrs::kModelFeatures].push_back(s.score.logit);
    if (y) {
      prob.push_back(s.score.probability);
      label.push_back(static_cast<int>(*y));
    }
  }
  if (!label.empty() && label.size() != a.size())
    return make_error("missing_field", "give a label on every example or on none", "$.examples");
  json::Value feats = json::Value::object();
  int drifted = 0;
  for (int f = 0; f <= hrs::kModelFeatures; ++f) {
    const hrs::DriftStat d = hrs::drift_stat(m->baseline[f], cols[f]);
    drifted += d.drift;
    feats.set(f < hrs::kModelFeatures ? hrs::model_feature_name(f) : "logit", hrs_io::drift_json(d));
  }
  json::Value out = json::Value::object();
  out.set("model_id", m->id).set("examples", static_cast<int64_t>(a.size()));
  out.set("features", std::move(feats)).set("drifted", drifted);
  json::Value th = json::Value::object();
  th.set("ks_alpha", hrs::kKsAlpha).set("psi_moderate", hrs::kPsiModerate).set("psi_major", hrs::kPsiMajor);
  th.set("auroc_drop", hrs::kAucDropAlert);
  out.set("thresholds", std::move(th));
  if (!label.empty()) out.set("auroc", hrs_io::auroc_drop_json(m->cv_auroc, prob, label));
  return out;
}

constexpr const char* kRequestTs =
    "question?: string; context?: string; answer: string; token_logprobs?: number[]; embeddings?: number[][]; "
    "task?: 'qa' | 'rag' | 'dialogue' | 'summarization'";
constexpr const char* kExampleTs =
    "{ id?: string; source?: string; task?: 'qa' | 'rag' | 'dialogue' | 'summarization'; question?: string; "
    "context?: string; answer: string; label: 0 | 1 }";

}  // namespace

void add_hrs_ops(std::vector<OpSpec>& t) {
  static const std::string req = std::string("{ ") + kRequestTs + " }";
  static const std::string score_in =
      std::string("{ ") + kRequestTs + "; reasons?: number; model_id?: string; route_key?: string }";
  static const std::string explain_in = std::string("{ ") + kRequestTs + "; model_id?: string; route_key?: string }";
  static const std::string drift_in = std::string("{ examples: ({ ") + kRequestTs +
                                      "; label?: 0 | 1; id?: string; source?: string })[]; model_id?: string; "
                                      "route_key?: string }";
  const char* groups_ts = "{ used: string[]; missing: string[]; ignored: string[] }";
  static const std::string score_out =
      std::string("{ probability: number; interval: [number, number]; band: 'low' | 'medium' | 'high'; logit: "
                  "number; model_id: string; arm?: 'control' | 'treatment'; reasons: { feature: string; "
                  "contribution: number; value: number }[]; feature_groups: ") +
      groups_ts + " }";
  const char* summary_ts = "{ model_id: string; kind: 'gbt' | 'logistic'; members: number; default: boolean; "
                           "calibration: 'platt' | 'isotonic'; calibration_by_regime: { regime: string; method: 'platt' | "
                           "'isotonic' }[] }";
  static const std::string models_out =
      std::string("{ models: ") + summary_ts + "[]; default_id: string; experiment?: { control: string; treatment: "
      "string; traffic_split: number } }";

  t.push_back({"hrs.features", "HRS features of one answer (numbers only) and the feature groups the input allows.",
               req.c_str(), "{ features: Record<string, number>; groups: string[]; schema: string }", op_features});
  t.push_back({"hrs.score",
               "Calibrated probability that an answer is hallucinated, with 95% interval, band, top reasons and model id.",
               score_in.c_str(), score_out.c_str(), op_score});
  t.push_back({"hrs.support",
               "Per answer sentence: support by its best context sentence (byte offsets) and the numbers, entities, "
               "negation or antonyms that sentence contradicts.",
               req.c_str(),
               "{ grounded: boolean; offsets: 'utf8_bytes'; answer_sentences: number; truncated: boolean; "
               "min_support: number; mean_support: number; sentences: { answer: [number, number]; support: number; "
               "source: [number, number] | null; mismatch: ('number' | 'entity' | 'negation' | 'antonym')[]; numbers_missing: "
               "number; entities_missing: number }[] }",
               op_support});
  t.push_back({"hrs.explain", "Every feature's contribution to the score's logit (exact linear or TreeSHAP).",
               explain_in.c_str(),
               "{ method: 'tree_shap' | 'exact_linear'; logit: number; reference: number; probability: number; "
               "contributions: { feature: string; contribution: number; value: number }[]; model_id: string }",
               op_explain});
  t.push_back({"hrs.model_load", "Verifies a model JSON (SHA-256 id, schema) and registers it by id.",
               "{ model: Record<string, unknown> }", summary_ts, op_model_load});
  t.push_back({"hrs.models", "Registered models (the embedded default first loaded on demand) and the A/B experiment.",
               "{}", models_out.c_str(), op_models});
  t.push_back({"hrs.ab_set", "Sets the A/B experiment: route_key is hashed to control or treatment by traffic_split.",
               "{ control: string; treatment: string; traffic_split: number }",
               "{ control: string; treatment: string; traffic_split: number }", op_ab_set});
  t.push_back({"hrs.route", "Which arm and model the A/B experiment gives a key (consistent hash).",
               "{ key: string }", "{ arm: 'control' | 'treatment'; model_id: string }", op_route});
  t.push_back({"hrs.drift",
               "KS and PSI drift of features and logit against the model's training baseline; AUROC drop if labelled.",
               drift_in.c_str(),
               "{ model_id: string; examples: number; drifted: number; features: Record<string, { ks: number; ks_p: "
               "number; psi: number; psi_level: 'none' | 'moderate' | 'major'; drift: boolean }>; thresholds: "
               "Record<string, number>; auroc?: { auroc: number; baseline_auroc?: number; drop?: number; alert?: "
               "boolean } }",
               op_drift});
}

void add_hrs_training_ops(std::vector<OpSpec>& t) {
  static const std::string train_in = std::string("{ examples: ") + kExampleTs +
                                      "[]; kind?: 'gbt' | 'logistic'; folds?: number; bags?: number; seed?: number; "
                                      "trees?: number; depth?: number; learning_rate?: number; lexical_bits?: number; "
                                      "lexical_keep?: number; lexical_l2?: number; linear_l2?: number; "
                                      "drop_form?: boolean; balance_forms?: boolean; balance_labels?: boolean; synthetic?: boolean; "
                                      "synthetic_weight?: number; probes?: boolean }";
  static const std::string eval_in =
      std::string("{ examples: ") + kExampleTs + "[]; model_id?: string; route_key?: string; probes?: boolean }";
  const char* metrics_ts = "{ examples: number; positives: number; auroc: number; auprc: number; ece: number; "
                           "brier: number; roc: [number, number, number][]; pr: [number, number, number][] }";
  static const std::string eval_out =
      std::string("{ model_id: string; sets: Record<string, ") + metrics_ts +
      ">; probes?: Record<string, Record<string, { changed: number; auroc: number; auroc_original: number; "
      "shift_label0: number; shift_label1: number; wrong_side_of_half: number }>> }";
  t.push_back({"hrs.train",
               "Trains an HRS model with grouped cross-validation; returns the model JSON with its id and card.",
               train_in.c_str(), "{ model: Record<string, unknown> }", op_train});
  t.push_back({"hrs.eval",
               "AUROC, AUPRC, ECE and Brier score per source set, with ROC and PR points; form probes on request.",
               eval_in.c_str(), eval_out.c_str(), op_eval});
}

}  // namespace flk
