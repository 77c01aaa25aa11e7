#include "compliance/controls.h"

namespace flk::compliance {

const char* framework_name(Framework f) { return f == Framework::Soc2 ? "soc2" : "iso27001"; }

bool parse_framework(std::string_view s, Framework& out) {
  if (s == "soc2") out = Framework::Soc2;
  else if (s == "iso27001") out = Framework::Iso27001;
  else return false;
  return true;
}

const std::vector<Control>& controls() {
  static const std::vector<Control> table = {
      {"change.keys", "Change management of signing keys", "CC6.1, CC8.1", "A.8.24, A.8.32", Source::Entries,
       {"key.added", "key.retired"}, true,
       "Every key added to or retired from a tenant, with its key id, algorithm and validity, in chain order.",
       "Who approved a key change and whether it was reviewed; the key material itself is never logged."},
      {"change.tenants", "Change management of tenants and their policies", "CC6.2, CC8.1", "A.5.18, A.8.32",
       Source::Entries, {"tenant.updated", "policy.updated", "policy.reverted"}, true,
       "Every tenant created or changed, with its rate limit and budget policy after the change, and every policy "
       "document made active or reverted, with its version, hash, who changed it and why.",
       "Approval of the change; changes made directly in the database bypass the chain."},
      {"change.models", "Change management of anomaly models", "CC8.1", "A.8.32", Source::Entries,
       {"anomaly.model_updated", "anomaly.feedback"}, false,
       "Anomaly model replacements and labelled feedback that changes a tenant's detector.",
       "HRS model files and server configuration are loaded at start-up and are not audit entries."},
      {"change.rollouts", "Staged rollout of policy changes", "CC8.1", "A.8.32", Source::Entries,
       {"canary.started", "canary.gate", "canary.promoted", "canary.rolled_back", "canary.aborted"}, false,
       "Every canary rollout of a policy: its start with the candidate and the share of traffic, each statistical "
       "gate's verdict, and whether it was promoted, rolled back or aborted.",
       "Policies made active directly (PUT /v1/admin/tenants/{tenant}/policies) skip the canary; they appear under change.tenants. Who "
       "approved a rollout is not recorded."},
      {"audit.integrity", "Integrity of the audit chain", "CC7.2", "A.8.15, A.5.28", Source::Chain, {}, true,
       "The whole chain re-verified from its first entry: hashes, links and sequence numbers, and its head.",
       "Removal of the newest entries, unless the head (seq and hash) was kept elsewhere and given."},
      {"access.routes", "Access control of admin and tenant routes", "CC6.1, CC6.2, CC6.3", "A.5.15, A.5.18, A.8.5",
       Source::Entries, {"key.added", "key.retired", "tenant.updated", "pcs.verdict"}, false,
       "Credential lifecycle (keys added and retired) and that accepted writes came from known tenants.",
       "Refused requests (401, 403, 429) and admin reads are counted in /metrics, not audited; token issuance "
       "happens outside the server."},
      {"monitoring.incidents", "Monitoring and incident evidence", "CC7.2, CC7.3, CC7.4", "A.8.16, A.5.25, A.5.26",
       Source::Entries, {"anomaly.detected", "anomaly.feedback", "budget.decision"}, false,
       "Anomalies the detectors raised, how operators labelled them, and budget refusals and thresholds crossed.",
       "Alerts sent by external monitoring (Prometheus rules on /metrics) and the handling of an incident "
       "after it was raised."},
      {"monitoring.cost", "Spend limits and reconciliation with provider bills", "A1.1, CC7.2", "A.8.6, A.8.16",
       Source::Entries, {"budget.decision", "billing.uploaded", "cost.reconcile.drift"}, false,
       "Budget refusals and thresholds crossed, provider bills uploaded for reconciliation, and drift found between "
       "the metered ledger and a bill.",
       "Spend metered but never reconciled (no bill uploaded), and what was done about a drift once found."},
      {"integrity.outputs", "Verification of model outputs before use", "PI1.3, PI1.4", "A.8.16", Source::Entries,
       {"verify.decided", "verify.disagreement", "verify.labelled"}, false,
       "Every verification gate decision the server made (the action and the risk behind it), voters that "
       "disagreed, and the labels reviewers gave decided requests.",
       "Decisions made at the edge (the WASI gate) or in the browser package, and whether the caller acted on a "
       "decision; ISO 27001 has no processing-integrity control, so A.8.16 (monitoring) is the nearest."},
      {"privacy.pii", "PII screening of inputs", "CC6.7, C1.1, P4.1", "A.5.34, A.8.11, A.8.12", Source::Entries,
       {"pii.detected", "pii.redacted", "pii.blocked"}, false,
       "Inputs in which the tenant's PII policy found personal data or secrets: counts per type and field, and "
       "whether the request was refused or the text redacted before it was stored. Values are never in the chain.",
       "Requests of tenants whose policy is off, PII of kinds the scanner does not detect (names, free-text "
       "addresses), and redaction done by callers before sending (the browser package's pii.redact)."},
      {"retention.data", "Data retention", "C1.1, C1.2", "A.5.33, A.8.10", Source::StatedConfig, {}, false,
       "The retention settings the operator states (deduplication TTL, anomaly event TTL); audit entries are "
       "never purged.",
       "That purges ran: expired verdicts and anomaly events are deleted without an audit entry."},
  };
  return table;
}

const char* reference(const Control& c, Framework f) { return f == Framework::Soc2 ? c.soc2 : c.iso27001; }

const std::vector<const char*>& global_limitations() {
  static const std::vector<const char*> list = {
      "Built from the audit chain alone: reads, refused requests, deployments and host or database "
      "administration are not audit entries and are not evidenced.",
      "Entries show that a change happened and when; they do not show that it was authorised, reviewed or "
      "tested.",
      "Times are the server's clock; the report does not evidence clock accuracy.",
      "Organisational controls (policies, training, vendor management, physical security, HR) are out of scope.",
  };
  return list;
}

}  // namespace flk::compliance
