#include "app/anomaly_hub.h"

#include "app/facade.h"
#include "facade/anomaly_series_json.h"
#include "json/fields.h"
#include "json/parse.h"
#include "json/write.h"
#include "tenants/directory.h"

namespace flk::server {
namespace {

constexpr size_t kMaxPoints = 1000;
constexpr size_t kMaxItems = 1000;

const char* const kModes[] = {"shadow", "guardrail", "blocking"};
const json::Range kValue{-anomaly_json::kMaxMagnitude, anomaly_json::kMaxMagnitude};  // what anomaly.score takes

bool is_mode(const std::string& m) {
  for (const char* k : kModes)
    if (m == k) return true;
  return false;
}

// Facade errors name the op's fields ($.rows[i][j], $.times[i]); the caller sent points.
Error on_points(Error e) {
  for (const std::string from : {"$.times[", "$.rows["}) {
    if (e.path.rfind(from, 0) != 0) continue;
    const size_t close = e.path.find(']');
    const std::string old = e.path.substr(0, close + 1), index = e.path.substr(from.size(), close - from.size());
    const std::string now = "$.points[" + index + "]" + (from[2] == 't' ? ".ts" : ".values");
    e.path = now + e.path.substr(close + 1);
    for (size_t at = e.message.find(old); at != std::string::npos; at = e.message.find(old, at + now.size()))
      e.message.replace(at, old.size(), now);
  }
  return e;
}

Result<json::Value> call(const char* op, const json::Value& in) { return thread_engine().call_value(op, in); }

// The facade's default model (anomaly.default_model).
Result<json::Value> default_model() {
  FLK_ASSIGN(json::Value out, call("anomaly.default_model", json::Value::object()));
  return *out.find("model");
}

json::Value with_threshold(json::Value model, double threshold) {
  json::Value d = *model.find("decision");
  d.set("threshold", threshold);
  model.set("decision", std::move(d));
  return model;
}

// The points as the op's rows and times; timestamps must rise past the series' last one.
struct Points {
  json::Value rows = json::Value::array();
  json::Value times = json::Value::array();
  std::vector<double> ts;
};

Result<Points> read_points(const json::Value& pv, size_t width, bool has_prev, double prev) {
  if (!pv.is_array()) return json::wrong_type("$.points", "an array", pv);
  if (pv.as_array().empty() || pv.as_array().size() > kMaxPoints)
    return make_error("bad_length", "$.points holds 1 to 1000 points", "$.points");
  Points out;
  for (size_t i = 0; i < pv.as_array().size(); ++i) {
    const std::string path = json::index_path("$.points", i);
    FLK_ASSIGN(auto r, json::ObjectReader::open(pv.as_array()[i], path));
    FLK_ASSIGN(double ts, r.number("ts", {-1e15, 1e15}));
    if (has_prev && ts == prev)
      return make_error("duplicate_timestamp", r.path_of("ts") + " repeats the previous point's timestamp", r.path_of("ts"));
    if (has_prev && ts < prev)
      return make_error("unsorted_timestamps", r.path_of("ts") + " goes back before the previous point's timestamp",
                        r.path_of("ts"));
    json::Value row = json::Value::array();
    const json::Value* one = r.optional("value");
    const json::Value* many = r.optional("values");
    if ((one != nullptr) == (many != nullptr))
      return make_error("conflicting_fields", path + " needs exactly one of \"value\" and \"values\"", path);
    if (one) {
      FLK_ASSIGN(double v, json::read_number(*one, r.path_of("value"), kValue));
      row.push(v);
    } else {
      FLK_ASSIGN(auto vs, json::read_numbers(*many, r.path_of("values"), 4096, kValue));
      for (double v : vs) row.push(v);
    }
    if (row.as_array().size() != width)
      return make_error("bad_length", path + " has " + std::to_string(row.as_array().size()) + " values; the model has " +
                                          std::to_string(width) + " columns", one ? r.path_of("value") : r.path_of("values"));
    FLK_TRY(r.finish());
    out.rows.push(std::move(row));
    out.times.push(ts);
    out.ts.push_back(ts);
    has_prev = true;
    prev = ts;
  }
  return out;
}

std::string event_id(const std::string& series, double ts) { return series + "@" + json::to_string(json::Value(ts)); }

// Points a new series is scored for before it may be flagged: the window statistics and the
// smoothed score of a stream's first rows rest on a handful of values.
int64_t warm_up(const json::Value& model) {
  const auto window = static_cast<int64_t>(model.find("features")->find("window")->as_double());
  const auto smooth = static_cast<int64_t>(model.find("smooth")->as_double());
  return window > smooth ? window : smooth;
}

}  // namespace

AnomalyMetrics::AnomalyMetrics()
    : observations({"flk_anomaly_observations_total", "Points scored by the anomaly detectors, by mode",
                    MetricKind::counter, {"mode"}}),
      anomalies({"flk_anomaly_anomalies_total", "Points flagged as anomalous (score >= threshold), by mode",
                 MetricKind::counter, {"mode"}}),
      feedback({"flk_anomaly_feedback_total", "Labelled feedback items added or replaced, by mode", MetricKind::counter,
                {"mode"}}),
      self_samples({"flk_anomaly_self_samples_total", "Samples of the server's own metrics fed to the self-watch",
                    MetricKind::counter, {"series"}}),
      scores({"flk_anomaly_score", "Calibrated anomaly scores of observed points, by mode", MetricKind::histogram,
              {"mode"}, {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99}}) {}

std::unique_ptr<Write> anomaly_state_write(const std::string& tenant, const std::string& name, const json::Value& doc,
                                           const char* audit_type, json::Value audit_data, int64_t now_ms) {
  auto w = std::make_unique<AnomalyStateWrite>();
  w->tenant = tenant;
  w->id = name;
  w->body = json::to_string(doc);
  w->now_ms = now_ms;
  if (audit_type) w->audit = AuditDraft{audit_type, tenant, std::move(audit_data), now_ms};
  return w;
}

Result<AnomalyHub::TenantState*> AnomalyHub::tenant(const std::string& id, std::unique_lock<std::mutex>* lock) {
  TenantState* t;
  {
    std::lock_guard<std::mutex> l(mu_);
    auto& slot = tenants_[id];
    if (!slot) slot = std::make_unique<TenantState>();
    t = slot.get();
  }
  *lock = std::unique_lock<std::mutex>(t->mu);
  if (t->loaded) return t;
  FLK_ASSIGN(auto model_doc, anomaly::state(store_, id, "model"));
  FLK_ASSIGN(auto feedback_doc, anomaly::state(store_, id, "feedback"));
  json::Value model;
  if (model_doc) {
    FLK_ASSIGN(json::Value doc, json::parse(*model_doc));
    t->mode = doc.find("mode")->as_string();
    t->model_ms = doc.find("updated_ms")->as_int();
    model = *doc.find("model");
  }
  t->custom = !model.is_null();
  if (!t->custom) {
    FLK_ASSIGN(model, default_model());
  }
  t->model = std::move(model);
  t->feedback = json::Value();
  t->feedback_ms = 0;
  if (feedback_doc) {
    FLK_ASSIGN(json::Value doc, json::parse(*feedback_doc));
    adopt_feedback(*t, doc);
  }
  t->loaded = true;
  return t;
}

void AnomalyHub::adopt_feedback(TenantState& t, const json::Value& doc) {
  t.feedback = *doc.find("state");
  t.feedback_ms = doc.find("updated_ms")->as_int();
  if (!t.feedback.is_null()) t.model = with_threshold(std::move(t.model), t.feedback.find("threshold")->as_double());
}

Status AnomalyHub::refresh() {
  std::vector<std::pair<std::string, TenantState*>> loaded;
  {
    std::lock_guard<std::mutex> l(mu_);
    for (auto& [id, t] : tenants_) loaded.emplace_back(id, t.get());
  }
  for (auto& [id, t] : loaded) {
    FLK_ASSIGN(auto model_doc, anomaly::state(store_, id, "model"));
    FLK_ASSIGN(auto feedback_doc, anomaly::state(store_, id, "feedback"));
    std::lock_guard<std::mutex> l(t->mu);
    if (!t->loaded) continue;
    if (model_doc) {
      FLK_ASSIGN(json::Value doc, json::parse(*model_doc));
      if (doc.find("updated_ms")->as_int() > t->model_ms) {
        // Another instance installed a model: load it at the next use, with fresh series.
        t->loaded = false;
        t->series.clear();
        continue;
      }
    }
    if (feedback_doc) {
      FLK_ASSIGN(json::Value doc, json::parse(*feedback_doc));
      if (doc.find("updated_ms")->as_int() > t->feedback_ms) adopt_feedback(*t, doc);
    }
  }
  return Ok{};
}

AnomalyHub::Series& AnomalyHub::series(TenantState& t, const std::string& name) {
  auto it = t.series.find(name);
  if (it == t.series.end()) {
    if (t.series.size() >= max_series_) {
      auto oldest = t.series.begin();
      for (auto s = t.series.begin(); s != t.series.end(); ++s)
        if (s->second.used < oldest->second.used) oldest = s;
      t.series.erase(oldest);
    }
    it = t.series.emplace(name, Series{}).first;
  }
  it->second.used = ++t.clock;
  return it->second;
}

double AnomalyHub::threshold(const TenantState& t) const {
  return t.model.find("decision")->find("threshold")->as_double();
}

Result<AnomalyOutcome> AnomalyHub::observe(const std::string& tenant_id, const json::Value& body, int64_t now_ms) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(body, "$"));
  FLK_ASSIGN(std::string name, r.string("series", 128));
  if (!is_tenant_id(name))
    return make_error("bad_format", std::string("$.series must be ") + kTenantIdRule, "$.series");
  FLK_ASSIGN(const json::Value* pv, r.required("points"));
  const json::Value* columns = r.optional("columns");
  FLK_TRY(r.finish());
  std::unique_lock<std::mutex> lock;
  FLK_ASSIGN(TenantState * t, tenant(tenant_id, &lock));
  const size_t width = t->model.find("columns")->as_array().size();
  auto known = t->series.find(name);
  const bool has_prev = known != t->series.end() && known->second.has_ts;
  FLK_ASSIGN(Points pts, read_points(*pv, width, has_prev, has_prev ? known->second.last_ts : 0));
  json::Value in = json::Value::object();
  in.set("model", t->model).set("rows", std::move(pts.rows)).set("times", std::move(pts.times)).set("mode", t->mode);
  if (columns) in.set("columns", *columns);
  if (known != t->series.end() && !known->second.state.is_null()) in.set("state", known->second.state);
  auto scored = call("anomaly.score", in);
  if (!scored.ok()) return on_points(scored.error());
  Series& s = series(*t, name);
  s.state = *scored->find("state");
  s.has_ts = true;
  s.last_ts = pts.ts.back();
  const int64_t warm = warm_up(t->model), seen_before = s.seen;
  s.seen += static_cast<int64_t>(pts.ts.size());

  AnomalyOutcome out;
  const auto& scores = scored->find("scores")->as_array();
  const auto& unc = scored->find("uncertainty")->as_array();
  const auto& flags = scored->find("is_anomaly")->as_array();
  const auto& decisions = scored->find("decisions")->as_array();
  const double th = scored->find("threshold")->as_double();
  json::Value list = json::Value::array();
  int64_t flagged = 0;
  for (size_t i = 0; i < scores.size(); ++i) {
    json::Value d = decisions[i];
    d.set("ts", pts.ts[i]).set("score", scores[i]).set("uncertainty", unc[i]).set("threshold", th);
    const int64_t n = seen_before + static_cast<int64_t>(i) + 1;
    const bool warming = n <= warm;
    if (warming)
      d.set("action", "accept").set("rule", "accept").set("reason", "warming up: point " + std::to_string(n) + " of the first " +
                                                                        std::to_string(warm) + " of the series");
    d.set("is_anomaly", flags[i].as_bool() && !warming);
    const bool anomalous = flags[i].as_bool() && !warming;
    metrics_.observations.inc({t->mode});
    metrics_.scores.observe({t->mode}, scores[i].as_double());
    // Counted (by 0) for every point, so the anomaly rate exists before the first anomaly.
    metrics_.anomalies.inc({t->mode}, anomalous ? 1 : 0);
    if (anomalous) {
      ++flagged;
      const std::string id = event_id(name, pts.ts[i]);
      d.set("event_id", id);
      json::Value ev = d;
      ev.set("tenant", tenant_id).set("series", name).set("values", in.find("rows")->as_array()[i]);
      ev.set("observed_at", rfc3339_ms(now_ms));
      auto w = std::make_unique<AnomalyEventWrite>();
      w->tenant = tenant_id;
      w->id = id;
      w->status = 200;
      w->body = json::to_string(ev);
      w->now_ms = now_ms;
      w->expires_ms = now_ms + event_ttl_ms_;
      w->audit = AuditDraft{"anomaly.detected", tenant_id, std::move(ev), now_ms};
      out.writes.push_back(std::move(w));
    }
    list.push(std::move(d));
  }
  out.answer = json::Value::object();
  out.answer.set("series", name).set("model", t->custom ? "tenant" : "default").set("mode", t->mode);
  out.answer.set("threshold", th).set("anomalies", flagged).set("decisions", std::move(list));
  return out;
}

Result<AnomalyOutcome> AnomalyHub::feedback(const std::string& tenant_id, const json::Value& body, int64_t now_ms) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(body, "$"));
  FLK_ASSIGN(const json::Value* items, r.required("items"));
  FLK_TRY(r.finish());
  if (!items->is_array()) return json::wrong_type("$.items", "an array", *items);
  if (items->as_array().empty() || items->as_array().size() > kMaxItems)
    return make_error("bad_length", "$.items holds 1 to 1000 items", "$.items");
  // An item without a score labels a stored event: its score is the event's.
  json::Value labelled = json::Value::array();
  for (size_t i = 0; i < items->as_array().size(); ++i) {
    json::Value item = items->as_array()[i];
    const json::Value* id = item.is_object() ? item.find("id") : nullptr;
    if (id && id->is_string() && !item.find("score")) {
      FLK_ASSIGN(auto stored, anomaly::event(store_, tenant_id, id->as_string()));
      const std::string path = json::join_path(json::index_path("$.items", i), "id");
      if (!stored)
        return make_error("unknown_event", path + ": no anomaly event \"" + id->as_string().substr(0, 300) +
                                               "\" of this tenant; give the item's score", path);
      FLK_ASSIGN(json::Value ev, json::parse(*stored));
      item.set("score", *ev.find("score"));
    }
    labelled.push(std::move(item));
  }
  std::unique_lock<std::mutex> lock;
  FLK_ASSIGN(TenantState * t, tenant(tenant_id, &lock));
  const double before = threshold(*t);
  json::Value in = json::Value::object();
  in.set("items", std::move(labelled));
  if (t->feedback.is_null())
    in.set("threshold", before).set("reoptimise_every", reoptimise_every_);
  else
    in.set("state", t->feedback);
  FLK_ASSIGN(json::Value res, call("anomaly.feedback", in));
  t->feedback = *res.find("state");
  const double after = res.find("threshold")->as_double();
  t->model = with_threshold(std::move(t->model), after);
  const int64_t changed = res.find("added")->as_int() + res.find("replaced")->as_int();
  metrics_.feedback.inc({t->mode}, static_cast<double>(changed));

  AnomalyOutcome out;
  out.answer = json::Value::object();
  for (const auto& m : res.as_object())
    if (m.first != "state") out.answer.set(m.first, m.second);
  out.answer.set("threshold_before", before).set("items_kept", static_cast<int64_t>(t->feedback.find("items")->as_array().size()));
  if (const json::Value* sweep = res.find("sweep"); sweep && !sweep->find("changed")->as_bool())
    out.answer.set("note", "the threshold stays at " + json::to_string(json::Value(before)) + ": " +
                               sweep->find("message")->as_string());
  if (changed > 0) {
    json::Value data = json::Value::object();
    data.set("added", res.find("added")->as_int()).set("replaced", res.find("replaced")->as_int());
    data.set("threshold_before", before).set("threshold", after).set("swept", *res.find("swept"));
    if (const json::Value* sweep = res.find("sweep")) data.set("reason", *sweep->find("reason"));
    t->feedback_ms = now_ms;
    json::Value doc = json::Value::object();
    doc.set("state", t->feedback).set("updated_ms", now_ms);
    out.writes.push_back(anomaly_state_write(tenant_id, "feedback", doc, "anomaly.feedback", std::move(data), now_ms));
  }
  return out;
}

Result<AnomalyOutcome> AnomalyHub::put_model(const std::string& tenant_id, const json::Value& raw, int64_t now_ms) {
  // The file `flk anomaly fit --out` wrote, as it is, stands for {"model": <it>}.
  json::Value wrapped;
  const bool bare = raw.is_object() && raw.find("format") != nullptr;
  if (bare) wrapped = json::Value::object().set("model", raw);
  const json::Value& body = bare ? wrapped : raw;
  FLK_ASSIGN(auto r, json::ObjectReader::open(body, "$"));
  const json::Value* mv = r.optional("model");
  FLK_ASSIGN(auto mode, r.opt_string("mode", 16));
  FLK_TRY(r.finish());
  if (mode && !is_mode(*mode))
    return make_error("out_of_range", "$.mode must be \"shadow\", \"guardrail\" or \"blocking\"", "$.mode");
  json::Value model = mv ? *mv : json::Value();
  if (!model.is_null()) {
    // The facade reads the whole model when it scores: one row of zeros checks it.
    const json::Value* cols = model.is_object() ? model.find("columns") : nullptr;
    if (!cols || !cols->is_array() || cols->as_array().empty())
      return make_error("missing_field", "$.model needs the columns of an anomaly.fit model", "$.model.columns");
    json::Value row = json::Value::array();
    for (size_t i = 0; i < cols->as_array().size(); ++i) row.push(0.0);
    json::Value in = json::Value::object();
    in.set("model", model).set("rows", json::Value::array().push(std::move(row)));
    auto check = call("anomaly.score", in);
    if (!check.ok()) {
      Error e = check.error();
      if (e.path.rfind("$.model", 0) != 0) e.path = "$.model";
      return bare ? rebase_error(e, "$.model", "$") : e;
    }
  }
  std::unique_lock<std::mutex> lock;
  FLK_ASSIGN(TenantState * t, tenant(tenant_id, &lock));
  t->mode = mode.value_or(t->mode);
  t->custom = !model.is_null();
  if (t->custom) {
    t->model = model;
  } else {
    FLK_ASSIGN(t->model, default_model());
  }
  // Scores of another model say nothing about this one: its feedback loop starts afresh.
  t->feedback = json::Value();
  t->series.clear();
  t->model_ms = t->feedback_ms = now_ms;
  json::Value doc = json::Value::object();
  doc.set("mode", t->mode).set("model", model).set("updated_ms", now_ms);
  json::Value reset = json::Value::object();
  reset.set("state", json::Value()).set("updated_ms", now_ms);
  json::Value data = json::Value::object();
  data.set("mode", t->mode).set("model", t->custom ? "tenant" : "default");
  data.set("detector", *t->model.find("detector")).set("columns", *t->model.find("columns"));
  AnomalyOutcome out;
  out.writes.push_back(anomaly_state_write(tenant_id, "model", doc, "anomaly.model_updated", data, now_ms));
  out.writes.push_back(anomaly_state_write(tenant_id, "feedback", reset, nullptr, json::Value(), now_ms));
  out.answer = data;
  out.answer.set("threshold", threshold(*t));
  return out;
}

Result<json::Value> AnomalyHub::describe(const std::string& tenant_id) {
  std::unique_lock<std::mutex> lock;
  FLK_ASSIGN(TenantState * t, tenant(tenant_id, &lock));
  json::Value o = json::Value::object();
  o.set("model", t->custom ? "tenant" : "default").set("mode", t->mode);
  o.set("detector", *t->model.find("detector")).set("columns", *t->model.find("columns"));
  o.set("threshold", threshold(*t)).set("series", static_cast<int64_t>(t->series.size()));
  o.set("feedback_items", t->feedback.is_null() ? int64_t{0} : static_cast<int64_t>(t->feedback.find("items")->as_array().size()));
  return o;
}

}  // namespace flk::server
