// flk-server settings. Each has a flag (--name VALUE or --name=VALUE), an environment
// variable (FLK_NAME) and a key in an optional JSON config file (--config FILE); a flag beats
// the environment, which beats the file, which beats the default. `flk-server --help` prints
// the table below.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "util/result.h"

namespace flk::server {

struct Config {
  std::string listen = "127.0.0.1:8080";
  std::string data = "./flk-data";
  std::string store;         // postgres://… ; empty: SQLite in <data>/flk.sqlite
  std::string tenants_file;  // JSON tenants and keys imported at start
  std::string policy_dir;    // <dir>/<tenant>/*.json|yaml|yml policy documents made active at start
  std::string tenants;       // "id:alg:key,…" (hmac key as text, ed25519 public key as base64)
  std::string admin_token;   // admin endpoints are off without one
  int64_t threads = 0;       // 0: one per core
  int64_t compute_threads = 0;  // 0: one per core (app/worker_pool.h)
  int64_t compute_queue = 64;   // compute tasks waiting beyond the running ones (beyond: 503 overloaded)
  int64_t store_threads = 2;    // blocking store reads and admin writes
  int64_t store_queue = 256;
  int64_t max_body = 1 << 20;
  int64_t read_timeout_s = 10;
  int64_t max_connections = 0;  // 0: the descriptor limit less a reserve (default_max_connections)
  double rate_limit = 100;  // per tenant and second, unless the tenant has its own
  double burst = 0;         // 0: twice the rate
  int64_t dedup_ttl_s = 14 * 24 * 3600;
  bool wal_fsync = true;
  int64_t wal_segment_mb = 64;
  int64_t wal_max_mb = 1024;  // cap on the live WAL segments (beyond: 503 wal_full)
  int64_t drain_timeout_s = 30;
  int64_t key_overlap_s = 24 * 3600;
  int64_t tenant_refresh_s = 5;
  std::string log_level = "info";
  bool access_log = false;
  int64_t reconcile_hour = -1;         // UTC hour of the daily reconciliation (-1: off); app/reconcile_schedule.h
  double reconcile_threshold_pct = 3;  // drift that alerts
  int64_t anomaly_self_ms = 10000;  // self-watch interval (0: off); see app/anomaly_self.h
  int64_t anomaly_max_series = 1000;  // streams kept per tenant (least recently observed evicted)
  int64_t anomaly_reoptimise_every = 100;  // feedback items between threshold sweeps
  int64_t anomaly_event_ttl_s = 90 * 24 * 3600;  // anomaly events are purged after this
  std::string port_file;  // written with the bound port once listening (for --listen host:0)
  // SIEM delivery of the audit chain (siem/shipper.h); off without a URL.
  std::string siem_url;
  std::string siem_format = "cloudevents";  // cloudevents | hec
  std::string siem_token;
  std::string siem_ca_file;
  int64_t siem_batch = 500;
  int64_t siem_interval_ms = 1000;
  int64_t siem_max_backoff_ms = 60000;
  int64_t siem_timeout_s = 10;
  // PII policies by tenant (app/pii_policy.h), JSON; in the config file an object.
  std::string pii;
  // The verification gate (app/verify_gate.h): its Ed25519 key file (empty: <data>/verify-signing.key)
  // and the tenants' gate configs, JSON; in the config file an object.
  std::string signing_key;
  std::string verify;
};

struct ParsedArgs {
  Config config;
  bool help = false;
  bool version = false;
  bool list_metrics = false;  // --list-metrics: print every metric (markdown) and exit
  bool list_routes = false;   // --list-routes: print every route (METHOD path) and exit
  bool route_table = false;   // --routes: print the route table (JSON) and exit
};

// env: the process environment (a getenv-like function for tests).
Result<ParsedArgs> parse_config(const std::vector<std::string>& args, const char* (*getenv_fn)(const char*));
std::string config_help();

}  // namespace flk::server
