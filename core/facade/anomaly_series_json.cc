#include "facade/anomaly_series_json.h"

#include <cmath>
#include <set>

#include "json/fields.h"
#include "json/number_format.h"

namespace flk::anomaly_json {
namespace {

Error too_large(const std::string& path, const std::string& what) {
  return make_error("too_large", path + ": " + what, path);
}

// A row's checks with its path built only for an error (`path()`): rows hold most of a call's
// numbers, and a path string per row and value was 16 % of anomaly.score's instructions natively,
// 26 % in the WASI reactor (docs/edge.md, "Session 13").
template <class PathFn>
Status read_row(const json::Value& v, const PathFn& path, size_t cols, double* out) {
  if (!v.is_array()) return json::wrong_type(path(), "an array of numbers", v);
  const auto& r = v.as_array();
  if (r.size() != cols)
    return make_error("bad_length", path() + " has " + std::to_string(r.size()) + " values; expected " +
                                        std::to_string(cols), path());
  const json::Range range{-kMaxMagnitude, kMaxMagnitude};
  for (size_t j = 0; j < cols; ++j) {
    if (r[j].is_null()) {
      out[j] = std::nan("");
      continue;
    }
    if (json::try_number(r[j], range, &out[j])) continue;
    const std::string p = json::index_path(path(), j);
    if (!r[j].is_number()) return json::wrong_type(p, "a number or null", r[j]);
    return json::read_number(r[j], p, range).error();
  }
  return Ok{};
}

}  // namespace

Status read_nullable_row(const json::Value& v, const std::string& path, size_t cols, double* out) {
  return read_row(v, [&] { return path; }, cols, out);
}

Result<RowMatrix> read_rows(const json::Value& v, const std::string& path, size_t expected_cols, size_t min_rows) {
  if (!v.is_array()) return json::wrong_type(path, "an array of rows", v);
  const auto& rows = v.as_array();
  if (rows.size() > kMaxRows) return too_large(path, "more than " + std::to_string(kMaxRows) + " rows");
  if (rows.size() < min_rows)
    return make_error("bad_length", path + " needs at least " + std::to_string(min_rows) + " rows", path);
  size_t cols = expected_cols;
  if (!rows.empty() && cols == 0) {
    if (!rows[0].is_array()) return json::wrong_type(json::index_path(path, 0), "an array of numbers", rows[0]);
    cols = rows[0].as_array().size();
    if (cols == 0) return make_error("bad_length", json::index_path(path, 0) + " is empty", json::index_path(path, 0));
  }
  if (cols > kMaxColumns) return too_large(path, "rows wider than " + std::to_string(kMaxColumns) + " values");
  if (rows.size() * cols > kMaxCells) return too_large(path, "more than " + std::to_string(kMaxCells) + " values");
  RowMatrix m(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(cols));
  for (size_t i = 0; i < rows.size(); ++i) {
    double* out = m.row(static_cast<Eigen::Index>(i)).data();
    FLK_TRY(read_row(rows[i], [&] { return json::index_path(path, i); }, cols, out));
  }
  return m;
}

Result<RowMatrix> read_matrix(const json::Value& v, const std::string& path, size_t max_rows, size_t cols,
                              double max_abs) {
  FLK_ASSIGN(auto rows, json::read_matrix(v, path, max_rows, cols ? cols : kMaxColumns));
  if (cols && !rows.empty() && rows[0].size() != cols)
    return make_error("bad_length", json::index_path(path, 0) + " has " + std::to_string(rows[0].size()) +
                                        " values; expected " + std::to_string(cols),
                      json::index_path(path, 0));
  RowMatrix m(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(rows.empty() ? cols : rows[0].size()));
  for (size_t i = 0; i < rows.size(); ++i)
    for (size_t j = 0; j < rows[i].size(); ++j) {
      if (!(std::fabs(rows[i][j]) <= max_abs)) {
        const std::string p = json::index_path(json::index_path(path, i), j);
        return make_error("out_of_range", p + " is beyond +-" + json::format_double(max_abs), p);
      }
      m(i, j) = rows[i][j];
    }
  return m;
}

json::Value numbers_to_json(const std::vector<double>& xs) {
  json::Value a = json::Value::array();
  for (double x : xs) a.push(x);
  return a;
}

json::Value matrix_to_json(const RowMatrix& m) {
  json::Value a = json::Value::array();
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    json::Value r = json::Value::array();
    for (Eigen::Index j = 0; j < m.cols(); ++j) r.push(m(i, j));
    a.push(std::move(r));
  }
  return a;
}

Result<std::vector<std::string>> read_columns(const json::Value& v, const std::string& path, size_t count) {
  if (!v.is_array()) return json::wrong_type(path, "an array of strings", v);
  if (v.as_array().size() != count)
    return make_error("bad_length", path + " has " + std::to_string(v.as_array().size()) + " names for " +
                                        std::to_string(count) + " columns", path);
  std::vector<std::string> names;
  std::set<std::string> seen;
  for (size_t i = 0; i < count; ++i) {
    const std::string p = json::index_path(path, i);
    FLK_ASSIGN(std::string s, json::read_string(v.as_array()[i], p, 128));
    if (s.empty()) return make_error("bad_length", p + " is empty", p);
    if (!seen.insert(s).second) return make_error("out_of_range", p + ": column \"" + s + "\" appears twice", p);
    names.push_back(std::move(s));
  }
  return names;
}

std::vector<std::string> default_columns(size_t count) {
  std::vector<std::string> names;
  for (size_t i = 0; i < count; ++i) names.push_back("c" + std::to_string(i));
  return names;
}

Result<OrderPolicy> read_order(const std::string& name, const std::string& path) {
  if (name == "strict") return OrderPolicy::Strict;
  if (name == "keep") return OrderPolicy::Keep;
  return make_error("out_of_range", path + " must be \"strict\" or \"keep\", got \"" + name + "\"", path);
}

Result<std::vector<double>> read_times(const json::Value& v, const std::string& path, size_t rows, OrderPolicy policy,
                                       bool has_previous, double previous) {
  FLK_ASSIGN(auto t, json::read_numbers(v, path, kMaxRows, {-kMaxMagnitude, kMaxMagnitude}));
  if (t.size() != rows)
    return make_error("bad_length", path + " has " + std::to_string(t.size()) + " timestamps for " +
                                        std::to_string(rows) + " rows", path);
  if (policy == OrderPolicy::Keep) return t;
  for (size_t i = 0; i < t.size(); ++i) {
    const bool has_prev = i > 0 || has_previous;
    const double prev = i > 0 ? t[i - 1] : previous;
    if (!has_prev || t[i] > prev) continue;
    const std::string p = json::index_path(path, i);
    const std::string what = json::format_double(t[i]) + (i > 0 ? " after " : " after the stream's last time ") +
                             json::format_double(prev) + " (order \"keep\" accepts it)";
    if (t[i] == prev) return make_error("duplicate_timestamp", p + ": repeats " + what, p);
    return make_error("unsorted_timestamps", p + ": goes back, " + what, p);
  }
  return t;
}

json::Value window_state_to_json(const anomaly::WindowSpec& s, const anomaly::WindowState& st) {
  json::Value o = json::Value::object();
  o.set("seen", static_cast<int64_t>(st.seen));
  json::Value last = json::Value::array();
  for (double x : st.last) last.push(std::isnan(x) ? json::Value() : json::Value(x));
  o.set("last", std::move(last));
  // The window's rows, oldest first.
  json::Value ring = json::Value::array();
  if (s.window > 0) {
    const int64_t k = st.seen < s.window ? st.seen : s.window;
    for (int64_t r = st.seen - k; r < st.seen; ++r) {
      json::Value row = json::Value::array();
      const double* slot = st.ring.data() + static_cast<size_t>(r % s.window) * st.cols;
      for (int j = 0; j < st.cols; ++j) row.push(slot[j]);
      ring.push(std::move(row));
    }
  }
  o.set("window", std::move(ring));
  if (st.has_time) o.set("last_time", st.last_time);
  o.set("last_step", st.last_step);
  return o;
}

Result<anomaly::WindowState> window_state_from_json(const json::Value& v, const std::string& path,
                                                    const anomaly::WindowSpec& s, int cols) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(v, path));
  anomaly::WindowState st = anomaly::make_window_state(s, cols);
  FLK_ASSIGN(st.seen, r.integer("seen", 0, INT64_C(1) << 53));
  FLK_ASSIGN(const json::Value* last, r.required("last"));
  FLK_TRY(read_nullable_row(*last, r.path_of("last"), static_cast<size_t>(cols), st.last.data()));
  FLK_ASSIGN(const json::Value* win, r.required("window"));
  const int64_t k = s.window > 0 ? (st.seen < s.window ? st.seen : s.window) : 0;
  FLK_ASSIGN(RowMatrix ring, read_matrix(*win, r.path_of("window"), static_cast<size_t>(k), cols));
  if (ring.rows() != k)
    return make_error("bad_length", r.path_of("window") + " must hold " + std::to_string(k) + " rows", r.path_of("window"));
  for (int64_t i = 0; i < k; ++i) {
    const int64_t row = st.seen - k + i;
    for (int j = 0; j < cols; ++j) st.ring[static_cast<size_t>(row % s.window) * cols + j] = ring(i, j);
  }
  FLK_ASSIGN(auto lt, r.opt_number("last_time", {-kMaxMagnitude, kMaxMagnitude}));
  if (lt) {
    st.has_time = true;
    st.last_time = *lt;
  }
  FLK_ASSIGN(st.last_step, r.number("last_step", {0, kMaxMagnitude}));
  FLK_TRY(r.finish());
  return st;
}

}  // namespace flk::anomaly_json
