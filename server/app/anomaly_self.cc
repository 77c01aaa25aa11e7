#include "app/anomaly_self.h"

#include "app/app.h"
#include "app/facade.h"
#include "app/log.h"

namespace flk::server {
namespace {

uint64_t server_errors(const Metrics& m) {
  uint64_t n = 0;
  for (const auto& kv : m.responses_by_code.values())
    if (!kv.first.empty() && kv.first[0] == '5') n += kv.second;
  return n;
}

// Upper bound of the bucket holding the 99th percentile of the requests between two snapshots;
// beyond the last bucket, twice the last bound.
double p99_bound(const Histogram::Snapshot& now, const Histogram::Snapshot& before) {
  const uint64_t n = now.count - before.count;
  if (n == 0) return 0;
  const auto& b = Histogram::bounds();
  for (size_t i = 0; i < b.size(); ++i)
    if (static_cast<double>(now.cumulative[i] - before.cumulative[i]) >= 0.99 * static_cast<double>(n)) return b[i];
  return 2 * b.back();
}

}  // namespace

SelfWatch::SelfWatch(App& app, int64_t interval_ms) : app_(app), interval_ms_(interval_ms) {
  if (interval_ms_ <= 0) return;
  last_ = app_.metrics.latency_total();
  last_errors_ = server_errors(app_.metrics);
  last_ms_ = now_ms();
  thread_ = std::thread([this] {
    std::unique_lock<std::mutex> l(mu_);
    while (!cv_.wait_for(l, std::chrono::milliseconds(interval_ms_), [this] { return stopping_; })) {
      l.unlock();
      sample();
      l.lock();
    }
  });
}

void SelfWatch::stop() {
  {
    std::lock_guard<std::mutex> l(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void SelfWatch::sample() {
  const Histogram::Snapshot snap = app_.metrics.latency_total();
  const uint64_t errors = server_errors(app_.metrics);
  const int64_t now = now_ms();
  const double seconds = static_cast<double>(now - last_ms_) / 1000;
  const uint64_t requests = snap.count - last_.count;
  const std::pair<const char*, double> values[] = {
      {"request_rate", seconds > 0 ? static_cast<double>(requests) / seconds : 0},
      {"latency_p99_s", p99_bound(snap, last_)},
      {"error_rate", requests > 0 ? static_cast<double>(errors - last_errors_) / static_cast<double>(requests) : 0},
  };
  last_ = snap;
  last_errors_ = errors;
  last_ms_ = now;
  for (const auto& [series, value] : values) {
    json::Value point = json::Value::object();
    point.set("ts", static_cast<double>(now) / 1000).set("value", value);
    json::Value body = json::Value::object();
    body.set("series", series).set("points", json::Value::array().push(std::move(point)));
    auto out = app_.anomaly->observe(kSelfTenant, body, now);
    app_.anomaly->metrics().self_samples.inc({series});
    if (!out.ok()) {
      log(LogLevel::warn, "self-watch sample not scored", json::Value::object().set("series", series).set("error", out.error().message));
      continue;
    }
    for (auto& w : out->writes)
      app_.batcher->submit(std::move(w), [](Write& w, const Status& s) {
        if (!s.ok()) log(LogLevel::warn, "self-watch anomaly not stored", json::Value::object().set("event", w.id));
      });
  }
}

}  // namespace flk::server
