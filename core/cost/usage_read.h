// Reading usage from what producers actually send: a provider's own usage object (or a whole
// response body), or OpenTelemetry GenAI span attributes. Every provider field we know has a
// meaning here; an unknown field that counts tokens is an error (it might be billable), any
// other unknown field is skipped and listed, so nothing is dropped silently.
//
// Fields read from the surrounding object (the cost.usage input, a ledger event):
//   provider?, api?, model?, exactly one of usage | response | attributes, service_tier?,
//   timestamp? (RFC 3339 text or epoch milliseconds), requests?, input_images?, output_images?,
//   web_searches?, cache_in_input? (overrides the API's rule, for OpenTelemetry producers that
//   copy a provider's raw counts).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "cost/usage.h"
#include "json/fields.h"

namespace flk::cost {

struct UsageInput {
  Api api = Api::openai_chat;
  std::string provider;      // OpenTelemetry provider name, may be empty
  std::string model;
  std::string service_tier;  // canonical (pricing.h)
  ReportedUsage usage;
  std::optional<bool> cache_in_input;
  std::optional<int64_t> timestamp_ms;
  std::vector<std::string> ignored;  // paths of skipped fields
};

Result<UsageInput> read_usage_fields(json::ObjectReader& r);

// Timestamp as RFC 3339 text or integer epoch milliseconds.
Result<int64_t> read_timestamp(const json::Value& v, const std::string& path);

}  // namespace flk::cost
