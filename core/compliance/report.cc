#include "compliance/report.h"

#include <algorithm>
#include <set>

#include "util/civil_time.h"

namespace flk::compliance {
namespace {

// An entry of the period as the report needs it (verified entries only).
struct Row {
  int64_t seq;
  std::string time, type, tenant, hash;
};

const std::string* string_field(const json::Value& e, const char* key) {
  const json::Value* v = e.find(key);
  return v && v->is_string() ? &v->as_string() : nullptr;
}

std::vector<Row> rows_in_period(const std::vector<Result<json::Value>>& entries, size_t verified, const Period& p) {
  std::vector<Row> rows;
  for (size_t i = 0; i < verified; ++i) {
    const json::Value& e = entries[i].value();
    const std::string *time = string_field(e, "time"), *type = string_field(e, "type");
    const std::string *tenant = string_field(e, "tenant"), *hash = string_field(e, "hash");
    const json::Value* seq = e.find("seq");
    if (!time || !type || !tenant || !hash || !seq || !seq->is_int()) continue;
    auto ms = parse_timestamp_ms(*time);
    if (!ms.ok() || *ms < p.from_ms || *ms >= p.to_ms) continue;
    rows.push_back({seq->as_int(), *time, *type, *tenant, *hash});
  }
  return rows;
}

std::vector<TypeEvidence> evidence_for(const Control& c, const std::vector<Row>& rows) {
  std::vector<TypeEvidence> out;
  for (std::string_view type : c.entry_types) {
    TypeEvidence ev;
    ev.type = std::string(type);
    for (const Row& r : rows) {
      if (r.type != type) continue;
      if (!ev.count) ev.first_seq = r.seq;
      ev.last_seq = r.seq;
      ++ev.count;
      if (ev.samples.size() < kMaxSamples) ev.samples.push_back({r.seq, r.time, r.tenant, r.hash});
    }
    out.push_back(std::move(ev));
  }
  return out;
}

ControlResult assess(const Control& c, const Report& rep, const std::vector<Row>& rows) {
  ControlResult res{&c, Status::NotEvidenced, {}, {}};
  bool chain_ok = !rep.chain.problem;
  switch (c.source) {
    case Source::Chain:
      if (!chain_ok) {
        res.status = Status::Failed;
        res.note = "The chain is broken at entry " + std::to_string(rep.chain.problem->index) + " (" +
                   rep.chain.problem->kind + "): " + rep.chain.problem->message;
      } else {
        res.status = rep.anchored ? Status::Evidenced : Status::Partial;
        res.note = rep.anchored ? "Verified from the first entry to the given head."
                                : "Verified from the first entry; no head kept elsewhere was given, so removal of "
                                  "the newest entries would not show.";
      }
      return res;
    case Source::StatedConfig:
      if (rep.config.empty()) {
        res.note = "No retention settings were stated; the chain holds no retention evidence.";
      } else {
        res.status = Status::Partial;
        res.note = "Settings as stated by the operator for this report, not read from the running server.";
      }
      return res;
    case Source::Entries:
      break;
  }
  res.evidence = evidence_for(c, rows);
  int64_t total = 0;
  for (const TypeEvidence& e : res.evidence) total += e.count;
  if (!chain_ok) {
    res.status = Status::Failed;
    res.note = "Only the entries before the break were used; the chain does not verify.";
  } else if (!total) {
    res.status = Status::NoActivity;
    res.note = "No entries of these types in the period.";
  } else {
    res.status = c.complete ? Status::Evidenced : Status::Partial;
  }
  return res;
}

}  // namespace

const char* status_name(Status s) {
  switch (s) {
    case Status::Evidenced: return "evidenced";
    case Status::Partial: return "partial";
    case Status::NoActivity: return "no_activity";
    case Status::NotEvidenced: return "not_evidenced";
    case Status::Failed: return "failed";
  }
  return "failed";
}

Report build(const std::vector<Result<json::Value>>& entries, const Input& in) {
  Report rep;
  rep.framework = in.framework;
  rep.period = in.period;
  rep.config = in.config;
  rep.chain = audit::verify(entries, in.expect);
  rep.anchored = !rep.chain.problem && in.expect.head_hash.has_value();
  std::vector<Row> rows = rows_in_period(entries, rep.chain.count, in.period);
  std::set<std::string> tenants;
  for (const Row& r : rows) {
    ++rep.types_in_period[r.type];
    tenants.insert(r.tenant);
  }
  rep.entries_in_period = static_cast<int64_t>(rows.size());
  rep.tenants_in_period = static_cast<int64_t>(tenants.size());
  for (const Control& c : controls()) {
    rep.controls.push_back(assess(c, rep, rows));
    rep.limitations.push_back(std::string(c.id) + ": " + c.cannot);
  }
  for (const char* l : global_limitations()) rep.limitations.emplace_back(l);
  return rep;
}

}  // namespace flk::compliance
