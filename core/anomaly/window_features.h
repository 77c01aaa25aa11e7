// Streaming windowed features over a multivariate metric series, one row at a time with
// memory bounded by the window: per column the value, its deviation from the mean of the
// previous `window` rows, their standard deviation, the step delta and the rate delta/dt.
// Gaps (NaN) are filled with the column's last value (or a fill value before the first one).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace flk::anomaly {

constexpr int kMaxWindow = 4096;

struct WindowSpec {
  bool values = true;   // the value itself; without it the features only see changes
  int window = 0;       // rows in the rolling window; 0: no rolling statistics
  bool deltas = false;  // x_t - x_(t-1)
  bool rates = false;   // (x_t - x_(t-1)) / (t - t_prev), per second; needs timestamps
};

// Features per raw column and their names ("cpu", "cpu.dev", "cpu.std", "cpu.delta", "cpu.rate").
int features_per_column(const WindowSpec& s);
std::vector<std::string> feature_names(const WindowSpec& s, const std::vector<std::string>& columns);

// Where a column's rolling deviation and standard deviation sit in a feature row (window > 0).
inline int dev_index(const WindowSpec& s, int col) { return col * features_per_column(s) + (s.values ? 1 : 0); }
inline int std_index(const WindowSpec& s, int col) { return dev_index(s, col) + 1; }

struct WindowState {
  int cols = 0;
  int64_t seen = 0;               // rows pushed so far
  std::vector<double> ring;       // the last min(seen, window) filled rows, slot = row % window
  std::vector<double> last;       // last filled row (NaN before the first)
  double last_time = 0;
  bool has_time = false;
  double last_step = 0;           // last positive time step (0: none yet)
};

WindowState make_window_state(const WindowSpec& s, int cols);

// Pushes one raw row. Writes features_per_column * cols values to out; a statistic that needs
// more history (the first row has no delta, std needs two previous rows) is NaN. time is the
// row's timestamp in seconds, or NaN when the series has none. Returns the number of gaps filled.
int push_row(const WindowSpec& s, const std::vector<double>& fill, WindowState& st, const double* raw, double time,
             double* out);

}  // namespace flk::anomaly
