#include "store/schema.h"

namespace flk::server {

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> list = {
      {1,
       R"(CREATE TABLE pcs_results (tenant TEXT NOT NULL, pcs_id TEXT NOT NULL, status INTEGER NOT NULL,
            body TEXT NOT NULL, created_ms BIGINT NOT NULL, expires_ms BIGINT NOT NULL, PRIMARY KEY (tenant, pcs_id));
          CREATE INDEX pcs_results_expires ON pcs_results (expires_ms);
          CREATE TABLE audit_log (seq BIGINT PRIMARY KEY, hash TEXT NOT NULL, entry TEXT NOT NULL);
          CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq BIGINT NOT NULL, hash TEXT NOT NULL);
          INSERT INTO audit_head VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
          CREATE TABLE tenants (id TEXT PRIMARY KEY, rate_per_sec DOUBLE PRECISION NOT NULL, burst DOUBLE PRECISION NOT NULL);
          CREATE TABLE tenant_keys (tenant TEXT NOT NULL, kid TEXT NOT NULL, alg TEXT NOT NULL, key_json TEXT NOT NULL,
            not_before_ms BIGINT NOT NULL, not_after_ms BIGINT, PRIMARY KEY (tenant, kid)))"},
      {2,
       R"(CREATE TABLE usage_events (tenant TEXT NOT NULL, event_id TEXT NOT NULL, status INTEGER NOT NULL,
            body TEXT NOT NULL, created_ms BIGINT NOT NULL, expires_ms BIGINT NOT NULL, PRIMARY KEY (tenant, event_id)))"},
      {3,
       R"(ALTER TABLE tenants ADD COLUMN budget TEXT;
          ALTER TABLE usage_events ADD COLUMN cost_nanos BIGINT NOT NULL DEFAULT 0;
          ALTER TABLE usage_events ADD COLUMN input TEXT NOT NULL DEFAULT '';
          CREATE TABLE billing_uploads (tenant TEXT NOT NULL, upload_id TEXT NOT NULL, created_ms BIGINT NOT NULL,
            format TEXT NOT NULL, csv TEXT NOT NULL, summary TEXT NOT NULL, PRIMARY KEY (tenant, upload_id));
          CREATE INDEX usage_events_created ON usage_events (tenant, created_ms);
          CREATE TABLE usage_spend (tenant TEXT NOT NULL, day INTEGER NOT NULL, spent_nanos BIGINT NOT NULL,
            events BIGINT NOT NULL, PRIMARY KEY (tenant, day)))"},
      {4,
       R"(CREATE TABLE anomaly_events (tenant TEXT NOT NULL, event_id TEXT NOT NULL, status INTEGER NOT NULL,
            body TEXT NOT NULL, created_ms BIGINT NOT NULL, expires_ms BIGINT NOT NULL, PRIMARY KEY (tenant, event_id));
          CREATE INDEX anomaly_events_time ON anomaly_events (tenant, created_ms, event_id);
          CREATE TABLE anomaly_state (tenant TEXT NOT NULL, name TEXT NOT NULL, body TEXT NOT NULL,
            updated_ms BIGINT NOT NULL, PRIMARY KEY (tenant, name)))"},
  };
  return list;
}

}  // namespace flk::server
