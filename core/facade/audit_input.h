// Audit entries given to an op as "jsonl" (one entry per non-blank line, as the server exports
// them) or "entries" (an array). A line that does not parse stays an error in the list, so
// audit.verify can say which line it was. At most 4194304 entries.
#pragma once
#include <vector>

#include "json/fields.h"

namespace flk {

Result<std::vector<Result<json::Value>>> read_audit_entries(json::ObjectReader& r);

}  // namespace flk
