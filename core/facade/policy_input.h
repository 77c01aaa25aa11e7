// Reading policy documents, requests and traces for the policy and canary ops.
#pragma once
#include <string>
#include <vector>

#include "json/fields.h"
#include "policy/bundle.h"
#include "policy/simulate.h"

namespace flk::policy_io {

constexpr size_t kMaxTraceRecords = 100000;

// policy::load, and an EnsemblePolicy's spec read by ensemble.verify's own policy reader.
Result<policy::Bundle> load(const json::Value& doc, const std::string& path);
// The required document under `key`.
Result<policy::Bundle> load_field(json::ObjectReader& r, const char* key);

// {tenant, risk, confidence?, scorer_failed?, latency_ms?, attributes?}
Result<policy::Request> read_request(const json::Value& v, const std::string& path);
// The request's keys plus {id, action?, costs?, label?} per record.
Result<std::vector<policy::TraceRecord>> read_trace(const json::Value& v, const std::string& path);

}  // namespace flk::policy_io
