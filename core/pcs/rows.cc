#include "pcs/rows.h"

#include <cmath>

#include "json/decimal_double.h"
#include "json/fixed_text.h"
#include "json/number_format.h"

namespace flk::pcs {
namespace {

// A decimal number as Python's float() would read it, minus inf/nan/hex and whitespace.
bool parse_decimal(std::string_view cell, double& out) {
  if (cell.empty() || cell.size() > 64) return false;
  for (char c : cell)
    if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) return false;
  return json::decimal_to_double(cell, &out) && std::isfinite(out);
}

Error line_error(size_t line, const std::string& msg) {
  return make_error("bad_csv", "line " + std::to_string(line) + ": " + msg, "$.csv");
}

}  // namespace

std::string Rows::joined() const {
  std::string s;
  for (size_t i = 0; i < text.size(); ++i) {
    if (i) s += '\n';
    s += text[i];
  }
  return s;
}

std::string format_fixed9(double t) {
  std::string s;
  json::append_fixed(s, t, 9);
  return s;
}

Result<Rows> rows_from_csv(std::string_view csv, size_t max_rows, size_t max_cols) {
  Rows rows;
  size_t line_no = 0, width = 0;
  size_t pos = 0;
  while (pos <= csv.size()) {
    size_t nl = csv.find('\n', pos);
    std::string_view line = csv.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? csv.size() + 1 : nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    std::vector<std::string_view> cells;
    for (size_t a = 0;;) {
      size_t c = line.find(',', a);
      cells.push_back(line.substr(a, c == std::string_view::npos ? std::string_view::npos : c - a));
      if (c == std::string_view::npos) break;
      a = c + 1;
    }
    if (width == 0) {  // the header
      if (cells.size() < 2) return line_error(line_no, "the header needs a timestamp column and at least one coordinate");
      if (cells.size() - 1 > max_cols) return line_error(line_no, "more than " + std::to_string(max_cols) + " coordinates");
      width = cells.size();
      continue;
    }
    if (cells.size() != width)
      return line_error(line_no, "has " + std::to_string(cells.size()) + " cells; the header has " + std::to_string(width));
    if (rows.text.size() >= max_rows) return line_error(line_no, "more than " + std::to_string(max_rows) + " rows");
    double t;
    if (!parse_decimal(cells[0], t)) return line_error(line_no, "timestamp \"" + std::string(cells[0]) + "\" is not a finite number");
    std::string row = format_fixed9(t);
    std::vector<double> p;
    for (size_t k = 1; k < cells.size(); ++k) {
      double x;
      if (!parse_decimal(cells[k], x))
        return line_error(line_no, "cell " + std::to_string(k + 1) + " \"" + std::string(cells[k]) + "\" is not a finite number");
      p.push_back(x);
      row += ',';
      row += cells[k];
    }
    rows.text.push_back(std::move(row));
    rows.points.push_back(std::move(p));
  }
  if (width == 0) return make_error("bad_csv", "no header row", "$.csv");
  return rows;
}

Rows rows_from_points(std::vector<std::vector<double>> points, const std::vector<double>* timestamps) {
  Rows rows;
  for (size_t i = 0; i < points.size(); ++i) {
    std::string row = format_fixed9(timestamps ? (*timestamps)[i] : static_cast<double>(i));
    for (double x : points[i]) {
      row += ',';
      json::append_double(row, x);
    }
    rows.text.push_back(std::move(row));
  }
  rows.points = std::move(points);
  return rows;
}

}  // namespace flk::pcs
