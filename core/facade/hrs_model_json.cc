#include "facade/hrs_model_json.h"

#include "crypto/hash.h"
#include "facade/model_bounds.h"
#include "hrs/lexical.h"
#include "json/fields.h"
#include "json/write.h"

namespace flk::hrs_io {
namespace {

using model_bounds::kDivisor;
using model_bounds::kValue;
using model_bounds::kWeight;

json::Value numbers(const std::vector<double>& v) {
  json::Value a = json::Value::array();
  for (double x : v) a.push(x);
  return a;
}

json::Value ints(const std::vector<int32_t>& v) {
  json::Value a = json::Value::array();
  for (int32_t x : v) a.push(x);
  return a;
}

json::Value gbt_json(const hrs::GbtModel& m) {
  json::Value trees = json::Value::array();
  for (const hrs::Tree& t : m.trees) {
    json::Value o = json::Value::object();
    o.set("feature", ints(t.feature)).set("left", ints(t.left)).set("right", ints(t.right));
    o.set("threshold", numbers(t.threshold)).set("value", numbers(t.value)).set("cover", numbers(t.cover));
    trees.push(std::move(o));
  }
  json::Value o = json::Value::object();
  o.set("base", m.base).set("trees", std::move(trees));
  return o;
}

json::Value calibration_json(const hrs::Calibrator& c) {
  json::Value o = json::Value::object();
  o.set("method", hrs::method_name(c.method));
  if (c.method == hrs::Calibrator::Method::Platt) {
    o.set("a", c.a).set("b", c.b);
  } else {
    o.set("x", numbers(c.x)).set("y", numbers(c.y));
  }
  return o;
}

Result<std::vector<double>> read_vec(json::ObjectReader& r, const char* key, json::Range range, size_t max,
                                     size_t exact = SIZE_MAX) {
  FLK_ASSIGN(const json::Value* v, r.required(key));
  FLK_ASSIGN(auto out, json::read_numbers(*v, r.path_of(key), max, range));
  if (exact != SIZE_MAX && out.size() != exact)
    return make_error("bad_length", r.path_of(key) + " must have " + std::to_string(exact) + " entries",
                      r.path_of(key));
  return out;
}

Result<hrs::Tree> read_tree(const json::Value& v, const std::string& path) {
  constexpr size_t kMaxNodes = 1u << 12;
  FLK_ASSIGN(auto r, json::ObjectReader::open(v, path));
  hrs::Tree t;
  FLK_ASSIGN(const json::Value* fv, r.required("feature"));
  FLK_ASSIGN(auto feature, json::read_ints(*fv, r.path_of("feature"), kMaxNodes, -1, hrs::kModelFeatures - 1));
  const size_t n = feature.size();
  if (n == 0) return make_error("bad_length", path + ".feature must not be empty", path + ".feature");
  FLK_ASSIGN(const json::Value* lv, r.required("left"));
  FLK_ASSIGN(auto left, json::read_ints(*lv, r.path_of("left"), kMaxNodes, -1, static_cast<int64_t>(n) - 1));
  FLK_ASSIGN(const json::Value* rv, r.required("right"));
  FLK_ASSIGN(auto right, json::read_ints(*rv, r.path_of("right"), kMaxNodes, -1, static_cast<int64_t>(n) - 1));
  FLK_ASSIGN(t.threshold, read_vec(r, "threshold", kValue, kMaxNodes, n));
  FLK_ASSIGN(t.value, read_vec(r, "value", kWeight, kMaxNodes, n));
  FLK_ASSIGN(t.cover, read_vec(r, "cover", kValue, kMaxNodes, n));
  FLK_TRY(r.finish());
  if (left.size() != n || right.size() != n)
    return make_error("bad_length", path + ": feature, left and right must have equal lengths", path);
  for (size_t k = 0; k < n; ++k) {
    bool leaf = feature[k] < 0;
    // Children come after their parent, so every walk ends at a leaf.
    bool ok = leaf ? (left[k] == -1 && right[k] == -1)
                   : (left[k] > static_cast<int64_t>(k) && right[k] > static_cast<int64_t>(k) && t.cover[k] > 0);
    if (!ok) return make_error("out_of_range", path + ": node " + std::to_string(k) + " is malformed", path);
    t.feature.push_back(static_cast<int32_t>(feature[k]));
    t.left.push_back(static_cast<int32_t>(left[k]));
    t.right.push_back(static_cast<int32_t>(right[k]));
  }
  return t;
}

Result<hrs::GbtModel> read_gbt(const json::Value& v, const std::string& path) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(v, path));
  hrs::GbtModel m;
  FLK_ASSIGN(m.base, r.number("base", kWeight));
  FLK_ASSIGN(const json::Value* tv, r.required("trees"));
  if (!tv->is_array()) return json::wrong_type(r.path_of("trees"), "an array", *tv);
  if (tv->as_array().size() > 4096)
    return make_error("too_large", r.path_of("trees") + " has more than 4096 trees", r.path_of("trees"));
  for (size_t i = 0; i < tv->as_array().size(); ++i) {
    FLK_ASSIGN(hrs::Tree t, read_tree(tv->as_array()[i], json::index_path(r.path_of("trees"), i)));
    m.trees.push_back(std::move(t));
  }
  FLK_TRY(r.finish());
  return m;
}

Result<hrs::Calibrator> read_calibration(const json::Value& v, const std::string& path, size_t max_knots) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(v, path));
  hrs::Calibrator c;
  using Method = hrs::Calibrator::Method;
  FLK_ASSIGN(c.method, r.choice<Method>("method", {{"platt", Method::Platt}, {"isotonic", Method::Isotonic}}));
  if (c.method == Method::Platt) {
    FLK_ASSIGN(c.a, r.number("a", kWeight));
    FLK_ASSIGN(c.b, r.number("b", kWeight));
  } else {
    FLK_ASSIGN(c.x, read_vec(r, "x", kValue, max_knots));
    FLK_ASSIGN(c.y, read_vec(r, "y", {0, 1}, max_knots, c.x.size()));
    if (c.x.empty()) return make_error("bad_length", path + ".x must not be empty", path + ".x");
    for (size_t k = 1; k < c.x.size(); ++k)
      if (!(c.x[k] > c.x[k - 1]) || c.y[k] < c.y[k - 1])
        return make_error("out_of_range", path + ": isotonic knots must increase", path);
  }
  FLK_TRY(r.finish());
  return c;
}

// The maps per regime (optional; none in older models): at most one per regime, ascending,
// each with at most kMaxRegimeKnots knots and never decreasing (the global map keeps accepting
// what older files hold).
constexpr size_t kMaxRegimeKnots = 4096;

json::Value regime_calibration_json(const std::vector<hrs::RegimeCalibrator>& maps) {
  json::Value a = json::Value::array();
  for (const hrs::RegimeCalibrator& m : maps) {
    json::Value o = json::Value::object();
    o.set("regime", static_cast<int64_t>(m.regime)).set("name", hrs::regime_name(m.regime));
    o.set("calibration", calibration_json(m.map));
    a.push(std::move(o));
  }
  return a;
}

Result<std::vector<hrs::RegimeCalibrator>> read_regime_calibration(const json::Value& v, const std::string& path) {
  if (!v.is_array()) return json::wrong_type(path, "an array", v);
  const auto& a = v.as_array();
  if (a.size() > hrs::kRegimes)
    return make_error("too_large", path + " has more than " + std::to_string(hrs::kRegimes) + " maps", path);
  std::vector<hrs::RegimeCalibrator> out;
  for (size_t i = 0; i < a.size(); ++i) {
    std::string p = json::index_path(path, i);
    FLK_ASSIGN(auto r, json::ObjectReader::open(a[i], p));
    hrs::RegimeCalibrator m;
    FLK_ASSIGN(int64_t regime, r.integer("regime", 1, hrs::kRegimes));
    m.regime = static_cast<uint32_t>(regime);
    if (!out.empty() && m.regime <= out.back().regime)
      return make_error("out_of_range", r.path_of("regime") + " must increase", r.path_of("regime"));
    FLK_ASSIGN(std::string name, r.string("name", 64));
    if (name != hrs::regime_name(m.regime))
      return make_error("out_of_range", r.path_of("name") + " must be \"" + hrs::regime_name(m.regime) + "\"",
                        r.path_of("name"));
    FLK_ASSIGN(const json::Value* cv, r.required("calibration"));
    FLK_ASSIGN(m.map, read_calibration(*cv, r.path_of("calibration"), kMaxRegimeKnots));
    if (!hrs::non_decreasing(m.map)) {
      std::string a = r.path_of("calibration") + ".a";
      return make_error("out_of_range", a + " must not be negative (the map must not decrease)", a);
    }
    FLK_TRY(r.finish());
    out.push_back(std::move(m));
  }
  return out;
}

Result<hrs::FeatureBaseline> read_baseline(const json::Value& v, const std::string& path) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(v, path));
  hrs::FeatureBaseline b;
  FLK_ASSIGN(b.quantiles, read_vec(r, "quantiles", kValue, 101, 101));
  FLK_ASSIGN(b.edges, read_vec(r, "edges", kValue, 16));
  FLK_ASSIGN(b.expected, read_vec(r, "expected", kValue, 17, b.edges.size() + 1));
  FLK_ASSIGN(b.n, r.number("n", {1, 1e12}));
  FLK_TRY(r.finish());
  return b;
}

}  // namespace

json::Value linear_json(const hrs::LinearModel& m) {
  json::Value o = json::Value::object();
  o.set("bias", m.bias).set("center", numbers(m.center)).set("scale", numbers(m.scale)).set("weight", numbers(m.weight));
  return o;
}

Result<hrs::LinearModel> read_linear(const json::Value& v, const std::string& path, size_t inputs) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(v, path));
  hrs::LinearModel m;
  FLK_ASSIGN(m.bias, r.number("bias", kWeight));
  FLK_ASSIGN(m.center, read_vec(r, "center", kValue, inputs, inputs));
  FLK_ASSIGN(m.scale, read_vec(r, "scale", kDivisor, inputs, inputs));
  FLK_ASSIGN(m.weight, read_vec(r, "weight", kWeight, inputs, inputs));
  FLK_TRY(r.finish());
  return m;
}


json::Value baseline_json(const hrs::FeatureBaseline& b) {
  json::Value o = json::Value::object();
  o.set("quantiles", numbers(b.quantiles)).set("edges", numbers(b.edges)).set("expected", numbers(b.expected));
  o.set("n", b.n);
  return o;
}

namespace {

// Every number as a double and -0.0 as 0.0, so that a model that went through JavaScript
// (where 1.0 is written back as 1 and -0.0 as 0) keeps its id.
json::Value numbers_as_doubles(const json::Value& v) {
  switch (v.type()) {
    case json::Type::Int:
    case json::Type::Double: return json::Value(v.as_double() + 0.0);
    case json::Type::Array: {
      json::Value a = json::Value::array();
      for (const auto& e : v.as_array()) a.push(numbers_as_doubles(e));
      return a;
    }
    case json::Type::Object: {
      json::Value o = json::Value::object();
      for (const auto& m : v.as_object()) o.set(m.first, numbers_as_doubles(m.second));
      return o;
    }
    default: return v;
  }
}

}  // namespace

std::string model_id(const json::Value& model) {
  json::Value copy = json::Value::object();
  for (const auto& m : model.as_object())
    if (m.first != "id") copy.set(m.first, numbers_as_doubles(m.second));
  return crypto::sha256_hex(json::to_string(copy));
}

namespace {

// A bag of words with at most a quarter of its buckets non-zero (a pruned one) is written as
// `gaps` (each non-zero bucket's distance from the previous one, the first from 0) and their
// `weights`; otherwise as all 2^bits weights.
json::Value lexical_json(const hrs::Model& m) {
  json::Value lex = json::Value::object();
  lex.set("bits", m.lexical_bits).set("bias", m.lexical.bias);
  const std::vector<double>& w = m.lexical.weight;
  std::vector<int32_t> gaps;
  std::vector<double> kept;
  int32_t last = 0;
  for (size_t k = 0; k < w.size(); ++k)
    if (w[k] != 0) {
      gaps.push_back(static_cast<int32_t>(k) - last);
      kept.push_back(w[k]);
      last = static_cast<int32_t>(k);
    }
  if (kept.size() * 4 > w.size()) return lex.set("weights", numbers(w));
  return lex.set("gaps", ints(gaps)).set("weights", numbers(kept));
}

Result<std::vector<double>> read_lexical_weights(json::ObjectReader& lr, int bits) {
  const size_t buckets = size_t{1} << bits;
  const json::Value* gv = lr.optional("gaps");
  if (!gv) return read_vec(lr, "weights", kWeight, buckets, buckets);
  FLK_ASSIGN(auto gaps, json::read_ints(*gv, lr.path_of("gaps"), buckets, 0, static_cast<int64_t>(buckets) - 1));
  FLK_ASSIGN(auto kept, read_vec(lr, "weights", kWeight, buckets, gaps.size()));
  std::vector<double> w(buckets, 0);
  int64_t at = 0;
  for (size_t k = 0; k < gaps.size(); ++k) {
    at += gaps[k];
    if ((k > 0 && gaps[k] == 0) || at >= static_cast<int64_t>(buckets))
      return make_error("out_of_range", lr.path_of("gaps") + " must increase within 2^bits buckets",
                        lr.path_of("gaps") + "[" + std::to_string(k) + "]");
    w[static_cast<size_t>(at)] = kept[k];
  }
  return w;
}

}  // namespace

json::Value model_json(const hrs::Model& m, const std::vector<hrs::FeatureBaseline>& baseline, json::Value card) {
  json::Value o = json::Value::object();
  o.set("format", kModelFormat);
  o.set("feature_schema", hrs::kFeatureSchemaVersion);
  json::Value names = json::Value::array();
  for (int f = 0; f < hrs::kModelFeatures; ++f) names.push(hrs::model_feature_name(f));
  o.set("features", std::move(names));
  o.set("kind", hrs::kind_name(m.kind));
  o.set("lexical", lexical_json(m));
  json::Value members = json::Value::array();
  for (const auto& l : m.linear) members.push(linear_json(l));
  for (const auto& g : m.gbt) members.push(gbt_json(g));
  o.set("members", std::move(members));
  o.set("calibration", calibration_json(m.calibrator));
  if (!m.regime_calibrators.empty()) o.set("calibration_by_regime", regime_calibration_json(m.regime_calibrators));
  json::Value interval = json::Value::object();
  interval.set("method", "bootstrap_member_spread").set("z", 1.96);
  json::Value grounding = json::Value::object();
  grounding.set("no_context", m.grounding_sd[0]).set("context", m.grounding_sd[1]);
  interval.set("grounding_sd", std::move(grounding));
  o.set("interval", std::move(interval));
  json::Value drift = json::Value::object();
  for (size_t f = 0; f < baseline.size(); ++f)
    drift.set(f < static_cast<size_t>(hrs::kModelFeatures) ? hrs::model_feature_name(static_cast<int>(f)) : "logit",
              baseline_json(baseline[f]));
  o.set("drift_baseline", std::move(drift));
  o.set("card", std::move(card));
  o.set("id", model_id(o));
  return o;
}

uint8_t groups_used_by(const hrs::Model& m) {
  uint8_t g = 0;
  auto mark = [&](int f) {
    if (f < hrs::kNumFeatures) g |= hrs::feature_info(f).group;
    else g |= hrs::kGroupAnswer;  // the bag-of-words logit reads the answer
  };
  for (const auto& l : m.linear)
    for (int f = 0; f < hrs::kModelFeatures; ++f)
      if (l.weight[f] != 0) mark(f);
  for (const auto& gm : m.gbt)
    for (const auto& t : gm.trees)
      for (int32_t f : t.feature)
        if (f >= 0) mark(f);
  return g;
}

Result<LoadedModel> load_model(const json::Value& v, const std::string& path, bool verify_id) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(v, path));
  LoadedModel out;
  FLK_ASSIGN(std::string format, r.string("format", 64));
  if (format != kModelFormat)
    return make_error("unsupported", r.path_of("format") + " is \"" + format + "\", expected " + kModelFormat,
                      r.path_of("format"));
  FLK_ASSIGN(std::string schema, r.string("feature_schema", 64));
  if (schema != hrs::kFeatureSchemaVersion)
    return make_error("unsupported",
                      r.path_of("feature_schema") + " is \"" + schema + "\", this build computes " +
                          hrs::kFeatureSchemaVersion,
                      r.path_of("feature_schema"));
  FLK_ASSIGN(const json::Value* names, r.required("features"));
  bool names_ok = names->is_array() && names->as_array().size() == static_cast<size_t>(hrs::kModelFeatures);
  for (int f = 0; names_ok && f < hrs::kModelFeatures; ++f)
    names_ok = names->as_array()[f].is_string() && names->as_array()[f].as_string() == hrs::model_feature_name(f);
  if (!names_ok)
    return make_error("unsupported", r.path_of("features") + " differ from this build's feature names",
                      r.path_of("features"));
  hrs::Model& m = out.model;
  FLK_ASSIGN(m.kind, r.choice<hrs::ModelKind>("kind", {{"logistic", hrs::ModelKind::Logistic}, {"gbt", hrs::ModelKind::Gbt}}));
  {
    FLK_ASSIGN(const json::Value* lv, r.required("lexical"));
    FLK_ASSIGN(auto lr, json::ObjectReader::open(*lv, r.path_of("lexical")));
    FLK_ASSIGN(int64_t bits, lr.integer("bits", 4, 20));
    m.lexical_bits = static_cast<int>(bits);
    FLK_ASSIGN(m.lexical.bias, lr.number("bias", kWeight));
    FLK_ASSIGN(m.lexical.weight, read_lexical_weights(lr, static_cast<int>(bits)));
    FLK_TRY(lr.finish());
  }
  FLK_ASSIGN(const json::Value* mv, r.required("members"));
  if (!mv->is_array()) return json::wrong_type(r.path_of("members"), "an array", *mv);
  const auto& ma = mv->as_array();
  if (ma.empty() || ma.size() > kMaxMembers)
    return make_error("bad_length", r.path_of("members") + " must hold 1 to " + std::to_string(kMaxMembers) + " members",
                      r.path_of("members"));
  for (size_t i = 0; i < ma.size(); ++i) {
    std::string p = json::index_path(r.path_of("members"), i);
    if (m.kind == hrs::ModelKind::Logistic) {
      FLK_ASSIGN(auto lm, read_linear(ma[i], p, hrs::kModelFeatures));
      m.linear.push_back(std::move(lm));
    } else {
      FLK_ASSIGN(auto gm, read_gbt(ma[i], p));
      m.gbt.push_back(std::move(gm));
    }
  }
  FLK_ASSIGN(const json::Value* cv, r.required("calibration"));
  FLK_ASSIGN(m.calibrator, read_calibration(*cv, r.path_of("calibration"), 1u << 16));
  if (const json::Value* rv = r.optional("calibration_by_regime")) {
    FLK_ASSIGN(m.regime_calibrators, read_regime_calibration(*rv, r.path_of("calibration_by_regime")));
  }
  FLK_ASSIGN(const json::Value* iv, r.required("interval"));
  {
    FLK_ASSIGN(auto ir, json::ObjectReader::open(*iv, r.path_of("interval")));
    FLK_ASSIGN(std::string method, ir.string("method", 64));
    FLK_ASSIGN(double z, ir.number("z"));
    if (method != "bootstrap_member_spread" || z != 1.96)
      return make_error("unsupported", r.path_of("interval") + " must be bootstrap_member_spread with z 1.96",
                        r.path_of("interval"));
    // Optional (models before the grounding term have none: 0, the member spread alone).
    const json::Value* gv = ir.optional("grounding_sd");
    if (gv) {
      FLK_ASSIGN(auto gr, json::ObjectReader::open(*gv, ir.path_of("grounding_sd")));
      const char* names[2] = {"no_context", "context"};
      for (int k = 0; k < 2; ++k) {
        FLK_ASSIGN(double g, gr.number(names[k]));
        if (!(g >= 0 && g <= 1e6))
          return make_error("out_of_range", gr.path_of(names[k]) + " must be in [0, 1e6]", gr.path_of(names[k]));
        m.grounding_sd[k] = g;
      }
      FLK_TRY(gr.finish());
    }
    FLK_TRY(ir.finish());
  }
  FLK_ASSIGN(const json::Value* dv, r.required("drift_baseline"));
  {
    FLK_ASSIGN(auto dr, json::ObjectReader::open(*dv, r.path_of("drift_baseline")));
    for (int f = 0; f <= hrs::kModelFeatures; ++f) {
      const char* name = f < hrs::kModelFeatures ? hrs::model_feature_name(f) : "logit";
      FLK_ASSIGN(const json::Value* bv, dr.required(name));
      FLK_ASSIGN(auto b, read_baseline(*bv, dr.path_of(name)));
      out.baseline.push_back(std::move(b));
    }
    FLK_TRY(dr.finish());
  }
  FLK_ASSIGN(const json::Value* card, r.required("card"));
  if (!card->is_object()) return json::wrong_type(r.path_of("card"), "an object", *card);
  out.card = *card;
  if (const json::Value* cvm = card->find("cv_metrics"))
    if (const json::Value* h = cvm->find("hrs"))
      if (const json::Value* all = h->find("all"))
        if (const json::Value* a = all->find("auroc"))
          if (a->is_number()) out.cv_auroc = a->as_double();
  FLK_ASSIGN(std::string id, r.string("id", 64));
  FLK_TRY(r.finish());
  out.id = verify_id ? model_id(v) : id;
  if (id != out.id)
    return make_error("integrity", r.path_of("id") + " does not match the SHA-256 of the model (" + out.id + ")",
                      r.path_of("id"));
  out.groups_used = groups_used_by(m);
  return out;
}

}  // namespace flk::hrs_io
