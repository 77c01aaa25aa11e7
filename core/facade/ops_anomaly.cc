// Anomaly detectors on metric streams: fit a model on unlabeled rows, score rows as a stream
// (the window state travels with the call), and the windowed features on their own.
// Model and state are plain JSON, so any host can store them per tenant.
#include <cmath>
#include <limits>

#include "anomaly/detector.h"
#include "facade/anomaly_model_json.h"
#include "facade/anomaly_series_json.h"
#include "facade/anomaly_work.h"
#include "facade/model_bounds.h"
#include "facade/ops_anomaly.h"
#include "json/fields.h"

namespace flk {
namespace {

using namespace anomaly;
using anomaly_json::OrderPolicy;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int64_t kMaxSeed = INT64_C(1) << 53;
// A model of this many weights (three values each with keep_optimizer) still parses within the
// JSON value budget when it comes back in a later call.
constexpr int64_t kMaxWeights = INT64_C(1) << 20;
const json::Range kUnit{0, 1};

json::Value nullable(double x) { return std::isfinite(x) ? json::Value(x) : json::Value(); }

Result<OrderPolicy> order_of(json::ObjectReader& r) {
  FLK_ASSIGN(auto s, r.opt_string("order", 16));
  if (!s) return OrderPolicy::Strict;
  return anomaly_json::read_order(*s, r.path_of("order"));
}

Result<std::vector<double>> times_of(json::ObjectReader& r, size_t rows, OrderPolicy policy, bool has_prev,
                                     double prev) {
  const json::Value* tv = r.optional("times");
  if (!tv) return std::vector<double>();
  return anomaly_json::read_times(*tv, r.path_of("times"), rows, policy, has_prev, prev);
}

Result<std::vector<std::string>> columns_of(json::ObjectReader& r, size_t count) {
  const json::Value* cv = r.optional("columns");
  if (!cv) return anomaly_json::default_columns(count);
  return anomaly_json::read_columns(*cv, r.path_of("columns"), count);
}

Result<WindowSpec> window_of(json::ObjectReader& r, WindowSpec s) {
  FLK_ASSIGN(auto v, r.opt_boolean("values"));
  if (v) s.values = *v;
  FLK_ASSIGN(auto w, r.opt_integer("window", 0, kMaxWindow));
  if (w) s.window = static_cast<int>(*w);
  FLK_ASSIGN(auto d, r.opt_boolean("deltas"));
  if (d) s.deltas = *d;
  FLK_ASSIGN(auto rt, r.opt_boolean("rates"));
  if (rt) s.rates = *rt;
  if (features_per_column(s) == 0)
    return make_error("out_of_range", r.path_of("values") + ": with values false give a window, deltas or rates",
                      r.path_of("values"));
  return s;
}

Status need_times(json::ObjectReader& r, const WindowSpec& s, const std::vector<double>& times) {
  if (s.rates && times.empty())
    return make_error("missing_field", r.path_of("times") + " is required: the rate features need timestamps",
                      r.path_of("times"));
  return Ok{};
}

// Fields that only a fresh fit takes; with `resume` they come from the model.
const char* const kFreshOnly[] = {"detector", "seed", "values", "window", "deltas", "rates", "clip", "layers", "latent",
                                  "activation", "batch_size", "learning_rate", "beta", "trees", "sample_size",
                                  "vae_samples", "validation_fraction", "quantile", "smooth", "threshold", "block_threshold",
                                  "max_uncertainty"};

Status read_fresh_config(json::ObjectReader& r, FitConfig& cfg) {
  FLK_ASSIGN(auto det, r.opt_string("detector", 16));
  if (det && !parse_detector(*det, cfg.kind))
    return make_error("out_of_range", r.path_of("detector") + " must be \"ae\", \"vae\", \"iforest\" or \"zscore\"",
                      r.path_of("detector"));
  FLK_ASSIGN(auto seed, r.opt_integer("seed", 0, kMaxSeed));
  if (seed) cfg.net.seed = cfg.forest.seed = static_cast<uint64_t>(*seed);
  FLK_ASSIGN(cfg.window, window_of(r, cfg.window));
  if (cfg.kind == DetectorKind::RollingZ && cfg.window.window < 2)
    return make_error("out_of_range", r.path_of("window") + ": the zscore detector needs a window of at least 2",
                      r.path_of("window"));
  FLK_ASSIGN(auto clip, r.opt_number("clip", {0, 1e6}));
  if (clip) cfg.clip = *clip;
  if (const json::Value* lv = r.optional("layers")) {
    FLK_ASSIGN(auto sizes, json::read_ints(*lv, r.path_of("layers"), 8, 1, 4096));
    if (sizes.empty()) return make_error("bad_length", r.path_of("layers") + " needs at least one size", r.path_of("layers"));
    cfg.net.hidden.assign(sizes.begin(), sizes.end());
  }
  FLK_ASSIGN(auto latent, r.opt_integer("latent", 1, 4096));
  if (latent) cfg.net.latent = static_cast<int>(*latent);
  FLK_ASSIGN(auto act, r.opt_string("activation", 16));
  if (act && !parse_activation(act->c_str(), cfg.net.activation))
    return make_error("out_of_range", r.path_of("activation") + " must be \"tanh\", \"relu\" or \"linear\"",
                      r.path_of("activation"));
  FLK_ASSIGN(auto bs, r.opt_integer("batch_size", 1, 1 << 20));
  if (bs) cfg.net.batch_size = static_cast<int>(*bs);
  FLK_ASSIGN(auto lr, r.opt_number("learning_rate", {1e-12, 10}));
  if (lr) cfg.net.adam.learning_rate = *lr;
  FLK_ASSIGN(auto beta, r.opt_number("beta", {0, 1e6}));
  if (beta) cfg.net.beta = *beta;
  FLK_ASSIGN(auto trees, r.opt_integer("trees", 1, 1000));
  if (trees) cfg.forest.trees = static_cast<int>(*trees);
  FLK_ASSIGN(auto psi, r.opt_integer("sample_size", 2, 1 << 16));
  if (psi) cfg.forest.sample_size = static_cast<int>(*psi);
  FLK_ASSIGN(auto vs, r.opt_integer("vae_samples", 0, 1024));
  if (vs) cfg.vae_samples = static_cast<int>(*vs);
  FLK_ASSIGN(auto vf, r.opt_number("validation_fraction", {0, 0.9}));
  if (vf) cfg.validation_fraction = *vf;
  FLK_ASSIGN(auto sm, r.opt_integer("smooth", 1, 1000));
  if (sm) cfg.smooth = static_cast<int>(*sm);
  FLK_ASSIGN(auto qp, r.opt_number("quantile", {0.5, 1}));
  if (qp) cfg.quantile = *qp;
  FLK_ASSIGN(auto th, r.opt_number("threshold", kUnit));
  if (th) cfg.rule.threshold = *th;
  FLK_ASSIGN(auto bt, r.opt_number("block_threshold", kUnit));
  if (bt) cfg.rule.block_threshold = *bt;
  FLK_ASSIGN(auto mu, r.opt_number("max_uncertainty", kUnit));
  if (mu) cfg.rule.max_uncertainty = *mu;
  return Ok{};
}

Result<json::Value> op_fit(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(const json::Value* rv, r.required("rows"));
  FLK_ASSIGN(RowMatrix rows, anomaly_json::read_rows(*rv, r.path_of("rows"), 0, 2));
  FLK_ASSIGN(auto columns, columns_of(r, static_cast<size_t>(rows.cols())));
  FLK_ASSIGN(OrderPolicy order, order_of(r));
  FLK_ASSIGN(auto times, times_of(r, static_cast<size_t>(rows.rows()), order, false, 0));
  FLK_ASSIGN(auto keep, r.opt_boolean("keep_optimizer"));
  FitConfig cfg;
  FLK_ASSIGN(auto epochs, r.opt_integer("epochs", 0, 1000));
  if (epochs) cfg.epochs = static_cast<int>(*epochs);

  AnomalyModel resumed;
  const json::Value* resume = r.optional("resume");
  if (resume) {
    for (const char* k : kFreshOnly)
      if (in.find(k))
        return make_error("conflicting_fields", r.path_of(k) + " cannot be given with resume (the model fixes it)",
                          r.path_of(k));
    FLK_ASSIGN(resumed, anomaly_json::model_from_json(*resume, r.path_of("resume")));
    if (!is_network(resumed.kind) || !resumed.has_optimizer)
      return make_error("out_of_range",
                        "$.resume must be an ae or vae model fitted with keep_optimizer: true", "$.resume");
    if (resumed.columns != columns)
      return make_error("conflicting_fields", "$.resume was fitted on other columns", "$.columns");
    if (resumed.data_digest != data_digest(rows, times))
      return make_error("conflicting_fields", "$.resume was fitted on other rows or timestamps", "$.rows");
    cfg.quantile = resumed.quantile;
    cfg.rule = resumed.rule;
  } else {
    FLK_TRY(read_fresh_config(r, cfg));
  }
  FLK_TRY(r.finish());
  anomaly_json::DetectorShape shape;
  if (resume) {
    shape = anomaly_json::shape_of(resumed);
  } else {
    FLK_TRY(need_times(r, cfg.window, times));
    const int nf = features_per_column(cfg.window) * static_cast<int>(columns.size());
    if (nf > 4096)
      return make_error("too_large", "$: " + std::to_string(nf) + " features; the limit is 4096", "$.rows");
    if (cfg.net.hidden.empty()) cfg.net.hidden = default_hidden(cfg.kind, nf);
    if (!in.find("latent")) cfg.net.latent = default_latent(nf);
    // Bound the network (weights of the AE, or of the VAE's encoder plus decoder).
    std::vector<int> sizes{nf};
    sizes.insert(sizes.end(), cfg.net.hidden.begin(), cfg.net.hidden.end());
    sizes.push_back(cfg.kind == DetectorKind::Vae ? 2 * cfg.net.latent : nf);
    int64_t weights = 0;
    for (size_t i = 0; i + 1 < sizes.size(); ++i) weights += int64_t{sizes[i]} * sizes[i + 1];
    if (cfg.kind == DetectorKind::Vae) weights *= 2;
    if (is_network(cfg.kind) && weights > kMaxWeights)
      return make_error("too_large", "$.layers: the network would have " + std::to_string(weights) +
                                         " weights; the limit is " + std::to_string(kMaxWeights), "$.layers");
    shape.kind = cfg.kind;
    shape.weights = static_cast<uint64_t>(weights);
    shape.vae_samples = cfg.kind == DetectorKind::Vae ? static_cast<uint64_t>(cfg.vae_samples) : 0;
    shape.trees = static_cast<uint64_t>(cfg.forest.trees);
    shape.sample_size = static_cast<uint64_t>(cfg.forest.sample_size);
    shape.columns = columns.size();
    shape.features = static_cast<uint64_t>(nf);
    shape.window = static_cast<uint64_t>(cfg.window.window);
  }
  const int batch = resume ? resumed.net.batch_size : cfg.net.batch_size;
  FLK_TRY(anomaly_json::check_fit(shape, static_cast<uint64_t>(rows.rows()), static_cast<uint64_t>(cfg.epochs),
                                  static_cast<uint64_t>(batch)));

  FitResult fit = fit_model(rows, times, columns, cfg, resume ? &resumed : nullptr);
  json::Value out = json::Value::object();
  out.set("model", anomaly_json::model_to_json(fit.model, keep && *keep));
  json::Value hist = json::Value::array();
  for (const EpochReport& e : fit.history) {
    json::Value o = json::Value::object();
    o.set("epoch", e.epoch).set("loss", nullable(e.loss)).set("validation_error", nullable(e.validation_error));
    hist.push(std::move(o));
  }
  out.set("history", std::move(hist));
  return out;
}

// The state of a scored stream: the feature window and the recent raw scores being smoothed.
json::Value stream_state_to_json(const AnomalyModel& m, const StreamState& st) {
  json::Value o = json::Value::object();
  o.set("features", anomaly_json::window_state_to_json(m.window, st.window));
  o.set("recent_raw", anomaly_json::numbers_to_json(st.recent_raw));
  return o;
}

Result<StreamState> stream_state_from_json(const json::Value& v, const std::string& path, const AnomalyModel& m) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(v, path));
  StreamState st;
  FLK_ASSIGN(const json::Value* fv, r.required("features"));
  FLK_ASSIGN(st.window, anomaly_json::window_state_from_json(*fv, r.path_of("features"), m.window,
                                                             static_cast<int>(m.columns.size())));
  FLK_ASSIGN(const json::Value* rv, r.required("recent_raw"));
  const size_t keep = static_cast<size_t>(m.smooth - 1);
  FLK_ASSIGN(st.recent_raw, json::read_numbers(*rv, r.path_of("recent_raw"), keep, {0, model_bounds::kMaxValue}));
  FLK_TRY(r.finish());
  return st;
}

json::Value decision_json(const Decision& d, Mode mode) {
  json::Value o = json::Value::object();
  o.set("action", action_name(d.action)).set("rule", action_name(d.rule)).set("mode", mode_name(mode));
  o.set("confidence", d.confidence).set("reason", d.reason);
  return o;
}

Result<json::Value> op_score(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(const json::Value* mv, r.required("model"));
  FLK_ASSIGN(AnomalyModel m, anomaly_json::model_from_json(*mv, r.path_of("model")));
  const int cols = static_cast<int>(m.columns.size());
  FLK_ASSIGN(const json::Value* rv, r.required("rows"));
  if (const json::Value* cv = r.optional("columns")) {
    if (!cv->is_array()) return json::wrong_type("$.columns", "an array of strings", *cv);
    if (cv->as_array().size() != m.columns.size())
      return make_error("bad_length", "$.columns must name the model's " + std::to_string(cols) + " columns",
                        "$.columns");
    FLK_ASSIGN(auto names, anomaly_json::read_columns(*cv, "$.columns", m.columns.size()));
    if (names != m.columns)
      return make_error("conflicting_fields", "$.columns differ from the columns the model was fitted on",
                        "$.columns");
  }
  FLK_ASSIGN(RowMatrix rows, anomaly_json::read_rows(*rv, r.path_of("rows"), static_cast<size_t>(cols), 0));
  StreamState st = make_stream_state(m);
  if (const json::Value* sv = r.optional("state")) {
    FLK_ASSIGN(st, stream_state_from_json(*sv, r.path_of("state"), m));
  }
  FLK_ASSIGN(OrderPolicy order, order_of(r));
  FLK_ASSIGN(auto times,
             times_of(r, static_cast<size_t>(rows.rows()), order, st.window.has_time, st.window.last_time));
  FLK_ASSIGN(auto mode_name_opt, r.opt_string("mode", 16));
  Mode mode = Mode::Shadow;
  if (mode_name_opt && !parse_mode(*mode_name_opt, mode))
    return make_error("out_of_range", "$.mode must be \"shadow\", \"guardrail\" or \"blocking\"", "$.mode");
  FLK_ASSIGN(auto explain, r.opt_boolean("explain"));
  FLK_TRY(r.finish());
  FLK_TRY(need_times(r, m.window, times));
  FLK_TRY(anomaly_json::check_scoring(anomaly_json::shape_of(m), static_cast<uint64_t>(rows.rows()),
                                      explain && *explain, "$.rows"));

  json::Value scores = json::Value::array(), raws = json::Value::array(), unc = json::Value::array(),
              flags = json::Value::array(), decisions = json::Value::array(), devs = json::Value::array();
  ScoreScratch scratch;
  std::vector<double> dev(static_cast<size_t>(feature_count(m)));
  int64_t filled = 0;
  for (Eigen::Index i = 0; i < rows.rows(); ++i) {
    const double t = times.empty() ? kNaN : times[static_cast<size_t>(i)];
    RowScore s = score_row(m, st, rows.row(i).data(), t, scratch, explain && *explain ? dev.data() : nullptr);
    filled += s.filled;
    scores.push(s.score);
    raws.push(nullable(s.raw));
    unc.push(s.uncertainty);
    flags.push(s.score >= m.rule.threshold);
    if (mode_name_opt) decisions.push(decision_json(decide(mode, m.rule, s.score, s.uncertainty), mode));
    if (explain && *explain) devs.push(anomaly_json::numbers_to_json(dev));
  }
  json::Value out = json::Value::object();
  out.set("scores", std::move(scores)).set("raw", std::move(raws)).set("uncertainty", std::move(unc));
  out.set("is_anomaly", std::move(flags)).set("filled", filled).set("threshold", m.rule.threshold);
  out.set("state", stream_state_to_json(m, st));
  if (mode_name_opt) out.set("decisions", std::move(decisions));
  if (explain && *explain) {
    out.set("deviations", std::move(devs));
    json::Value names = json::Value::array();
    for (const auto& n : feature_names(m.window, m.columns)) names.push(n);
    out.set("feature_names", std::move(names));
  }
  return out;
}

Result<json::Value> op_features(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(const json::Value* rv, r.required("rows"));
  FLK_ASSIGN(RowMatrix rows, anomaly_json::read_rows(*rv, r.path_of("rows"), 0, 1));
  const int cols = static_cast<int>(rows.cols());
  FLK_ASSIGN(auto columns, columns_of(r, static_cast<size_t>(cols)));
  FLK_ASSIGN(WindowSpec spec, window_of(r, WindowSpec{}));
  WindowState st = make_window_state(spec, cols);
  if (const json::Value* sv = r.optional("state")) {
    FLK_ASSIGN(st, anomaly_json::window_state_from_json(*sv, r.path_of("state"), spec, cols));
  }
  FLK_ASSIGN(OrderPolicy order, order_of(r));
  FLK_ASSIGN(auto times, times_of(r, static_cast<size_t>(rows.rows()), order, st.has_time, st.last_time));
  FLK_TRY(r.finish());
  FLK_TRY(need_times(r, spec, times));
  const std::vector<double> no_fill(static_cast<size_t>(cols), kNaN);
  std::vector<double> f(static_cast<size_t>(features_per_column(spec) * cols));
  anomaly_json::DetectorShape shape;  // the window alone: no detector
  shape.kind = DetectorKind::RollingZ;
  shape.columns = static_cast<uint64_t>(cols);
  shape.features = f.size();
  shape.window = static_cast<uint64_t>(spec.window);
  FLK_TRY(anomaly_json::check_scoring(shape, static_cast<uint64_t>(rows.rows()), true, "$.rows"));
  json::Value feats = json::Value::array();
  for (Eigen::Index i = 0; i < rows.rows(); ++i) {
    push_row(spec, no_fill, st, rows.row(i).data(), times.empty() ? kNaN : times[static_cast<size_t>(i)], f.data());
    json::Value row = json::Value::array();
    for (double x : f) row.push(nullable(x));
    feats.push(std::move(row));
  }
  json::Value names = json::Value::array();
  for (const auto& n : feature_names(spec, columns)) names.push(n);
  json::Value out = json::Value::object();
  out.set("names", std::move(names)).set("features", std::move(feats));
  out.set("state", anomaly_json::window_state_to_json(spec, st));
  return out;
}

constexpr const char* kRowsTs = "(number | null)[][]";
constexpr const char* kStateTs =
    "{ seen: number; last: (number | null)[]; window: number[][]; last_time?: number; last_step: number }";
constexpr const char* kStreamTs = "{ features: object; recent_raw: number[] }";

}  // namespace

void add_anomaly_ops(std::vector<OpSpec>& t) {
  static const std::string fit_in =
      std::string("{ rows: ") + kRowsTs +
      "; times?: number[]; columns?: string[]; order?: 'strict' | 'keep'; detector?: 'ae' | 'vae' | 'iforest' | "
      "'zscore'; seed?: number; values?: boolean; window?: number; deltas?: boolean; rates?: boolean; clip?: number; layers?: number[]; "
      "latent?: number; activation?: 'tanh' | 'relu' | 'linear'; epochs?: number; batch_size?: number; "
      "learning_rate?: number; beta?: number; trees?: number; sample_size?: number; vae_samples?: number; "
      "validation_fraction?: number; quantile?: number; smooth?: number; threshold?: number; block_threshold?: number; "
      "max_uncertainty?: number; resume?: object; keep_optimizer?: boolean }";
  static const std::string score_in = std::string("{ model: object; rows: ") + kRowsTs +
                                      "; columns?: string[]; times?: number[]; order?: 'strict' | 'keep'; state?: " + kStateTs +
                                      "; mode?: 'shadow' | 'guardrail' | 'blocking'; explain?: boolean }";
  static const std::string score_out =
      std::string("{ scores: number[]; raw: (number | null)[]; uncertainty: number[]; is_anomaly: boolean[]; "
                  "filled: number; threshold: number; state: ") +
      kStreamTs +
      "; decisions?: { action: 'accept' | 'guardrail' | 'block'; rule: 'accept' | 'guardrail' | 'block'; mode: "
      "string; confidence: number; reason: string }[]; deviations?: number[][]; feature_names?: string[] }";
  static const std::string feat_in = std::string("{ rows: ") + kRowsTs +
                                     "; times?: number[]; columns?: string[]; order?: 'strict' | 'keep'; values?: boolean; "
                                     "window?: number; deltas?: boolean; rates?: boolean; state?: " + kStateTs + " }";
  static const std::string feat_out =
      std::string("{ names: string[]; features: (number | null)[][]; state: ") + kStateTs + " }";
  t.push_back({"anomaly.fit",
               "Learns gap fill, windowed features, per-feature scaling, the detector (ae, vae, iforest, zscore) and "
               "its calibration quantile from unlabeled rows.",
               fit_in.c_str(),
               "{ model: object; history: { epoch: number; loss: number | null; validation_error: number | null }[] }",
               op_fit});
  t.push_back({"anomaly.score",
               "Scores rows of a stream with a fitted model: calibrated score in [0, 1), uncertainty, flag, optional "
               "decisions and per-feature deviations; returns the window state for the next call.",
               score_in.c_str(), score_out.c_str(), op_score});
  t.push_back({"anomaly.features",
               "Windowed features of a metric stream (value, deviation from the rolling mean, rolling std, delta, "
               "rate) with bounded state.",
               feat_in.c_str(), feat_out.c_str(), op_features});
  add_anomaly_feedback_ops(t);
  add_anomaly_default_ops(t);
}

}  // namespace flk
