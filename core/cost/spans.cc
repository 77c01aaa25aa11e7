#include "cost/spans.h"

#include <unordered_map>

#include "util/wide_uint.h"

namespace flk::cost {
namespace {

// round_half_even(a · b · c / (d · 2^shift)), all non-negative.
Result<Nanos> ratio(int64_t a, int64_t b, int64_t c, uint32_t d, unsigned shift) {
  if (a < 0 || b < 0 || c < 0) return make_error("out_of_range", "resource quantities and prices must not be negative");
  WideUint w(static_cast<uint64_t>(a));
  w.mul(static_cast<uint64_t>(b));  // 128 bits
  w.mul(static_cast<uint64_t>(c));  // 192 bits: fits 256
  int64_t out = 0;
  if (!div_round_half_even(w, d, shift, &out)) return make_error("out_of_range", "resource cost exceeds the money range");
  return out;
}

constexpr uint32_t kMsPerMonth = 720u * 3600u * 1000u;  // 720 h, as the reference tracer bills

}  // namespace

const char* storage_tier_name(int i) {
  static const char* const k[] = {"hot", "warm", "cold"};
  return k[i];
}

const char* anchor_name(int i) {
  static const char* const k[] = {"ethereum", "polygon", "rfc3161", "opentimestamps"};
  return k[i];
}

Result<ResourceCost> resource_cost(const ResourceUsage& u, const ResourcePrices& p) {
  ResourceCost c;
  FLK_ASSIGN(c.compute, ratio(u.compute_ms, p.compute_per_100ms, 1, 100, 0));
  for (int t = 0; t < kStorageTiers; ++t) {
    FLK_ASSIGN(Nanos s, ratio(u.storage_bytes[t], u.storage_ms, p.storage_gb_month[t], kMsPerMonth, 30));
    if (!add_nanos(c.storage, s)) return make_error("out_of_range", "storage cost exceeds the money range");
  }
  FLK_ASSIGN(c.network, ratio(u.network_bytes, p.network_per_gb, 1, 1, 30));
  for (int a = 0; a < kAnchors; ++a) {
    FLK_ASSIGN(Nanos x, ratio(u.anchoring_ops[a], p.anchoring[a], 1, 1, 0));
    if (!add_nanos(c.anchoring, x)) return make_error("out_of_range", "anchoring cost exceeds the money range");
  }
  Nanos total = c.compute;
  if (!add_nanos(total, c.storage) || !add_nanos(total, c.network) || !add_nanos(total, c.anchoring))
    return make_error("out_of_range", "resource cost exceeds the money range");
  return c;
}

Result<std::vector<SpanCost>> cost_spans(const std::vector<Span>& spans, const ResourcePrices& p) {
  const size_t n = spans.size();
  // An error about span i names it and its field, relative to the list: "[2].parent_span_id".
  auto bad = [](size_t i, const char* field, const std::string& what) {
    return make_error("bad_span", "span " + std::to_string(i) + " " + what, "[" + std::to_string(i) + "]." + field);
  };
  std::unordered_map<std::string, size_t> index;
  for (size_t i = 0; i < n; ++i) {
    if (spans[i].span_id.empty()) return bad(i, "span_id", "has an empty span_id");
    if (!index.emplace(spans[i].span_id, i).second) return bad(i, "span_id", "repeats span_id \"" + spans[i].span_id + "\"");
    if (spans[i].end_ms < spans[i].start_ms) return bad(i, "end", "ends before it starts");
  }
  std::vector<long> parent(n, -1);
  for (size_t i = 0; i < n; ++i) {
    if (spans[i].parent_span_id.empty()) continue;
    auto it = index.find(spans[i].parent_span_id);
    if (it == index.end()) return bad(i, "parent_span_id", "names unknown parent \"" + spans[i].parent_span_id + "\"");
    parent[i] = static_cast<long>(it->second);
  }
  std::vector<SpanCost> out(n);
  for (size_t i = 0; i < n; ++i) {
    // Depth by walking up; more than n steps means a cycle.
    size_t steps = 0;
    for (long j = parent[i]; j >= 0; j = parent[j])
      if (++steps > n) return bad(i, "parent_span_id", "is part of a parent cycle");
    out[i].depth = static_cast<int>(steps);
    ResourceUsage u = spans[i].usage;
    if (u.storage_ms == 0) u.storage_ms = spans[i].end_ms - spans[i].start_ms;
    FLK_ASSIGN(out[i].self, resource_cost(u, p));
  }
  // Roll up: add each span's own total to itself and every ancestor.
  for (size_t i = 0; i < n; ++i) {
    Nanos own = out[i].self.total();
    for (long j = static_cast<long>(i); j >= 0; j = parent[j])
      if (!add_nanos(out[j].subtree, own)) return make_error("out_of_range", "span totals exceed the money range");
  }
  return out;
}

}  // namespace flk::cost
