// compliance.report: an evidence report (SOC 2 or ISO/IEC 27001) from an audit chain, as JSON,
// and on request as an HTML page and an OSCAL assessment-results document. Deterministic: no
// clock is read; the period and the chain decide every byte.
#include <algorithm>

#include "compliance/html.h"
#include "compliance/report.h"
#include "facade/audit_input.h"
#include "facade/compliance_oscal.h"
#include "facade/registry.h"
#include "json/fields.h"
#include "pcs/document.h"
#include "util/civil_time.h"

namespace flk {
namespace {

constexpr size_t kMaxConfig = 32;

Result<int64_t> read_time(json::ObjectReader& r, const char* key, std::string& text) {
  FLK_ASSIGN(text, r.string(key, 64));
  auto ms = pcs::is_rfc3339(text) ? parse_timestamp_ms(text) : Result<int64_t>(make_error("bad_format", ""));
  if (!ms.ok()) return make_error("bad_format", r.path_of(key) + " must be an RFC 3339 timestamp", r.path_of(key));
  return ms;
}

Result<std::vector<std::pair<std::string, std::string>>> read_config(json::ObjectReader& r) {
  std::vector<std::pair<std::string, std::string>> out;
  const json::Value* c = r.optional("config");
  if (!c) return out;
  if (!c->is_object()) return json::wrong_type("$.config", "an object", *c);
  if (c->as_object().size() > kMaxConfig) return make_error("too_large", "$.config has more than 32 settings", "$.config");
  for (const auto& [k, v] : c->as_object()) {
    std::string path = json::join_path("$.config", k);
    if (k.empty() || k.size() > 64) return make_error("bad_length", path + ": names are 1 to 64 bytes", path);
    if (v.is_int()) {
      out.emplace_back(k, std::to_string(v.as_int()));
    } else {
      FLK_ASSIGN(std::string s, json::read_string(v, path, 256));
      out.emplace_back(k, std::move(s));
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

json::Value control_json(const compliance::Report& rep, const compliance::ControlResult& c) {
  json::Value o = json::Value::object();
  o.set("id", c.control->id).set("title", c.control->title);
  o.set("references", compliance::reference(*c.control, rep.framework));
  o.set("status", compliance::status_name(c.status)).set("shows", c.control->shows).set("cannot", c.control->cannot);
  if (!c.note.empty()) o.set("note", c.note);
  json::Value ev = json::Value::array();
  for (const compliance::TypeEvidence& e : c.evidence) {
    json::Value t = json::Value::object();
    t.set("type", e.type).set("count", e.count);
    if (e.count) t.set("first_seq", e.first_seq).set("last_seq", e.last_seq);
    json::Value samples = json::Value::array();
    for (const compliance::Sample& s : e.samples)
      samples.push(json::Value::object().set("seq", s.seq).set("time", s.time).set("tenant", s.tenant).set("hash", s.hash));
    t.set("samples", std::move(samples));
    ev.push(std::move(t));
  }
  o.set("evidence", std::move(ev));
  return o;
}

json::Value report_json(const compliance::Report& rep) {
  json::Value chain = json::Value::object();
  chain.set("valid", !rep.chain.problem).set("count", static_cast<int64_t>(rep.chain.count));
  chain.set("head_seq", rep.chain.head_seq).set("head_hash", rep.chain.head_hash).set("anchored", rep.anchored);
  if (rep.chain.problem)
    chain.set("problem", json::Value::object()
                             .set("index", static_cast<int64_t>(rep.chain.problem->index))
                             .set("kind", rep.chain.problem->kind)
                             .set("message", rep.chain.problem->message));
  json::Value types = json::Value::object(), statuses = json::Value::object(), controls = json::Value::array();
  for (const auto& [t, n] : rep.types_in_period) types.set(t, n);
  std::map<std::string, int64_t> by_status;
  for (const compliance::ControlResult& c : rep.controls) {
    ++by_status[compliance::status_name(c.status)];
    controls.push(control_json(rep, c));
  }
  for (const auto& [s, n] : by_status) statuses.set(s, n);
  json::Value summary = json::Value::object();
  summary.set("entries_in_period", rep.entries_in_period).set("tenants_in_period", rep.tenants_in_period);
  summary.set("entry_types", std::move(types)).set("controls_by_status", std::move(statuses));
  json::Value config = json::Value::object();
  for (const auto& [k, v] : rep.config) config.set(k, v);
  json::Value limits = json::Value::array();
  for (const std::string& l : rep.limitations) limits.push(l);
  json::Value out = json::Value::object();
  out.set("framework", compliance::framework_name(rep.framework));
  out.set("period", json::Value::object().set("from", rep.period.from).set("to", rep.period.to));
  out.set("chain", std::move(chain)).set("summary", std::move(summary)).set("controls", std::move(controls));
  out.set("stated_config", std::move(config)).set("limitations", std::move(limits));
  return out;
}

Result<json::Value> op_report(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(auto entries, read_audit_entries(r));
  compliance::Input ci;
  FLK_ASSIGN(std::string fw, r.string("framework", 16));
  if (!compliance::parse_framework(fw, ci.framework))
    return make_error("out_of_range", "$.framework must be soc2 or iso27001", "$.framework");
  FLK_ASSIGN(ci.period.from_ms, read_time(r, "from", ci.period.from));
  FLK_ASSIGN(ci.period.to_ms, read_time(r, "to", ci.period.to));
  if (ci.period.to_ms <= ci.period.from_ms) return make_error("out_of_range", "$.to must be after $.from", "$.to");
  if (r.optional("head_hash")) {
    FLK_ASSIGN(ci.expect.head_hash, audit::read_hash(r, "head_hash"));
  }
  FLK_ASSIGN(ci.expect.head_seq, r.opt_integer("head_seq", 1));
  ci.expect.first_seq = 1;
  FLK_ASSIGN(ci.config, read_config(r));
  bool html = false, oscal = false;
  if (const json::Value* f = r.optional("formats")) {
    if (!f->is_array() || f->as_array().size() > 2) return json::wrong_type("$.formats", "an array of at most 2", *f);
    for (size_t i = 0; i < f->as_array().size(); ++i) {
      std::string path = json::index_path("$.formats", i);
      FLK_ASSIGN(std::string name, json::read_string(f->as_array()[i], path, 16));
      if (name == "html") html = true;
      else if (name == "oscal") oscal = true;
      else return make_error("out_of_range", path + " must be html or oscal", path);
    }
  }
  FLK_TRY(r.finish());
  compliance::Report rep = compliance::build(entries, ci);
  json::Value report = report_json(rep);
  json::Value out = json::Value::object();
  if (html) out.set("html", compliance::to_html(rep));
  if (oscal) out.set("oscal", oscal_assessment_results(rep, report));
  out.set("report", std::move(report));
  return out;
}

}  // namespace

void add_compliance_ops(std::vector<OpSpec>& t) {
  t.push_back(
      {"compliance.report",
       "SOC 2 / ISO 27001 evidence from an audit chain: the chain verified, the period's entries mapped to controls, "
       "what cannot be evidenced; optional HTML page and OSCAL assessment results.",
       "{ jsonl?: string; entries?: Record<string, unknown>[]; framework: 'soc2' | 'iso27001'; from: string; to: "
       "string; head_seq?: number; head_hash?: string; config?: Record<string, string | number>; formats?: ('html' | "
       "'oscal')[] }",
       "{ report: { framework: 'soc2' | 'iso27001'; period: { from: string; to: string }; chain: { valid: boolean; "
       "count: number; head_seq: number; head_hash: string; anchored: boolean; problem?: { index: number; kind: "
       "string; message: string } }; summary: { entries_in_period: number; tenants_in_period: number; entry_types: "
       "Record<string, number>; controls_by_status: Record<string, number> }; controls: { id: string; title: string; "
       "references: string; status: 'evidenced' | 'partial' | 'no_activity' | 'not_evidenced' | 'failed'; shows: "
       "string; cannot: string; note?: string; evidence: { type: string; count: number; first_seq?: number; "
       "last_seq?: number; samples: { seq: number; time: string; tenant: string; hash: string }[] }[] }[]; "
       "stated_config: Record<string, string>; limitations: string[] }; html?: string; oscal?: Record<string, "
       "unknown> }",
       op_report});
}

}  // namespace flk
