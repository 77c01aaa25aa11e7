#include "app/route_table.h"

namespace flk::server {
namespace {

using P = RoutePool;
using A = RouteAuth;

// The server's own named types; the op table's (Pcs, PolicyKind, ...) are used by name as they are.
const std::pair<const char*, const char*> kTypes[] = {
    {"Error", "{ error: { code: string; message: string; path?: string; types?: string[] } }"},
    {"Verdict", "{ status: 200 | 202; accepted: boolean; escalated: boolean; pcs_id: string; reason?: string; recomputed_D_hat?: number; "
                "recomputed_budget?: number; duplicate: boolean }"},
    {"UsageEvent", "{ event_id: string; provider?: string; api?: string; model?: string; usage?: Record<string, unknown>; "
                   "response?: Record<string, unknown>; attributes?: unknown; timestamp?: unknown; task?: string; user?: string; "
                   "labels?: Record<string, string>; verification_id?: string }"},
    {"UsageAnswer", "{ duplicate?: boolean; event_id?: string; usage?: Record<string, unknown> }"},
    {"UsageRefused", "{ event_id: string; error: { code: 'budget_exceeded'; message: string } }"},
    {"BillingUploaded", "{ tenant: string; upload_id: string; duplicate: boolean; summary: Record<string, unknown> }"},
    {"Budget", "{ cap_usd: string | number; window?: 'daily' | 'weekly' | 'monthly'; actions?: { at: number | string; "
               "action: 'degrade' | 'throttle' | 'queue' | 'deny'; message?: string }[]; preemptive?: boolean; "
               "degrade_models?: Record<string, string>; degraded_ensemble_checks?: number }"},
    {"Key", "{ alg: 'hmac'; key_text?: string; key_hex?: string; key_b64?: string } | "
            "{ alg: 'ed25519'; public_key_b64?: string; public_key_hex?: string }"},
    {"Tenant", "{ id: string; rate_per_sec: number; burst: number; keys: { kid: string; alg: 'hmac' | 'ed25519'; not_before: string; "
               "not_after?: string; live: boolean }[] }"},
    {"Readiness", "{ status: 'ready' | 'starting' | 'draining' | 'store_unavailable'; store: 'sqlite' | 'postgres'; notices?: string[] }"},
    {"SignedDecision", "{ verification_id: string; tenant: string; created: string; decision: Record<string, unknown>; "
                       "policies?: { kind: PolicyKind; name: string; version: number; hash: string; store_version?: number; canary?: string }[]; "
                       "bandit?: { policy: string }; attributes: Record<string, unknown>; canary?: { rollout: string; cohort: 'canary' | 'baseline' }; "
                       "pii?: Record<string, unknown>; signature: { alg: 'ed25519'; key_id: string; sig_b64: string } }"},
    {"PiiReport", "{ action: 'detect' | 'block' | 'redact'; counts: Record<string, number>; fields: Record<string, Record<string, unknown>[]> }"},
    {"AnomalyDecision", "{ ts: number; score: number; uncertainty: number; threshold: number; is_anomaly: boolean; "
                        "action: 'accept' | 'guardrail' | 'block'; rule: 'accept' | 'guardrail' | 'block'; "
                        "mode: 'shadow' | 'guardrail' | 'blocking'; confidence: number; reason: string; event_id?: string }"},
    {"AnomalyEvent", "AnomalyDecision & { tenant: string; series: string; values: number[]; observed_at: string }"},
    {"AnomalyModelInfo", "{ model: 'default' | 'tenant'; mode: 'shadow' | 'guardrail' | 'blocking'; detector: 'ae' | 'vae' | 'iforest' | 'zscore'; "
                         "columns: string[]; threshold: number; series?: number; feedback_items?: number }"},
    {"CanaryRollout", "{ rollout: string; tenant: string; candidate: PolicyDocument; candidate_hash: string; "
                      "canary: PolicyDocument; canary_hash: string; evaluate_every?: number; evaluate_every_ms?: number; "
                      "evaluated_ms: number; state: { step: number; failed_gates: number; status: 'running' | 'promoted' | 'rolled_back' | 'aborted'; "
                      "percent: number }; gates: Record<string, unknown>[]; observed?: { baseline: number; canary: number; phase: number; "
                      "since_evaluation: number }; aborted?: { actor: string; reason: string; at_ms: number }; actor: string; reason: string; "
                      "started_ms: number }"},
    {"PolicyVersion", "{ tenant?: string; version: number; kind: PolicyKind; name: string; doc_version: number; hash: string; actor: string; "
                      "reason: string; created: string; reverts?: number; changed?: boolean; policy?: Record<string, unknown> }"},
};

const char* const kPolicyChange = "{ policy?: Record<string, unknown>; policy_yaml?: string; actor: string; reason: string }";
const char* const kActorReason = "{ actor: string; reason: string }";

const RouteSpec kRoutes[] = {
    // method, path, pool, auth, request, response, ok, errors [, request media, response media]
    {"GET", "/healthz", P::io, A::none, nullptr, "{ status: 'ok' }", "200", ""},
    {"GET", "/readyz", P::probe, A::none, nullptr, "Readiness", "200 503", ""},
    {"GET", "/metrics", P::probe, A::none, nullptr, "string", "200", "", nullptr, "text/plain"},
    {"POST", "/v1/pcs/submit", P::io, A::pcs_signature, "Pcs", "Verdict", "200 202", "400 401 413 415 422 429 500 503"},
    {"POST", "/v1/cost/usage", P::io, A::signed_body, "UsageEvent | { events: UsageEvent[] }",
     "UsageAnswer | { results: (UsageAnswer | UsageRefused)[] }", "200", "400 401 402 413 415 422 429 500"},
    {"POST", "/v1/hrs/score", P::compute, A::signed_or_anonymous, "Ops['hrs.score']['input']",
     "Ops['hrs.score']['output'] & { pii?: PiiReport }", "200", "400 401 415 422 429 503"},
    {"POST", "/v1/audit/verify", P::compute, A::signed_or_anonymous, "Ops['audit.verify']['input']", "Ops['audit.verify']['output']",
     "200", "400 415 422 429"},
    {"GET", "/v1/budget/{tenant}", P::store, A::admin_or_signed, nullptr,
     "{ tenant: string; policy: Budget; now: string; window: { name: string; start: string; end: string }; spent_usd: string; "
     "cap_usd: string; remaining_usd: string; used_fraction: number; state: 'allow' | 'degrade' | 'throttle' | 'queue' | 'deny'; "
     "reason: string; message: string }",
     "200", "401 403 404 422 429"},
    {"GET", "/v1/cost/report", P::compute, A::admin_or_signed, nullptr,
     "{ tenant: string; from: string; to: string; group_by: string[]; rows: { key: Record<string, string>; total_usd: string; "
     "events: number; trusted_events: number; cost_per_trusted_task_usd: string | null }[]; totals: { total_usd: string; "
     "events: number; trusted_events: number; cost_per_trusted_task_usd: string | null } }",
     "200", "400 401 403 422 429"},
    {"POST", "/v1/cost/billing", P::compute, A::admin_or_signed, "string", "BillingUploaded", "200 201", "400 401 403 413 415 422 429",
     "text/csv"},
    {"GET", "/v1/cost/reconcile", P::compute, A::admin_or_signed, nullptr,
     "Ops['cost.reconcile']['output'] & { tenant: string; billing_uploads: number; events_without_input: number }", "200",
     "400 401 403 422 429"},
    {"GET", "/v1/cost/forecast", P::store, A::admin_or_signed, nullptr,
     "Ops['cost.forecast']['output'] & { tenant: string; events_without_input: number }", "200", "400 401 403 422 429"},
    {"GET", "/v1/cost/advice", P::store, A::admin_or_signed, nullptr,
     "Ops['cost.advise']['output'] & { tenant: string; events_without_input: number }", "200", "400 401 403 422 429"},
    {"POST", "/v1/verify", P::compute, A::signed_body,
     "{ question?: string; context?: string; answer: string; task?: 'qa' | 'rag' | 'dialogue' | 'summarization'; "
     "citations?: { answer: [number, number]; source: [number, number] }[]; samples?: string[]; pcs?: Record<string, unknown>; "
     "pcs_params?: Record<string, unknown>; host_votes?: Record<string, unknown>[]; "
     "usage?: { model?: string; input_tokens?: number; output_tokens?: number; cost_usd?: number } }",
     "SignedDecision", "200 202 409", "400 401 415 422 429 503"},
    {"GET", "/v1/verify/key", P::store, A::none, nullptr, "{ alg: 'ed25519'; key_id: string; public_key_b64: string }", "200", ""},
    {"GET", "/v1/verify/{id}", P::store, A::admin_or_signed, nullptr, "SignedDecision", "200", "401 403 404 422 429"},
    {"POST", "/v1/labels", P::store, A::signed_body,
     "{ verification_id: string; label: 'hallucinated' | 'faithful'; source?: string; note?: string }",
     "{ verification_id: string; label: string; source: string; agreement: { labelled: number; agreed: number; ratio: number; "
     "by_action: Record<string, number> }; bandit?: Record<string, unknown> }",
     "200", "401 404 422"},
    {"POST", "/v1/anomaly/observe", P::compute, A::signed_body,
     "{ series: string; columns?: string[]; points: { ts: number; value?: number; values?: number[] }[] }",
     "{ series: string; model: 'default' | 'tenant'; mode: 'shadow' | 'guardrail' | 'blocking'; threshold: number; anomalies: number; "
     "decisions: AnomalyDecision[] }",
     "200", "400 401 413 415 422 429 500"},
    {"POST", "/v1/anomaly/feedback", P::compute, A::signed_body,
     "{ items: { id: string; score?: number; label: 'anomaly' | 'normal' }[] }",
     "{ added: number; unchanged: number; replaced: number; evicted: number; confusion: Record<string, unknown>; threshold: number; "
     "threshold_before: number; swept: boolean; sweep?: Record<string, unknown>; items_kept: number; note?: string }",
     "200", "400 401 415 422 429"},
    {"GET", "/v1/anomaly/events", P::store, A::admin_or_signed, nullptr,
     "{ tenant: string; events: AnomalyEvent[]; next?: { since: number; after_id: string } }", "200", "400 401 403 422 429"},
    {"GET", "/v1/admin/tenants", P::store, A::admin, nullptr, "{ tenants: Tenant[] }", "200", "401 403 422"},
    {"PUT", "/v1/admin/tenants/{tenant}", P::store, A::admin, "{ rate_per_sec?: number; burst?: number; budget?: Budget }",
     "{ id: string; rate_per_sec: number; burst: number; budget?: Budget }", "200", "401 403 422"},
    {"POST", "/v1/admin/tenants/{tenant}/keys", P::store, A::admin,
     "{ kid: string; key: Key; not_before?: string; not_after?: string }",
     "{ kid: string; alg: 'hmac' | 'ed25519'; not_before: string; not_after?: string }",
     "201", "401 403 404 409 422"},
    {"POST", "/v1/admin/tenants/{tenant}/keys/{kid}/retire", P::store, A::admin, "{ overlap_seconds?: number }",
     "{ kid: string; not_after: string }", "200", "401 403 404"},
    {"GET", "/v1/admin/tenants/{tenant}/policies", P::store, A::admin, nullptr, "{ tenant: string; policies: PolicyVersion[] }", "200",
     "401 403 404"},
    {"PUT", "/v1/admin/tenants/{tenant}/policies", P::store, A::admin, kPolicyChange, "PolicyVersion", "200 201", "401 403 404 422"},
    {"GET", "/v1/admin/tenants/{tenant}/policies/history", P::store, A::admin, nullptr, "{ tenant: string; versions: PolicyVersion[] }",
     "200", "401 403 404 422"},
    {"GET", "/v1/admin/tenants/{tenant}/policies/versions/{version}", P::store, A::admin, nullptr, "PolicyVersion", "200",
     "401 403 404 422"},
    {"POST", "/v1/admin/tenants/{tenant}/policies/{kind}/revert", P::store, A::admin, kActorReason, "PolicyVersion", "201",
     "401 403 404 409 422"},
    {"POST", "/v1/admin/tenants/{tenant}/policies/simulate", P::compute, A::admin,
     "{ policy?: Record<string, unknown>; policy_yaml?: string; baseline?: Record<string, unknown>; baseline_yaml?: string; limit?: number }",
     "Ops['policy.simulate']['output'] & { tenant: string; against: 'baseline' | 'active' | 'recorded'; "
     "decisions: { read: number; unrouted: number; limit: number } }",
     "200", "401 403 404 422"},
    {"GET", "/v1/admin/tenants/{tenant}/adaptive", P::store, A::admin, nullptr,
     "{ tenant: string; bandits: { policy: string; state: unknown; updated: string }[]; agreement: Record<string, unknown> }", "200",
     "401 403 404 422"},
    {"GET", "/v1/admin/tenants/{tenant}/labels/eval", P::compute, A::admin, nullptr,
     "{ tenant: string; labelled: number; unscored: number; other_models: number; eval: Record<string, unknown> | null }", "200",
     "401 403 404 409 422"},
    {"POST", "/v1/admin/tenants/{tenant}/canary", P::store, A::admin,
     "{ candidate: Record<string, unknown>; canary: Record<string, unknown>; actor: string; reason: string; evaluate_every?: number; "
     "evaluate_every_ms?: number }",
     "CanaryRollout", "201", "401 403 404 409 422"},
    {"GET", "/v1/admin/tenants/{tenant}/canary", P::store, A::admin, nullptr, "CanaryRollout", "200", "401 403 404"},
    {"POST", "/v1/admin/tenants/{tenant}/canary/abort", P::store, A::admin, kActorReason, "CanaryRollout", "200", "401 403 404 409 422"},
    {"PUT", "/v1/admin/tenants/{tenant}/anomaly/model", P::compute, A::admin,
     "{ model?: Record<string, unknown> | null; mode?: 'shadow' | 'guardrail' | 'blocking' }", "AnomalyModelInfo", "200",
     "401 403 404 422"},
    {"GET", "/v1/admin/tenants/{tenant}/anomaly/model", P::store, A::admin, nullptr, "AnomalyModelInfo", "200", "401 403 404"},
    {"GET", "/v1/admin/audit", P::compute, A::admin, nullptr, "string", "200", "401 403 422", nullptr, "application/x-ndjson"},
    {"GET", "/v1/admin/audit/head", P::store, A::admin, nullptr, "{ seq: number; hash: string }", "200", "401 403 422"},
};

const char* pool_name(RoutePool p) {
  switch (p) {
    case RoutePool::io: return "io";
    case RoutePool::compute: return "compute";
    case RoutePool::store: return "store";
    case RoutePool::probe: return "probe";
  }
  return "";
}

const char* auth_name(RouteAuth a) {
  switch (a) {
    case RouteAuth::none: return "none";
    case RouteAuth::admin: return "admin";
    case RouteAuth::admin_or_signed: return "admin_or_signed";
    case RouteAuth::signed_body: return "signed_body";
    case RouteAuth::signed_or_anonymous: return "signed_or_anonymous";
    case RouteAuth::pcs_signature: return "pcs_signature";
  }
  return "";
}

// "200 202" -> [200, 202]
json::Value statuses(const char* list) {
  json::Value out = json::Value::array();
  for (const char* p = list; *p;) {
    if (*p < '0' || *p > '9') {  // a separator: anything but a digit, so no character stalls the loop
      ++p;
      continue;
    }
    int n = 0;
    for (; *p >= '0' && *p <= '9'; ++p) n = n * 10 + (*p - '0');
    out.push(n);
  }
  return out;
}

}  // namespace

const RouteSpec* find_route_spec(const std::string& method, const std::string& path) {
  for (const RouteSpec& r : kRoutes)
    if (method == r.method && path == r.path) return &r;
  return nullptr;
}

json::Value route_table_json() {
  json::Value routes = json::Value::array();
  for (const RouteSpec& r : kRoutes) {
    json::Value row = json::Value::object();
    row.set("method", r.method).set("path", r.path).set("pool", pool_name(r.pool)).set("auth", auth_name(r.auth));
    if (r.request) row.set("request", r.request).set("request_media", r.request_media);
    if (r.response) row.set("response", r.response).set("response_media", r.response_media);
    row.set("ok", statuses(r.ok)).set("errors", statuses(r.errors));
    routes.push(std::move(row));
  }
  json::Value types = json::Value::object();
  for (const auto& [name, ts] : kTypes) types.set(name, ts);
  json::Value out = json::Value::object();
  out.set("routes", std::move(routes)).set("types", std::move(types));
  return out;
}

}  // namespace flk::server
