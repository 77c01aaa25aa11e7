// Cost ops, part 4: looking ahead — budget decisions, spend forecasts with backtests, and the
// optimisation advisor. All read the engine's ledger (or a series given in the call).
#include <algorithm>
#include <cmath>
#include <map>

#include "cost/advisor.h"
#include "cost/budget.h"
#include "cost/forecast.h"
#include "cost/state.h"
#include "facade/engine.h"
#include "facade/ops_cost.h"
#include "json/decimal_field.h"
#include "math/dmath.h"
#include "util/civil_time.h"
#include "util/work_budget.h"

namespace flk {
namespace {

using cost::Nanos;

constexpr size_t kMaxSeries = 3660;
constexpr int kMaxHistoryDays = 366;
constexpr int32_t kProjectionHistoryDays = 90;  // the daily history a budget projection forecasts from
// A backtest refits the forecast at every origin on the days before it: the days fitted in all
// (the sum of the training lengths) bound its work. docs/limits.md.
constexpr uint64_t kMaxBacktestDays = uint64_t{1} << 19;

Status check_backtest_work(size_t days, int horizon, int min_train) {
  uint64_t fitted = 0;
  for (int64_t o = min_train; o + horizon <= static_cast<int64_t>(days); ++o) fitted += static_cast<uint64_t>(o);
  return work::check(fitted, kMaxBacktestDays, "the days fitted over all origins", "$.backtest.min_train");
}

// Doubles in USD, rounded to the micro-dollar so every build prints the same short text (floor,
// not a cast to int64: inputs reach 1e15 USD, 1e21 micro-dollars).
double micro(double usd) {
  double s = usd * 1e6;
  return (s < 0 ? -std::floor(-s + 0.5) : std::floor(s + 0.5)) / 1e6;
}
double to_usd(Nanos n) { return static_cast<double>(n) / 1e9; }
// USD in nano-dollars, or nothing past the money range (±9.2e9 USD), where converting to int64
// is undefined.
std::optional<Nanos> to_nanos(double usd) {
  const double s = usd * 1e9;
  if (!(std::fabs(s) < 9223372036854775808.0)) return std::nullopt;
  return static_cast<Nanos>(s < 0 ? s - 0.5 : s + 0.5);
}
// A projected total past the money range is past every cap: it reads as the range's bound.
Nanos projected_nanos(double usd) { return to_nanos(usd).value_or(usd < 0 ? INT64_MIN : INT64_MAX); }

struct Series {
  int32_t start_day = 0;
  std::vector<double> values;  // USD per day
};

// The days [from, to) of the ledger filter; defaults to the span of days with data.
Series ledger_series(const cost::Ledger& l, const cost::Filter& f) {
  Series s;
  auto span = l.day_span(f);
  if (!span) return s;
  int32_t from = f.from_day != INT32_MIN ? f.from_day : span->first;
  int32_t to = f.to_day != INT32_MAX ? f.to_day : span->second + 1;
  if (to - from > kMaxHistoryDays) from = to - kMaxHistoryDays;
  s.start_day = from;
  for (Nanos n : l.daily(f, from, to)) s.values.push_back(to_usd(n));
  return s;
}

// The daily charges of the billing book (one provider / service / charge category if given),
// zero on days without charges.
Series billing_series(const cost::BillingBook& b, const std::optional<std::string>& provider,
                      const std::optional<std::string>& service, cost::CostColumn column) {
  std::map<int32_t, Nanos> by_day;
  for (const auto& kv : b.cells) {
    if ((provider && kv.first.provider != *provider) || (service && kv.first.service != *service)) continue;
    by_day[kv.first.day] += cost::column_total(kv.second, column);
  }
  Series s;
  if (by_day.empty()) return s;
  s.start_day = by_day.begin()->first;
  int32_t last = by_day.rbegin()->first;
  if (last - s.start_day >= kMaxHistoryDays) s.start_day = last - kMaxHistoryDays + 1;
  for (int32_t d = s.start_day; d <= last; ++d) {
    auto it = by_day.find(d);
    s.values.push_back(to_usd(it == by_day.end() ? 0 : it->second));
  }
  return s;
}

Result<Series> read_series(const json::Value& v, const std::string& path) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(v, path));
  FLK_ASSIGN(const json::Value* st, r.required("start"));
  FLK_ASSIGN(int64_t ms, cost::read_timestamp(*st, r.path_of("start")));
  FLK_ASSIGN(const json::Value* vals, r.required("values_usd"));
  FLK_TRY(r.finish());
  Series s;
  s.start_day = static_cast<int32_t>(floor_div(ms, kMsPerDay));
  std::string vp = r.path_of("values_usd");
  if (!vals->is_array()) return json::wrong_type(vp, "an array", *vals);
  if (vals->as_array().size() > kMaxSeries) return make_error("too_large", vp + " has more than 3660 values", vp);
  for (size_t i = 0; i < vals->as_array().size(); ++i) {
    const json::Value& x = vals->as_array()[i];
    std::string p = json::index_path(vp, i);
    if (x.is_string()) {
      FLK_ASSIGN(Nanos n, read_usd(x, p));
      s.values.push_back(to_usd(n));
    } else {
      FLK_ASSIGN(double d, json::read_number(x, p, {0, 1e15}));
      s.values.push_back(d);
    }
  }
  return s;
}

json::Value forecast_json(const cost::SeriesForecast& f, int32_t first_day) {
  json::Value pts = json::Value::array();
  double total = 0;
  for (size_t j = 0; j < f.points.size(); ++j) {
    const cost::ForecastPoint& p = f.points[j];
    json::Value x = json::Value::object();
    x.set("date", format_date(first_day + static_cast<int32_t>(j)))
        .set("mean_usd", micro(p.mean))
        .set("lower_usd", micro(p.lower))
        .set("upper_usd", micro(p.upper));
    pts.push(std::move(x));
    total += p.mean;
  }
  json::Value o = json::Value::object();
  o.set("method", f.method).set("points", std::move(pts)).set("total_mean_usd", micro(total));
  json::Value p = json::Value::object();
  p.set("alpha", micro(f.fit.p.alpha)).set("aicc", micro(f.fit.aicc)).set("sigma_usd", micro(dm::sqrt(f.fit.sigma2)));
  if (cost::ets_trended(f.fit.kind)) p.set("beta", micro(f.fit.p.beta)).set("phi", micro(f.fit.p.phi));
  if (cost::ets_seasonal(f.fit.kind)) p.set("gamma", micro(f.fit.p.gamma)).set("season", static_cast<int64_t>(f.fit.m));
  o.set("params", std::move(p));
  json::Value notes = json::Value::array();
  for (const std::string& n : f.notes) notes.push(n);
  o.set("notes", std::move(notes));
  return o;
}

Result<json::Value> op_forecast(Engine& engine, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  const json::Value* sv = r.optional("series");
  FLK_ASSIGN(auto source, r.opt_choice<bool>("source", {{"ledger", false}, {"billing", true}}));
  const bool billing = source.value_or(false);
  if (sv && source) return make_error("conflicting_fields", "give series or source, not both", "$.source");
  std::optional<std::string> service;
  std::optional<cost::CostColumn> column;
  if (billing) {
    FLK_ASSIGN(service, r.opt_string("service", 512));
    FLK_ASSIGN(column, read_cost_column(r));
  }
  FLK_ASSIGN(cost::Filter f, read_ledger_filter(r));
  FLK_ASSIGN(auto horizon, r.opt_integer("horizon", 1, 366));
  FLK_ASSIGN(auto season, r.opt_integer("season", 1, 31));
  const json::Value* bt = r.optional("backtest");
  FLK_TRY(r.finish());
  Series s;
  if (sv) {
    FLK_ASSIGN(s, read_series(*sv, "$.series"));
  } else if (billing) {
    // Billing provider names are the export's own ("AWS", "Microsoft"), not OpenTelemetry names.
    const json::Value* raw = in.find("provider");
    std::optional<std::string> provider;
    if (raw) provider = raw->as_string();
    s = billing_series(engine.cost().billing, provider, service, column.value_or(cost::CostColumn::billed));
  } else {
    s = ledger_series(engine.cost().ledger, f);
  }
  const int h = static_cast<int>(horizon.value_or(7)), m = static_cast<int>(season.value_or(7));
  FLK_ASSIGN(cost::SeriesForecast fc, cost::forecast_series(s.values, h, m));
  json::Value o = forecast_json(fc, s.start_day + static_cast<int32_t>(s.values.size()));
  json::Value hist = json::Value::object();
  hist.set("start", format_date(s.start_day)).set("days", static_cast<int64_t>(s.values.size()));
  double sum = 0;
  for (double v : s.values) sum += v;
  hist.set("total_usd", micro(sum));
  o.set("history", std::move(hist));
  if (bt && !(bt->is_bool() && !bt->as_bool())) {
    int bh = h, min_train = 2 * m > 14 ? 2 * m : 14;
    if (bt->is_object()) {
      FLK_ASSIGN(auto br, json::ObjectReader::open(*bt, "$.backtest"));
      FLK_ASSIGN(auto x, br.opt_integer("horizon", 1, 366));
      FLK_ASSIGN(auto y, br.opt_integer("min_train", cost::forecast_min_history(), 3660));
      FLK_TRY(br.finish());
      if (x) bh = static_cast<int>(*x);
      if (y) min_train = static_cast<int>(*y);
    } else if (!bt->is_bool()) {
      return json::wrong_type("$.backtest", "a boolean or {horizon?, min_train?}", *bt);
    }
    FLK_TRY(check_backtest_work(s.values.size(), bh, min_train));
    FLK_ASSIGN(cost::Backtest b, cost::backtest_series(s.values, bh, min_train, m));
    json::Value by = json::Value::array(), methods = json::Value::object();
    for (double x : b.mape_by_step) by.push(micro(x));
    for (const auto& kv : b.methods) methods.set(kv.first, static_cast<int64_t>(kv.second));
    json::Value x = json::Value::object();
    x.set("horizon", static_cast<int64_t>(bh))
        .set("min_train", static_cast<int64_t>(min_train))
        .set("origins", static_cast<int64_t>(b.origins))
        .set("points", static_cast<int64_t>(b.points))
        .set("zero_actuals", static_cast<int64_t>(b.zero_actuals))
        .set("mape_pct", micro(b.mape))
        .set("mape_by_step_pct", std::move(by))
        .set("coverage_95", micro(b.coverage))
        .set("methods", std::move(methods));
    o.set("backtest", std::move(x));
  }
  return o;
}

Result<cost::BudgetPolicy> read_policy(const json::Value& v) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(v, "$.policy"));
  cost::BudgetPolicy p;
  FLK_ASSIGN(auto window, r.opt_string("window", 16));
  if (window) {
    auto w = cost::window_from_name(*window);
    if (!w) return make_error("out_of_range", "$.policy.window must be daily, weekly or monthly", "$.policy.window");
    p.window = *w;
  }
  FLK_ASSIGN(const json::Value* cap, r.required("cap_usd"));
  FLK_ASSIGN(p.cap, read_usd(*cap, "$.policy.cap_usd"));
  p.actions = cost::default_actions();
  if (const json::Value* acts = r.optional("actions")) {
    if (!acts->is_array()) return json::wrong_type("$.policy.actions", "an array", *acts);
    if (acts->as_array().size() > 16) return make_error("too_large", "$.policy.actions has more than 16 actions", "$.policy.actions");
    p.actions.clear();
    for (size_t i = 0; i < acts->as_array().size(); ++i) {
      std::string ap = json::index_path("$.policy.actions", i);
      FLK_ASSIGN(auto ar, json::ObjectReader::open(acts->as_array()[i], ap));
      cost::BudgetAction a;
      FLK_ASSIGN(const json::Value* at, ar.required("at"));
      FLK_ASSIGN(a.at_ppm, json::read_scaled_decimal(*at, ar.path_of("at"), 6));
      FLK_ASSIGN(a.action, ar.string("action", 16));
      FLK_ASSIGN(auto msg, ar.opt_string("message", 1024));
      a.message = msg.value_or(a.action == "deny" ? "the budget for this period is used up" : a.action);
      FLK_TRY(ar.finish());
      p.actions.push_back(std::move(a));
    }
  }
  FLK_ASSIGN(auto pre, r.opt_boolean("preemptive"));
  p.preemptive = pre.value_or(true);
  if (const json::Value* dm = r.optional("degrade_models")) {
    FLK_ASSIGN(cost::Labels pairs, read_labels(*dm, "$.policy.degrade_models"));
    for (const auto& kv : pairs) p.degrade_models[kv.first] = kv.second;
  }
  FLK_ASSIGN(auto checks, r.opt_integer("degraded_ensemble_checks", 0, 64));
  p.degraded_ensemble_checks = static_cast<int>(checks.value_or(1));
  FLK_TRY(r.finish());
  FLK_TRY(cost::validate(p));
  return p;
}

// Expected spend at the end of the window: a forecast of the remaining days from the daily
// history (the days before today) when there is one, else the run rate since the window started.
std::optional<cost::Projection> project(Series s, const cost::BudgetPolicy& p, Nanos spent, int64_t now,
                                        std::pair<int64_t, int64_t> win) {
  const int32_t today = static_cast<int32_t>(floor_div(now, kMsPerDay));
  const int64_t elapsed = now - win.first;
  if (p.window != cost::Window::daily) {
    int32_t end_day = static_cast<int32_t>(win.second / kMsPerDay);
    int days_left = end_day - today;  // today included
    if (static_cast<int>(s.values.size()) >= cost::forecast_min_history() && days_left > 0) {
      // The series ends yesterday; pad missing trailing days with zeros so the forecast starts today.
      while (s.start_day + static_cast<int32_t>(s.values.size()) < today) s.values.push_back(0);
      auto fc = cost::forecast_series(s.values, days_left, 7);
      if (fc.ok()) {
        cost::Projection pr;
        pr.method = fc->method + " forecast of daily spend";
        double today_left = static_cast<double>((static_cast<int64_t>(today) + 1) * kMsPerDay - now) / kMsPerDay;
        double total = to_usd(spent);
        double cap = to_usd(p.cap);
        for (int j = 0; j < days_left; ++j) {
          double add = fc->points[j].mean * (j == 0 ? today_left : 1.0);
          if (!pr.cross_ms && total < cap && total + add >= cap) {
            double frac = add > 0 ? (cap - total) / add : 0;
            int64_t day_start = j == 0 ? now : (static_cast<int64_t>(today) + j) * kMsPerDay;
            int64_t span = j == 0 ? (static_cast<int64_t>(today) + 1) * kMsPerDay - now : kMsPerDay;
            pr.cross_ms = day_start + static_cast<int64_t>(frac * static_cast<double>(span));
          }
          total += add;
        }
        pr.window_total = projected_nanos(total);
        return pr;
      }
    }
  }
  if (elapsed < 3600000 || spent <= 0) return std::nullopt;  // under an hour: no rate to speak of
  cost::Projection pr;
  pr.method = "run rate since the window started";
  double rate = static_cast<double>(spent) / static_cast<double>(elapsed);  // nanos per ms
  pr.window_total = projected_nanos(to_usd(spent) + rate * static_cast<double>(win.second - now) / 1e9);
  if (pr.window_total >= p.cap && spent < p.cap)
    pr.cross_ms = win.first + static_cast<int64_t>(static_cast<double>(p.cap) / rate);
  return pr;
}

// "projection": one made earlier (cost.budget.check's own answer, e.g. cached by a server), used as is.
Result<std::optional<cost::Projection>> read_projection(json::ObjectReader& r) {
  const json::Value* v = r.optional("projection");
  if (!v) return std::optional<cost::Projection>();
  FLK_ASSIGN(auto pr, json::ObjectReader::open(*v, r.path_of("projection")));
  cost::Projection p;
  FLK_ASSIGN(p.method, pr.string("method", 256));
  FLK_ASSIGN(const json::Value* total, pr.required("window_total_usd"));
  FLK_ASSIGN(p.window_total, read_usd(*total, pr.path_of("window_total_usd")));
  if (const json::Value* c = pr.optional("cross_at")) {
    FLK_ASSIGN(p.cross_ms, cost::read_timestamp(*c, pr.path_of("cross_at")));
  }
  FLK_TRY(pr.finish());
  return std::optional<cost::Projection>(std::move(p));
}

Result<json::Value> op_budget_check(Engine& engine, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(std::string tenant, r.string("tenant", 512));
  FLK_ASSIGN(auto key, r.opt_string("key", 512));
  FLK_ASSIGN(auto task, r.opt_string("task", 512));
  FLK_ASSIGN(const json::Value* pv, r.required("policy"));
  FLK_ASSIGN(cost::BudgetPolicy policy, read_policy(*pv));
  FLK_ASSIGN(const json::Value* nv, r.required("now"));
  FLK_ASSIGN(int64_t now, cost::read_timestamp(*nv, "$.now"));
  std::optional<Nanos> spent_override, request_cost;
  if (const json::Value* s = r.optional("spent_usd")) {
    FLK_ASSIGN(spent_override, read_usd(*s, "$.spent_usd"));
  }
  if (const json::Value* c = r.optional("request_cost_usd")) {
    FLK_ASSIGN(request_cost, read_usd(*c, "$.request_cost_usd"));
  }
  FLK_ASSIGN(auto model, r.opt_string("model", 512));
  std::string req_model = model.value_or("");
  std::optional<Series> history;
  if (const json::Value* h = r.optional("history")) {
    FLK_ASSIGN(history, read_series(*h, "$.history"));
  }
  FLK_ASSIGN(auto given, read_projection(r));
  if (history && given) return make_error("conflicting_fields", "give history or projection, not both", "$.projection");
  if (const json::Value* req = r.optional("request")) {
    if (request_cost) return make_error("conflicting_fields", "give request or request_cost_usd, not both", "$.request");
    FLK_ASSIGN(auto rr, json::ObjectReader::open(*req, "$.request"));
    FLK_ASSIGN(cost::UsageInput u, cost::read_usage_fields(rr));
    FLK_TRY(rr.finish());
    FLK_ASSIGN(PricedUsage p, price_usage(engine.cost().catalog(), std::move(u), std::nullopt));
    request_cost = p.priced.total;
    if (req_model.empty()) req_model = p.in.model;
  }
  FLK_TRY(r.finish());
  auto win = cost::window_bounds(policy.window, now);
  cost::Filter f;
  f.tenant = tenant;
  f.task = task;
  if (key) f.labels.emplace_back("key", *key);
  f.from_day = static_cast<int32_t>(win.first / kMsPerDay);
  f.to_day = static_cast<int32_t>(win.second / kMsPerDay);
  const cost::Ledger& ledger = engine.cost().ledger;
  Nanos spent = spent_override ? *spent_override : ledger.total(f).total();
  const int32_t today = static_cast<int32_t>(floor_div(now, kMsPerDay));
  std::optional<cost::Projection> proj = given;
  if (policy.preemptive && !proj) {
    cost::Filter hf = f;
    hf.from_day = today - kProjectionHistoryDays;
    hf.to_day = today;
    Series s = history ? std::move(*history) : ledger_series(ledger, hf);
    // Only the days of a given history within the 90 before today, as the ledger's: project()
    // pads the days from its end to today, so a history that ended long ago pads at most 90.
    if (s.start_day + static_cast<int32_t>(s.values.size()) > today)
      s.values.resize(static_cast<size_t>(std::max(0, today - s.start_day)));
    if (s.start_day < hf.from_day) {
      const size_t drop = std::min(s.values.size(), static_cast<size_t>(hf.from_day - s.start_day));
      s.values.erase(s.values.begin(), s.values.begin() + static_cast<std::ptrdiff_t>(drop));
      s.start_day = hf.from_day;
    }
    proj = project(std::move(s), policy, spent, now, win);
  }
  cost::BudgetDecision d = cost::decide(policy, spent, request_cost.value_or(0), req_model, proj);
  json::Value o = json::Value::object();
  o.set("action", d.action)
      .set("reason", d.reason)
      .set("message", d.message)
      .set("used_fraction", micro(d.used_fraction))
      .set("after_fraction", micro(d.after_fraction))
      .set("spent_usd", cost::usd(spent))
      .set("cap_usd", cost::usd(policy.cap))
      .set("remaining_usd", cost::usd(d.remaining))
      .set("request_cost_usd", cost::usd(request_cost.value_or(0)))
      .set("window", json::Value::object()
                         .set("name", cost::window_name(policy.window))
                         .set("start", format_timestamp(win.first))
                         .set("end", format_timestamp(win.second)));
  if (proj) {
    json::Value pj = json::Value::object();
    pj.set("method", proj->method).set("window_total_usd", cost::usd(proj->window_total));
    if (proj->cross_ms) pj.set("cross_at", format_timestamp(*proj->cross_ms));
    o.set("projection", std::move(pj));
  }
  if (d.degrade_model) o.set("degrade_model", *d.degrade_model);
  if (d.ensemble_checks) o.set("ensemble_checks", static_cast<int64_t>(*d.ensemble_checks));
  return o;
}

constexpr Nanos kCent = 10000000;

// A total the advice states, with room to round it up to a cent: out_of_range past the money
// range, where the horizon is what scales it.
Result<Nanos> advice_total(double usd, int horizon) {
  const std::optional<Nanos> n = to_nanos(usd);
  if (n && *n <= INT64_MAX / kCent * kCent) return *n;
  return make_error("out_of_range",
                    "the forecast over " + std::to_string(horizon) +
                        " days is past the money range (9.2 billion USD): lower $.budget_horizon_days",
                    "$.budget_horizon_days");
}

Nanos cents_up(Nanos n) { return n <= 0 ? 0 : (n / kCent + (n % kCent != 0)) * kCent; }

// Budget caps from a forecast of the scope's daily spend over the horizon: a soft cap (degrade)
// at the expected total and a hard cap at the sum of the daily 95 % upper bounds (conservative:
// interval bounds do not add). Too little history says so instead of suggesting a cap.
Result<json::Value> budget_advice(const cost::Ledger& l, const cost::Filter& scope, int horizon,
                                  std::optional<Nanos> cap) {
  Series s = ledger_series(l, scope);
  json::Value o = json::Value::object();
  o.set("horizon_days", static_cast<int64_t>(horizon)).set("history_days", static_cast<int64_t>(s.values.size()));
  auto fc = cost::forecast_series(s.values, horizon, 7);
  if (!fc.ok()) {
    if (fc.error().code != "insufficient_history") return fc.error();
    o.set("insufficient_history", true).set("message", fc.error().message);
    return o;
  }
  const int32_t first = s.start_day + static_cast<int32_t>(s.values.size());
  double mean = 0, upper = 0;
  std::optional<int32_t> crossed;
  for (size_t j = 0; j < fc->points.size(); ++j) {
    mean += fc->points[j].mean;
    upper += fc->points[j].upper;
    if (cap && !crossed && projected_nanos(mean) > *cap) crossed = first + static_cast<int32_t>(j);
  }
  FLK_ASSIGN(const Nanos mean_total, advice_total(mean, horizon));
  FLK_ASSIGN(const Nanos upper_total, advice_total(upper, horizon));
  o.set("method", fc->method)
      .set("from", format_date(first))
      .set("forecast_total_usd", cost::usd(mean_total))
      .set("upper_95_total_usd", cost::usd(upper_total))
      .set("recommended_soft_cap_usd", cost::usd(cents_up(mean_total)))
      .set("recommended_hard_cap_usd", cost::usd(cents_up(upper_total)));
  if (cap) {
    const char* status = mean_total > *cap ? "forecast_exceeds_cap" : upper_total > *cap ? "upper_bound_exceeds_cap" : "within_cap";
    o.set("current_cap_usd", cost::usd(*cap)).set("status", status);
    if (crossed) o.set("cap_crossed_on", format_date(*crossed));
  }
  return o;
}

Result<json::Value> op_advise(Engine& engine, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  cost::AdvisorInput a;
  FLK_ASSIGN(a.scope, read_ledger_filter(r));
  FLK_ASSIGN(auto lookback, r.opt_integer("lookback_days", 1, 3660));
  if (const json::Value* q = r.optional("quality")) {
    if (!q->is_array() || q->as_array().size() > 10000) return json::wrong_type("$.quality", "an array (at most 10000)", *q);
    for (size_t i = 0; i < q->as_array().size(); ++i) {
      FLK_ASSIGN(auto qr, json::ObjectReader::open(q->as_array()[i], json::index_path("$.quality", i)));
      cost::QualityStat s;
      FLK_ASSIGN(s.task, qr.string("task", 512));
      FLK_ASSIGN(s.model, qr.string("model", 512));
      FLK_ASSIGN(s.total, qr.integer("total", 1, int64_t{1} << 50));
      FLK_ASSIGN(s.passed, qr.integer("passed", 0, s.total));
      FLK_TRY(qr.finish());
      a.quality.push_back(std::move(s));
    }
  }
  FLK_ASSIGN(auto drop, r.opt_number("max_pass_rate_drop", {0, 1}));
  FLK_ASSIGN(auto minq, r.opt_integer("min_quality_samples", 1, int64_t{1} << 40));
  if (const json::Value* e = r.optional("ensemble")) {
    if (!e->is_array() || e->as_array().size() > 10000) return json::wrong_type("$.ensemble", "an array (at most 10000)", *e);
    for (size_t i = 0; i < e->as_array().size(); ++i) {
      FLK_ASSIGN(auto er, json::ObjectReader::open(e->as_array()[i], json::index_path("$.ensemble", i)));
      cost::EnsembleStat s;
      FLK_ASSIGN(s.check, er.string("check", 512));
      FLK_ASSIGN(s.runs, er.integer("runs", 0, int64_t{1} << 50));
      FLK_ASSIGN(s.disagreements, er.integer("disagreements", 0, s.runs));
      if (const json::Value* c = er.optional("cost_per_run_usd")) {
        FLK_ASSIGN(s.cost_per_run, read_usd(*c, er.path_of("cost_per_run_usd")));
      }
      FLK_TRY(er.finish());
      a.ensemble.push_back(std::move(s));
    }
  }
  FLK_ASSIGN(auto minr, r.opt_integer("min_ensemble_runs", 1, int64_t{1} << 40));
  FLK_ASSIGN(a.latency_tolerant_tasks, read_string_list(r, "latency_tolerant_tasks", 1000));
  FLK_ASSIGN(auto rewrite, r.opt_number("cache_rewrite_avoidable", {0, 1}));
  if (const json::Value* s = r.optional("storage")) {
    FLK_ASSIGN(auto sr, json::ObjectReader::open(*s, "$.storage"));
    cost::StorageStat st;
    FLK_ASSIGN(st.hot_bytes, sr.integer("hot_bytes", 0, int64_t{1} << 60));
    FLK_ASSIGN(st.idle_hot_bytes, sr.integer("idle_hot_bytes", 0, st.hot_bytes));
    FLK_TRY(sr.finish());
    a.storage = st;
  }
  FLK_ASSIGN(a.resource_prices, read_resource_prices(r));
  FLK_ASSIGN(auto budget_horizon, r.opt_integer("budget_horizon_days", 1, 366));
  std::optional<Nanos> budget_cap;
  if (const json::Value* c = r.optional("budget_cap_usd")) {
    FLK_ASSIGN(budget_cap, read_usd(*c, "$.budget_cap_usd"));
    if (*budget_cap <= 0) return make_error("out_of_range", "$.budget_cap_usd must be positive", "$.budget_cap_usd");
  }
  std::optional<cost::Catalog> holder;
  FLK_ASSIGN(a.catalog, call_catalog(engine, r, &holder));
  FLK_TRY(r.finish());
  a.ledger = &engine.cost().ledger;
  if (drop) a.max_pass_rate_drop = *drop;
  if (minq) a.min_quality_samples = *minq;
  if (minr) a.min_ensemble_runs = *minr;
  if (rewrite) a.cache_rewrite_avoidable = *rewrite;
  if (lookback) {
    a.lookback_days = static_cast<int>(*lookback);
  } else if (a.scope.from_day != INT32_MIN && a.scope.to_day != INT32_MAX) {
    a.lookback_days = a.scope.to_day - a.scope.from_day;
  } else if (auto span = a.ledger->day_span(a.scope)) {
    a.lookback_days = span->second - span->first + 1;
  }
  FLK_ASSIGN(auto recs, cost::advise(a));
  json::Value list = json::Value::array();
  Nanos total = 0;
  for (const cost::Recommendation& rec : recs) {
    json::Value ev = json::Value::object(), as = json::Value::array(), steps = json::Value::array();
    for (const cost::Evidence& e : rec.evidence) ev.set(e.name, e.value);
    for (const std::string& s : rec.assumptions) as.push(s);
    for (const std::string& s : rec.steps) steps.push(s);
    json::Value x = json::Value::object();
    x.set("id", rec.id)
        .set("type", rec.type)
        .set("title", rec.title)
        .set("monthly_savings_usd", cost::usd(rec.monthly_savings))
        .set("monthly_cost_now_usd", cost::usd(rec.monthly_cost_now))
        .set("risk", rec.risk)
        .set("evidence", std::move(ev))
        .set("assumptions", std::move(as))
        .set("steps", std::move(steps));
    list.push(std::move(x));
    if (!cost::add_nanos(total, rec.monthly_savings))
      return make_error("out_of_range", "the total monthly savings exceed the money range");
  }
  FLK_ASSIGN(json::Value budget, budget_advice(*a.ledger, a.scope, static_cast<int>(budget_horizon.value_or(30)), budget_cap));
  json::Value o = json::Value::object();
  o.set("recommendations", std::move(list))
      .set("total_monthly_savings_usd", cost::usd(total))
      .set("lookback_days", static_cast<int64_t>(a.lookback_days))
      .set("budget", std::move(budget));
  return o;
}

}  // namespace

void add_cost_plan_ops(std::vector<OpSpec>& t) {
  t.push_back({"cost.budget.check",
               "Budget decision for a tenant (optionally key/task) before a request: allow, degrade (soft cap, or "
               "early when the forecast crosses the cap), throttle or deny (hard cap), always with its reason. The "
               "forecast reads the ledger's daily spend, or a given daily history, or takes a given projection.",
               "{ tenant: string; key?: string; task?: string; policy: { cap_usd: string | number; window?: 'daily' | "
               "'weekly' | 'monthly'; actions?: { at: number | string; action: 'degrade' | 'throttle' | 'queue' | "
               "'deny'; message?: string }[]; preemptive?: boolean; degrade_models?: Record<string, string>; "
               "degraded_ensemble_checks?: number }; now: string | number; spent_usd?: string | number; "
               "request_cost_usd?: string | number; request?: Record<string, unknown>; model?: string; history?: { start: "
               "string; values_usd: (number | string)[] }; projection?: { method: string; window_total_usd: string; "
               "cross_at?: string } }",
               "{ action: 'allow' | 'degrade' | 'throttle' | 'queue' | 'deny'; reason: string; message: string; "
               "used_fraction: number; after_fraction: number; spent_usd: string; cap_usd: string; remaining_usd: "
               "string; request_cost_usd: string; window: { name: string; start: string; end: string }; projection?: "
               "{ method: string; window_total_usd: string; cross_at?: string }; degrade_model?: string; "
               "ensemble_checks?: number }",
               op_budget_check});
  t.push_back({"cost.forecast",
               "Daily spend forecast of the ledger, the imported billing or a given series (ETS / Holt-Winters with "
               "a weekly season, chosen by AICc; non-seasonal forms on short histories) with 95 % intervals, and an "
               "optional rolling-origin backtest (MAPE). Fewer than 4 days of history: error insufficient_history.",
               "{ series?: { start: string; values_usd: (number | string)[] }; source?: 'ledger' | 'billing'; service?: "
               "string; cost_column?: 'billed' | 'effective' | 'list'; tenant?: string; provider?: string; "
               "model?: string; task?: string; labels?: Record<string, string>; from?: string; to?: string; horizon?: "
               "number; season?: number; backtest?: boolean | { horizon?: number; min_train?: number } }",
               "{ method: string; points: { date: string; mean_usd: number; lower_usd: number; upper_usd: number }[]; "
               "total_mean_usd: number; params: Record<string, number>; notes: string[]; history: { start: string; "
               "days: number; total_usd: number }; backtest?: { horizon: number; min_train: number; origins: number; "
               "points: number; zero_actuals: number; mape_pct: number; mape_by_step_pct: number[]; coverage_95: "
               "number; methods: Record<string, number> } }",
               op_forecast});
  t.push_back({"cost.advise",
               "Cost recommendations (model switch at similar verification risk, batch, cache TTL, ensemble checks "
               "that never disagree, storage tiering) with projected monthly savings, evidence and risk, and budget caps "
               "from a forecast of the scope's daily spend (insufficient_history when under 4 days).",
               "{ tenant?: string; provider?: string; model?: string; task?: string; labels?: Record<string, string>; "
               "from?: string; to?: string; lookback_days?: number; quality?: { task: string; model: string; passed: "
               "number; total: number }[]; max_pass_rate_drop?: number; min_quality_samples?: number; ensemble?: { "
               "check: string; runs: number; disagreements: number; cost_per_run_usd?: string }[]; "
               "min_ensemble_runs?: number; latency_tolerant_tasks?: string[]; cache_rewrite_avoidable?: number; "
               "storage?: { hot_bytes: number; idle_hot_bytes: number }; resource_prices?: Record<string, unknown>; "
               "budget_cap_usd?: string | number; budget_horizon_days?: number; catalog?: Record<string, unknown> }",
               "{ recommendations: { id: string; type: 'model_switch' | 'batch' | 'cache_ttl' | 'ensemble_config' | "
               "'tiering'; title: string; monthly_savings_usd: string; monthly_cost_now_usd: string; risk: 'low' | "
               "'medium' | 'high'; evidence: Record<string, string>; assumptions: string[]; steps: string[] }[]; "
               "total_monthly_savings_usd: string; lookback_days: number; budget: { horizon_days: number; history_days: "
               "number; insufficient_history?: true; message?: string; method?: string; from?: string; "
               "forecast_total_usd?: string; upper_95_total_usd?: string; recommended_soft_cap_usd?: string; "
               "recommended_hard_cap_usd?: string; current_cap_usd?: string; status?: 'within_cap' | "
               "'upper_bound_exceeds_cap' | 'forecast_exceeds_cap'; cap_crossed_on?: string } }",
               op_advise});
}

}  // namespace flk
