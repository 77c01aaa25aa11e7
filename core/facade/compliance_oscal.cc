#include "facade/compliance_oscal.h"

#include <set>

#include "crypto/hash.h"
#include "json/write.h"

namespace flk {
namespace {

// A name-based UUID (version 5 layout) from SHA-256(seed ":" label).
std::string derived_uuid(const std::string& seed, const std::string& label) {
  std::string h = crypto::sha256_hex(seed + ":" + label);
  h[12] = '5';
  static const char kVariant[] = "89ab";
  h[16] = kVariant[(h[16] >= 'a' ? h[16] - 'a' + 10 : h[16] - '0') & 3];
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20, 12);
}

std::string lower_ids(const char* refs) {
  std::string s(refs);
  for (char& c : s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return s;
}

// "CC6.1, CC8.1" -> {"cc6.1", "cc8.1"} added to ids (OSCAL control ids are lowercase).
void add_control_ids(const char* refs, std::set<std::string>& ids) {
  std::string s = lower_ids(refs), cur;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == ',') {
      if (!cur.empty()) ids.insert(cur);
      cur.clear();
    } else if (s[i] != ' ') {
      cur.push_back(s[i]);
    }
  }
}

json::Value observation(const std::string& seed, const compliance::ControlResult& c, const std::string& collected) {
  json::Value o = json::Value::object();
  o.set("uuid", derived_uuid(seed, std::string("observation:") + c.control->id));
  o.set("title", c.control->title);
  std::string desc = c.control->shows;
  if (!c.note.empty()) desc += " " + c.note;
  o.set("description", desc);
  o.set("methods", json::Value::array().push("EXAMINE"));
  o.set("types", json::Value::array().push("control-objective"));
  o.set("collected", collected);
  json::Value evidence = json::Value::array();
  for (const compliance::TypeEvidence& e : c.evidence)
    evidence.push(json::Value::object().set(
        "description", std::to_string(e.count) + " audit entries of type " + e.type +
                           (e.count ? " (seq " + std::to_string(e.first_seq) + " to " + std::to_string(e.last_seq) + ")"
                                    : "")));
  if (!evidence.as_array().empty()) o.set("relevant-evidence", std::move(evidence));
  o.set("remarks", std::string("Cannot evidence: ") + c.control->cannot);
  return o;
}

}  // namespace

json::Value oscal_assessment_results(const compliance::Report& r, const json::Value& report_json) {
  std::string seed = crypto::sha256_hex(json::to_string(report_json));
  const std::string& end = r.period.to;
  json::Value metadata = json::Value::object();
  metadata.set("title", std::string(r.framework == compliance::Framework::Soc2 ? "SOC 2" : "ISO/IEC 27001:2022") +
                            " evidence from the Fractal LBA audit chain, " + r.period.from + " to " + r.period.to);
  metadata.set("last-modified", end).set("version", seed.substr(0, 16)).set("oscal-version", "1.1.2");

  json::Value observations = json::Value::array(), findings = json::Value::array();
  std::set<std::string> ids;
  for (const compliance::ControlResult& c : r.controls) {
    json::Value obs = observation(seed, c, end);
    std::string obs_uuid = obs.find("uuid")->as_string();
    observations.push(std::move(obs));
    add_control_ids(compliance::reference(*c.control, r.framework), ids);
    json::Value status = json::Value::object();
    status.set("state", c.status == compliance::Status::Evidenced ? "satisfied" : "not-satisfied");
    status.set("reason", compliance::status_name(c.status));
    json::Value target = json::Value::object();
    target.set("type", "objective-id").set("target-id", c.control->id).set("status", std::move(status));
    json::Value f = json::Value::object();
    f.set("uuid", derived_uuid(seed, std::string("finding:") + c.control->id));
    f.set("title", c.control->title).set("description", c.control->shows).set("target", std::move(target));
    f.set("related-observations", json::Value::array().push(json::Value::object().set("observation-uuid", obs_uuid)));
    findings.push(std::move(f));
  }
  json::Value selected = json::Value::array();
  for (const std::string& id : ids) selected.push(json::Value::object().set("control-id", id));
  json::Value result = json::Value::object();
  result.set("uuid", derived_uuid(seed, "result"));
  result.set("title", "Audit chain evidence " + r.period.from + " to " + r.period.to);
  result.set("description", std::string("Head seq ") + std::to_string(r.chain.head_seq) + ", head hash " +
                                r.chain.head_hash + (r.chain.problem ? "; the chain does not verify." : "; verified."));
  result.set("start", r.period.from).set("end", end);
  result.set("reviewed-controls",
             json::Value::object().set("control-selections", json::Value::array().push(
                                                                 json::Value::object().set("include-controls", selected))));
  result.set("observations", std::move(observations)).set("findings", std::move(findings));
  std::string limits;
  for (const std::string& l : r.limitations) limits += (limits.empty() ? "" : " ") + l;
  result.set("remarks", limits);

  json::Value ar = json::Value::object();
  ar.set("uuid", derived_uuid(seed, "assessment-results")).set("metadata", std::move(metadata));
  ar.set("import-ap", json::Value::object().set("href", "#fractal-lba-audit-chain"));
  ar.set("results", json::Value::array().push(std::move(result)));
  return json::Value::object().set("assessment-results", std::move(ar));
}

}  // namespace flk
