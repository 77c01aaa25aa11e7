// Prometheus text-format metrics of one flk-server. Two kinds live here:
//  - labelled families (metrics/family.h): the current names, with tenant, model, action, …
//    labels and a series cap each; listed by `flk-server --list-metrics` (docs/server.md);
//  - the earlier unlabelled counters and one-label `*_by_tenant` families, kept for one release
//    (marked deprecated in the listing, each naming its replacement).
// Lock-free on the hot path for unlabelled counters; families take a short lock.
#pragma once
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "metrics/family.h"

namespace flk::server {

class Counter {
 public:
  void inc(uint64_t n = 1) { v_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t value() const { return v_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> v_{0};
};

// A counter family with one label (e.g. tenant).
class LabelledCounter {
 public:
  explicit LabelledCounter(std::string label) : label_(std::move(label)) {}
  void inc(const std::string& value, uint64_t n = 1);
  std::map<std::string, uint64_t> values() const;
  const std::string& label() const { return label_; }

 private:
  std::string label_;
  mutable std::mutex mu_;
  std::map<std::string, uint64_t> v_;
};

// Latency histogram (seconds) with fixed buckets; one per (route, method).
class Histogram {
 public:
  static const std::vector<double>& bounds();
  Histogram();
  void observe(double seconds);
  struct Snapshot {
    std::vector<uint64_t> cumulative;
    uint64_t count = 0;
    double sum = 0;
  };
  Snapshot snapshot() const;

 private:
  std::vector<std::atomic<uint64_t>> buckets_;
  std::atomic<uint64_t> count_{0};
  std::atomic<uint64_t> sum_ns_{0};
};

// The tenant label of requests no tenant signed, and of a tenant the server does not know.
constexpr const char* kAnonymousTenant = "anonymous";
constexpr const char* kUnknownTenant = "unknown";

struct Metrics {
  // Deprecated (one release): spec §8 PCS pipeline counters and the *_by_tenant families.
  Counter ingest_total, dedup_hits, accepted, escalated, rejected, signature_errors, wal_errors;
  LabelledCounter ingest_by_tenant{"tenant"}, dedup_hits_by_tenant{"tenant"}, accepted_by_tenant{"tenant"},
      escalated_by_tenant{"tenant"}, signature_errors_by_tenant{"tenant"}, quota_exceeded_by_tenant{"tenant"};
  // WAL and store faults: batches retried write by write, writes that failed alone, the
  // responses refused while the WAL was at its cap or the store unavailable, damaged ranges
  // found at start-up, and records that replay could not store (kept in quarantine/).
  Counter store_retried_batches, store_rejected_writes, wal_full, store_unavailable, wal_damaged, wal_unreplayable;
  LabelledCounter usage_events_by_tenant{"tenant"}, usage_duplicates_by_tenant{"tenant"};
  LabelledCounter budget_refused_by_tenant{"tenant"}, budget_decisions_by_tenant{"tenant"};
  // Current unlabelled counters.
  Counter audit_entries, store_batches, store_writes, store_errors, wal_replayed;
  LabelledCounter responses_by_code{"code"};
  // Requests refused by the rate limit of anonymous callers (per peer address).
  Counter anonymous_rate_limited;
  // Accept loop: errors (EMFILE, …; each followed by a back-off) and pauses at the connection cap.
  Counter accept_errors, accept_paused;

  // Labelled families (see metrics.cc for names, labels and help).
  Family pcs_submissions, pcs_decisions, signature_errors_total, rate_limited;
  Family usage_events, spend_usd, token_usage, budget_used, budget_decisions;
  // Scheduled reconciliation (app/reconcile_schedule.h).
  Family reconcile_drift, reconcile_alerts;
  Family hrs_scores, hrs_risk_score;
  Family pii_findings;
  Family http_requests;
  // Requests a full worker pool refused (503 overloaded), by pool (app/worker_pool.h).
  Family worker_rejected;
  // Gauges and mirrored counters set at scrape time (routes.cc).
  Family http_in_flight, http_connections, http_connections_max, ready, store_up, worker_queue_depth,
      worker_busy;
  Family wal_appends, wal_syncs, wal_segments_deleted, wal_appends_legacy, wal_syncs_legacy,
      wal_segments_deleted_legacy, wal_live_bytes;

  Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // route: a route template or one of a few fixed names, never a raw path; method: any request
  // method, counted under its own name when it is a standard one and "other" otherwise, so no
  // client can add series.
  Histogram& latency(const std::string& route, const std::string& method);
  // One finished HTTP request: its latency and its response code.
  void request(const std::string& route, const std::string& method, int status, double seconds);
  // All routes' latency histograms added up (the self-watch reads it).
  Histogram::Snapshot latency_total() const;
  // Every family rendered by this object, in /metrics order.
  std::vector<const Family*> families() const;
  // extra: families rendered with these (the anomaly hub's); their overflow is counted too.
  std::string render(const std::vector<const Family*>& extra) const;
  // Markdown table of every metric: name, type, labels, help (docs/server.md embeds it). extra:
  // families rendered elsewhere (the anomaly hub's).
  std::string list(const std::vector<const Family*>& extra) const;

 private:
  mutable std::mutex hist_mu_;
  std::map<std::pair<std::string, std::string>, std::unique_ptr<Histogram>> latency_;
};

}  // namespace flk::server
