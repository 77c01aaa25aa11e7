// The PCS signals one at a time (spec §2): box counts, D̂, coh★, r, regime, budget.
#include "facade/registry.h"
#include "facade/pcs_inputs.h"
#include "json/fields.h"
#include "signals/box_counts.h"
#include "signals/coherence.h"
#include "signals/compressibility.h"
#include "signals/regime_budget.h"
#include "signals/theil_sen.h"

namespace flk {
namespace {

json::Value numbers(const std::vector<double>& xs) {
  json::Value a = json::Value::array();
  for (double x : xs) a.push(x);
  return a;
}

Result<json::Value> op_box_counts(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(auto points, read_points(r));
  FLK_ASSIGN(auto scales, read_scales(r, /*required=*/true));
  FLK_TRY(r.finish());
  FLK_ASSIGN(auto counts, signals::box_counts(points, scales));
  json::Value nj = json::Value::object();
  for (size_t i = 0; i < scales.size(); ++i) nj.set(std::to_string(scales[i]), counts[i]);
  json::Value out = json::Value::object();
  out.set("N_j", std::move(nj));
  return out;
}

Result<json::Value> op_dhat(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(auto scales, read_scales(r, /*required=*/true));
  FLK_ASSIGN(const json::Value* nj, r.required("N_j"));
  FLK_TRY(r.finish());
  FLK_ASSIGN(auto counts, read_counts_for(*nj, "$.N_j", scales));
  auto ts = signals::theil_sen(scales, counts);
  if (!ts.ok()) return make_error("out_of_range", "cannot compute D_hat: " + ts.error().message, "$.N_j");
  json::Value out = json::Value::object();
  out.set("D_hat", ts->d_hat).set("slopes", numbers(ts->slopes));
  return out;
}

Result<json::Value> op_coherence(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(auto points, read_points(r));
  FLK_ASSIGN(int64_t seed, r.integer("seed", 0, 0xFFFFFFFFll));
  FLK_ASSIGN(auto directions, r.opt_integer("directions", 1, 100000));
  FLK_ASSIGN(auto bins, r.opt_integer("bins", 1, 100000));
  FLK_TRY(r.finish());
  const int dirs = static_cast<int>(directions.value_or(100));
  FLK_TRY(check_projections(points.size(), points.empty() ? 0 : points[0].size(), static_cast<uint64_t>(dirs)));
  auto c = signals::coherence(points, seed, dirs, static_cast<int>(bins.value_or(20)));
  json::Value out = json::Value::object();
  out.set("coh_star", c.coh_star).set("v_star", numbers(c.v_star));
  return out;
}

Result<json::Value> op_compressibility(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(std::string raw, read_raw_rows(r));
  FLK_TRY(r.finish());
  json::Value out = json::Value::object();
  out.set("r", signals::compressibility(raw));
  return out;
}

Result<json::Value> op_regime(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(double d, r.number("D_hat"));
  FLK_ASSIGN(double c, r.number("coh_star"));
  FLK_TRY(r.finish());
  json::Value out = json::Value::object();
  out.set("regime", signals::regime(d, c));
  return out;
}

Result<json::Value> op_budget(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(double d, r.number("D_hat"));
  FLK_ASSIGN(double c, r.number("coh_star"));
  FLK_ASSIGN(double rr, r.number("r", {0, 1}));
  FLK_ASSIGN(auto params, read_budget_params(r));
  FLK_TRY(r.finish());
  json::Value out = json::Value::object();
  out.set("budget", signals::budget(d, c, rr, params));
  return out;
}

}  // namespace

void add_signals_ops(std::vector<OpSpec>& t) {
  t.push_back({"signals.box_counts", "N_j: occupied grid cells of a point cloud at each scale (cell = floor(p * s)).",
               "{ points: number[][]; scales: number[] }", "{ N_j: Record<string, number> }", op_box_counts});
  t.push_back({"signals.dhat", "D̂: Theil–Sen slope of log2 N_j over log2 scale (upper median), 9 dp.",
               "{ scales: number[]; N_j: Record<string, number> }", "{ D_hat: number; slopes: number[] }", op_dhat});
  t.push_back({"signals.coherence", "coh★ and v★: best single-bin share over seeded random directions (numpy-compatible).",
               "{ points: number[][]; seed: number; directions?: number; bins?: number }",
               "{ coh_star: number; v_star: number[] }", op_coherence});
  t.push_back({"signals.compressibility", "r: zlib level-6 size over raw size of the canonical rows, 9 dp.",
               "{ rows?: string[]; data_text?: string; data_hex?: string; data_b64?: string }", "{ r: number }",
               op_compressibility});
  t.push_back({"signals.regime", "Regime from D̂ and coh★: sticky, mixed or non_sticky.",
               "{ D_hat: number; coh_star: number }", "{ regime: 'sticky' | 'mixed' | 'non_sticky' }", op_regime});
  t.push_back({"signals.budget", "Budget base + α(1−r) + β·max(0, D̂−D0) + γ·coh★, clamped to [0, 1], 9 dp.",
               "{ D_hat: number; coh_star: number; r: number; params?: " FLK_TS_BUDGET_PARAMS " }", "{ budget: number }", op_budget});
}

}  // namespace flk
