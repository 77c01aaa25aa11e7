// Resource spans: what a verification request costs besides model tokens — compute, storage by
// tier, network and anchoring — with parent/child spans rolled up. Defaults are the reference
// prices of the kakeya tracer (spec §3.1/3.2), all configurable:
//   compute $0.0001 per 100 ms; storage hot/warm/cold $0.023/$0.010/$0.004 per GB-month
//   (GB = 2^30 bytes, month = 720 h, charged for the span's duration); network $0.09 per GB;
//   anchoring per batch: ethereum $2.00, polygon $0.01, rfc3161 $0.01, opentimestamps $0.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "cost/money.h"
#include "util/result.h"

namespace flk::cost {

enum class StorageTier { hot, warm, cold, kCount };
enum class Anchor { ethereum, polygon, rfc3161, opentimestamps, kCount };
constexpr int kStorageTiers = static_cast<int>(StorageTier::kCount);
constexpr int kAnchors = static_cast<int>(Anchor::kCount);
const char* storage_tier_name(int i);
const char* anchor_name(int i);

struct ResourcePrices {
  Nanos compute_per_100ms = 100000;                                     // $0.0001
  std::array<Nanos, kStorageTiers> storage_gb_month{23000000, 10000000, 4000000};
  Nanos network_per_gb = 90000000;                                      // $0.09
  std::array<Nanos, kAnchors> anchoring{2000000000, 10000000, 10000000, 0};
};

struct ResourceUsage {
  int64_t compute_ms = 0;
  std::array<int64_t, kStorageTiers> storage_bytes{};
  int64_t storage_ms = 0;  // how long the bytes are held (a span: its duration)
  int64_t network_bytes = 0;
  std::array<int64_t, kAnchors> anchoring_ops{};
};

struct ResourceCost {
  Nanos compute = 0, storage = 0, network = 0, anchoring = 0;
  Nanos total() const { return compute + storage + network + anchoring; }
};

// Each component computed exactly and rounded half to even once. Error out_of_range on overflow.
Result<ResourceCost> resource_cost(const ResourceUsage& u, const ResourcePrices& p);

struct Span {
  std::string span_id;
  std::string parent_span_id;  // empty for a root
  std::string tenant, model, task_type;
  int64_t start_ms = 0, end_ms = 0;
  ResourceUsage usage;  // storage_ms defaults to end - start
};

struct SpanCost {
  ResourceCost self;
  Nanos subtree = 0;  // self + all descendants
  int depth = 0;
};

// Validates the forest (unique ids, known parents, no cycles, end >= start) and prices it.
// Errors: bad_span (with the offending span's index in the message).
Result<std::vector<SpanCost>> cost_spans(const std::vector<Span>& spans, const ResourcePrices& p);

}  // namespace flk::cost
