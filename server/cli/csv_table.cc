#include "csv_table.h"

#include <zlib.h>

#include <cmath>
#include <cstdlib>
#include <cstring>

#include "commands.h"
#include "json/decimal_double.h"
#include "util/ascii.h"

namespace flk::cli {
namespace {

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    size_t comma = line.find(',', start);
    out.push_back(line.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) return out;
    start = comma + 1;
  }
}

std::string trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  return s.substr(b, e - b);
}

bool is_gap(const std::string& f) {
  const std::string l = ascii_lower(f);
  return l.empty() || l == "nan" || l == "na" || l == "null" || l == "-nan";
}

bool parse_number(const std::string& f, double& x) { return json::decimal_to_double(f, &x) && std::isfinite(x); }

// Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar.
int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Error csv_error(const std::string& file, size_t line, const std::string& msg) {
  return make_error("bad_csv", file + ":" + std::to_string(line) + ": " + msg, file + ":" + std::to_string(line));
}

}  // namespace

bool read_maybe_gzip(const std::string& path, std::string& out) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) return false;
  char buf[1 << 16];
  int n;
  out.clear();
  while ((n = gzread(f, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  const bool ok = n == 0;
  gzclose(f);
  return ok;
}

bool parse_timestamp(const std::string& text, double& seconds) {
  int y, mo, d, h, mi;
  double s;
  char sep;
  int used = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d%c%2d:%2d:%lf%n", &y, &mo, &d, &sep, &h, &mi, &s, &used) != 7 ||
      static_cast<size_t>(used) != text.size() || (sep != ' ' && sep != 'T'))
    return false;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s >= 61) return false;
  seconds = static_cast<double>(days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60) + s;
  return true;
}

Result<CsvTable> read_csv_table(const std::string& path) {
  std::string text;
  if (!read_maybe_gzip(path, text)) return io_error("read", path);
  CsvTable t;
  size_t pos = 0, line_no = 0;
  int time_col = -1;
  size_t width = 0;
  bool header = true;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string line = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    pos = nl == std::string::npos ? text.size() : nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (trim(line).empty()) continue;
    std::vector<std::string> fields = split(line);
    if (header) {
      header = false;
      width = fields.size();
      for (size_t j = 0; j < fields.size(); ++j) {
        const std::string name = trim(fields[j]);
        const std::string l = ascii_lower(name);
        if ((l == "timestamp" || l == "time") && time_col < 0) time_col = static_cast<int>(j);
        else t.columns.push_back(name.empty() ? "c" + std::to_string(j) : name);
      }
      if (t.columns.empty()) return csv_error(path, line_no, "the header names no value column");
      continue;
    }
    if (fields.size() != width)
      return csv_error(path, line_no, std::to_string(fields.size()) + " fields; the header has " + std::to_string(width));
    for (size_t j = 0; j < fields.size(); ++j) {
      const std::string f = trim(fields[j]);
      if (static_cast<int>(j) == time_col) {
        double secs;
        if (!parse_number(f, secs) && !parse_timestamp(f, secs))
          return csv_error(path, line_no,
                           "\"" + f + "\" is not a timestamp (seconds, or YYYY-MM-DD HH:MM:SS[.ffffff] without a zone)");
        t.times.push_back(secs);
        continue;
      }
      double x;
      if (is_gap(f)) {
        x = std::nan("");
        ++t.gaps;
      } else if (!parse_number(f, x)) {
        return csv_error(path, line_no, "field " + std::to_string(j + 1) + " \"" + f + "\" is not a finite number");
      }
      t.values.push_back(x);
    }
    ++t.rows;
  }
  if (header) return csv_error(path, line_no, "no header row");
  return t;
}

json::Value rows_json(const CsvTable& t, size_t begin, size_t end) {
  const size_t c = t.columns.size();
  json::Value rows = json::Value::array();
  rows.as_array().reserve(end - begin);
  for (size_t i = begin; i < end; ++i) {
    json::Value r = json::Value::array();
    r.as_array().reserve(c);
    for (size_t j = 0; j < c; ++j) {
      const double x = t.values[i * c + j];
      r.push(std::isnan(x) ? json::Value() : json::Value(x));
    }
    rows.push(std::move(r));
  }
  return rows;
}

json::Value times_json(const CsvTable& t, size_t begin, size_t end) {
  json::Value a = json::Value::array();
  for (size_t i = begin; i < end; ++i) a.push(t.times[i]);
  return a;
}

}  // namespace flk::cli
