// Reading policy documents, requests and traces for the policy and canary ops.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "json/fields.h"
#include "policy/bundle.h"
#include "policy/simulate.h"

namespace flk::policy_io {

constexpr size_t kMaxTraceRecords = 100000;

// policy::load, and an EnsemblePolicy's spec read by ensemble.verify's own policy reader.
Result<policy::Bundle> load(const json::Value& doc, const std::string& path);
// The JSON value of the YAML string at `path` (core/yaml); errors at paths under `path`.
Result<json::Value> read_yaml(const json::Value& text, const std::string& path);
// The document under `key` (JSON) or `<key>_yaml` (YAML text, core/yaml): exactly one of the two,
// required or, with opt_load_field, optional. A YAML document is the JSON value it reads to, so
// its hash and signature are those of its JSON twin.
Result<policy::Bundle> load_field(json::ObjectReader& r, const char* key);
Result<std::optional<policy::Bundle>> opt_load_field(json::ObjectReader& r, const char* key);

// {tenant, risk, confidence?, scorer_failed?, latency_ms?, attributes?}
Result<policy::Request> read_request(const json::Value& v, const std::string& path);
// The request's keys plus {id, action?, costs?, label?} per record.
Result<std::vector<policy::TraceRecord>> read_trace(const json::Value& v, const std::string& path);

}  // namespace flk::policy_io
