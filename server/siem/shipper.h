// SIEM delivery: one thread reads the audit chain through the Store (entries after the cursor,
// oldest first), sends them in batches to a receiver over HTTP(S) as CloudEvents or Splunk HEC
// events, and moves its cursor (siem/cursor.h) only after a 2xx answer. A batch the receiver did
// not acknowledge is sent again after an exponential back-off with jitter; nothing is skipped, so
// every entry is delivered at least once. Duplicates: a batch whose 2xx was lost, or whose
// cursor write a crash cut off, is sent again. docs/siem.md.
#pragma once
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "metrics/family.h"
#include "siem/body.h"
#include "siem/client.h"
#include "siem/cursor.h"
#include "store/audit/audit.h"

namespace flk::server {

struct Config;

struct SiemOptions {
  SiemEndpoint endpoint;
  SiemFormat format = SiemFormat::cloudevents;
  std::string authorization;  // the header value: "Bearer <token>" (CloudEvents), "Splunk <token>" (HEC)
  size_t batch = 500;
  int64_t interval_ms = 1000;     // pause once caught up
  int64_t min_backoff_ms = 500;   // the first retry's pause; doubled per failure
  int64_t max_backoff_ms = 60000;
  int timeout_s = 10;
  std::string ca_file;
  std::string cursor_path;
  std::string source;  // CloudEvents source
  std::string host;    // HEC host
};

// The siem-* settings of c, checked; without siem-url delivery is off (enabled false).
struct SiemSettings {
  bool enabled = false;
  SiemOptions options;
};
Result<SiemSettings> siem_settings(const Config& c);

struct SiemMetrics {
  SiemMetrics();
  Family delivered, batches, failures, lag_events, lag_seconds, cursor_seq;
  std::vector<const Family*> families() const {
    return {&delivered, &batches, &failures, &lag_events, &lag_seconds, &cursor_seq};
  }
};

class SiemShipper {
 public:
  // Loads the cursor and starts the thread.
  static Result<std::unique_ptr<SiemShipper>> start(Store& store, const SiemOptions& options, SiemMetrics& metrics);
  SiemShipper(Store& store, SiemOptions options, SiemMetrics& metrics);
  ~SiemShipper();
  // Ends the wait or the back-off at once; a request in flight ends within the timeout.
  void stop();

 private:
  void run();
  // One round: false when it failed (the caller backs off), *more when a full batch went out.
  bool round(bool* more);
  // Checks the loaded cursor against the chain once: another chain (a new store) restarts at 0.
  bool check_cursor();
  void failed(const char* reason, const std::string& detail);
  // Sleeps ms unless stopped; false when stopped.
  bool pause(int64_t ms);
  int64_t backoff_ms();

  Store& store_;
  SiemOptions opt_;
  SiemMetrics& metrics_;
  SiemClient client_;
  SiemCursor cursor_;
  bool cursor_checked_ = false;
  size_t batch_;
  int attempt_ = 0;
  std::mt19937_64 rng_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace flk::server
