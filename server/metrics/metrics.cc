#include "metrics/metrics.h"

#include <cstdio>
#include <memory>

namespace flk::server {
namespace {

std::string num(double v) {
  char b[40];
  std::snprintf(b, sizeof b, "%.17g", v);
  return b;
}

std::string escape_label(const std::string& v) {
  std::string o;
  for (char c : v) {
    if (c == '\\' || c == '"') o += '\\';
    if (c == '\n') {
      o += "\\n";
      continue;
    }
    o += c;
  }
  return o;
}

void counter(std::string& out, const char* name, const char* help, uint64_t v) {
  out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " counter\n" + name + " " +
         std::to_string(v) + "\n";
}

void labelled(std::string& out, const char* name, const char* help, const LabelledCounter& c) {
  out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " counter\n";
  for (const auto& kv : c.values())
    out += std::string(name) + "{" + c.label() + "=\"" + escape_label(kv.first) + "\"} " + std::to_string(kv.second) + "\n";
}

// The label value for a request method: a fixed set, so the number of series is bounded.
const char* method_label(const std::string& method) {
  static const char* const kKnown[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "-"};
  for (const char* m : kKnown)
    if (method == m) return m;
  return "other";
}

}  // namespace

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

std::string Metrics::render(const std::vector<std::pair<std::string, double>>& gauges) const {
  std::string o;
  counter(o, "flk_ingest_total", "PCS submissions written to the WAL (signed, within the tenant's rate)",
          ingest_total.value());
  counter(o, "flk_dedup_hits", "PCS submissions answered from an earlier verdict", dedup_hits.value());
  counter(o, "flk_accepted", "first verdicts accepted and not escalated (HTTP 200)", accepted.value());
  counter(o, "flk_escalated", "first verdicts escalated (HTTP 202)", escalated.value());
  counter(o, "flk_rejected", "first verdicts rejected without escalation (HTTP 202)", rejected.value());
  counter(o, "flk_signature_errors", "PCS submissions with a bad signature (HTTP 401)", signature_errors.value());
  counter(o, "flk_wal_errors", "requests that failed because the WAL could not be written", wal_errors.value());
  labelled(o, "flk_ingest_total_by_tenant", "PCS submissions written to the WAL, by tenant", ingest_by_tenant);
  labelled(o, "flk_dedup_hits_by_tenant", "dedup hits, by tenant", dedup_hits_by_tenant);
  labelled(o, "flk_accepted_by_tenant", "accepted first verdicts, by tenant", accepted_by_tenant);
  labelled(o, "flk_escalated_by_tenant", "escalated first verdicts, by tenant", escalated_by_tenant);
  labelled(o, "flk_signature_errors_by_tenant", "bad signatures, by tenant", signature_errors_by_tenant);
  labelled(o, "flk_quota_exceeded_by_tenant", "requests refused by the tenant's rate limit (HTTP 429)",
           quota_exceeded_by_tenant);
  labelled(o, "flk_usage_events_by_tenant", "usage events priced and stored (first writes), by tenant",
           usage_events_by_tenant);
  labelled(o, "flk_usage_duplicates_by_tenant", "usage events answered from an earlier write, by tenant",
           usage_duplicates_by_tenant);
  labelled(o, "flk_budget_refused_by_tenant", "usage events refused by the tenant's budget (HTTP 402), by tenant",
           budget_refused_by_tenant);
  labelled(o, "flk_budget_decisions_by_tenant", "stored usage events that crossed a budget threshold, by tenant",
           budget_decisions_by_tenant);
  counter(o, "flk_audit_entries_total", "audit entries appended by this instance", audit_entries.value());
  counter(o, "flk_store_batches_total", "store transactions (group commits)", store_batches.value());
  counter(o, "flk_store_writes_total", "writes committed in store transactions", store_writes.value());
  counter(o, "flk_store_errors_total", "store transactions that failed", store_errors.value());
  counter(o, "flk_wal_replayed_total", "WAL records replayed at start-up", wal_replayed.value());
  counter(o, "flk_store_retried_batches_total", "failed store transactions retried one write at a time",
          store_retried_batches.value());
  counter(o, "flk_store_rejected_writes_total", "writes the store refused on their own (HTTP 500)",
          store_rejected_writes.value());
  counter(o, "flk_store_unavailable_total", "writes answered 503 because the store was unreachable",
          store_unavailable.value());
  counter(o, "flk_wal_full_total", "requests answered 503 because the WAL was at its size cap", wal_full.value());
  counter(o, "flk_wal_damaged_total", "damaged WAL ranges found at start-up (segment kept in quarantine/)",
          wal_damaged.value());
  counter(o, "flk_wal_unreplayable_total", "WAL records the store refused at replay (kept in quarantine/)",
          wal_unreplayable.value());
  labelled(o, "flk_http_responses_total", "HTTP responses by status code", responses_by_code);
  counter(o, "flk_anonymous_rate_limited_total", "unsigned requests refused by the per-address rate limit (HTTP 429)",
          anonymous_rate_limited.value());
  counter(o, "flk_http_accept_errors_total", "failed accepts (e.g. out of descriptors), each followed by a back-off",
          accept_errors.value());
  counter(o, "flk_http_accept_paused_total", "times accepting paused at the connection cap", accept_paused.value());
  for (const auto& g : gauges) o += "# TYPE " + g.first + " gauge\n" + g.first + " " + num(g.second) + "\n";
  o += "# HELP flk_http_request_duration_seconds time from a request's last byte to its response\n";
  o += "# TYPE flk_http_request_duration_seconds histogram\n";
  std::lock_guard<std::mutex> l(hist_mu_);
  const auto& b = Histogram::bounds();
  for (const auto& kv : latency_) {
    const std::string labels = "route=\"" + escape_label(kv.first.first) + "\",method=\"" + kv.first.second + "\"";
    Histogram::Snapshot s = kv.second->snapshot();
    for (size_t i = 0; i < b.size(); ++i)
      o += "flk_http_request_duration_seconds_bucket{" + labels + ",le=\"" + num(b[i]) + "\"} " +
           std::to_string(s.cumulative[i]) + "\n";
    o += "flk_http_request_duration_seconds_bucket{" + labels + ",le=\"+Inf\"} " + std::to_string(s.count) + "\n";
    o += "flk_http_request_duration_seconds_sum{" + labels + "} " + num(s.sum) + "\n";
    o += "flk_http_request_duration_seconds_count{" + labels + "} " + std::to_string(s.count) + "\n";
  }
  return o;
}

}  // namespace flk::server
