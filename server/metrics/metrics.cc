#include "metrics/metrics.h"

#include <memory>

namespace flk::server {
namespace {

// A counter of the earlier scheme (unlabelled, or one label); replaced_by is empty for names
// that stay.
template <class C>
struct Row {
  const char* name;
  const char* help;
  C Metrics::*counter;
  const char* replaced_by;
};
using CounterRow = Row<Counter>;
using LabelledRow = Row<LabelledCounter>;

const CounterRow kCounters[] = {
    {"flk_ingest_total", "PCS submissions written to the WAL (signed, within the tenant's rate)", &Metrics::ingest_total,
     "sum(flk_pcs_submissions_total)"},
    {"flk_dedup_hits", "PCS submissions answered from an earlier verdict", &Metrics::dedup_hits,
     "flk_pcs_decisions_total{action=\"duplicate\"}"},
    {"flk_accepted", "first verdicts accepted and not escalated (HTTP 200)", &Metrics::accepted,
     "flk_pcs_decisions_total{action=\"accepted\"}"},
    {"flk_escalated", "first verdicts escalated (HTTP 202)", &Metrics::escalated,
     "flk_pcs_decisions_total{action=\"escalated\"}"},
    {"flk_rejected", "first verdicts rejected without escalation (HTTP 202)", &Metrics::rejected,
     "flk_pcs_decisions_total{action=\"rejected\"}"},
    {"flk_signature_errors", "PCS submissions with a bad signature (HTTP 401)", &Metrics::signature_errors,
     "sum(flk_signature_errors_total{what=\"pcs\"})"},
    {"flk_wal_errors", "requests that failed because the WAL could not be written", &Metrics::wal_errors,
     "flk_wal_errors_total"},
    {"flk_wal_errors_total", "requests that failed because the WAL could not be written", &Metrics::wal_errors, ""},
    {"flk_audit_entries_total", "audit entries appended by this instance", &Metrics::audit_entries, ""},
    {"flk_store_batches_total", "store transactions (group commits)", &Metrics::store_batches, ""},
    {"flk_store_writes_total", "writes committed in store transactions", &Metrics::store_writes, ""},
    {"flk_store_errors_total", "store transactions that failed", &Metrics::store_errors, ""},
    {"flk_wal_replayed_total", "WAL records replayed at start-up", &Metrics::wal_replayed, ""},
    {"flk_store_retried_batches_total", "failed store transactions retried one write at a time",
     &Metrics::store_retried_batches, ""},
    {"flk_store_rejected_writes_total", "writes the store refused on their own (HTTP 500)", &Metrics::store_rejected_writes,
     ""},
    {"flk_store_unavailable_total",
     "requests answered 503 because the store was unreachable (writes, and reads of admin, anomaly, billing and cost routes)",
     &Metrics::store_unavailable, ""},
    {"flk_wal_full_total", "requests answered 503 because the WAL was at its size cap", &Metrics::wal_full, ""},
    {"flk_wal_damaged_total", "damaged WAL ranges found at start-up (segment kept in quarantine/)", &Metrics::wal_damaged,
     ""},
    {"flk_wal_unreplayable_total", "WAL records the store refused at replay (kept in quarantine/)",
     &Metrics::wal_unreplayable, ""},
    {"flk_anonymous_rate_limited_total", "unsigned requests refused by the per-address rate limit (HTTP 429)",
     &Metrics::anonymous_rate_limited, "flk_rate_limited_total{tenant=\"anonymous\"}"},
    {"flk_http_accept_errors_total", "failed accepts (e.g. out of descriptors), each followed by a back-off",
     &Metrics::accept_errors, ""},
    {"flk_http_accept_paused_total", "times accepting paused at the connection cap", &Metrics::accept_paused, ""},
};

const LabelledRow kLabelled[] = {
    {"flk_ingest_total_by_tenant", "PCS submissions written to the WAL, by tenant", &Metrics::ingest_by_tenant,
     "flk_pcs_submissions_total"},
    {"flk_dedup_hits_by_tenant", "dedup hits, by tenant", &Metrics::dedup_hits_by_tenant,
     "flk_pcs_decisions_total{action=\"duplicate\"}"},
    {"flk_accepted_by_tenant", "accepted first verdicts, by tenant", &Metrics::accepted_by_tenant,
     "flk_pcs_decisions_total{action=\"accepted\"}"},
    {"flk_escalated_by_tenant", "escalated first verdicts, by tenant", &Metrics::escalated_by_tenant,
     "flk_pcs_decisions_total{action=\"escalated\"}"},
    {"flk_signature_errors_by_tenant", "bad signatures, by tenant", &Metrics::signature_errors_by_tenant,
     "flk_signature_errors_total"},
    {"flk_quota_exceeded_by_tenant", "requests refused by the tenant's rate limit (HTTP 429)",
     &Metrics::quota_exceeded_by_tenant, "flk_rate_limited_total"},
    {"flk_usage_events_by_tenant", "usage events priced and stored (first writes), by tenant",
     &Metrics::usage_events_by_tenant, "flk_usage_events_total{result=\"stored\"}"},
    {"flk_usage_duplicates_by_tenant", "usage events answered from an earlier write, by tenant",
     &Metrics::usage_duplicates_by_tenant, "flk_usage_events_total{result=\"duplicate\"}"},
    {"flk_budget_refused_by_tenant", "usage events refused by the tenant's budget (HTTP 402), by tenant",
     &Metrics::budget_refused_by_tenant, "flk_usage_events_total{result=\"refused\"}"},
    {"flk_budget_decisions_by_tenant", "stored usage events that crossed a budget threshold, by tenant",
     &Metrics::budget_decisions_by_tenant, "flk_budget_decisions_total"},
    {"flk_http_responses_total", "HTTP responses by status code", &Metrics::responses_by_code,
     "sum by (code) (flk_http_requests_total)"},
};

FamilySpec spec(std::string name, std::string help, MetricKind kind, std::vector<std::string> labels,
                size_t max_series = 1000) {
  FamilySpec s;
  s.name = std::move(name);
  s.help = std::move(help);
  s.kind = kind;
  s.labels = std::move(labels);
  s.max_series = max_series;
  return s;
}

FamilySpec histogram(std::string name, std::string help, std::vector<std::string> labels, std::vector<double> buckets,
                     size_t max_series) {
  FamilySpec s = spec(std::move(name), std::move(help), MetricKind::histogram, std::move(labels), max_series);
  s.buckets = std::move(buckets);
  return s;
}

FamilySpec gauge(std::string name, std::string help) { return spec(std::move(name), std::move(help), MetricKind::gauge, {}); }

FamilySpec replaced_by(FamilySpec s, std::string name) {
  s.replaced_by = std::move(name);
  return s;
}

const auto C = MetricKind::counter;
const auto G = MetricKind::gauge;

// The label value for a request method: a fixed set, so the number of series is bounded.
const char* method_label(const std::string& method) {
  static const char* const kKnown[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "-"};
  for (const char* m : kKnown)
    if (method == m) return m;
  return "other";
}

const char* const kLatencyName = "flk_http_request_duration_seconds";
const char* const kLatencyHelp = "time from a request's last byte to its response";
const char* const kOverflowHelp =
    "label sets counted under the \"other\" series because their family was at its series cap";

const char* kind_name(MetricKind k) { return k == C ? "counter" : k == G ? "gauge" : "histogram"; }

void list_row(std::string& out, const std::string& name, MetricKind kind, const std::vector<std::string>& labels,
              const std::string& help, const std::string& replaced_by, size_t cap = 0) {
  std::string l;
  for (const auto& x : labels) l += (l.empty() ? "`" : ", `") + x + "`";
  std::string h = help;
  if (!replaced_by.empty()) h = "**deprecated** (use `" + replaced_by + "`): " + h;
  out += "| `" + name + "` | " + kind_name(kind) + " | " + (l.empty() ? "—" : l) + " | " +
         (cap ? std::to_string(cap) : "—") + " | " + h + " |\n";
}

}  // namespace

Metrics::Metrics()
    : pcs_submissions(spec("flk_pcs_submissions_total", "PCS submissions written to the WAL (signed, within the rate)", C,
                           {"tenant"})),
      pcs_decisions(spec("flk_pcs_decisions_total",
                         "PCS verdicts answered, by action: accepted (200), escalated or rejected (202), duplicate "
                         "(answered from an earlier verdict)",
                         C, {"tenant", "action"})),
      signature_errors_total(spec("flk_signature_errors_total",
                                  "requests with a bad signature (HTTP 401), by what was signed: pcs ($.sig) or body "
                                  "(X-Flk-Signature); tenant \"unknown\" when no known tenant was named",
                                  C, {"tenant", "what"})),
      rate_limited(spec("flk_rate_limited_total",
                        "requests refused by a rate limit (HTTP 429); tenant \"anonymous\" for unsigned callers", C,
                        {"tenant"})),
      usage_events(spec("flk_usage_events_total",
                        "usage events by result: stored (first write), duplicate (answered from an earlier write), "
                        "refused (by the budget, HTTP 402)",
                        C, {"tenant", "model", "result"}, 2000)),
      spend_usd(spec("flk_spend_usd_total",
                     "USD charged by stored usage events (cost.usage total_usd); task is the event's \"task\" or "
                     "\"none\"",
                     C, {"tenant", "model", "task"}, 2000)),
      token_usage(histogram("gen_ai_client_token_usage",
                            "tokens per stored usage event (OpenTelemetry gen_ai.client.token.usage), by token type "
                            "(input or output)",
                            {"tenant", "gen_ai_operation_name", "gen_ai_provider_name", "gen_ai_request_model",
                             "gen_ai_token_type"},
                            {1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864},
                            2000)),
      budget_used(spec("flk_budget_used_ratio",
                       "fraction of the budget cap spent in the current window, as of the tenant's last judged usage "
                       "event",
                       G, {"tenant"})),
      budget_decisions(spec("flk_budget_decisions_total",
                            "usage events that moved a budget decision (degrade, throttle) or were refused (deny)", C,
                            {"tenant", "action"})),
      reconcile_drift(spec("flk_cost_reconcile_drift_pct",
                           "absolute drift in percent between tracked and billed spend at the tenant's last scheduled "
                           "reconciliation",
                           G, {"tenant"})),
      reconcile_alerts(spec("flk_cost_reconcile_alerts_total",
                            "scheduled reconciliations whose drift exceeded the threshold (each audited as "
                            "cost.reconcile.drift)",
                            C, {"tenant"})),
      hrs_scores(spec("flk_hrs_scores_total", "answers scored by POST /v1/hrs/score, by risk band (low, medium, high)", C,
                      {"tenant", "band"})),
      hrs_risk_score(histogram("flk_hrs_risk_score",
                               "calibrated hallucination probability of answers scored by POST /v1/hrs/score",
                               {"tenant", "task"}, {0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95}, 1000)),
      pii_findings(spec("flk_pii_findings_total",
                        "PII findings in screened inputs, by type and the tenant policy's action (detect, block, redact)",
                        C, {"tenant", "type", "action"})),
      http_requests(spec("flk_http_requests_total", "HTTP responses by route template, method and status code", C,
                         {"route", "method", "code"}, 2000)),
      worker_rejected(spec("flk_worker_rejected_total",
                           "requests refused with 503 overloaded because their worker pool (compute, store or probe) was full",
                           C, {"pool"})),
      http_in_flight(gauge("flk_http_in_flight", "requests being handled")),
      http_connections(gauge("flk_http_connections", "open client connections")),
      http_connections_max(gauge("flk_http_connections_max", "the connection cap")),
      ready(gauge("flk_ready", "1 when the server is ready and not draining")),
      store_up(gauge("flk_store_up", "1 when the store answered a ping at this scrape")),
      worker_queue_depth(spec("flk_worker_queue_depth", "tasks waiting for a thread of a worker pool, at this scrape", G,
                              {"pool"})),
      worker_busy(spec("flk_worker_busy", "threads of a worker pool running a task, at this scrape", G, {"pool"})),
      wal_appends(spec("flk_wal_appends_total", "records appended to the WAL", C, {})),
      wal_syncs(spec("flk_wal_syncs_total", "WAL fsyncs", C, {})),
      wal_segments_deleted(spec("flk_wal_segments_deleted_total", "WAL segments deleted after their records were stored",
                                C, {})),
      wal_appends_legacy(replaced_by(gauge("flk_wal_appends", "records appended to the WAL"), "flk_wal_appends_total")),
      wal_syncs_legacy(replaced_by(gauge("flk_wal_syncs", "WAL fsyncs"), "flk_wal_syncs_total")),
      wal_segments_deleted_legacy(
          replaced_by(gauge("flk_wal_segments_deleted", "WAL segments deleted"), "flk_wal_segments_deleted_total")),
      wal_live_bytes(gauge("flk_wal_live_bytes", "bytes held by WAL segments not yet deleted (capped by --wal-max-mb)")) {}

void LabelledCounter::inc(const std::string& value, uint64_t n) {
  std::lock_guard<std::mutex> l(mu_);
  v_[value] += n;
}

std::map<std::string, uint64_t> LabelledCounter::values() const {
  std::lock_guard<std::mutex> l(mu_);
  return v_;
}

const std::vector<double>& Histogram::bounds() {
  static const std::vector<double> b = {0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01,
                                        0.025,  0.05,    0.1,    0.25,  0.5,   1,     2.5};
  return b;
}

Histogram::Histogram() : buckets_(bounds().size()) {}

void Histogram::observe(double seconds) {
  const auto& b = bounds();
  for (size_t i = 0; i < b.size(); ++i)
    if (seconds <= b[i]) {
      buckets_[i].fetch_add(1, std::memory_order_relaxed);
      break;
    }
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_ns_.fetch_add(static_cast<uint64_t>(seconds * 1e9), std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot s;
  uint64_t run = 0;
  for (const auto& b : buckets_) {
    run += b.load(std::memory_order_relaxed);
    s.cumulative.push_back(run);
  }
  s.count = count_.load(std::memory_order_relaxed);
  s.sum = static_cast<double>(sum_ns_.load(std::memory_order_relaxed)) / 1e9;
  return s;
}

Histogram& Metrics::latency(const std::string& route, const std::string& method) {
  std::lock_guard<std::mutex> l(hist_mu_);
  auto& h = latency_[{route, method_label(method)}];
  if (!h) h = std::make_unique<Histogram>();
  return *h;
}

void Metrics::request(const std::string& route, const std::string& method, int status, double seconds) {
  latency(route, method).observe(seconds);
  responses_by_code.inc(std::to_string(status));
  http_requests.inc({route, method_label(method), std::to_string(status)});
}

Histogram::Snapshot Metrics::latency_total() const {
  std::lock_guard<std::mutex> l(hist_mu_);
  Histogram::Snapshot total;
  total.cumulative.assign(Histogram::bounds().size(), 0);
  for (const auto& kv : latency_) {
    Histogram::Snapshot s = kv.second->snapshot();
    for (size_t i = 0; i < s.cumulative.size(); ++i) total.cumulative[i] += s.cumulative[i];
    total.count += s.count;
    total.sum += s.sum;
  }
  return total;
}

std::vector<const Family*> Metrics::families() const {
  return {&pcs_submissions,    &pcs_decisions,      &signature_errors_total,     &rate_limited,
          &usage_events,       &spend_usd,          &token_usage,                &budget_used,
          &budget_decisions,   &hrs_scores,         &hrs_risk_score,             &pii_findings,               &http_requests,
          &worker_rejected,    &http_in_flight,     &http_connections,           &http_connections_max,
          &ready,              &store_up,           &worker_queue_depth,         &worker_busy,
          &wal_appends,        &wal_syncs,          &wal_segments_deleted,       &wal_appends_legacy,
          &wal_syncs_legacy,   &wal_segments_deleted_legacy, &wal_live_bytes, &reconcile_drift, &reconcile_alerts};
}

std::string Metrics::render(const std::vector<const Family*>& extra) const {
  std::string o;
  for (const CounterRow& r : kCounters)
    o += std::string("# HELP ") + r.name + " " + r.help + "\n# TYPE " + r.name + " counter\n" + r.name + " " +
         std::to_string((this->*r.counter).value()) + "\n";
  for (const LabelledRow& r : kLabelled) {
    const LabelledCounter& c = this->*r.counter;
    o += std::string("# HELP ") + r.name + " " + r.help + "\n# TYPE " + r.name + " counter\n";
    for (const auto& kv : c.values())
      o += std::string(r.name) + "{" + c.label() + "=\"" + escape_label_value(kv.first) + "\"} " +
           std::to_string(kv.second) + "\n";
  }
  std::vector<const Family*> all = families();
  all.insert(all.end(), extra.begin(), extra.end());
  for (const Family* f : all) f->render(o);
  o += std::string("# HELP flk_metric_series_overflow_total ") + kOverflowHelp +
       "\n# TYPE flk_metric_series_overflow_total counter\n";
  for (const Family* f : all)
    o += "flk_metric_series_overflow_total{family=\"" + f->spec().name + "\"} " + std::to_string(f->overflowed()) + "\n";
  o += std::string("# HELP ") + kLatencyName + " " + kLatencyHelp + "\n# TYPE " + kLatencyName + " histogram\n";
  std::lock_guard<std::mutex> l(hist_mu_);
  const auto& b = Histogram::bounds();
  for (const auto& kv : latency_) {
    const std::string labels = "route=\"" + escape_label_value(kv.first.first) + "\",method=\"" + kv.first.second + "\"";
    Histogram::Snapshot s = kv.second->snapshot();
    for (size_t i = 0; i < b.size(); ++i)
      o += "flk_http_request_duration_seconds_bucket{" + labels + ",le=\"" + metric_number(b[i]) + "\"} " +
           std::to_string(s.cumulative[i]) + "\n";
    o += "flk_http_request_duration_seconds_bucket{" + labels + ",le=\"+Inf\"} " + std::to_string(s.count) + "\n";
    o += "flk_http_request_duration_seconds_sum{" + labels + "} " + metric_number(s.sum) + "\n";
    o += "flk_http_request_duration_seconds_count{" + labels + "} " + std::to_string(s.count) + "\n";
  }
  return o;
}

std::string Metrics::list(const std::vector<const Family*>& extra) const {
  std::string o = "| name | type | labels | series cap | meaning |\n|---|---|---|---|---|\n";
  std::vector<const Family*> all = families();
  all.insert(all.end(), extra.begin(), extra.end());
  for (const Family* f : all) {
    const FamilySpec& s = f->spec();
    list_row(o, s.name, s.kind, s.labels, s.help, s.replaced_by, s.labels.empty() ? 0 : s.max_series);
  }
  list_row(o, kLatencyName, MetricKind::histogram, {"route", "method"}, kLatencyHelp, "");
  list_row(o, "flk_metric_series_overflow_total", C, {"family"}, kOverflowHelp, "");
  for (const CounterRow& r : kCounters) list_row(o, r.name, C, {}, r.help, r.replaced_by);
  for (const LabelledRow& r : kLabelled) list_row(o, r.name, C, {(this->*r.counter).label()}, r.help, r.replaced_by);
  return o;
}

}  // namespace flk::server
