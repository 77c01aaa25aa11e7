// What a priced usage event adds to /metrics: events by result, USD spend by tenant/model/task
// and token counts under the OpenTelemetry GenAI names (gen_ai_client_token_usage).
#pragma once
#include <cstdint>
#include <string>

#include "json/value.h"
#include "metrics/metrics.h"

namespace flk::server {

struct UsageLabels {
  std::string model, provider, operation, task;
  double input_tokens = 0, output_tokens = 0;
};

// Labels of one cost.usage answer; task: the event's "task" ("" when it has none).
UsageLabels usage_labels(const json::Value& priced, const std::string& task);

// result: stored | duplicate | refused; spend and tokens count only for stored events.
void count_usage(Metrics& m, const std::string& tenant, const UsageLabels& l, const char* result, int64_t cost_nanos);

}  // namespace flk::server
