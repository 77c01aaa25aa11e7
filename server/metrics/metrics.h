// Prometheus text-format metrics: counters (optionally with one label), and histograms of
// request latency per route. Lock-free on the hot path for unlabelled counters; labelled ones
// take a short lock. The `flk_` names follow the PCS spec §8.
#pragma once
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

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

struct Metrics {
  // Spec §8, PCS pipeline.
  Counter ingest_total, dedup_hits, accepted, escalated, rejected, signature_errors, wal_errors;
  LabelledCounter ingest_by_tenant{"tenant"}, dedup_hits_by_tenant{"tenant"}, accepted_by_tenant{"tenant"},
      escalated_by_tenant{"tenant"}, signature_errors_by_tenant{"tenant"}, quota_exceeded_by_tenant{"tenant"};
  // Server internals.
  Counter audit_entries, store_batches, store_writes, store_errors, wal_replayed;
  // WAL and store faults: batches retried write by write, writes that failed alone, the
  // responses refused while the WAL was at its cap or the store unavailable, damaged ranges
  // found at start-up, and records that replay could not store (kept in quarantine/).
  Counter store_retried_batches, store_rejected_writes, wal_full, store_unavailable, wal_damaged, wal_unreplayable;
  LabelledCounter usage_events_by_tenant{"tenant"}, usage_duplicates_by_tenant{"tenant"};
  LabelledCounter budget_refused_by_tenant{"tenant"}, budget_decisions_by_tenant{"tenant"};
  LabelledCounter responses_by_code{"code"};
  // Requests refused by the rate limit of anonymous callers (per peer address).
  Counter anonymous_rate_limited;
  // Accept loop: errors (EMFILE, …; each followed by a back-off) and pauses at the connection cap.
  Counter accept_errors, accept_paused;

  // route: a route template or one of a few fixed names, never a raw path; method: any request
  // method, counted under its own name when it is a standard one and "other" otherwise, so no
  // client can add series.
  Histogram& latency(const std::string& route, const std::string& method);
  // All routes' latency histograms added up (the self-watch reads it).
  Histogram::Snapshot latency_total() const;
  // Gauges read at scrape time: in-flight requests, WAL syncs/appends.
  std::string render(const std::vector<std::pair<std::string, double>>& gauges) const;

 private:
  mutable std::mutex hist_mu_;
  std::map<std::pair<std::string, std::string>, std::unique_ptr<Histogram>> latency_;
};

}  // namespace flk::server
