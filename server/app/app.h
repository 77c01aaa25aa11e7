// One flk-server instance: its settings, store, WAL, group-commit batcher, tenants, metrics
// and PCS pipeline, and the HTTP route table that exposes them.
#pragma once
#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "app/anomaly_hub.h"
#include "app/batcher.h"
#include "app/config.h"
#include "app/pii_policy.h"
#include "app/pipeline.h"
#include "app/canary_hub.h"
#include "app/verify_gate.h"
#include "app/worker_pool.h"
#include "http/server.h"
#include "http/types.h"
#include "metrics/metrics.h"
#include "siem/shipper.h"
#include "store/store.h"
#include "tenants/directory.h"
#include "wal/wal.h"

namespace flk::server {

struct App {
  Config config;
  Metrics metrics;
  std::unique_ptr<Store> store;
  std::unique_ptr<TenantDirectory> tenants;
  std::unique_ptr<Batcher> batcher;
  std::unique_ptr<Pipeline> pipeline;
  std::unique_ptr<Wal> wal;
  std::unique_ptr<AnomalyHub> anomaly;
  std::unique_ptr<VerifyGate> verify;  // the gate's signing key and tenant configs
  std::unique_ptr<CanaryHub> canary;   // tenants' running canary rollouts
  PiiPolicies pii;  // every tenant off until main sets the pii setting's policies
  SiemMetrics siem_metrics;
  std::unique_ptr<SiemShipper> siem;  // null when siem-url is not set
  // Where route handlers that compute or block on the store run (app/route_table.cc says which); probes
  // (/readyz, /metrics) have their own so that a saturated store pool does not read as "not ready".
  std::unique_ptr<WorkerPool> compute, store_pool, probe_pool;
  HttpServer* http = nullptr;  // set once listening
  std::atomic<bool> ready{false};
  std::atomic<bool> draining{false};
  // What start-up found wrong in the WAL (damage, records the store refused); /readyz lists
  // them. Written before listening, read-only after.
  std::vector<std::string> wal_notices;

  // Re-reads tenants and keys from the store into the directory.
  Status reload_tenants();
};

// Every route: health, metrics, the PCS pipeline, facade ops exposed as-is, and admin; those
// that compute or block on the store run on app.compute or app.store_pool.
std::vector<Route> routes(App& app);
std::vector<Route> admin_routes(App& app);
// GET /v1/budget/{tenant}, GET /v1/cost/report, POST /v1/cost/billing, GET /v1/cost/reconcile.
std::vector<Route> cost_routes(App& app);
// Authorization: Bearer <admin token>; otherwise fills a 401 (403 when admin is disabled).
bool authorized(const App& app, const Request& req, Response* err);
// Parses an admin request's JSON body (an empty body reads as {}) or fills the error response.
bool read_body(const Request& req, json::Value* out, Response* err);
// /v1/admin/tenants/{tenant}/policies: active policies, history, changes and revert
// (app/policies.cc).
std::vector<Route> policy_routes(App& app);
// POST /v1/admin/tenants/{tenant}/policies/simulate: stored decisions replayed through a candidate
// RiskRoutingPolicy (app/policy_simulate.cc).
std::vector<Route> policy_simulate_routes(App& app);
// /v1/admin/tenants/{tenant}/canary: start a canary rollout, read where it stands
// (app/canary_routes.cc).
std::vector<Route> canary_routes(App& app);
// Makes the documents of the policy directory (<dir>/<tenant>/*.json, *.yaml, *.yml) active, as changes by
// "policy-dir"; a document already active is no change. Any bad file stops it before a write.
Status import_policies(App& app);
// The registered tenant with that id; otherwise fills a 404 unknown_tenant.
std::shared_ptr<const Tenant> existing_tenant(App& app, const std::string& id, Response* err);
// /v1/anomaly/* and the admin routes of tenants' anomaly models (app/anomaly_routes.cc).
std::vector<Route> anomaly_routes(App& app);
// POST /v1/verify, GET /v1/verify/key, GET /v1/verify/{id}, POST /v1/labels (app/verify_routes.cc).
std::vector<Route> verify_routes(App& app);
// GET /v1/admin/tenants/{tenant}/adaptive: bandit states and voter agreement (app/adaptive_routes.cc).
std::vector<Route> adaptive_routes(App& app);

// Writes the tenants and keys of the config (--tenants, --tenants-file) that the store lacks.
Status import_tenants(App& app);
// Replays the WAL segments left by the last run (<data>/wal), reports their damage, keeps records
// the store refuses and damaged segments in quarantine/, and deletes the rest; returns the
// records replayed. Fails, keeping every segment, while the store is unreachable.
Result<size_t> replay_wal(App& app, const WalContents& contents);

}  // namespace flk::server
