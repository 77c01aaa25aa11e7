// The controls a compliance report covers, what in the audit chain evidences each, and what the
// chain cannot show. One table for both frameworks; each control names its SOC 2 (2017 Trust
// Services Criteria) and ISO/IEC 27001:2022 Annex A references.
#pragma once
#include <string_view>
#include <vector>

namespace flk::compliance {

enum class Framework { Soc2, Iso27001 };
const char* framework_name(Framework f);  // "soc2", "iso27001"
bool parse_framework(std::string_view s, Framework& out);

// How a control is evidenced: by audit entries of some types, by verifying the chain itself, or
// only by configuration the operator states (the chain has no entries for it).
enum class Source { Entries, Chain, StatedConfig };

struct Control {
  const char* id;
  const char* title;
  const char* soc2;
  const char* iso27001;
  Source source;
  std::vector<std::string_view> entry_types;
  bool complete;       // false: entries show only part of the control (the report says "partial")
  const char* shows;   // what the evidence demonstrates
  const char* cannot;  // what the chain cannot evidence for this control
};

const std::vector<Control>& controls();
const char* reference(const Control& c, Framework f);

// What no report built from the audit chain can evidence, whatever the control.
const std::vector<const char*>& global_limitations();

}  // namespace flk::compliance
