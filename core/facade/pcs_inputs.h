// Readers for the inputs that PCS and signals ops share (points, scales, counts, rows,
// verification parameters), and their TypeScript spellings for the op table.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "json/fields.h"
#include "pcs/evaluate.h"

#define FLK_TS_BUDGET_PARAMS "{ base?: number; alpha?: number; beta?: number; gamma?: number; D0?: number }"
#define FLK_TS_VERIFY_PARAMS                                                                               \
  "{ tol_D?: number; tol_coh?: number; budget_tol?: number; base?: number; alpha?: number; beta?: number; " \
  "gamma?: number; D0?: number }"

namespace flk {

constexpr size_t kMaxPoints = 1u << 20;
constexpr size_t kMaxPointValues = 1u << 24;
// Projections one call may compute for coh* (directions x points x dimensions): docs/limits.md.
// (Box counts need no such bound: 64 scales x kMaxPointValues is below it.)
constexpr uint64_t kMaxProjections = uint64_t{1} << 32;

// directions x points x dimensions within kMaxProjections (too_large at $.directions).
Status check_projections(size_t points, size_t dims, uint64_t directions);

// "points": number[][] (equal widths, at most kMaxPoints rows and kMaxPointValues values).
Result<std::vector<std::vector<double>>> read_points(json::ObjectReader& r);
// "scales": positive integers (at most 64); optional ones default to the reference [2,4,8,16].
Result<std::vector<int64_t>> read_scales(json::ObjectReader& r, bool required);
// N_j object -> counts in scale order; a missing scale is an error.
Result<std::vector<int64_t>> read_counts_for(const json::Value& nj, const std::string& path,
                                             const std::vector<int64_t>& scales);
// "rows": string[] joined by "\n", or raw bytes as data_text | data_hex | data_b64.
Result<std::string> read_raw_rows(json::ObjectReader& r);
// Optional "params" objects (verification parameters under another key: `key`).
Result<pcs::VerifyParams> read_verify_params(json::ObjectReader& r, std::string_view key = "params");
Result<signals::BudgetParams> read_budget_params(json::ObjectReader& r);

}  // namespace flk
