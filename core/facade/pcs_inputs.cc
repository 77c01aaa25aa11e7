#include "facade/pcs_inputs.h"

#include "pcs/document.h"
#include "util/work_budget.h"

namespace flk {

Result<std::vector<std::vector<double>>> read_points(json::ObjectReader& r) {
  FLK_ASSIGN(const json::Value* v, r.required("points"));
  FLK_ASSIGN(auto points, json::read_matrix(*v, r.path_of("points"), kMaxPoints, pcs::kMaxDims));
  if (!points.empty() && points[0].empty())
    return make_error("bad_length", "points need at least one coordinate", r.path_of("points"));
  if (!points.empty() && points.size() * points[0].size() > kMaxPointValues)
    return make_error("too_large", "more than " + std::to_string(kMaxPointValues) + " coordinates in all",
                      r.path_of("points"));
  return points;
}

Result<std::vector<int64_t>> read_scales(json::ObjectReader& r, bool required) {
  const json::Value* v = r.optional("scales");
  if (!v) {
    if (required) return make_error("missing_field", r.path_of("scales") + " is required", r.path_of("scales"));
    return std::vector<int64_t>{2, 4, 8, 16};
  }
  FLK_ASSIGN(auto scales, json::read_ints(*v, r.path_of("scales"), pcs::kMaxScales, 1, int64_t{1} << 30));
  if (scales.empty()) return make_error("bad_length", "scales must not be empty", r.path_of("scales"));
  return scales;
}

Result<std::vector<int64_t>> read_counts_for(const json::Value& nj, const std::string& path,
                                             const std::vector<int64_t>& scales) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(nj, path));
  std::vector<int64_t> counts;
  for (int64_t s : scales) {
    FLK_ASSIGN(int64_t c, r.integer(std::to_string(s), 1, int64_t{1} << 53));
    counts.push_back(c);
  }
  FLK_TRY(r.finish());
  return counts;
}

Result<std::string> read_raw_rows(json::ObjectReader& r) {
  const json::Value* rows = r.optional("rows");
  FLK_ASSIGN(auto bytes, r.opt_bytes("data"));
  if (rows && bytes) return make_error("conflicting_fields", "give rows or data_*, not both", r.path_of("rows"));
  if (bytes) return std::string(bytes->begin(), bytes->end());
  if (!rows) return make_error("missing_field", "one of rows, data_text, data_hex, data_b64 is required", r.path_of("rows"));
  if (!rows->is_array()) return json::wrong_type(r.path_of("rows"), "an array of strings", *rows);
  std::string raw;
  for (size_t i = 0; i < rows->as_array().size(); ++i) {
    FLK_ASSIGN(std::string s, json::read_string(rows->as_array()[i], json::index_path(r.path_of("rows"), i)));
    if (i) raw += '\n';
    raw += s;
  }
  return raw;
}

namespace {
Status read_budget_fields(json::ObjectReader& p, signals::BudgetParams& b) {
  const json::Range unit{0, 1};
  FLK_ASSIGN(auto base, p.opt_number("base", unit));
  FLK_ASSIGN(auto alpha, p.opt_number("alpha", unit));
  FLK_ASSIGN(auto beta, p.opt_number("beta", unit));
  FLK_ASSIGN(auto gamma, p.opt_number("gamma", unit));
  FLK_ASSIGN(auto d0, p.opt_number("D0", {0, 10}));
  b.base = base.value_or(b.base);
  b.alpha = alpha.value_or(b.alpha);
  b.beta = beta.value_or(b.beta);
  b.gamma = gamma.value_or(b.gamma);
  b.d0 = d0.value_or(b.d0);
  if (b.alpha + b.beta + b.gamma > 1.0)
    return make_error("out_of_range", "alpha + beta + gamma must not exceed 1", p.path());
  return Ok{};
}
}  // namespace

Result<signals::BudgetParams> read_budget_params(json::ObjectReader& r) {
  signals::BudgetParams b;
  const json::Value* v = r.optional("params");
  if (!v) return b;
  FLK_ASSIGN(auto p, json::ObjectReader::open(*v, r.path_of("params")));
  FLK_TRY(read_budget_fields(p, b));
  FLK_TRY(p.finish());
  return b;
}

Result<pcs::VerifyParams> read_verify_params(json::ObjectReader& r, std::string_view key) {
  pcs::VerifyParams vp;
  const json::Value* v = r.optional(key);
  if (!v) return vp;
  FLK_ASSIGN(auto p, json::ObjectReader::open(*v, r.path_of(key)));
  FLK_ASSIGN(auto tol_d, p.opt_number("tol_D", {0, 10}));
  FLK_ASSIGN(auto tol_coh, p.opt_number("tol_coh", {0, 1}));
  FLK_ASSIGN(auto budget_tol, p.opt_number("budget_tol", {0, 1}));
  vp.tol_d = tol_d.value_or(vp.tol_d);
  vp.tol_coh = tol_coh.value_or(vp.tol_coh);
  vp.budget_tol = budget_tol.value_or(vp.budget_tol);
  FLK_TRY(read_budget_fields(p, vp.budget));
  FLK_TRY(p.finish());
  return vp;
}

Status check_projections(size_t points, size_t dims, uint64_t directions) {
  return work::check(work::product({directions, points, dims}), kMaxProjections, "directions x points x dimensions",
                     "$.directions");
}

}  // namespace flk
