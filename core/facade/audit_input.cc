#include "facade/audit_input.h"

#include "facade/engine.h"
#include "json/parse.h"

namespace flk {
namespace {

constexpr size_t kMaxEntries = 1u << 22;

}  // namespace

Result<std::vector<Result<json::Value>>> read_audit_entries(json::ObjectReader& r) {
  FLK_ASSIGN(auto text, r.opt_string("jsonl", kMaxInputBytes));
  const json::Value* list = r.optional("entries");
  if (text && list) return make_error("conflicting_fields", "give jsonl or entries, not both", "$.entries");
  std::vector<Result<json::Value>> out;
  if (text) {
    size_t start = 0;
    while (start < text->size()) {
      size_t end = text->find('\n', start);
      if (end == std::string::npos) end = text->size();
      std::string_view line(text->data() + start, end - start);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (!line.empty()) {
        if (out.size() == kMaxEntries) return make_error("too_large", "more than 4194304 entries", "$.jsonl");
        out.push_back(json::parse(line));
      }
      start = end + 1;
    }
    return out;
  }
  if (!list) return make_error("missing_field", "give jsonl (text) or entries (array)", "$.entries");
  if (!list->is_array()) return json::wrong_type("$.entries", "an array", *list);
  if (list->as_array().size() > kMaxEntries) return make_error("too_large", "more than 4194304 entries", "$.entries");
  for (const json::Value& v : list->as_array()) out.push_back(v);
  return out;
}

}  // namespace flk
