// JSON for metric series in the anomaly ops: rows with null for a missing value, timestamps
// with an order policy, numeric matrices, and the windowed-feature stream state.
#pragma once
#include <string>
#include <vector>

#include "anomaly/dense_net.h"
#include "anomaly/window_features.h"
#include "json/value.h"
#include "util/result.h"

namespace flk::anomaly_json {

using anomaly::RowMatrix;

constexpr size_t kMaxRows = 2000000;
constexpr size_t kMaxColumns = 1024;
constexpr size_t kMaxCells = 16u << 20;
// Largest magnitude accepted for a metric value, a timestamp or a vector component: squares and
// sums over every row of a fit stay finite.
constexpr double kMaxMagnitude = 1e100;

// One row of `cols` numbers or nulls (null -> NaN).
Status read_nullable_row(const json::Value& v, const std::string& path, size_t cols, double* out);
// Rows of equal width; null -> NaN (a gap). expected_cols = 0 accepts any width >= 1.
// Errors: wrong_type, bad_length (a row of another width), too_large.
Result<RowMatrix> read_rows(const json::Value& v, const std::string& path, size_t expected_cols, size_t min_rows);

// A finite numeric matrix (no nulls) of `cols` columns (0: any), each value within +-max_abs.
Result<RowMatrix> read_matrix(const json::Value& v, const std::string& path, size_t max_rows, size_t cols,
                              double max_abs = kMaxMagnitude);
json::Value matrix_to_json(const RowMatrix& m);
json::Value numbers_to_json(const std::vector<double>& xs);

// Column names: unique, 1..128 bytes each.
Result<std::vector<std::string>> read_columns(const json::Value& v, const std::string& path, size_t count);
std::vector<std::string> default_columns(size_t count);  // "c0", "c1", ...

enum class OrderPolicy { Strict, Keep };
Result<OrderPolicy> read_order(const std::string& name, const std::string& path);
// Timestamps, one per row. Strict: each must be greater than the one before (and than
// `previous` when has_previous): duplicate_timestamp / unsorted_timestamps at the offending
// index. Keep: any order; the windowed rate then uses the last positive step.
Result<std::vector<double>> read_times(const json::Value& v, const std::string& path, size_t rows, OrderPolicy policy,
                                       bool has_previous, double previous);

json::Value window_state_to_json(const anomaly::WindowSpec& s, const anomaly::WindowState& st);
Result<anomaly::WindowState> window_state_from_json(const json::Value& v, const std::string& path,
                                                    const anomaly::WindowSpec& s, int cols);

}  // namespace flk::anomaly_json
