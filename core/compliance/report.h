// A compliance evidence report from an audit chain: the chain verified from its first entry,
// the entries of a period sorted to the controls of compliance/controls.h, and what cannot be
// evidenced. The same chain, period and framework give the same report, byte for byte.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "audit/chain.h"
#include "compliance/controls.h"

namespace flk::compliance {

enum class Status { Evidenced, Partial, NoActivity, NotEvidenced, Failed };
const char* status_name(Status s);  // "evidenced", "partial", "no_activity", "not_evidenced", "failed"

struct Sample {
  int64_t seq;
  std::string time, tenant, hash;
};

struct TypeEvidence {
  std::string type;
  int64_t count = 0;
  int64_t first_seq = 0, last_seq = 0;
  std::vector<Sample> samples;  // the first kMaxSamples entries of the period
};

struct ControlResult {
  const Control* control;
  Status status;
  std::vector<TypeEvidence> evidence;
  std::string note;
};

struct Period {
  std::string from, to;  // as given (RFC 3339)
  int64_t from_ms = 0, to_ms = 0;
};

struct Input {
  Framework framework = Framework::Soc2;
  Period period;
  audit::Expect expect;                                   // head_seq/head_hash when kept elsewhere
  std::vector<std::pair<std::string, std::string>> config;  // stated settings, e.g. {"dedup_ttl_s", "1209600"}
};

struct Report {
  Framework framework;
  Period period;
  audit::Report chain;
  bool anchored = false;  // a head was given and matched
  int64_t entries_in_period = 0;
  int64_t tenants_in_period = 0;
  std::map<std::string, int64_t> types_in_period;
  std::vector<ControlResult> controls;
  std::vector<std::pair<std::string, std::string>> config;
  std::vector<std::string> limitations;
};

constexpr size_t kMaxSamples = 3;

// entries: the chain from seq 1 (an error per line that did not parse, as audit.verify takes it).
Report build(const std::vector<Result<json::Value>>& entries, const Input& in);

}  // namespace flk::compliance
