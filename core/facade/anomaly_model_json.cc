#include "facade/anomaly_model_json.h"

#include <cstdlib>

#include "facade/anomaly_series_json.h"
#include "facade/model_bounds.h"
#include "json/fields.h"
#include "json/number_format.h"
#include "util/int_text.h"

namespace flk::anomaly_json {
namespace {

using namespace anomaly;

constexpr int kMaxLayers = 16;
constexpr int kMaxWidth = 4096;
constexpr int kMaxTrees = 1000;
constexpr int kMaxSample = 1 << 16;
constexpr int64_t kMaxSeed = INT64_C(1) << 53;
const json::Range kUnit{0, 1};

json::Value vector_to_json(const Eigen::VectorXd& v) {
  json::Value a = json::Value::array();
  for (Eigen::Index i = 0; i < v.size(); ++i) a.push(v[i]);
  return a;
}

json::Value ints_to_json(const std::vector<int32_t>& xs) {
  json::Value a = json::Value::array();
  for (int32_t x : xs) a.push(x);
  return a;
}

json::Value grads_to_json(const MlpGrad& g) {
  json::Value layers = json::Value::array();
  for (size_t l = 0; l < g.w.size(); ++l) {
    json::Value o = json::Value::object();
    o.set("w", matrix_to_json(g.w[l])).set("b", vector_to_json(g.b[l]));
    layers.push(std::move(o));
  }
  return layers;
}

json::Value mlp_to_json(const Mlp& net) {
  json::Value layers = json::Value::array();
  for (const DenseLayer& l : net.layers) {
    json::Value o = json::Value::object();
    o.set("activation", activation_name(l.act)).set("w", matrix_to_json(l.w)).set("b", vector_to_json(l.b));
    layers.push(std::move(o));
  }
  json::Value o = json::Value::object();
  o.set("layers", std::move(layers));
  return o;
}

json::Value adam_to_json(const AdamState& a) {
  json::Value o = json::Value::object();
  o.set("step", a.step).set("m", grads_to_json(a.m)).set("v", grads_to_json(a.v));
  return o;
}

json::Value forest_to_json(const IsolationForest& f) {
  json::Value trees = json::Value::array();
  for (const IsolationTree& t : f.trees) {
    json::Value o = json::Value::object();
    o.set("feature", ints_to_json(t.feature)).set("split", numbers_to_json(t.split));
    o.set("left", ints_to_json(t.left)).set("right", ints_to_json(t.right)).set("size", ints_to_json(t.size));
    trees.push(std::move(o));
  }
  json::Value o = json::Value::object();
  o.set("sample_size", f.sample_size).set("trees", std::move(trees));
  return o;
}

std::string hex64(uint64_t x) {
  std::string s;
  append_hex16(s, x);
  return s;
}

// ---- reading ----

Result<Eigen::VectorXd> read_vector(json::ObjectReader& r, const char* key, size_t size, json::Range range) {
  FLK_ASSIGN(const json::Value* v, r.required(key));
  FLK_ASSIGN(auto xs, json::read_numbers(*v, r.path_of(key), size, range));
  if (xs.size() != size)
    return make_error("bad_length", r.path_of(key) + " must have " + std::to_string(size) + " values", r.path_of(key));
  Eigen::VectorXd out(static_cast<Eigen::Index>(size));
  for (size_t i = 0; i < size; ++i) out[static_cast<Eigen::Index>(i)] = xs[i];
  return out;
}

Result<RowMatrix> read_exact_matrix(json::ObjectReader& r, const char* key, Eigen::Index rows, Eigen::Index cols,
                                    double max_abs) {
  FLK_ASSIGN(const json::Value* v, r.required(key));
  FLK_ASSIGN(RowMatrix m,
             read_matrix(*v, r.path_of(key), static_cast<size_t>(rows), static_cast<size_t>(cols), max_abs));
  if (m.rows() != rows)
    return make_error("bad_length", r.path_of(key) + " must have " + std::to_string(rows) + " rows", r.path_of(key));
  return m;
}

// A network with `inputs` inputs and `outputs` outputs (0: any).
Result<Mlp> read_mlp(const json::Value& v, const std::string& path, int inputs, int outputs) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(v, path));
  FLK_ASSIGN(const json::Value* lv, r.required("layers"));
  const std::string lp = r.path_of("layers");
  if (!lv->is_array()) return json::wrong_type(lp, "an array", *lv);
  const auto& layers = lv->as_array();
  if (layers.empty() || layers.size() > static_cast<size_t>(kMaxLayers))
    return make_error("bad_length", lp + " must have 1.." + std::to_string(kMaxLayers) + " layers", lp);
  Mlp net;
  int in = inputs;
  for (size_t l = 0; l < layers.size(); ++l) {
    const std::string p = json::index_path(lp, l);
    FLK_ASSIGN(auto lr, json::ObjectReader::open(layers[l], p));
    DenseLayer layer;
    FLK_ASSIGN(std::string act, lr.string("activation", 16));
    if (!parse_activation(act.c_str(), layer.act))
      return make_error("out_of_range", lr.path_of("activation") + ": unknown activation \"" + act + "\"",
                        lr.path_of("activation"));
    FLK_ASSIGN(const json::Value* bv, lr.required("b"));
    if (!bv->is_array()) return json::wrong_type(lr.path_of("b"), "an array", *bv);
    const size_t out = bv->as_array().size();
    if (out < 1 || out > static_cast<size_t>(kMaxWidth))
      return make_error("bad_length", lr.path_of("b") + " must have 1.." + std::to_string(kMaxWidth) + " values",
                        lr.path_of("b"));
    FLK_ASSIGN(layer.b, read_vector(lr, "b", out, model_bounds::kWeight));
    FLK_ASSIGN(layer.w, read_exact_matrix(lr, "w", static_cast<Eigen::Index>(out), in, model_bounds::kMaxWeight));
    FLK_TRY(lr.finish());
    in = static_cast<int>(out);
    net.layers.push_back(std::move(layer));
  }
  if (outputs && in != outputs)
    return make_error("bad_length", lp + ": the last layer must have " + std::to_string(outputs) + " outputs", lp);
  FLK_TRY(r.finish());
  return net;
}

Result<MlpGrad> read_grads(const json::Value& v, const std::string& path, const Mlp& net) {
  if (!v.is_array()) return json::wrong_type(path, "an array", v);
  if (v.as_array().size() != net.layers.size())
    return make_error("bad_length", path + " must have one entry per layer", path);
  MlpGrad g;
  for (size_t l = 0; l < net.layers.size(); ++l) {
    FLK_ASSIGN(auto r, json::ObjectReader::open(v.as_array()[l], json::index_path(path, l)));
    FLK_ASSIGN(RowMatrix w, read_exact_matrix(r, "w", net.layers[l].w.rows(), net.layers[l].w.cols(),
                                              model_bounds::kMaxValue));
    FLK_ASSIGN(Eigen::VectorXd b,
               read_vector(r, "b", static_cast<size_t>(net.layers[l].b.size()), model_bounds::kValue));
    FLK_TRY(r.finish());
    g.w.push_back(std::move(w));
    g.b.push_back(std::move(b));
  }
  return g;
}

Result<AdamState> read_adam(const json::Value& v, const std::string& path, const Mlp& net) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(v, path));
  AdamState a;
  FLK_ASSIGN(a.step, r.integer("step", 0, kMaxSeed));
  FLK_ASSIGN(const json::Value* m, r.required("m"));
  FLK_ASSIGN(a.m, read_grads(*m, r.path_of("m"), net));
  FLK_ASSIGN(const json::Value* vv, r.required("v"));
  FLK_ASSIGN(a.v, read_grads(*vv, r.path_of("v"), net));
  FLK_TRY(r.finish());
  return a;
}

Result<std::vector<int32_t>> read_int_array(json::ObjectReader& r, const char* key, size_t size, int64_t lo,
                                            int64_t hi) {
  FLK_ASSIGN(const json::Value* v, r.required(key));
  FLK_ASSIGN(auto xs, json::read_ints(*v, r.path_of(key), size, lo, hi));
  if (xs.size() != size)
    return make_error("bad_length", r.path_of(key) + " must have " + std::to_string(size) + " values", r.path_of(key));
  return std::vector<int32_t>(xs.begin(), xs.end());
}

Result<IsolationTree> read_tree(const json::Value& v, const std::string& path, int features, int sample_size) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(v, path));
  FLK_ASSIGN(const json::Value* fv, r.required("feature"));
  if (!fv->is_array()) return json::wrong_type(r.path_of("feature"), "an array", *fv);
  const size_t n = fv->as_array().size();
  if (n < 1 || n > static_cast<size_t>(2 * sample_size))
    return make_error("bad_length", r.path_of("feature") + " must have 1.." + std::to_string(2 * sample_size) +
                                        " nodes", r.path_of("feature"));
  IsolationTree t;
  FLK_ASSIGN(t.feature, read_int_array(r, "feature", n, -1, features - 1));
  FLK_ASSIGN(t.left, read_int_array(r, "left", n, -1, static_cast<int64_t>(n) - 1));
  FLK_ASSIGN(t.right, read_int_array(r, "right", n, -1, static_cast<int64_t>(n) - 1));
  FLK_ASSIGN(t.size, read_int_array(r, "size", n, 0, sample_size));
  FLK_ASSIGN(const json::Value* sv, r.required("split"));
  FLK_ASSIGN(t.split, json::read_numbers(*sv, r.path_of("split"), n, model_bounds::kValue));
  if (t.split.size() != n)
    return make_error("bad_length", r.path_of("split") + " must have " + std::to_string(n) + " values",
                      r.path_of("split"));
  FLK_TRY(r.finish());
  // Children come after their parent, which rules out cycles; leaves have no children.
  for (size_t i = 0; i < n; ++i) {
    const bool leaf = t.feature[i] < 0;
    const bool ok = leaf ? t.left[i] == -1 && t.right[i] == -1
                         : t.left[i] > static_cast<int32_t>(i) && t.right[i] > static_cast<int32_t>(i);
    if (!ok)
      return make_error("out_of_range", json::index_path(r.path_of("left"), i) + ": node " + std::to_string(i) +
                                            " has invalid children", json::index_path(r.path_of("left"), i));
  }
  return t;
}

Result<IsolationForest> read_forest(const json::Value& v, const std::string& path, int features) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(v, path));
  IsolationForest f;
  FLK_ASSIGN(int64_t psi, r.integer("sample_size", 1, kMaxSample));
  f.sample_size = static_cast<int>(psi);
  FLK_ASSIGN(const json::Value* tv, r.required("trees"));
  const std::string tp = r.path_of("trees");
  if (!tv->is_array()) return json::wrong_type(tp, "an array", *tv);
  if (tv->as_array().empty() || tv->as_array().size() > static_cast<size_t>(kMaxTrees))
    return make_error("bad_length", tp + " must have 1.." + std::to_string(kMaxTrees) + " trees", tp);
  for (size_t i = 0; i < tv->as_array().size(); ++i) {
    FLK_ASSIGN(IsolationTree t, read_tree(tv->as_array()[i], json::index_path(tp, i), features, f.sample_size));
    f.trees.push_back(std::move(t));
  }
  FLK_TRY(r.finish());
  return f;
}

Result<std::vector<double>> read_sized_numbers(json::ObjectReader& r, const char* key, size_t size, json::Range range) {
  FLK_ASSIGN(const json::Value* v, r.required(key));
  FLK_ASSIGN(auto xs, json::read_numbers(*v, r.path_of(key), size, range));
  if (xs.size() != size)
    return make_error("bad_length", r.path_of(key) + " must have " + std::to_string(size) + " values", r.path_of(key));
  return xs;
}

}  // namespace

json::Value model_to_json(const AnomalyModel& m, bool with_optimizer) {
  json::Value o = json::Value::object();
  o.set("format", kModelFormat).set("detector", detector_name(m.kind));
  json::Value cols = json::Value::array();
  for (const auto& c : m.columns) cols.push(c);
  o.set("columns", std::move(cols));
  json::Value feats = json::Value::object();
  feats.set("values", m.window.values).set("window", m.window.window).set("deltas", m.window.deltas).set("rates", m.window.rates);
  json::Value names = json::Value::array();
  for (const auto& n : feature_names(m.window, m.columns)) names.push(n);
  feats.set("names", std::move(names));
  o.set("features", std::move(feats));
  o.set("fill", numbers_to_json(m.fill));
  json::Value sc = json::Value::object();
  sc.set("mean", numbers_to_json(m.scaler.mean)).set("scale", numbers_to_json(m.scaler.scale)).set("clip", m.scaler.clip);
  o.set("scaler", std::move(sc));
  json::Value cal = json::Value::object();
  cal.set("quantile", m.quantile).set("q", m.q);
  json::Value levels = json::Value::array();
  for (size_t i = 0; i < m.levels.size(); ++i) {
    json::Value l = json::Value::array();
    l.push(kCalibrationLevels[i]).push(m.levels[i]);
    levels.push(std::move(l));
  }
  cal.set("levels", std::move(levels));
  o.set("calibration", std::move(cal));
  json::Value rule = json::Value::object();
  rule.set("threshold", m.rule.threshold).set("block_threshold", m.rule.block_threshold);
  rule.set("max_uncertainty", m.rule.max_uncertainty);
  o.set("decision", std::move(rule));
  o.set("seed", static_cast<int64_t>(m.seed)).set("smooth", m.smooth);
  json::Value tr = json::Value::object();
  tr.set("train_rows", static_cast<int64_t>(m.train_rows)).set("validation_rows", static_cast<int64_t>(m.validation_rows));
  tr.set("data_digest", hex64(m.data_digest));
  switch (m.kind) {
    case DetectorKind::Autoencoder:
    case DetectorKind::Vae:
      tr.set("epochs", m.epochs_done).set("batch_size", m.net.batch_size);
      tr.set("learning_rate", m.net.adam.learning_rate);
      if (m.kind == DetectorKind::Vae) tr.set("beta", m.net.beta);
      break;
    default:
      break;
  }
  o.set("training", std::move(tr));
  switch (m.kind) {
    case DetectorKind::Autoencoder:
      o.set("network", mlp_to_json(m.ae));
      if (with_optimizer && m.has_optimizer) o.set("optimizer", adam_to_json(m.ae_adam));
      break;
    case DetectorKind::Vae: {
      json::Value v = json::Value::object();
      v.set("latent", m.vae.latent).set("samples", m.vae_samples);
      v.set("encoder", mlp_to_json(m.vae.encoder)).set("decoder", mlp_to_json(m.vae.decoder));
      o.set("vae", std::move(v));
      if (with_optimizer && m.has_optimizer) {
        json::Value a = json::Value::object();
        a.set("encoder", adam_to_json(m.vae_adam.encoder)).set("decoder", adam_to_json(m.vae_adam.decoder));
        o.set("optimizer", std::move(a));
      }
      break;
    }
    case DetectorKind::IsolationForest:
      o.set("forest", forest_to_json(m.forest));
      break;
    case DetectorKind::RollingZ:
      break;
  }
  return o;
}

Result<AnomalyModel> model_from_json(const json::Value& v, const std::string& path) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(v, path));
  AnomalyModel m;
  FLK_ASSIGN(std::string format, r.string("format", 64));
  if (format != kModelFormat)
    return make_error("out_of_range", r.path_of("format") + " must be \"" + kModelFormat + "\"", r.path_of("format"));
  FLK_ASSIGN(std::string det, r.string("detector", 16));
  if (!parse_detector(det, m.kind))
    return make_error("out_of_range", r.path_of("detector") + ": unknown detector \"" + det + "\"", r.path_of("detector"));
  FLK_ASSIGN(const json::Value* cv, r.required("columns"));
  if (!cv->is_array()) return json::wrong_type(r.path_of("columns"), "an array", *cv);
  if (cv->as_array().empty() || cv->as_array().size() > kMaxColumns)
    return make_error("bad_length", r.path_of("columns") + " must name 1.." + std::to_string(kMaxColumns) + " columns",
                      r.path_of("columns"));
  FLK_ASSIGN(m.columns, read_columns(*cv, r.path_of("columns"), cv->as_array().size()));
  const size_t cols = m.columns.size();

  FLK_ASSIGN(const json::Value* fv, r.required("features"));
  {
    FLK_ASSIGN(auto fr, json::ObjectReader::open(*fv, r.path_of("features")));
    FLK_ASSIGN(m.window.values, fr.boolean("values"));
    FLK_ASSIGN(int64_t w, fr.integer("window", 0, kMaxWindow));
    m.window.window = static_cast<int>(w);
    FLK_ASSIGN(m.window.deltas, fr.boolean("deltas"));
    FLK_ASSIGN(m.window.rates, fr.boolean("rates"));
    if (features_per_column(m.window) == 0)
      return make_error("out_of_range", fr.path_of("values") + ": the feature spec yields no feature", fr.path_of("values"));
    FLK_ASSIGN(const json::Value* nv, fr.required("names"));
    const std::vector<std::string> expect = feature_names(m.window, m.columns);
    FLK_ASSIGN(auto names, read_columns(*nv, fr.path_of("names"), expect.size()));
    if (names != expect)
      return make_error("out_of_range", fr.path_of("names") + " do not match the columns and the feature spec",
                        fr.path_of("names"));
    FLK_TRY(fr.finish());
  }
  const int nf = feature_count(m);
  if (nf > kMaxWidth)
    return make_error("too_large", r.path_of("features") + ": more than " + std::to_string(kMaxWidth) + " features",
                      r.path_of("features"));
  FLK_ASSIGN(m.fill, read_sized_numbers(r, "fill", cols, model_bounds::kValue));
  FLK_ASSIGN(const json::Value* sv, r.required("scaler"));
  {
    FLK_ASSIGN(auto sr, json::ObjectReader::open(*sv, r.path_of("scaler")));
    FLK_ASSIGN(m.scaler.mean, read_sized_numbers(sr, "mean", nf, model_bounds::kValue));
    FLK_ASSIGN(m.scaler.scale, read_sized_numbers(sr, "scale", nf, model_bounds::kDivisor));
    FLK_ASSIGN(m.scaler.clip, sr.number("clip", {0, 1e6}));
    FLK_TRY(sr.finish());
  }
  FLK_ASSIGN(const json::Value* calv, r.required("calibration"));
  {
    FLK_ASSIGN(auto cr, json::ObjectReader::open(*calv, r.path_of("calibration")));
    FLK_ASSIGN(m.quantile, cr.number("quantile", kUnit));
    FLK_ASSIGN(m.q, cr.number("q", model_bounds::kDivisor));
    FLK_ASSIGN(const json::Value* lv, cr.required("levels"));
    FLK_ASSIGN(RowMatrix levels, read_matrix(*lv, cr.path_of("levels"), kCalibrationLevelCount, 2));
    if (static_cast<size_t>(levels.rows()) != kCalibrationLevelCount)
      return make_error("bad_length", cr.path_of("levels") + " must have " + std::to_string(kCalibrationLevelCount) +
                                          " [p, quantile] pairs", cr.path_of("levels"));
    for (size_t i = 0; i < kCalibrationLevelCount; ++i) {
      if (levels(static_cast<Eigen::Index>(i), 0) != kCalibrationLevels[i])
        return make_error("out_of_range", json::index_path(cr.path_of("levels"), i) + " must be at p = " +
                                              json::format_double(kCalibrationLevels[i]),
                          json::index_path(cr.path_of("levels"), i));
      m.levels.push_back(levels(static_cast<Eigen::Index>(i), 1));
    }
    FLK_TRY(cr.finish());
  }
  FLK_ASSIGN(const json::Value* dv, r.required("decision"));
  {
    FLK_ASSIGN(auto dr, json::ObjectReader::open(*dv, r.path_of("decision")));
    FLK_ASSIGN(m.rule.threshold, dr.number("threshold", kUnit));
    FLK_ASSIGN(m.rule.block_threshold, dr.number("block_threshold", kUnit));
    FLK_ASSIGN(m.rule.max_uncertainty, dr.number("max_uncertainty", kUnit));
    FLK_TRY(dr.finish());
  }
  FLK_ASSIGN(int64_t smooth, r.integer("smooth", 1, 1000));
  m.smooth = static_cast<int>(smooth);
  FLK_ASSIGN(int64_t seed, r.integer("seed", 0, kMaxSeed));
  m.seed = static_cast<uint64_t>(seed);
  m.net.seed = m.seed;
  FLK_ASSIGN(const json::Value* tv, r.required("training"));
  {
    FLK_ASSIGN(auto tr, json::ObjectReader::open(*tv, r.path_of("training")));
    FLK_ASSIGN(int64_t tr_rows, tr.integer("train_rows", 0, kMaxSeed));
    FLK_ASSIGN(int64_t va_rows, tr.integer("validation_rows", 0, kMaxSeed));
    m.train_rows = static_cast<size_t>(tr_rows);
    m.validation_rows = static_cast<size_t>(va_rows);
    FLK_ASSIGN(std::string digest, tr.string("data_digest", 16));
    char* end = nullptr;
    m.data_digest = std::strtoull(digest.c_str(), &end, 16);
    if (digest.size() != 16 || *end)
      return make_error("bad_encoding", tr.path_of("data_digest") + " must be 16 hex digits", tr.path_of("data_digest"));
    if (is_network(m.kind)) {
      FLK_ASSIGN(m.epochs_done, tr.integer("epochs", 0, kMaxSeed));
      FLK_ASSIGN(int64_t bs, tr.integer("batch_size", 1, 1 << 20));
      m.net.batch_size = static_cast<int>(bs);
      FLK_ASSIGN(m.net.adam.learning_rate, tr.number("learning_rate", {0, 10}));
      if (m.kind == DetectorKind::Vae) {
        FLK_ASSIGN(m.net.beta, tr.number("beta", {0, 1e6}));
      }
    }
    FLK_TRY(tr.finish());
  }
  switch (m.kind) {
    case DetectorKind::Autoencoder: {
      FLK_ASSIGN(const json::Value* nv, r.required("network"));
      FLK_ASSIGN(m.ae, read_mlp(*nv, r.path_of("network"), nf, nf));
      if (const json::Value* ov = r.optional("optimizer")) {
        FLK_ASSIGN(m.ae_adam, read_adam(*ov, r.path_of("optimizer"), m.ae));
        m.has_optimizer = true;
      }
      break;
    }
    case DetectorKind::Vae: {
      FLK_ASSIGN(const json::Value* vv, r.required("vae"));
      FLK_ASSIGN(auto vr, json::ObjectReader::open(*vv, r.path_of("vae")));
      FLK_ASSIGN(int64_t latent, vr.integer("latent", 1, kMaxWidth));
      m.vae.latent = static_cast<int>(latent);
      FLK_ASSIGN(int64_t samples, vr.integer("samples", 0, 1024));
      m.vae_samples = static_cast<int>(samples);
      FLK_ASSIGN(const json::Value* ev, vr.required("encoder"));
      FLK_ASSIGN(m.vae.encoder, read_mlp(*ev, vr.path_of("encoder"), nf, 2 * m.vae.latent));
      FLK_ASSIGN(const json::Value* dcv, vr.required("decoder"));
      FLK_ASSIGN(m.vae.decoder, read_mlp(*dcv, vr.path_of("decoder"), m.vae.latent, nf));
      FLK_TRY(vr.finish());
      if (const json::Value* ov = r.optional("optimizer")) {
        FLK_ASSIGN(auto orr, json::ObjectReader::open(*ov, r.path_of("optimizer")));
        FLK_ASSIGN(const json::Value* e, orr.required("encoder"));
        FLK_ASSIGN(m.vae_adam.encoder, read_adam(*e, orr.path_of("encoder"), m.vae.encoder));
        FLK_ASSIGN(const json::Value* d, orr.required("decoder"));
        FLK_ASSIGN(m.vae_adam.decoder, read_adam(*d, orr.path_of("decoder"), m.vae.decoder));
        FLK_TRY(orr.finish());
        m.has_optimizer = true;
      }
      break;
    }
    case DetectorKind::IsolationForest: {
      FLK_ASSIGN(const json::Value* f, r.required("forest"));
      FLK_ASSIGN(m.forest, read_forest(*f, r.path_of("forest"), nf));
      break;
    }
    case DetectorKind::RollingZ:
      if (m.window.window < 2)
        return make_error("out_of_range", r.path_of("features") + ": the zscore detector needs a window of at least 2",
                          r.path_of("features"));
      break;
  }
  FLK_TRY(r.finish());
  return m;
}

}  // namespace flk::anomaly_json
