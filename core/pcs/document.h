// The PCS document (spec §1) as a plain struct, read strictly from JSON and written back.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "json/value.h"
#include "util/result.h"

namespace flk::pcs {

constexpr const char* kSchema = "fractal-lba-kakeya";
constexpr size_t kMaxScales = 64;
constexpr size_t kMaxDims = 4096;

struct FaultTolerance {
  int64_t outbox_seq = 0;
  bool degraded = false;
  std::vector<std::string> fallbacks;
  int64_t clock_skew_ms = 0;
};

// Fields the verifier never reads (attempt, sent_at, seed, v_star, ft) are optional; the
// reference agent always sends them and pcs.build always fills them.
struct Document {
  std::string pcs_id, schema = kSchema, version = "0.1", shard_id;
  int64_t epoch = 0;
  std::optional<int64_t> attempt, seed;
  std::optional<std::string> sent_at;
  std::vector<int64_t> scales;
  std::vector<std::pair<std::string, int64_t>> n_j;  // key = decimal scale, as sent
  double coh_star = 0, d_hat = 0, r = 0, budget = 0;
  std::optional<std::vector<double>> v_star;
  std::string regime, merkle_root, sig;
  std::optional<FaultTolerance> ft;
};

// The eight signed fields (spec §3.1).
struct SignedSubset {
  std::string pcs_id, merkle_root, shard_id;
  int64_t epoch = 0;
  double d_hat = 0, coh_star = 0, r = 0, budget = 0;
};

// Full documents: every key of spec §1 is required, unknown keys are rejected.
Result<Document> read_document(const json::Value& v, const std::string& path);
// Signing inputs: the eight signed keys are required, the other spec keys are allowed.
Result<SignedSubset> read_signed_subset(const json::Value& v, const std::string& path);
SignedSubset subset_of(const Document& d);
json::Value to_json(const Document& d);

// IDs that go into the signed bytes: [A-Za-z0-9._:-]{1,128}, so every JSON encoder emits the
// same bytes for them (spec §3.3).
bool is_safe_id(const std::string& s);
bool is_rfc3339(const std::string& s);

}  // namespace flk::pcs
