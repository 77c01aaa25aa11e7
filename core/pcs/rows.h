// Canonical rows (spec §2.4): the text that r, the merkle root and hence pcs_id are computed
// over. The reference CLI reads CSV `timestamp,x,y,z` and writes each record as
// "{timestamp:.9f},{x},{y},{z}" keeping the coordinate cells' original text.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace flk::pcs {

struct Rows {
  std::vector<std::string> text;            // one canonical row per record
  std::vector<std::vector<double>> points;  // the coordinates, parsed
  std::string joined() const;               // rows joined by "\n", no trailing newline
};

// CSV with a header row; first column the timestamp, the others coordinates (any count >= 1,
// the same on every row). Errors carry the 1-based line number.
Result<Rows> rows_from_csv(std::string_view csv, size_t max_rows, size_t max_cols);

// Rows for points given as numbers: "{t:.9f},{repr(x)},…" with t = timestamps[i] (or i).
Rows rows_from_points(std::vector<std::vector<double>> points, const std::vector<double>* timestamps);

std::string format_fixed9(double t);

}  // namespace flk::pcs
