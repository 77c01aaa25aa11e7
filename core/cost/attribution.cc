#include "cost/attribution.h"

#include <algorithm>

namespace flk::cost {
namespace {

constexpr size_t kMaxId = 128, kMaxUser = 256, kMaxKey = 64, kMaxValue = 256;

bool id_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
}
bool key_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }
bool printable(char c) { return c >= 0x20 && c < 0x7f; }

Result<std::string> read_id(json::ObjectReader& r, const char* key) {
  const json::Value* v = r.optional(key);
  if (!v) return std::string();
  FLK_ASSIGN(std::string s, json::read_string(*v, r.path_of(key), kMaxId));
  if (s.empty() || s.rfind('.', 0) == 0 || !std::all_of(s.begin(), s.end(), id_char))
    return make_error("bad_format", r.path_of(key) + " is 1 to 128 characters from A-Z a-z 0-9 - _ . not starting "
                                                     "with a dot", r.path_of(key));
  return s;
}

Result<Labels> read_bounded_labels(const json::Value& v, const std::string& path) {
  if (!v.is_object()) return json::wrong_type(path, "an object of string labels", v);
  if (v.as_object().size() > kMaxAttributionLabels)
    return make_error("too_large", path + " has more than 16 labels", path);
  Labels out;
  for (const auto& [k, value] : v.as_object()) {
    const std::string p = json::join_path(path, k);
    if (k.empty() || k.size() > kMaxKey || !(k[0] >= 'a' && k[0] <= 'z') || !std::all_of(k.begin(), k.end(), key_char))
      return make_error("bad_format", p + ": a label key is 1 to 64 characters from a-z 0-9 _ starting with a letter", p);
    FLK_ASSIGN(std::string s, json::read_string(value, p, kMaxValue));
    if (!std::all_of(s.begin(), s.end(), printable))
      return make_error("bad_format", p + " holds printable ASCII characters only", p);
    out.emplace_back(k, std::move(s));
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

Result<Attribution> read_attribution(json::ObjectReader& r) {
  Attribution a;
  FLK_ASSIGN(a.task, read_id(r, "task"));
  FLK_ASSIGN(a.verification_id, read_id(r, "verification_id"));
  if (const json::Value* u = r.optional("user")) {
    FLK_ASSIGN(a.user, json::read_string(*u, r.path_of("user"), kMaxUser));
    if (a.user.empty() || !std::all_of(a.user.begin(), a.user.end(), printable))
      return make_error("bad_format", r.path_of("user") + " is 1 to 256 printable ASCII characters", r.path_of("user"));
  }
  if (const json::Value* l = r.optional("labels")) {
    FLK_ASSIGN(a.labels, read_bounded_labels(*l, r.path_of("labels")));
  }
  return a;
}

json::Value attribution_json(const Attribution& a) {
  json::Value o = json::Value::object();
  if (!a.task.empty()) o.set("task", a.task);
  if (!a.user.empty()) o.set("user", a.user);
  if (!a.labels.empty()) {
    json::Value l = json::Value::object();
    for (const auto& [k, v] : a.labels) l.set(k, v);
    o.set("labels", std::move(l));
  }
  if (!a.verification_id.empty()) o.set("verification_id", a.verification_id);
  return o;
}

}  // namespace flk::cost
