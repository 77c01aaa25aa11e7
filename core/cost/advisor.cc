#include "cost/advisor.h"

#include <algorithm>

#include "cost/pricing.h"
#include "json/fields.h"
#include "math/dmath.h"
#include "util/decimal.h"

namespace flk::cost {
namespace {

// Products and differences of money are checked: inputs may hold any count of runs or tokens,
// and a wrapped total would be a wrong answer, not an error.
Error beyond_range(const std::string& path) {
  return make_error("out_of_range", "the projected cost exceeds the money range", path);
}
Result<Nanos> times(Nanos a, int64_t b, const std::string& path = {}) {
  Nanos v;
  if (__builtin_mul_overflow(a, b, &v)) return beyond_range(path);
  return v;
}
Result<Nanos> minus(Nanos a, Nanos b) {
  Nanos v;
  if (__builtin_sub_overflow(a, b, &v)) return beyond_range({});
  return v;
}

struct Scaler {
  int lookback;
  Result<Nanos> monthly(Nanos v, const std::string& path = {}) const {
    FLK_ASSIGN(Nanos month, times(v, 30, path));
    return divide(month, lookback);
  }
};

std::string pct(double x) {
  // x in [0, 1] → "97.50%" with integer rounding (identical in every build).
  int64_t c = static_cast<int64_t>(x * 10000 + 0.5);
  return format_decimal(c, 2, 2) + "%";
}

std::string num(int64_t v) { return std::to_string(v); }

Quantities token_mix(const Totals& t) {
  Quantities q;
  for (int i = 0; i < kDimCount; ++i) q.q[i] = t.quantity[i];
  return q;
}

Nanos llm_cost(const Totals& t) {
  Nanos s = 0;
  for (int i = 0; i < kDimCount; ++i) s += t.cost[i];
  return s;
}

std::optional<int64_t> average_prompt(const Quantities& q, const Totals& t) {
  if (t.events <= 0) return std::nullopt;
  return q.prompt_tokens() / t.events;
}

const QualityStat* find_quality(const std::vector<QualityStat>& qs, const std::string& task, const std::string& model) {
  for (const QualityStat& s : qs)
    if (s.task == task && s.model == model) return &s;
  return nullptr;
}

void add(std::vector<Evidence>& ev, const std::string& k, const std::string& v) { ev.push_back({k, v}); }

Status model_switch(const AdvisorInput& in, const Scaler& sc, std::vector<Recommendation>& out) {
  for (const Row& row : in.ledger->query({{GroupBy::provider, {}}, {GroupBy::model, {}}, {GroupBy::task, {}}}, in.scope)) {
    const std::string &model = row.key[1], &task = row.key[2];
    const QualityStat* cur = find_quality(in.quality, task, model);
    Nanos now = llm_cost(row.totals);
    if (!cur || cur->total < in.min_quality_samples || now <= 0) continue;
    Quantities q = token_mix(row.totals);
    std::optional<Recommendation> best;
    for (const QualityStat& cand : in.quality) {
      if (cand.task != task || cand.model == model || cand.total < in.min_quality_samples) continue;
      auto entry = resolve(*in.catalog, "", cand.model, std::nullopt, std::nullopt);
      if (!entry.ok()) continue;
      auto priced = price(*entry->entry, q, "standard", average_prompt(q, row.totals));
      if (!priced.ok() || priced->total >= now) continue;
      double p1 = static_cast<double>(cur->passed) / cur->total, p2 = static_cast<double>(cand.passed) / cand.total;
      double se = dm::sqrt(p1 * (1 - p1) / cur->total + p2 * (1 - p2) / cand.total);
      double upper = (p1 - p2) + 1.959963984540054 * se;  // worst plausible drop in pass rate
      if (upper > in.max_pass_rate_drop) continue;
      Recommendation r;
      r.type = "model_switch";
      r.id = "model_switch/" + task + "/" + model + "/" + cand.model;
      r.title = "Use " + cand.model + " instead of " + model + " for " + (task.empty() ? "(no task)" : task);
      FLK_ASSIGN(r.monthly_cost_now, sc.monthly(now));
      FLK_ASSIGN(r.monthly_savings, sc.monthly(now - priced->total));
      FLK_ASSIGN(Nanos candidate, sc.monthly(priced->total));
      r.risk = upper <= in.max_pass_rate_drop / 2 ? "low" : "medium";
      add(r.evidence, "pass_rate_now", pct(p1) + " of " + num(cur->total));
      add(r.evidence, "pass_rate_candidate", pct(p2) + " of " + num(cand.total));
      add(r.evidence, "pass_rate_drop_upper_95", pct(upper < 0 ? 0 : upper));
      add(r.evidence, "monthly_cost_candidate_usd", usd(candidate));
      add(r.evidence, "token_mix", num(q[Dim::input]) + " input, " + num(q[Dim::cache_read]) + " cached, " +
                                       num(q[Dim::output] + q[Dim::reasoning]) + " output tokens in the window");
      r.steps = {"route " + task + " to " + cand.model + " for a canary share of traffic",
                 "compare verification pass rates for a week", "switch fully if the rate holds"};
      if (!best || r.monthly_savings > best->monthly_savings) best = r;
    }
    if (best) out.push_back(*best);
  }
  return Ok{};
}

Status batch(const AdvisorInput& in, const Scaler& sc, std::vector<Recommendation>& out) {
  for (const Row& row : in.ledger->query({{GroupBy::provider, {}}, {GroupBy::model, {}}, {GroupBy::task, {}}}, in.scope)) {
    const std::string &provider = row.key[0], &model = row.key[1], &task = row.key[2];
    if (std::find(in.latency_tolerant_tasks.begin(), in.latency_tolerant_tasks.end(), task) == in.latency_tolerant_tasks.end())
      continue;
    auto entry = resolve(*in.catalog, provider, model, std::nullopt, std::nullopt);
    if (!entry.ok() || !entry->entry->service_tiers.count("batch")) continue;
    Quantities q = token_mix(row.totals);
    auto priced = price(*entry->entry, q, "batch", average_prompt(q, row.totals));
    Nanos now = llm_cost(row.totals);
    if (!priced.ok() || priced->total >= now) continue;
    Recommendation r;
    r.type = "batch";
    r.id = "batch/" + task + "/" + model;
    r.title = "Send " + task + " requests to " + model + " through the batch API";
    FLK_ASSIGN(r.monthly_cost_now, sc.monthly(now));
    FLK_ASSIGN(r.monthly_savings, sc.monthly(now - priced->total));
    FLK_ASSIGN(Nanos batch_cost, sc.monthly(priced->total));
    r.risk = "low";
    add(r.evidence, "task_is_latency_tolerant", task);
    add(r.evidence, "monthly_cost_batch_usd", usd(batch_cost));
    std::string notes;
    for (const std::string& n : priced->notes) notes += (notes.empty() ? "" : "; ") + n;
    if (!notes.empty()) add(r.evidence, "pricing_notes", notes);
    r.steps = {"queue " + task + " requests and submit them as batch jobs", "results arrive within the batch window"};
    out.push_back(r);
  }
  return Ok{};
}

Status cache_ttl(const AdvisorInput& in, const Scaler& sc, std::vector<Recommendation>& out) {
  for (const Row& row : in.ledger->query({{GroupBy::provider, {}}, {GroupBy::model, {}}}, in.scope)) {
    int64_t w = row.totals.quantity[static_cast<int>(Dim::cache_write)];
    int64_t rd = row.totals.quantity[static_cast<int>(Dim::cache_read)];
    if (w <= 0 || rd >= w) continue;
    auto entry = resolve(*in.catalog, row.key[0], row.key[1], std::nullopt, std::nullopt);
    if (!entry.ok()) continue;
    const PriceSet& ps = entry->entry->standard.base;
    if (!ps.has(Dim::cache_write) || !ps.has(Dim::cache_write_1h) || !ps.has(Dim::cache_read)) continue;
    // Now: w·p5m + rd·pread. With a 1 h TTL, a share a of the writes become reads.
    double a = in.cache_rewrite_avoidable;
    int64_t avoided = static_cast<int64_t>(static_cast<double>(w) * a);
    auto now_w = line_cost(w, ps.get(Dim::cache_write));
    auto new_w = line_cost(w - avoided, ps.get(Dim::cache_write_1h));
    auto new_r = line_cost(avoided, ps.get(Dim::cache_read));
    if (!now_w.ok() || !new_w.ok() || !new_r.ok()) continue;
    FLK_ASSIGN(Nanos after_writes, minus(*now_w, *new_w));
    FLK_ASSIGN(Nanos saving, minus(after_writes, *new_r));
    if (saving <= 0) continue;
    FLK_ASSIGN(Nanos reads_per_write_x100, times(rd, 100));
    Recommendation r;
    r.type = "cache_ttl";
    r.id = "cache_ttl/" + row.key[1];
    r.title = "Use the 1-hour cache TTL for " + row.key[1];
    FLK_ASSIGN(r.monthly_cost_now, sc.monthly(*now_w));
    FLK_ASSIGN(r.monthly_savings, sc.monthly(saving));
    r.risk = "low";
    add(r.evidence, "cache_write_tokens", num(w));
    add(r.evidence, "cache_read_tokens", num(rd));
    add(r.evidence, "reads_per_written_token", format_decimal(reads_per_write_x100 / w, 2, 2));
    add(r.evidence, "cache_write_5m_vs_1h_per_mtok", usd_per_m(ps.get(Dim::cache_write)) + " vs " + usd_per_m(ps.get(Dim::cache_write_1h)));
    r.assumptions.push_back("a 1-hour TTL turns " + pct(a) + " of cache re-writes into cache reads (cache_rewrite_avoidable)");
    r.steps = {"mark the shared prompt prefix with a 1-hour cache_control TTL", "watch cache_read vs cache_write tokens"};
    out.push_back(r);
  }
  return Ok{};
}

Status ensemble(const AdvisorInput& in, const Scaler& sc, std::vector<Recommendation>& out) {
  for (size_t i = 0; i < in.ensemble.size(); ++i) {
    const EnsembleStat& e = in.ensemble[i];
    const std::string path = json::index_path("$.ensemble", i);
    if (e.runs < in.min_ensemble_runs || e.disagreements != 0) continue;
    double upper = 3.0 / static_cast<double>(e.runs);  // rule of three: 95 % bound on a rate never observed
    if (upper > 0.02) continue;
    Nanos per_run = e.cost_per_run;
    if (per_run == 0) {
      Filter f = in.scope;
      f.task = e.check;
      Totals t = in.ledger->total(f);
      if (t.events > 0) per_run = divide(t.total(), t.events);
    }
    FLK_ASSIGN(Nanos window_cost, times(per_run, e.runs, path));
    if (window_cost <= 0) continue;
    Recommendation r;
    r.type = "ensemble_config";
    r.id = "ensemble_config/" + e.check;
    r.title = "Drop the ensemble check " + e.check + ": it has never disagreed";
    FLK_ASSIGN(r.monthly_cost_now, sc.monthly(window_cost, path));
    r.monthly_savings = r.monthly_cost_now;
    r.risk = upper <= 0.005 ? "low" : "medium";
    add(r.evidence, "runs", num(e.runs));
    add(r.evidence, "disagreements", "0");
    add(r.evidence, "disagreement_rate_upper_95", pct(upper));
    add(r.evidence, "cost_per_run_usd", usd(per_run));
    r.steps = {"run " + e.check + " on a sample (e.g. 5 %) instead of every request", "alert if it ever disagrees"};
    out.push_back(r);
  }
  return Ok{};
}

Status tiering(const AdvisorInput& in, std::vector<Recommendation>& out) {
  if (!in.storage || in.storage->idle_hot_bytes <= 0) return Ok{};
  const ResourcePrices& p = in.resource_prices;
  Nanos diff = p.storage_gb_month[0] - p.storage_gb_month[1];
  ResourceUsage u;
  u.storage_bytes[0] = in.storage->idle_hot_bytes;
  u.storage_ms = 720LL * 3600 * 1000;  // one month
  auto hot = resource_cost(u, p);
  if (!hot.ok() || diff <= 0) return Ok{};
  FLK_ASSIGN(Nanos scaled, times(hot->storage, diff, "$.storage"));
  Nanos saving = divide(scaled, p.storage_gb_month[0]);
  Recommendation r;
  r.type = "tiering";
  r.id = "tiering/hot-to-warm";
  r.title = "Move idle data from hot to warm storage";
  r.monthly_cost_now = hot->storage;
  r.monthly_savings = saving;
  r.risk = "low";
  add(r.evidence, "hot_bytes", num(in.storage->hot_bytes));
  add(r.evidence, "idle_hot_bytes", num(in.storage->idle_hot_bytes));
  add(r.evidence, "hot_vs_warm_per_gb_month_usd", usd(p.storage_gb_month[0]) + " vs " + usd(p.storage_gb_month[1]));
  r.steps = {"move objects idle beyond the window to warm storage (hot 1 h, warm 7 d, cold 90 d)"};
  out.push_back(r);
  return Ok{};
}

}  // namespace

Result<std::vector<Recommendation>> advise(const AdvisorInput& in) {
  if (in.lookback_days <= 0) return make_error("out_of_range", "lookback_days must be positive", "$.lookback_days");
  Scaler sc{in.lookback_days};
  std::vector<Recommendation> out;
  FLK_TRY(model_switch(in, sc, out));
  FLK_TRY(batch(in, sc, out));
  FLK_TRY(cache_ttl(in, sc, out));
  FLK_TRY(ensemble(in, sc, out));
  FLK_TRY(tiering(in, out));
  out.erase(std::remove_if(out.begin(), out.end(), [](const Recommendation& r) { return r.monthly_savings <= 0; }),
            out.end());
  std::stable_sort(out.begin(), out.end(), [](const Recommendation& a, const Recommendation& b) {
    return a.monthly_savings != b.monthly_savings ? a.monthly_savings > b.monthly_savings : a.id < b.id;
  });
  return out;
}

}  // namespace flk::cost
