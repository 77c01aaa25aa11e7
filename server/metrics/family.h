// Labelled metric families: counters, gauges and histograms keyed by a fixed list of label names.
// Every family has a cap on its number of series: a label set first seen when the family is full
// is counted under one series whose every label is "other", and the overflow is counted in
// flk_metric_series_overflow_total{family}, so no client can grow /metrics without bound.
#pragma once
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace flk::server {

enum class MetricKind { counter, gauge, histogram };

// Every member has a default ({} included), so a spec may leave out the trailing ones without
// -Wmissing-field-initializers.
struct FamilySpec {
  std::string name;  // Prometheus name; counters end in _total, units are in the name
  std::string help;
  MetricKind kind = MetricKind::counter;
  std::vector<std::string> labels;
  std::vector<double> buckets{};  // histograms: upper bounds, ascending
  size_t max_series = 1000;
  std::string replaced_by{};    // set for an old name kept for one release: what to use instead
};

class Family {
 public:
  explicit Family(FamilySpec spec) : spec_(std::move(spec)) {}
  Family(const Family&) = delete;
  Family& operator=(const Family&) = delete;

  // values: one per label name, in the spec's order.
  void inc(const std::vector<std::string>& values, double n = 1);
  void set(const std::vector<std::string>& values, double v);
  void observe(const std::vector<std::string>& values, double v);

  const FamilySpec& spec() const { return spec_; }
  uint64_t overflowed() const;
  // Series values by label values, in label order (counters and gauges).
  std::map<std::vector<std::string>, double> values() const;
  void render(std::string& out) const;

 private:
  struct Series {
    double value = 0;
    std::vector<uint64_t> buckets;
    uint64_t count = 0;
    double sum = 0;
  };
  Series& series(const std::vector<std::string>& values);  // mu_ held

  FamilySpec spec_;
  mutable std::mutex mu_;
  std::map<std::vector<std::string>, Series> series_;
  uint64_t overflowed_ = 0;
};

// Text-format helpers shared by every renderer of /metrics.
std::string metric_number(double v);
std::string escape_label_value(const std::string& v);

}  // namespace flk::server
