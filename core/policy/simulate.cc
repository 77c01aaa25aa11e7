#include "policy/simulate.h"

#include "json/fields.h"

namespace flk::policy {
namespace {

bool escalated(const std::string& a) { return a == "human_review" || a == "reject"; }

// An expression failed on one record: the error keeps the expression's path and names the record.
Error in_record(Error e, const std::string& record) {
  e.message = record + ": " + e.message;
  return e;
}

double share(size_t k, size_t n) { return n ? double(k) / double(n) : 0; }

}  // namespace

bool serves(const std::string& a) { return a == "accept" || a == "reduce_budget" || a == "alternate_region" || a == "rag_required"; }

Result<SimulationReport> simulate(const Router& candidate, const Router* baseline, const std::vector<TraceRecord>& trace,
                                  const std::string& path) {
  SimulationReport rep;
  size_t esc_b = 0, esc_c = 0, cont_b = 0, cont_c = 0;
  for (size_t i = 0; i < trace.size(); ++i) {
    const TraceRecord& t = trace[i];
    std::string rpath = json::index_path(path, i);
    std::string before = t.recorded_action;
    if (baseline) {
      Result<Decision> d = baseline->decide(t.request);
      if (!d.ok()) return in_record(d.error(), rpath);
      if (d->applies) before = d->action;
    }
    if (before.empty())
      return make_error("missing_field", rpath + ".action is required without a baseline policy", rpath + ".action");
    Result<Decision> d = candidate.decide(t.request);
    if (!d.ok()) return in_record(d.error(), rpath);
    std::string after = before;
    if (d->applies) after = d->action;
    else ++rep.not_governed;
    ++rep.requests;
    ++rep.baseline_actions[before];
    ++rep.candidate_actions[after];
    esc_b += escalated(before);
    esc_c += escalated(after);
    auto cb = t.costs.find(before), cc = t.costs.find(after);
    if (cb == t.costs.end() || cc == t.costs.end()) {
      ++rep.cost_unknown;
    } else {
      rep.baseline_cost_usd += cb->second;
      rep.candidate_cost_usd += cc->second;
    }
    if (t.label == 1) {
      ++rep.labelled_hallucinated;
      cont_b += !serves(before);
      cont_c += !serves(after);
    }
    if (after == before) continue;
    ++rep.changed;
    ++rep.transitions[before + "->" + after];
    if (rep.changed_ids.size() < kMaxChangedIds) rep.changed_ids.push_back(t.id);
    if (serves(before) == serves(after)) continue;
    if (t.label == 1) ++(serves(after) ? rep.newly_served_hallucinated : rep.newly_contained);
    if (t.label == 0) ++(serves(after) ? rep.newly_served_fine : rep.newly_escalated_fine);
  }
  rep.baseline_escalation = share(esc_b, rep.requests);
  rep.candidate_escalation = share(esc_c, rep.requests);
  rep.baseline_containment = share(cont_b, rep.labelled_hallucinated);
  rep.candidate_containment = share(cont_c, rep.labelled_hallucinated);
  return rep;
}

}  // namespace flk::policy
