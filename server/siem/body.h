// The request body of one delivery: a batch of audit entries as CloudEvents 1.0 in the JSON batch
// format (one array, application/cloudevents-batch+json; each event's id is the entry's hash, so a
// receiver can drop the duplicates that at-least-once delivery allows), or as Splunk HTTP Event
// Collector events (one JSON object per line; the entry's seq and hash are indexed fields).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "json/value.h"
#include "util/result.h"

namespace flk::server {

enum class SiemFormat { cloudevents, hec };

bool parse_siem_format(const std::string& s, SiemFormat* out);

struct SiemBody {
  std::string content_type;
  std::string text;
};

// entries: audit entries (objects of the chain), oldest first. source: the CloudEvents source and
// the HEC host, e.g. //flk-server/<hostname>.
Result<SiemBody> siem_body(SiemFormat format, const std::vector<json::Value>& entries, const std::string& source,
                           const std::string& host);

}  // namespace flk::server
