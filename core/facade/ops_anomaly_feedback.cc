// Anomaly decisions and learning from people: the dual-threshold decision, the threshold sweep,
// the feedback loop (state in, state out), k-means clusters of anomalous vectors with labels,
// online cluster assignment, and detection metrics (point-wise and point-adjusted).
#include <cmath>

#include "anomaly/decision.h"
#include "anomaly/detection_metrics.h"
#include "anomaly/feedback.h"
#include "anomaly/kmeans.h"
#include "facade/anomaly_series_json.h"
#include "facade/anomaly_work.h"
#include "facade/ops_anomaly.h"
#include "json/fields.h"
#include "util/work_budget.h"

namespace flk {
namespace {

using namespace anomaly;

const json::Range kUnit{0, 1};
constexpr size_t kMaxItems = 1000000;
constexpr size_t kMaxVectors = 200000;
constexpr size_t kMaxClusters = 1000;
constexpr int64_t kMaxKMeansWork = INT64_C(1) << 28;

json::Value rate(size_t num, size_t den) {
  return den ? json::Value(static_cast<double>(num) / static_cast<double>(den)) : json::Value();
}

Result<std::vector<bool>> read_labels(const json::Value& v, const std::string& path, size_t max_items) {
  if (!v.is_array()) return json::wrong_type(path, "an array of booleans or 0/1", v);
  if (v.as_array().size() > max_items)
    return make_error("too_large", path + " has more than " + std::to_string(max_items) + " items", path);
  std::vector<bool> out;
  for (size_t i = 0; i < v.as_array().size(); ++i) {
    const json::Value& x = v.as_array()[i];
    if (x.is_bool()) out.push_back(x.as_bool());
    else if (x.is_int() && (x.as_int() == 0 || x.as_int() == 1)) out.push_back(x.as_int() == 1);
    else return json::wrong_type(json::index_path(path, i), "a boolean or 0/1", x);
  }
  return out;
}

Result<std::vector<bool>> read_flags(json::ObjectReader& r, const char* key, size_t count) {
  FLK_ASSIGN(const json::Value* v, r.required(key));
  FLK_ASSIGN(auto xs, read_labels(*v, r.path_of(key), kMaxItems));
  if (xs.size() != count)
    return make_error("bad_length", r.path_of(key) + " has " + std::to_string(xs.size()) + " items; expected " +
                                        std::to_string(count), r.path_of(key));
  return xs;
}

Status read_sweep_config(json::ObjectReader& r, SweepConfig& c) {
  FLK_ASSIGN(auto f, r.opt_number("max_fpr", kUnit));
  if (f) c.max_fpr = *f;
  FLK_ASSIGN(auto t, r.opt_number("min_tpr", kUnit));
  if (t) c.min_tpr = *t;
  FLK_ASSIGN(auto n, r.opt_integer("min_items", 1, static_cast<int64_t>(kMaxItems)));
  if (n) c.min_items = static_cast<size_t>(*n);
  return Ok{};
}

json::Value sweep_json(const SweepResult& s) {
  json::Value o = json::Value::object();
  o.set("threshold", s.threshold).set("changed", s.changed).set("reason", s.reason).set("message", s.message);
  o.set("positives", static_cast<int64_t>(s.positives)).set("negatives", static_cast<int64_t>(s.negatives));
  if (s.has_best) {
    json::Value b = json::Value::object();
    b.set("threshold", s.best_threshold).set("tpr", s.best_tpr).set("fpr", s.best_fpr);
    o.set("best", std::move(b));
  }
  return o;
}

// ---- decide ----

Result<json::Value> op_decide(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(double score, r.number("score", kUnit));
  FLK_ASSIGN(auto unc, r.opt_number("uncertainty", kUnit));
  FLK_ASSIGN(std::string mode_s, r.string("mode", 16));
  Mode mode;
  if (!parse_mode(mode_s, mode))
    return make_error("out_of_range", "$.mode must be \"shadow\", \"guardrail\" or \"blocking\"", "$.mode");
  DecisionRule rule;
  FLK_ASSIGN(auto th, r.opt_number("threshold", kUnit));
  if (th) rule.threshold = *th;
  FLK_ASSIGN(auto bt, r.opt_number("block_threshold", kUnit));
  if (bt) rule.block_threshold = *bt;
  FLK_ASSIGN(auto mu, r.opt_number("max_uncertainty", kUnit));
  if (mu) rule.max_uncertainty = *mu;
  FLK_TRY(r.finish());
  const double u = unc ? *unc : 0.0;
  Decision d = decide(mode, rule, score, u);
  json::Value o = json::Value::object();
  o.set("action", action_name(d.action)).set("rule", action_name(d.rule)).set("mode", mode_name(mode));
  o.set("is_anomaly", d.is_anomaly).set("confidence", d.confidence).set("reason", d.reason);
  o.set("score", score).set("uncertainty", u).set("threshold", rule.threshold);
  o.set("block_threshold", rule.block_threshold).set("max_uncertainty", rule.max_uncertainty);
  return o;
}

// ---- sweep ----

Result<json::Value> op_sweep(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(const json::Value* sv, r.required("scores"));
  FLK_ASSIGN(auto scores, json::read_numbers(*sv, "$.scores", kMaxItems));
  FLK_ASSIGN(auto labels, read_flags(r, "labels", scores.size()));
  FLK_ASSIGN(double current, r.number("threshold", kUnit));
  SweepConfig c;
  FLK_TRY(read_sweep_config(r, c));
  FLK_TRY(r.finish());
  return sweep_json(sweep_threshold(scores, labels, current, c));
}

// ---- feedback ----

Result<FeedbackItem> read_item(const json::Value& v, const std::string& path) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(v, path));
  FeedbackItem it;
  FLK_ASSIGN(it.id, r.string("id", 256));
  if (it.id.empty()) return make_error("bad_length", r.path_of("id") + " is empty", r.path_of("id"));
  FLK_ASSIGN(it.score, r.number("score", kUnit));
  FLK_ASSIGN(std::string label, r.string("label", 16));
  if (label != "anomaly" && label != "normal")
    return make_error("out_of_range", r.path_of("label") + " must be \"anomaly\" or \"normal\"", r.path_of("label"));
  it.anomalous = label == "anomaly";
  FLK_TRY(r.finish());
  return it;
}

Result<std::vector<FeedbackItem>> read_items(const json::Value& v, const std::string& path, size_t max_items) {
  if (!v.is_array()) return json::wrong_type(path, "an array", v);
  if (v.as_array().size() > max_items)
    return make_error("too_large", path + " has more than " + std::to_string(max_items) + " items", path);
  std::vector<FeedbackItem> out;
  for (size_t i = 0; i < v.as_array().size(); ++i) {
    FLK_ASSIGN(FeedbackItem it, read_item(v.as_array()[i], json::index_path(path, i)));
    out.push_back(std::move(it));
  }
  return out;
}

Result<FeedbackState> read_feedback_state(const json::Value& v, const std::string& path) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(v, path));
  FeedbackState st;
  FLK_ASSIGN(st.threshold, r.number("threshold", kUnit));
  FLK_ASSIGN(int64_t pending, r.integer("pending", 0, static_cast<int64_t>(kMaxItems)));
  st.pending = static_cast<size_t>(pending);
  FLK_ASSIGN(int64_t every, r.integer("reoptimise_every", 0, static_cast<int64_t>(kMaxItems)));
  st.reoptimise_every = static_cast<size_t>(every);
  FLK_ASSIGN(int64_t max_items, r.integer("max_items", 1, static_cast<int64_t>(kMaxItems)));
  st.max_items = static_cast<size_t>(max_items);
  FLK_ASSIGN(const json::Value* sv, r.required("sweep"));
  {
    FLK_ASSIGN(auto sr, json::ObjectReader::open(*sv, r.path_of("sweep")));
    FLK_TRY(read_sweep_config(sr, st.sweep));
    FLK_TRY(sr.finish());
  }
  FLK_ASSIGN(const json::Value* iv, r.required("items"));
  FLK_ASSIGN(st.items, read_items(*iv, r.path_of("items"), st.max_items));
  FLK_TRY(r.finish());
  return st;
}

json::Value feedback_state_json(const FeedbackState& st) {
  json::Value items = json::Value::array();
  for (const FeedbackItem& it : st.items) {
    json::Value o = json::Value::object();
    o.set("id", it.id).set("score", it.score).set("label", it.anomalous ? "anomaly" : "normal");
    items.push(std::move(o));
  }
  json::Value sw = json::Value::object();
  sw.set("max_fpr", st.sweep.max_fpr).set("min_tpr", st.sweep.min_tpr);
  sw.set("min_items", static_cast<int64_t>(st.sweep.min_items));
  json::Value o = json::Value::object();
  o.set("threshold", st.threshold).set("pending", static_cast<int64_t>(st.pending));
  o.set("reoptimise_every", static_cast<int64_t>(st.reoptimise_every));
  o.set("max_items", static_cast<int64_t>(st.max_items)).set("sweep", std::move(sw)).set("items", std::move(items));
  return o;
}

Result<json::Value> op_feedback(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FeedbackState st;
  if (const json::Value* sv = r.optional("state")) {
    for (const char* k : {"threshold", "reoptimise_every", "max_items", "max_fpr", "min_tpr", "min_items"})
      if (in.find(k))
        return make_error("conflicting_fields", r.path_of(k) + " cannot be given with state (the state fixes it)",
                          r.path_of(k));
    FLK_ASSIGN(st, read_feedback_state(*sv, r.path_of("state")));
  } else {
    FLK_ASSIGN(auto th, r.opt_number("threshold", kUnit));
    if (th) st.threshold = *th;
    FLK_ASSIGN(auto every, r.opt_integer("reoptimise_every", 0, static_cast<int64_t>(kMaxItems)));
    if (every) st.reoptimise_every = static_cast<size_t>(*every);
    FLK_ASSIGN(auto mx, r.opt_integer("max_items", 1, static_cast<int64_t>(kMaxItems)));
    if (mx) st.max_items = static_cast<size_t>(*mx);
    FLK_TRY(read_sweep_config(r, st.sweep));
  }
  FLK_ASSIGN(const json::Value* iv, r.required("items"));
  FLK_ASSIGN(auto items, read_items(*iv, r.path_of("items"), kMaxItems));
  FLK_TRY(r.finish());
  FeedbackUpdate u = add_feedback(st, items);
  const Confusion c = confusion_at(st.items, st.threshold);
  json::Value cm = json::Value::object();
  cm.set("tp", static_cast<int64_t>(c.tp)).set("fp", static_cast<int64_t>(c.fp));
  cm.set("tn", static_cast<int64_t>(c.tn)).set("fn", static_cast<int64_t>(c.fn));
  cm.set("tpr", rate(c.tp, c.tp + c.fn)).set("fpr", rate(c.fp, c.fp + c.tn)).set("precision", rate(c.tp, c.tp + c.fp));
  json::Value out = json::Value::object();
  out.set("added", static_cast<int64_t>(u.added)).set("unchanged", static_cast<int64_t>(u.unchanged));
  out.set("replaced", static_cast<int64_t>(u.replaced)).set("evicted", static_cast<int64_t>(u.evicted));
  out.set("confusion", std::move(cm)).set("threshold", st.threshold).set("swept", u.swept);
  if (u.swept) out.set("sweep", sweep_json(u.sweep));
  out.set("state", feedback_state_json(st));
  return out;
}

// ---- clusters ----

Result<std::vector<std::string>> names_of(json::ObjectReader& r, size_t d) {
  const json::Value* nv = r.optional("names");
  if (!nv) return anomaly_json::default_columns(d);
  return anomaly_json::read_columns(*nv, r.path_of("names"), d);
}

struct LabelConfig {
  int top = 3;
  double min_deviation = 1.0;
};

Status read_label_config(json::ObjectReader& r, LabelConfig& c) {
  FLK_ASSIGN(auto top, r.opt_integer("top_features", 1, 16));
  if (top) c.top = static_cast<int>(*top);
  FLK_ASSIGN(auto md, r.opt_number("min_deviation", {0, 1e6}));
  if (md) c.min_deviation = *md;
  return Ok{};
}

json::Value clusters_json(const RowMatrix& c, const std::vector<size_t>& sizes, const std::vector<std::string>& names,
                          const LabelConfig& lc) {
  json::Value list = json::Value::array();
  for (Eigen::Index m = 0; m < c.rows(); ++m) {
    json::Value o = json::Value::object();
    json::Value cen = json::Value::array();
    for (Eigen::Index j = 0; j < c.cols(); ++j) cen.push(c(m, j));
    o.set("id", static_cast<int64_t>(m)).set("centroid", std::move(cen)).set("size", static_cast<int64_t>(sizes[m]));
    o.set("label", cluster_label(c.row(m).data(), names, lc.top, lc.min_deviation));
    list.push(std::move(o));
  }
  return list;
}

Result<json::Value> op_cluster(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(const json::Value* vv, r.required("vectors"));
  FLK_ASSIGN(RowMatrix x, anomaly_json::read_matrix(*vv, "$.vectors", kMaxVectors, 0));
  if (x.rows() == 0) return make_error("bad_length", "$.vectors is empty", "$.vectors");
  FLK_ASSIGN(auto names, names_of(r, static_cast<size_t>(x.cols())));
  KMeansConfig kc;
  FLK_ASSIGN(int64_t k, r.integer("k", 1, static_cast<int64_t>(kMaxClusters)));
  if (k > x.rows())
    return make_error("out_of_range", "$.k = " + std::to_string(k) + " is more than the " +
                                          std::to_string(x.rows()) + " vectors", "$.k");
  if (k * x.rows() * x.cols() > kMaxKMeansWork)
    return make_error("too_large", "$: k x vectors x dimensions is above " + std::to_string(kMaxKMeansWork) +
                                       " per iteration", "$.vectors");
  kc.k = static_cast<int>(k);
  FLK_ASSIGN(auto seed, r.opt_integer("seed", 0, INT64_C(1) << 53));
  if (seed) kc.seed = static_cast<uint64_t>(*seed);
  FLK_ASSIGN(auto it, r.opt_integer("max_iterations", 1, 10000));
  if (it) kc.max_iterations = static_cast<int>(*it);
  FLK_TRY(work::check(work::product({static_cast<uint64_t>(k), static_cast<uint64_t>(x.rows()),
                                     static_cast<uint64_t>(x.cols()), static_cast<uint64_t>(kc.max_iterations)}),
                      anomaly_json::kMaxWork, "k x vectors x dimensions x max_iterations", "$.max_iterations"));
  LabelConfig lc;
  FLK_TRY(read_label_config(r, lc));
  FLK_TRY(r.finish());
  KMeansResult km = kmeans(x, kc);
  json::Value assign = json::Value::array();
  for (int a : km.assignment) assign.push(a);
  json::Value out = json::Value::object();
  out.set("clusters", clusters_json(km.centroids, km.sizes, names, lc)).set("assignment", std::move(assign));
  out.set("inertia", km.inertia).set("iterations", km.iterations).set("converged", km.converged);
  return out;
}

Result<json::Value> op_assign(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(const json::Value* vv, r.required("vector"));
  const json::Range finite{-anomaly_json::kMaxMagnitude, anomaly_json::kMaxMagnitude};
  FLK_ASSIGN(auto v, json::read_numbers(*vv, "$.vector", anomaly_json::kMaxColumns * 4, finite));
  if (v.empty()) return make_error("bad_length", "$.vector is empty", "$.vector");
  const size_t d = v.size();
  FLK_ASSIGN(const json::Value* cv, r.required("clusters"));
  if (!cv->is_array()) return json::wrong_type("$.clusters", "an array", *cv);
  if (cv->as_array().size() > kMaxClusters)
    return make_error("too_large", "$.clusters has more than " + std::to_string(kMaxClusters) + " clusters", "$.clusters");
  RowMatrix centroids(static_cast<Eigen::Index>(cv->as_array().size()), static_cast<Eigen::Index>(d));
  std::vector<size_t> sizes;
  for (size_t m = 0; m < cv->as_array().size(); ++m) {
    const std::string p = json::index_path("$.clusters", m);
    FLK_ASSIGN(auto cr, json::ObjectReader::open(cv->as_array()[m], p));
    FLK_ASSIGN(const json::Value* cen, cr.required("centroid"));
    FLK_ASSIGN(auto c, json::read_numbers(*cen, cr.path_of("centroid"), d, finite));
    if (c.size() != d)
      return make_error("bad_length", cr.path_of("centroid") + " must have " + std::to_string(d) + " values",
                        cr.path_of("centroid"));
    for (size_t j = 0; j < d; ++j) centroids(static_cast<Eigen::Index>(m), static_cast<Eigen::Index>(j)) = c[j];
    FLK_ASSIGN(int64_t size, cr.integer("size", 0, INT64_C(1) << 53));
    sizes.push_back(static_cast<size_t>(size));
    // id and label are outputs of earlier calls; they are recomputed.
    cr.optional("id");
    cr.optional("label");
    FLK_TRY(cr.finish());
  }
  FLK_ASSIGN(auto names, names_of(r, d));
  FLK_ASSIGN(double new_distance, r.number("new_cluster_distance", {0, anomaly_json::kMaxMagnitude}));
  FLK_ASSIGN(auto mx, r.opt_integer("max_clusters", 1, static_cast<int64_t>(kMaxClusters)));
  LabelConfig lc;
  FLK_TRY(read_label_config(r, lc));
  FLK_TRY(r.finish());
  Assignment a = assign_or_create(centroids, sizes, v.data(), new_distance,
                                  mx ? static_cast<int>(*mx) : static_cast<int>(kMaxClusters));
  json::Value out = json::Value::object();
  out.set("cluster", a.cluster).set("distance", a.distance).set("created", a.created);
  out.set("label", cluster_label(centroids.row(a.cluster).data(), names, lc.top, lc.min_deviation));
  out.set("clusters", clusters_json(centroids, sizes, names, lc));
  return out;
}

// ---- evaluation ----

json::Value prf_json(const Prf& p) {
  json::Value o = json::Value::object();
  o.set("tp", static_cast<int64_t>(p.tp)).set("fp", static_cast<int64_t>(p.fp)).set("fn", static_cast<int64_t>(p.fn));
  o.set("precision", p.precision).set("recall", p.recall).set("f1", p.f1);
  return o;
}

Result<json::Value> op_evaluate(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(const json::Value* lv, r.required("labels"));
  FLK_ASSIGN(auto labels, read_labels(*lv, "$.labels", anomaly_json::kMaxRows));
  const bool has_flags = in.find("flags") != nullptr, has_scores = in.find("scores") != nullptr;
  if (has_flags == has_scores)
    return make_error(has_flags ? "conflicting_fields" : "missing_field", "$: give either flags or scores + threshold",
                      has_flags ? "$.scores" : "$.flags");
  std::vector<bool> flags;
  if (has_flags) {
    FLK_ASSIGN(flags, read_flags(r, "flags", labels.size()));
  } else {
    FLK_ASSIGN(const json::Value* sv, r.required("scores"));
    FLK_ASSIGN(auto scores, json::read_numbers(*sv, "$.scores", anomaly_json::kMaxRows));
    if (scores.size() != labels.size())
      return make_error("bad_length", "$.scores must have one score per label", "$.scores");
    FLK_ASSIGN(double th, r.number("threshold"));
    for (double s : scores) flags.push_back(s >= th);
  }
  FLK_TRY(r.finish());
  const SegmentHits h = segment_hits(flags, labels);
  size_t positives = 0, flagged = 0;
  for (size_t i = 0; i < labels.size(); ++i) positives += labels[i], flagged += flags[i];
  json::Value out = json::Value::object();
  out.set("rows", static_cast<int64_t>(labels.size())).set("positives", static_cast<int64_t>(positives));
  out.set("flagged", static_cast<int64_t>(flagged)).set("segments", static_cast<int64_t>(h.segments));
  out.set("segments_detected", static_cast<int64_t>(h.detected));
  out.set("pointwise", prf_json(pointwise_prf(flags, labels)));
  out.set("point_adjusted", prf_json(point_adjusted_prf(flags, labels)));
  return out;
}

constexpr const char* kSweepOut =
    "{ threshold: number; changed: boolean; reason: 'optimised' | 'no_threshold_meets_constraints' | "
    "'too_few_items' | 'single_class'; message: string; positives: number; negatives: number; best?: { threshold: "
    "number; tpr: number; fpr: number } }";
constexpr const char* kPrf = "{ tp: number; fp: number; fn: number; precision: number; recall: number; f1: number }";
constexpr const char* kCluster = "{ id: number; centroid: number[]; size: number; label: string }";
constexpr const char* kItem = "{ id: string; score: number; label: 'anomaly' | 'normal' }";

}  // namespace

void add_anomaly_feedback_ops(std::vector<OpSpec>& t) {
  static const std::string sweep_out = kSweepOut;
  static const std::string fb_state = std::string("{ threshold: number; pending: number; reoptimise_every: number; "
                                                  "max_items: number; sweep: { max_fpr: number; min_tpr: number; "
                                                  "min_items: number }; items: ") + kItem + "[] }";
  static const std::string fb_in = std::string("{ items: ") + kItem + "[]; state?: " + fb_state +
                                   "; threshold?: number; reoptimise_every?: number; max_items?: number; max_fpr?: "
                                   "number; min_tpr?: number; min_items?: number }";
  static const std::string fb_out =
      "{ added: number; unchanged: number; replaced: number; evicted: number; confusion: { tp: number; fp: number; "
      "tn: number; fn: number; tpr: number | null; fpr: number | null; precision: number | null }; threshold: "
      "number; swept: boolean; sweep?: " + sweep_out + "; state: " + fb_state + " }";
  static const std::string cl_out = std::string("{ clusters: ") + kCluster +
                                    "[]; assignment: number[]; inertia: number; iterations: number; converged: boolean }";
  static const std::string as_in = std::string("{ vector: number[]; clusters: { centroid: number[]; size: number; id?: "
                                               "number; label?: string }[]; new_cluster_distance: number; "
                                               "max_clusters?: number; names?: string[]; top_features?: number; "
                                               "min_deviation?: number }");
  static const std::string as_out = std::string("{ cluster: number; distance: number; created: boolean; label: "
                                                "string; clusters: ") + kCluster + "[] }";
  static const std::string ev_out = std::string("{ rows: number; positives: number; flagged: number; segments: number; "
                                                "segments_detected: number; pointwise: ") + kPrf +
                                    "; point_adjusted: " + kPrf + " }";
  t.push_back({"anomaly.decide",
               "Dual-threshold decision (block: score >= block_threshold and uncertainty <= max_uncertainty; "
               "guardrail: score >= threshold) limited by the mode (shadow, guardrail, blocking).",
               "{ score: number; uncertainty?: number; mode: 'shadow' | 'guardrail' | 'blocking'; threshold?: number; "
               "block_threshold?: number; max_uncertainty?: number }",
               "{ action: 'accept' | 'guardrail' | 'block'; rule: 'accept' | 'guardrail' | 'block'; mode: string; "
               "is_anomaly: boolean; confidence: number; reason: string; score: number; uncertainty: number; "
               "threshold: number; block_threshold: number; max_uncertainty: number }",
               op_decide});
  t.push_back({"anomaly.sweep",
               "Threshold from labelled scores: largest TPR - FPR with FPR <= max_fpr and TPR >= min_tpr; keeps the "
               "old threshold (and says why) when none qualifies.",
               "{ scores: number[]; labels: (boolean | 0 | 1)[]; threshold: number; max_fpr?: number; min_tpr?: "
               "number; min_items?: number }",
               sweep_out.c_str(), op_sweep});
  t.push_back({"anomaly.feedback",
               "Adds labelled feedback items (idempotent by id) to a feedback state, reports the confusion matrix "
               "and re-sweeps the threshold after every reoptimise_every new items.",
               fb_in.c_str(), fb_out.c_str(), op_feedback});
  t.push_back({"anomaly.cluster",
               "k-means (k-means++ seeding, explicit seed) over deviation vectors, with labels from the dominant "
               "deviating features.",
               "{ vectors: number[][]; k: number; seed?: number; max_iterations?: number; names?: string[]; "
               "top_features?: number; min_deviation?: number }",
               cl_out.c_str(), op_cluster});
  t.push_back({"anomaly.assign",
               "Assigns a deviation vector to the nearest cluster, or opens a new cluster when it is farther than "
               "new_cluster_distance.",
               as_in.c_str(), as_out.c_str(), op_assign});
  t.push_back({"anomaly.evaluate",
               "Precision, recall and F1 of flags (or scores >= threshold) against labels, point-wise and "
               "point-adjusted (a labelled segment counts as found when any of its rows is flagged).",
               "{ labels: (boolean | 0 | 1)[]; flags?: (boolean | 0 | 1)[]; scores?: number[]; threshold?: number }",
               ev_out.c_str(), op_evaluate});
}

}  // namespace flk
