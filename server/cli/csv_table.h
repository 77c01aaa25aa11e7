// Reading a multivariate metric CSV for the anomaly commands: one header row, one row per time
// step, comma separated without quoting, LF or CRLF line ends, plain or gzip (zlib reads both).
// A column named "timestamp" or "time" (any case) holds the time of each row, as seconds or as
// "YYYY-MM-DD HH:MM:SS[.ffffff]" (read as UTC). An empty field or NaN/nan/NA/null is a gap.
#pragma once
#include <string>
#include <vector>

#include "json/value.h"
#include "util/result.h"

namespace flk::cli {

struct CsvTable {
  std::vector<std::string> columns;  // value columns (without the time column)
  std::vector<double> values;        // rows x columns, NaN for a gap
  std::vector<double> times;         // one per row when the file has a time column
  size_t rows = 0;
  size_t gaps = 0;
};

// Errors (path = "file:line"): not_found, bad_csv (no header, a row of the wrong width, a field
// that is not a number, an unreadable timestamp).
Result<CsvTable> read_csv_table(const std::string& path);

// Reads a whole file, gunzipping it when it is gzip (zlib's gzread passes plain files through).
bool read_maybe_gzip(const std::string& path, std::string& out);

// "YYYY-MM-DD HH:MM:SS[.frac]" or "YYYY-MM-DDTHH:MM:SS[.frac]" -> seconds since 1970 (UTC).
bool parse_timestamp(const std::string& text, double& seconds);

// Rows [begin, end) as JSON rows (null for gaps), and the matching times.
json::Value rows_json(const CsvTable& t, size_t begin, size_t end);
json::Value times_json(const CsvTable& t, size_t begin, size_t end);

}  // namespace flk::cli
