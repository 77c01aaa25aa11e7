// The server watching itself: every interval it samples its own request metrics — requests per
// second, the p99 latency (upper bound of the histogram bucket that holds it) and the share of
// 5xx answers over the interval — and feeds each as a series of the tenant "_self" to the same
// anomaly detectors tenants use (the default model unless an admin installs another for "_self").
// Flagged samples become anomaly events like any tenant's: stored, audited, in /metrics and in
// GET /v1/anomaly/events?tenant=_self (admin token).
#pragma once
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "metrics/metrics.h"

namespace flk::server {

struct App;

class SelfWatch {
 public:
  // interval_ms 0: off.
  SelfWatch(App& app, int64_t interval_ms);
  ~SelfWatch() { stop(); }
  void stop();

 private:
  void sample();

  App& app_;
  int64_t interval_ms_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  Histogram::Snapshot last_;
  uint64_t last_errors_ = 0;
  int64_t last_ms_ = 0;
  std::thread thread_;
};

}  // namespace flk::server
