// Audit-log ops (audit/chain.h): link an entry to its predecessor, verify a chain and say where
// it breaks, and wrap entries as CloudEvents for a SIEM. The server appends with audit.link, and
// `flk audit verify` / any build checks an exported log with audit.verify.
#include "audit/chain.h"
#include "facade/audit_input.h"
#include "facade/engine.h"
#include "facade/registry.h"
#include "json/fields.h"
#include "json/parse.h"
#include "pcs/document.h"

#define FLK_TS_AUDIT_ENTRY                                                                                    \
  "{ seq: number; time: string; type: string; tenant: string; data: Record<string, unknown>; prev_hash: " \
  "string; hash: string }"
#define FLK_TS_AUDIT_INPUT "jsonl?: string; entries?: " FLK_TS_AUDIT_ENTRY "[]"

namespace flk {
namespace {

Result<json::Value> op_link(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(std::string prev, audit::read_hash(r, "prev_hash"));
  audit::EntryFields f;
  FLK_ASSIGN(f.seq, r.integer("seq", 1));
  FLK_ASSIGN(f.time, r.string("time", 64));
  if (!pcs::is_rfc3339(f.time)) return make_error("bad_format", "$.time must be an RFC 3339 timestamp", "$.time");
  FLK_ASSIGN(f.type, r.string("type", 128));
  FLK_ASSIGN(f.tenant, r.string("tenant", 256));
  FLK_ASSIGN(const json::Value* data, r.required("data"));
  if (!data->is_object()) return json::wrong_type("$.data", "an object", *data);
  FLK_TRY(r.finish());
  f.data = *data;
  return audit::link(f, prev);
}

Result<json::Value> op_verify(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(auto entries, read_audit_entries(r));
  audit::Expect ex;
  if (r.optional("genesis_hash")) {
    FLK_ASSIGN(ex.genesis_hash, audit::read_hash(r, "genesis_hash"));
  }
  FLK_ASSIGN(ex.first_seq, r.opt_integer("first_seq", 1));
  if (r.optional("head_hash")) {
    FLK_ASSIGN(ex.head_hash, audit::read_hash(r, "head_hash"));
  }
  FLK_ASSIGN(ex.head_seq, r.opt_integer("head_seq", 0));
  FLK_TRY(r.finish());
  if (!ex.first_seq && ex.genesis_hash == audit::kGenesisHash) ex.first_seq = 1;
  audit::Report rep = audit::verify(entries, ex);
  json::Value out = json::Value::object();
  out.set("valid", !rep.problem).set("count", static_cast<int64_t>(rep.count));
  out.set("head_seq", rep.head_seq).set("head_hash", rep.head_hash);
  if (rep.problem) {
    json::Value p = json::Value::object();
    p.set("index", static_cast<int64_t>(rep.problem->index)).set("kind", rep.problem->kind);
    p.set("message", rep.problem->message);
    if (rep.problem->seq > 0) p.set("seq", rep.problem->seq);
    out.set("problem", std::move(p));
  }
  return out;
}

Result<json::Value> op_cloudevents(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(auto entries, read_audit_entries(r));
  FLK_ASSIGN(std::string source, r.string("source", 1024));
  FLK_TRY(r.finish());
  if (source.empty()) return make_error("bad_length", "$.source must not be empty", "$.source");
  json::Value events = json::Value::array();
  for (size_t i = 0; i < entries.size(); ++i) {
    if (!entries[i].ok()) {
      Error e = entries[i].error();
      e.message = "entry " + std::to_string(i) + ": " + e.message;
      e.path = json::index_path("$.entries", i);
      return e;
    }
    if (!entries[i]->is_object()) return json::wrong_type(json::index_path("$.entries", i), "an object", *entries[i]);
    events.push(audit::to_cloudevent(entries[i].value(), source));
  }
  json::Value out = json::Value::object();
  out.set("events", std::move(events));
  return out;
}

}  // namespace

void add_audit_ops(std::vector<OpSpec>& t) {
  t.push_back({"audit.link",
               "Completes an audit entry: adds prev_hash and hash = SHA-256 of its canonical JSON without hash.",
               "{ prev_hash: string; seq: number; time: string; type: string; tenant: string; data: "
               "Record<string, unknown> }",
               FLK_TS_AUDIT_ENTRY, op_link});
  t.push_back({"audit.verify",
               "Checks a hash-chained audit log and names the first edited, deleted, reordered or missing entry.",
               "{ " FLK_TS_AUDIT_INPUT "; genesis_hash?: string; first_seq?: number; head_hash?: string; "
               "head_seq?: number }",
               "{ valid: boolean; count: number; head_seq: number; head_hash: string; problem?: { index: number; "
               "seq?: number; kind: 'malformed' | 'edited' | 'deleted' | 'reordered' | 'broken_link' | 'truncated' | "
               "'head_mismatch'; message: string } }",
               op_verify});
  t.push_back({"audit.cloudevents", "Audit entries as CloudEvents 1.0 (structured JSON) for a SIEM.",
               "{ " FLK_TS_AUDIT_INPUT "; source: string }",
               "{ events: { specversion: '1.0'; id: string; source: string; type: string; time: string; subject: "
               "string; sequence: string; datacontenttype: 'application/json'; data: " FLK_TS_AUDIT_ENTRY " }[] }",
               op_cloudevents});
}

}  // namespace flk
