// hrs.eval_scores: hrs.eval's metrics and hrs.drift's logit and AUROC checks over scores already
// computed - a host's stored decisions and their labels (flk-server's GET
// /v1/admin/tenants/{tenant}/labels/eval), where the texts are not kept to score again.
#include "facade/hrs_card.h"
#include "facade/hrs_drift_json.h"
#include "facade/hrs_registry.h"
#include "facade/registry.h"
#include "hrs/drift.h"
#include "hrs/metrics.h"
#include "json/fields.h"

namespace flk {
namespace {

constexpr size_t kMaxRows = 100000;

Result<json::Value> op_eval_scores(Engine& e, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(const json::Value* rows, r.required("rows"));
  FLK_ASSIGN(auto model_id, r.opt_string("model_id", 64));
  FLK_TRY(r.finish());
  FLK_ASSIGN(auto m, model_id ? hrs_io::find_model(e, *model_id, "$.model_id") : hrs_io::default_model(e));
  if (!rows->is_array()) return json::wrong_type("$.rows", "an array", *rows);
  const auto& a = rows->as_array();
  if (a.empty() || a.size() > kMaxRows)
    return make_error("bad_length", "$.rows must hold 1 to 100000 rows", "$.rows");
  std::vector<double> prob, logits;
  std::vector<int> label;
  std::vector<std::string> sets;
  for (size_t i = 0; i < a.size(); ++i) {
    FLK_ASSIGN(auto row, json::ObjectReader::open(a[i], json::index_path("$.rows", i)));
    FLK_ASSIGN(double p, row.number("probability", {0, 1}));
    FLK_ASSIGN(int64_t y, row.integer("label", 0, 1));
    FLK_ASSIGN(auto logit, row.opt_number("logit", {-1e6, 1e6}));
    FLK_ASSIGN(auto set, row.opt_string("set", 256));
    FLK_TRY(row.finish());
    prob.push_back(p);
    label.push_back(static_cast<int>(y));
    sets.push_back(set.value_or("all"));
    if (logit) logits.push_back(*logit);
  }
  std::vector<std::string_view> source(sets.begin(), sets.end());
  json::Value out = json::Value::object();
  out.set("model_id", m->id).set("rows", static_cast<int64_t>(a.size()));
  out.set("sets", hrs_io::set_metrics_json(hrs::metrics_by_set(prob, label, source)));
  out.set("auroc", hrs_io::auroc_drop_json(m->cv_auroc, prob, label));
  if (!logits.empty() && m->baseline.size() > static_cast<size_t>(hrs::kModelFeatures)) {
    const size_t rows = logits.size();
    json::Value o = hrs_io::drift_json(hrs::drift_stat(m->baseline[hrs::kModelFeatures], std::move(logits)));
    out.set("logit_drift", o.set("rows", static_cast<int64_t>(rows)));
  }
  return out;
}

}  // namespace

void add_hrs_score_eval_ops(std::vector<OpSpec>& t) {
  t.push_back({"hrs.eval_scores",
               "hrs.eval's metrics (AUROC, AUPRC, ECE, Brier per set) and hrs.drift's AUROC-drop and logit drift checks "
               "over stored scores and their labels.",
               "{ rows: { probability: number; label: 0 | 1; logit?: number; set?: string }[]; model_id?: string }",
               "{ model_id: string; rows: number; sets: Record<string, { examples: number; positives: number; auroc: "
               "number; auprc: number; ece: number; brier: number }>; auroc: { auroc: number; baseline_auroc?: number; "
               "drop?: number; alert?: boolean }; logit_drift?: { rows: number; ks: number; ks_p: number; psi: number; "
               "psi_level: 'none' | 'moderate' | 'major'; drift: boolean } }",
               op_eval_scores});
}

}  // namespace flk
