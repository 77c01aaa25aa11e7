#include "metrics/family.h"

#include <cmath>
#include <cstdio>

#include "json/value.h"
#include "json/write.h"

namespace flk::server {

// Integral values (counts) as integers; others in the project's one float format (shortest
// round trip), so bucket bounds read "0.1", not "0.10000000000000001".
std::string metric_number(double v) {
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 9007199254740992.0) {
    char b[32];
    std::snprintf(b, sizeof b, "%lld", static_cast<long long>(v));
    return b;
  }
  return json::to_string(json::Value(v));
}

std::string escape_label_value(const std::string& v) {
  std::string o;
  for (char c : v) {
    if (c == '\\' || c == '"') o += '\\';
    if (c == '\n') {
      o += "\\n";
      continue;
    }
    o += c;
  }
  return o;
}

Family::Series& Family::series(const std::vector<std::string>& values) {
  // A wrong number of values is a programming error; it is counted as overflow rather than
  // emitting a malformed series.
  auto it = values.size() == spec_.labels.size() ? series_.find(values) : series_.end();
  if (it != series_.end()) return it->second;
  if (values.size() == spec_.labels.size() && series_.size() < spec_.max_series) return series_[values];
  ++overflowed_;
  return series_[std::vector<std::string>(spec_.labels.size(), "other")];
}

void Family::inc(const std::vector<std::string>& values, double n) {
  std::lock_guard<std::mutex> l(mu_);
  series(values).value += n;
}

void Family::set(const std::vector<std::string>& values, double v) {
  std::lock_guard<std::mutex> l(mu_);
  series(values).value = v;
}

void Family::observe(const std::vector<std::string>& values, double v) {
  std::lock_guard<std::mutex> l(mu_);
  Series& s = series(values);
  if (s.buckets.empty()) s.buckets.assign(spec_.buckets.size(), 0);
  for (size_t i = 0; i < spec_.buckets.size(); ++i)
    if (v <= spec_.buckets[i]) ++s.buckets[i];
  ++s.count;
  s.sum += v;
}

uint64_t Family::overflowed() const {
  std::lock_guard<std::mutex> l(mu_);
  return overflowed_;
}

std::map<std::vector<std::string>, double> Family::values() const {
  std::lock_guard<std::mutex> l(mu_);
  std::map<std::vector<std::string>, double> out;
  for (const auto& kv : series_) out[kv.first] = kv.second.value;
  return out;
}

void Family::render(std::string& out) const {
  static const char* const kType[] = {"counter", "gauge", "histogram"};
  out += "# HELP " + spec_.name + " " + spec_.help + "\n# TYPE " + spec_.name + " " +
         kType[static_cast<int>(spec_.kind)] + "\n";
  std::lock_guard<std::mutex> l(mu_);
  for (const auto& [values, s] : series_) {
    std::string labels;
    for (size_t i = 0; i < values.size(); ++i)
      labels += (i ? "," : "") + spec_.labels[i] + "=\"" + escape_label_value(values[i]) + "\"";
    const std::string braced = labels.empty() ? "" : "{" + labels + "}";
    if (spec_.kind != MetricKind::histogram) {
      out += spec_.name + braced + " " + metric_number(s.value) + "\n";
      continue;
    }
    const std::string sep = labels.empty() ? "" : ",";
    // Each bucket counts every observation <= its bound: already cumulative.
    for (size_t i = 0; i < spec_.buckets.size(); ++i)
      out += spec_.name + "_bucket{" + labels + sep + "le=\"" + metric_number(spec_.buckets[i]) + "\"} " +
             std::to_string(s.buckets[i]) + "\n";
    out += spec_.name + "_bucket{" + labels + sep + "le=\"+Inf\"} " + std::to_string(s.count) + "\n";
    out += spec_.name + "_sum" + braced + " " + metric_number(s.sum) + "\n";
    out += spec_.name + "_count" + braced + " " + std::to_string(s.count) + "\n";
  }
}

}  // namespace flk::server
