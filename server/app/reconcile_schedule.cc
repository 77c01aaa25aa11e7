#include "app/reconcile_schedule.h"

#include <cmath>

#include "app/app.h"
#include "app/facade.h"
#include "app/log.h"
#include "app/stored_ledger.h"
#include "store/audit/audit.h"
#include "store/billing/billing.h"
#include "store/tenants/tenants.h"
#include "util/civil_time.h"

namespace flk::server {
namespace {

constexpr int64_t kMsPerDay = 86400000;

void warn(const std::string& tenant, const std::string& what) {
  log(LogLevel::warn, "scheduled reconciliation failed", json::Value::object().set("tenant", tenant).set("error", what));
}

}  // namespace

ReconcileSchedule::ReconcileSchedule(App& app, int hour, double threshold_pct, Clock clock, int64_t check_ms)
    : app_(app), hour_(hour), threshold_pct_(threshold_pct), clock_(std::move(clock)), check_ms_(check_ms) {
  if (hour_ < 0) return;
  thread_ = std::thread([this] {
    std::unique_lock<std::mutex> l(mu_);
    do {
      l.unlock();
      check();
      l.lock();
    } while (!cv_.wait_for(l, std::chrono::milliseconds(check_ms_), [this] { return stopping_; }));
  });
}

void ReconcileSchedule::stop() {
  {
    std::lock_guard<std::mutex> l(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool ReconcileSchedule::due(int64_t now_ms) const {
  return hour_ >= 0 && day_of(now_ms) != last_day_ && (now_ms - static_cast<int64_t>(day_of(now_ms)) * kMsPerDay) / 3600000 >= hour_;
}

int ReconcileSchedule::check() {
  const int64_t now = clock_();
  if (!due(now)) return 0;
  last_day_ = day_of(now);
  reconciled_ = 0;
  run(now);
  return reconciled_;
}

void ReconcileSchedule::run(int64_t now_ms) {
  auto tenants = tenants::all(*app_.store);
  if (!tenants.ok()) return warn("", tenants.error().message);
  const int32_t today = day_of(now_ms);
  for (const TenantRecord& t : tenants.value()) {
    auto uploads = billing::uploads(*app_.store, t.id);
    if (!uploads.ok()) {
      warn(t.id, uploads.error().message);
      continue;
    }
    if (uploads->empty()) continue;
    const BillingUpload* latest = &uploads->front();
    for (const BillingUpload& u : uploads.value())
      if (u.created_ms > latest->created_ms) latest = &u;
    Engine engine;
    json::Value imp = json::Value::object();
    imp.set("csv_text", latest->csv).set("format", latest->format);
    if (auto r = engine.call_value("cost.billing.import", imp); !r.ok()) {
      warn(t.id, r.error().message);
      continue;
    }
    Response err;
    if (!load_stored_usage(app_, engine, t.id, (today - kDays) * kMsPerDay, today * kMsPerDay, &err)) {
      warn(t.id, err.body);
      continue;
    }
    json::Value opts = json::Value::object();
    opts.set("from", format_date(today - kDays)).set("to", format_date(today)).set("threshold_pct", threshold_pct_);
    auto report = engine.call_value("cost.reconcile", opts);
    if (!report.ok()) {
      warn(t.id, report.error().message);
      continue;
    }
    ++reconciled_;
    const double drift = std::fabs(report->find("delta_pct")->as_double());
    app_.metrics.reconcile_drift.set({t.id}, drift);
    if (!report->find("alert")->as_bool()) continue;
    app_.metrics.reconcile_alerts.inc({t.id});
    json::Value data = json::Value::object();
    data.set("upload_id", latest->upload_id).set("period", *report->find("period"));
    for (const char* k : {"tracked_usd", "billed_usd", "delta_usd", "delta_pct", "threshold_pct", "status"})
      data.set(k, *report->find(k));
    auto w = std::make_unique<AuditOnlyWrite>();
    w->tenant = t.id;
    w->audit = AuditDraft{"cost.reconcile.drift", t.id, std::move(data), now_ms};
    app_.batcher->submit(std::move(w), [tenant = t.id](Write&, const Status& s) {
      if (!s.ok()) warn(tenant, s.error().message);
    });
  }
}

}  // namespace flk::server
