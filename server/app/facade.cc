#include "app/facade.h"

#include <chrono>
#include <ctime>

#include "audit/chain.h"
#include "json/fields.h"
#include "pcs/document.h"

namespace flk::server {

Engine& thread_engine() {
  thread_local Engine engine;
  return engine;
}

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string rfc3339_ms(int64_t ms) {
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char b[64];
  std::snprintf(b, sizeof b, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return b;
}

std::optional<int64_t> parse_rfc3339_ms(const std::string& s) {
  if (!pcs::is_rfc3339(s)) return std::nullopt;
  std::tm tm{};
  tm.tm_year = std::stoi(s.substr(0, 4)) - 1900;
  tm.tm_mon = std::stoi(s.substr(5, 2)) - 1;
  tm.tm_mday = std::stoi(s.substr(8, 2));
  tm.tm_hour = std::stoi(s.substr(11, 2));
  tm.tm_min = std::stoi(s.substr(14, 2));
  tm.tm_sec = std::stoi(s.substr(17, 2));
  int64_t ms = static_cast<int64_t>(timegm(&tm)) * 1000;
  size_t i = 19;
  if (s[i] == '.') {
    int64_t scale = 100;
    for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, scale /= 10) ms += (s[i] - '0') * scale;
  }
  if (s[i] == '+' || s[i] == '-') {
    const int64_t off = (std::stoi(s.substr(i + 1, 2)) * 60 + std::stoi(s.substr(i + 4, 2))) * 60000;
    ms += s[i] == '+' ? -off : off;
  }
  return ms;
}

namespace {

// Whether `from`, found in `s` at `at`, is a whole path step (no word character follows it).
bool whole_step(const std::string& s, size_t at, const std::string& from) {
  const size_t end = at + from.size();
  if (end == s.size()) return true;
  const char c = s[end];
  return !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_');
}

}  // namespace

Error rebase_error(Error e, const std::string& from, const std::string& to) {
  if (e.path.rfind(from, 0) == 0 && whole_step(e.path, 0, from)) e.path = to + e.path.substr(from.size());
  for (size_t at = e.message.find(from); at != std::string::npos; at = e.message.find(from, at)) {
    if (!whole_step(e.message, at, from)) {
      ++at;
      continue;
    }
    e.message.replace(at, from.size(), to);
    at += to.size();  // the search resumes after what was put in: "$" -> "$.events[1]" is not moved again
  }
  return e;
}

AuditLinker facade_audit_linker() {
  // audit::link itself, with the checks audit.link makes on its input, without the op's trip
  // through a JSON object and back (a tenth of an HMAC submit's instructions went there).
  return [](const AuditDraft& d, int64_t seq, const std::string& prev_hash) -> Result<json::Value> {
    const bool hex = prev_hash.size() == 64 && prev_hash.find_first_not_of("0123456789abcdef") == std::string::npos;
    if (!hex) return make_error("bad_format", "the audit head's hash is not 64 lowercase hex digits", "$.prev_hash");
    if (seq < 1) return make_error("out_of_range", "an audit entry's seq starts at 1", "$.seq");
    if (d.type.size() > 128 || d.tenant.size() > 256) return make_error("too_large", "an audit entry's type or tenant is too long");
    if (!d.data.is_object()) return json::wrong_type("$.data", "an object", d.data);
    return audit::link(audit::EntryFields{seq, rfc3339_ms(d.time_ms), d.type, d.tenant, d.data}, prev_hash);
  };
}

}  // namespace flk::server
