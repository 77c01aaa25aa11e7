// dist/native/flk-server — the HTTP backend. Start-up: settings, store (migrations), tenants
// from the config, WAL replay of whatever the last run left, then listen. SIGTERM/SIGINT:
// stop accepting, finish in-flight requests, commit, retire the WAL, exit 0.
#include <signal.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <thread>

#include "app/anomaly_hub.h"
#include "app/anomaly_self.h"
#include "app/reconcile_schedule.h"
#include "app/app.h"
#include "app/facade.h"
#include "app/log.h"
#include "app/route_table.h"
#include "json/write.h"
#include "store/anomaly/anomaly.h"
#include "store/pcs/pcs.h"

using namespace flk;
using namespace flk::server;

namespace {

int fail(const std::string& what, const Error& e) {
  log(LogLevel::error, what, json::Value::object().set("code", e.code).set("error", e.message));
  return 1;
}

const char* env(const char* name) { return std::getenv(name); }

void print_help() {
  std::printf(
      "flk-server %s — Fractal LBA verification backend\n\n"
      "usage: flk-server [--flag VALUE ...]\n\n"
      "Receives PCS submissions over HTTP, verifies them with the same core as the flk CLI and the\n"
      "WebAssembly builds, deduplicates them (first write wins), keeps a hash-chained audit log and\n"
      "exports Prometheus metrics. SQLite in --data by default; --store postgres://... to share one\n"
      "PostgreSQL between several instances. Routes and settings: docs/server.md, docs/openapi.yaml.\n\n"
      "settings (flag > environment > --config file > default):\n%s\n"
      "--list-metrics prints every /metrics family with its labels (markdown) and exits.\n"
      "--list-routes prints every route the server serves (METHOD path) and exits.\n"
      "--routes prints the route table docs/openapi.yaml is generated from (JSON) and exits.\n"
      "--version prints the version and exits.\n"
      "signals: SIGTERM/SIGINT drain in-flight requests and exit 0.\n"
      "exit status: 0 after a drain (or --help, --list-*, --routes, --version); 1 a bad flag or setting, or a start-up\n"
      "failure (the store, the WAL, the tenants or policies to import), said on stderr.\n",
      kVersion, config_help().c_str());
}

}  // namespace

int main(int argc, char** argv) {
  auto parsed = parse_config(std::vector<std::string>(argv + 1, argv + argc), env);
  if (!parsed.ok()) {
    std::fprintf(stderr, "flk-server: %s\n", parsed.error().message.c_str());
    return 1;
  }
  if (parsed->help) {
    print_help();
    return 0;
  }
  if (parsed->list_metrics) {
    AnomalyMetrics anomaly;
    SiemMetrics siem;
    std::vector<const Family*> extra = anomaly.families();
    for (const Family* f : siem.families()) extra.push_back(f);
    VerifyMetrics verify;
    for (const Family* f : verify.families()) extra.push_back(f);
    CanaryMetrics canary;
    for (const Family* f : canary.families()) extra.push_back(f);
    std::fputs(Metrics().list(extra).c_str(), stdout);
    return 0;
  }
  if (parsed->list_routes) {
    App app;  // the table only: no handler runs
    for (const Route& r : routes(app)) std::printf("%s %s\n", r.method, r.pattern);
    return 0;
  }
  if (parsed->route_table) {
    std::printf("%s\n", json::to_string(route_table_json()).c_str());
    return 0;
  }
  if (parsed->version) {
    std::printf("%s\n", kVersion);
    return 0;
  }
  App app;
  app.config = parsed->config;
  const Config& c = app.config;
  LogLevel level;
  if (!parse_log_level(c.log_level, &level)) return fail("bad setting", make_error("bad_config", "log-level is debug, info, warn or error"));
  set_log_level(level);
  const size_t colon = c.listen.rfind(':');
  if (colon == std::string::npos) return fail("bad setting", make_error("bad_config", "listen must be host:port"));
  const long port = std::strtol(c.listen.c_str() + colon + 1, nullptr, 10);
  if (port < 0 || port > 65535) return fail("bad setting", make_error("bad_config", "listen port out of range"));
  if (c.max_body < 1024 || c.wal_segment_mb < 1 || static_cast<int64_t>(c.max_body) > c.wal_segment_mb * (1 << 20) / 2)
    return fail("bad setting", make_error("bad_config", "need max-body >= 1024 and WAL segments of at least twice max-body"));
  if (c.wal_max_mb < 2 * c.wal_segment_mb)
    return fail("bad setting", make_error("bad_config", "wal-max-mb must hold at least two WAL segments"));
  if (c.compute_threads > 256 || c.store_threads < 1 || c.store_threads > 256 || c.compute_queue > 1000000 ||
      c.store_queue > 1000000)
    return fail("bad setting", make_error("bad_config", "compute-threads is 0..256, store-threads 1..256, the queues 0..1000000"));

  // Signals are taken by sigwait below; threads started from here on inherit the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  if (mkdir(c.data.c_str(), 0755) != 0 && errno != EEXIST)
    return fail("cannot create the data directory", make_error("io_error", c.data + ": " + std::strerror(errno)));
  auto store = open_store(c.store, c.data);
  if (!store.ok()) return fail("cannot open the store", store.error());
  app.store = std::move(store.value());
  double rate = c.rate_limit;
  app.tenants = std::make_unique<TenantDirectory>(rate, c.burst);
  if (Status s = import_tenants(app); !s.ok()) return fail("cannot import tenants", s.error());
  if (Status s = app.reload_tenants(); !s.ok()) return fail("cannot read tenants", s.error());
  if (Status s = import_policies(app); !s.ok()) return fail("cannot import policies", s.error());
  app.batcher = std::make_unique<Batcher>(*app.store, app.metrics);
  app.pipeline = std::make_unique<Pipeline>(c.dedup_ttl_s * 1000, *app.tenants, *app.batcher, app.metrics);
  auto siem = siem_settings(c);
  if (!siem.ok()) return fail("bad setting", siem.error());
  auto pii = PiiPolicies::parse(c.pii);
  if (!pii.ok()) return fail("bad setting", pii.error());
  app.pii = std::move(pii.value());
  auto gate = VerifyGate::open(c.signing_key.empty() ? c.data + "/verify-signing.key" : c.signing_key, c.verify);
  if (!gate.ok()) return fail("bad setting", gate.error());
  app.verify = std::move(gate.value());
  if (c.reconcile_hour < -1 || c.reconcile_hour > 23 || !(c.reconcile_threshold_pct >= 0 && c.reconcile_threshold_pct <= 100))
    return fail("bad setting", make_error("bad_config", "reconcile-hour is -1 (off) or 0-23, reconcile-threshold-pct 0-100"));
  app.canary = std::make_unique<CanaryHub>(*app.store, app.metrics.audit_entries);
  if (Status s = app.canary->load(); !s.ok()) return fail("cannot read canary rollouts", s.error());
  if (c.anomaly_max_series < 1 || c.anomaly_reoptimise_every < 1 || c.anomaly_self_ms < 0 || c.anomaly_event_ttl_s < 1)
    return fail("bad setting", make_error("bad_config", "anomaly-max-series, anomaly-reoptimise-every and anomaly-event-ttl are >= 1, anomaly-self-ms >= 0"));
  app.anomaly = std::make_unique<AnomalyHub>(*app.store, static_cast<size_t>(c.anomaly_max_series), c.anomaly_reoptimise_every,
                                             c.anomaly_event_ttl_s * 1000);

  const size_t cores = std::max(1u, std::thread::hardware_concurrency());
  app.compute = std::make_unique<WorkerPool>("compute", c.compute_threads > 0 ? size_t(c.compute_threads) : cores,
                                             size_t(c.compute_queue), app.metrics);
  app.store_pool = std::make_unique<WorkerPool>("store", size_t(c.store_threads), size_t(c.store_queue), app.metrics);
  app.probe_pool = std::make_unique<WorkerPool>("probe", 1, 16, app.metrics);

  const std::string wal_dir = c.data + "/wal";
  auto contents = read_segments(wal_dir);
  if (!contents.ok()) return fail("cannot read the WAL", contents.error());
  auto replayed = replay_wal(app, contents.value());
  if (!replayed.ok()) return fail("WAL replay failed", replayed.error());
  WalOptions wo{wal_dir, static_cast<size_t>(c.wal_segment_mb) << 20, c.wal_fsync, static_cast<size_t>(c.wal_max_mb) << 20};
  auto wal = Wal::open(wo, contents.value(), [&app] { return app.store->checkpoint().ok(); });
  if (!wal.ok()) return fail("cannot open the WAL", wal.error());
  app.wal = std::move(wal.value());
  if (siem->enabled) {
    auto shipper = SiemShipper::start(*app.store, siem->options, app.siem_metrics);
    if (!shipper.ok()) return fail("cannot start SIEM delivery", shipper.error());
    app.siem = std::move(shipper.value());
  }

  HttpOptions ho;
  ho.host = c.listen.substr(0, colon);
  ho.port = static_cast<uint16_t>(port);
  ho.threads = c.threads > 0 ? static_cast<int>(c.threads) : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  ho.max_body = static_cast<size_t>(c.max_body);
  ho.read_timeout = std::chrono::seconds(std::max<int64_t>(1, c.read_timeout_s));
  ho.access_log = c.access_log;
  ho.max_connections = static_cast<size_t>(std::max<int64_t>(0, c.max_connections));
  HttpServer http(ho, routes(app), app.metrics);
  app.pipeline->set_wal(app.wal.get(), [&http](std::function<void()> f) { http.post(std::move(f)); });
  auto bound = http.start();
  if (!bound.ok()) return fail("cannot listen", bound.error());
  app.http = &http;
  if (!c.port_file.empty()) {
    std::ofstream pf(c.port_file + ".tmp");
    pf << bound.value() << "\n";
    pf.close();
    std::rename((c.port_file + ".tmp").c_str(), c.port_file.c_str());
  }
  app.ready = true;
  SelfWatch self_watch(app, c.anomaly_self_ms);
  ReconcileSchedule reconcile(app, static_cast<int>(c.reconcile_hour), c.reconcile_threshold_pct, now_ms);
  log(LogLevel::info, "listening",
      json::Value::object()
          .set("address", ho.host)
          .set("max_connections", static_cast<int64_t>(http.max_connections()))
          .set("port", static_cast<int64_t>(bound.value()))
          .set("store", app.store->kind())
          .set("threads", ho.threads)
          .set("wal_fsync", c.wal_fsync)
          .set("wal_replayed", static_cast<int64_t>(replayed.value()))
          .set("tenants", static_cast<int64_t>(app.tenants->snapshot()->size())));

  // Tenants and keys change on other instances too: reload them now and then; drop expired verdicts hourly.
  std::mutex bg_mu;
  std::condition_variable bg_cv;
  bool stopping = false;
  std::thread background([&] {
    std::unique_lock<std::mutex> l(bg_mu);
    int64_t last_purge = now_ms();
    while (!bg_cv.wait_for(l, std::chrono::seconds(std::max<int64_t>(1, c.tenant_refresh_s)), [&] { return stopping; })) {
      if (Status s = app.reload_tenants(); !s.ok()) log(LogLevel::warn, "tenant reload failed", json::Value::object().set("error", s.error().message));
      if (Status s = app.anomaly->refresh(); !s.ok()) log(LogLevel::warn, "anomaly state refresh failed", json::Value::object().set("error", s.error().message));
      if (now_ms() - last_purge > 3600 * 1000) {
        last_purge = now_ms();
        auto n = server::pcs::purge_expired(*app.store, last_purge);
        if (n.ok() && n.value() > 0) log(LogLevel::info, "expired verdicts purged", json::Value::object().set("count", n.value()));
        auto e = server::anomaly::purge_expired(*app.store, last_purge);
        if (e.ok() && e.value() > 0) log(LogLevel::info, "expired anomaly events purged", json::Value::object().set("count", e.value()));
      }
    }
  });

  int sig = 0;
  sigwait(&signals, &sig);
  app.draining = true;
  log(LogLevel::info, "draining", json::Value::object().set("signal", sig == SIGTERM ? "SIGTERM" : "SIGINT").set("in_flight", static_cast<int64_t>(http.in_flight())));
  const size_t left = http.drain(std::chrono::seconds(c.drain_timeout_s));
  {
    std::lock_guard<std::mutex> l(bg_mu);
    stopping = true;
  }
  bg_cv.notify_all();
  background.join();
  self_watch.stop();
  if (app.siem) app.siem->stop();
  app.compute->stop();
  app.store_pool->stop();
  app.probe_pool->stop();
  app.batcher->stop();
  app.wal->stop();
  log(LogLevel::info, "stopped", json::Value::object().set("abandoned_requests", static_cast<int64_t>(left)));
  return 0;
}
