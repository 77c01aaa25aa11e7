// Scheduled reconciliation (--reconcile-hour H, UTC; off by default): once a day, at the first
// check at or after H o'clock, every tenant with an uploaded bill has the stored usage of the 30
// days before today reconciled (cost.reconcile) against its latest upload, as GET
// /v1/cost/reconcile would. Each run sets flk_cost_reconcile_drift_pct{tenant}; a drift over
// --reconcile-threshold-pct also adds to flk_cost_reconcile_alerts_total{tenant} and writes a
// "cost.reconcile.drift" audit entry. Every instance with the setting runs it: set it on one.
#pragma once
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

namespace flk::server {

struct App;

class ReconcileSchedule {
 public:
  using Clock = std::function<int64_t()>;  // epoch milliseconds (injectable for tests)
  static constexpr int64_t kCheckMs = 60000;
  static constexpr int32_t kDays = 30;

  // hour < 0: off. The first check runs at once, then every check_ms.
  ReconcileSchedule(App& app, int hour, double threshold_pct, Clock clock, int64_t check_ms = kCheckMs);
  ~ReconcileSchedule() { stop(); }
  void stop();

  // Whether a run is due at now_ms: at or after the hour of a UTC day not yet run.
  bool due(int64_t now_ms) const;
  // Runs if due; returns the number of tenants reconciled.
  int check();

 private:
  void run(int64_t now_ms);

  App& app_;
  int hour_;
  double threshold_pct_;
  Clock clock_;
  int64_t check_ms_;
  int32_t last_day_ = INT32_MIN;
  int reconciled_ = 0;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace flk::server
