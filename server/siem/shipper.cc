#include "siem/shipper.h"

#include <unistd.h>

#include <algorithm>

#include "app/config.h"
#include "app/facade.h"
#include "app/log.h"
#include "json/parse.h"

namespace flk::server {
namespace {

constexpr size_t kMaxBatch = 10000;
constexpr size_t kMaxBatchBytes = 8u << 20;

FamilySpec family(const char* name, const char* help, MetricKind kind, std::vector<std::string> labels = {}) {
  FamilySpec s;
  s.name = name;
  s.help = help;
  s.kind = kind;
  s.labels = std::move(labels);
  s.max_series = 16;
  return s;
}

std::string hostname() {
  char host[256] = "localhost";
  gethostname(host, sizeof host - 1);
  return host;
}

}  // namespace

Result<SiemSettings> siem_settings(const Config& c) {
  SiemSettings s;
  if (c.siem_url.empty()) return s;
  s.enabled = true;
  SiemOptions& o = s.options;
  FLK_ASSIGN(o.endpoint, parse_siem_url(c.siem_url));
  if (!parse_siem_format(c.siem_format, &o.format)) return make_error("bad_config", "siem-format is cloudevents or hec");
  if (o.format == SiemFormat::hec && c.siem_token.empty()) return make_error("bad_config", "siem-format hec needs siem-token");
  if (!c.siem_token.empty()) o.authorization = (o.format == SiemFormat::hec ? "Splunk " : "Bearer ") + c.siem_token;
  if (c.siem_batch < 1 || c.siem_batch > static_cast<int64_t>(kMaxBatch))
    return make_error("bad_config", "siem-batch must be in [1, 10000]");
  if (c.siem_interval_ms < 10 || c.siem_max_backoff_ms < 10 || c.siem_timeout_s < 1)
    return make_error("bad_config", "siem-interval-ms and siem-max-backoff-ms are >= 10, siem-timeout >= 1");
  o.batch = static_cast<size_t>(c.siem_batch);
  o.interval_ms = c.siem_interval_ms;
  o.max_backoff_ms = c.siem_max_backoff_ms;
  o.min_backoff_ms = std::min<int64_t>(500, c.siem_max_backoff_ms);
  o.timeout_s = static_cast<int>(std::min<int64_t>(c.siem_timeout_s, 3600));
  o.ca_file = c.siem_ca_file;
  o.cursor_path = c.data + "/siem-cursor.json";
  o.host = hostname();
  o.source = "//flk-server/" + o.host;
  return s;
}

SiemMetrics::SiemMetrics()
    : delivered(family("flk_siem_events_delivered_total", "audit entries a SIEM receiver acknowledged (2xx)",
                       MetricKind::counter)),
      batches(family("flk_siem_batches_total", "SIEM deliveries by outcome (delivered, failed)", MetricKind::counter,
                     {"outcome"})),
      failures(family("flk_siem_failures_total",
                      "failed SIEM delivery rounds by reason (network, http_4xx, http_5xx, store, cursor, format)",
                      MetricKind::counter, {"reason"})),
      lag_events(family("flk_siem_lag_events", "audit entries not yet acknowledged by the SIEM receiver", MetricKind::gauge)),
      lag_seconds(family("flk_siem_lag_seconds", "age of the oldest audit entry not yet acknowledged (0 when caught up)",
                         MetricKind::gauge)),
      cursor_seq(family("flk_siem_cursor_seq", "seq of the last audit entry the SIEM receiver acknowledged",
                        MetricKind::gauge)) {}

SiemShipper::SiemShipper(Store& store, SiemOptions options, SiemMetrics& metrics)
    : store_(store),
      opt_(std::move(options)),
      metrics_(metrics),
      client_(opt_.endpoint, opt_.ca_file, opt_.timeout_s),
      batch_(opt_.batch),
      rng_(std::random_device{}()) {}

SiemShipper::~SiemShipper() { stop(); }

void SiemShipper::stop() {
  {
    std::lock_guard<std::mutex> l(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool SiemShipper::pause(int64_t ms) {
  std::unique_lock<std::mutex> l(mu_);
  return !cv_.wait_for(l, std::chrono::milliseconds(ms), [this] { return stopping_; });
}

// Equal jitter: half the exponential step, plus a uniform share of the other half, so retries of
// several servers spread out without any pause shrinking to nothing.
int64_t SiemShipper::backoff_ms() {
  const int shift = std::min(attempt_, 20);
  const int64_t step = std::min(opt_.max_backoff_ms, opt_.min_backoff_ms << shift);
  ++attempt_;
  return step / 2 + std::uniform_int_distribution<int64_t>(0, step - step / 2)(rng_);
}

void SiemShipper::failed(const char* reason, const std::string& detail) {
  metrics_.failures.inc({reason});
  metrics_.batches.inc({"failed"});
  log(LogLevel::warn, "SIEM delivery failed; retrying",
      json::Value::object().set("reason", reason).set("detail", detail).set("attempt", static_cast<int64_t>(attempt_ + 1)));
}

bool SiemShipper::check_cursor() {
  if (cursor_checked_ || cursor_.seq == 0) return cursor_checked_ = true;
  auto rows = audit::entries(store_, cursor_.seq - 1, 1);
  if (!rows.ok()) {
    failed("store", rows.error().message);
    return false;
  }
  auto entry = rows->empty() ? Result<json::Value>(make_error("missing", "")) : json::parse(rows->front());
  const json::Value* hash = entry.ok() ? entry->find("hash") : nullptr;
  if (!hash || !hash->is_string() || hash->as_string() != cursor_.hash) {
    log(LogLevel::warn, "the SIEM cursor names an entry this audit chain does not hold (another store?); delivering from the start",
        json::Value::object().set("cursor_seq", cursor_.seq).set("cursor_hash", cursor_.hash));
    cursor_ = SiemCursor{};
  }
  return cursor_checked_ = true;
}

bool SiemShipper::round(bool* more) {
  *more = false;
  if (!check_cursor()) return false;
  auto rows = audit::entries(store_, cursor_.seq, batch_);
  if (!rows.ok()) {
    failed("store", rows.error().message);
    return false;
  }
  if (auto head = audit::head(store_); head.ok()) metrics_.lag_events.set({}, double(std::max<int64_t>(0, head->seq - cursor_.seq)));
  metrics_.cursor_seq.set({}, double(cursor_.seq));
  if (rows->empty()) {
    metrics_.lag_seconds.set({}, 0);
    return true;
  }
  std::vector<json::Value> entries;
  entries.reserve(rows->size());
  size_t bytes = 0;
  for (const std::string& r : rows.value()) {
    // A batch stops at kMaxBatchBytes of entries (at least one is sent); the rest go next round.
    bytes += r.size();
    if (!entries.empty() && bytes > kMaxBatchBytes) break;
    auto v = json::parse(r);
    const json::Value* seq = v.ok() && v->is_object() ? v->find("seq") : nullptr;
    const json::Value* hash = v.ok() && v->is_object() ? v->find("hash") : nullptr;
    if (!seq || !seq->is_int() || !hash || !hash->is_string()) {
      failed("format", "an audit entry without seq and hash");
      return false;
    }
    entries.push_back(std::move(v.value()));
  }
  const json::Value* first_time = entries.front().find("time");
  if (auto t = first_time && first_time->is_string() ? parse_rfc3339_ms(first_time->as_string()) : std::nullopt)
    metrics_.lag_seconds.set({}, std::max<double>(0, double(now_ms() - *t) / 1000.0));
  auto body = siem_body(opt_.format, entries, opt_.source, opt_.host);
  if (!body.ok()) {
    failed("format", body.error().message);
    return false;
  }
  const SiemClient::Answer a = client_.post(body.value(), opt_.authorization);
  if (a.status < 200 || a.status > 299) {
    // A receiver that finds the batch too large gets smaller ones from now on.
    if (a.status == 413 && batch_ > 1) batch_ = std::max<size_t>(1, batch_ / 2);
    failed(a.status == 0 ? "network" : a.status < 500 ? "http_4xx" : "http_5xx",
           a.status ? std::to_string(a.status) + " " + a.error : a.error);
    return false;
  }
  const json::Value& last = entries.back();
  SiemCursor next{last.find("seq")->as_int(), last.find("hash")->as_string()};
  metrics_.delivered.inc({}, double(entries.size()));
  metrics_.batches.inc({"delivered"});
  if (Status s = save_siem_cursor(opt_.cursor_path, next); !s.ok()) {
    // Delivered, but the position is not durable: keep it in memory and go on; a restart resends.
    log(LogLevel::error, "cannot save the SIEM cursor", json::Value::object().set("error", s.error().message));
    metrics_.failures.inc({"cursor"});
  }
  cursor_ = next;
  metrics_.cursor_seq.set({}, double(cursor_.seq));
  *more = entries.size() < rows->size() || entries.size() == batch_;
  if (!*more) {
    metrics_.lag_seconds.set({}, 0);
    if (auto head = audit::head(store_); head.ok())
      metrics_.lag_events.set({}, double(std::max<int64_t>(0, head->seq - cursor_.seq)));
  }
  return true;
}

void SiemShipper::run() {
  for (;;) {
    bool more = false;
    int64_t wait = 0;
    if (round(&more)) {
      attempt_ = 0;
      wait = more ? 0 : opt_.interval_ms;
    } else {
      wait = backoff_ms();
    }
    if (wait == 0) {
      std::lock_guard<std::mutex> l(mu_);
      if (stopping_) return;
    } else if (!pause(wait)) {
      return;
    }
  }
}

Result<std::unique_ptr<SiemShipper>> SiemShipper::start(Store& store, const SiemOptions& options, SiemMetrics& metrics) {
  FLK_ASSIGN(SiemCursor cursor, load_siem_cursor(options.cursor_path));
  auto s = std::make_unique<SiemShipper>(store, options, metrics);
  s->cursor_ = cursor;
  metrics.delivered.inc({}, 0);
  metrics.cursor_seq.set({}, double(cursor.seq));
  SiemShipper* raw = s.get();
  s->thread_ = std::thread([raw] { raw->run(); });
  return s;
}

}  // namespace flk::server
