#include "app/log.h"

#include <unistd.h>

#include <atomic>

#include "app/facade.h"
#include "json/write.h"

namespace flk::server {
namespace {

std::atomic<int> g_level{static_cast<int>(LogLevel::info)};
const char* const kNames[] = {"debug", "info", "warn", "error"};

}  // namespace

bool parse_log_level(const std::string& s, LogLevel* out) {
  for (int i = 0; i < 4; ++i)
    if (s == kNames[i]) {
      *out = static_cast<LogLevel>(i);
      return true;
    }
  return false;
}

void set_log_level(LogLevel level) { g_level = static_cast<int>(level); }
bool log_enabled(LogLevel level) { return static_cast<int>(level) >= g_level.load(std::memory_order_relaxed); }

void log(LogLevel level, const std::string& msg, const json::Value& fields) {
  if (!log_enabled(level)) return;
  json::Value line = json::Value::object();
  if (fields.is_object())
    for (const auto& m : fields.as_object()) line.set(m.first, m.second);
  line.set("time", rfc3339_ms(now_ms())).set("level", kNames[static_cast<int>(level)]).set("msg", msg);
  std::string text;
  json::write(line, text);
  text += '\n';
  // One write per line keeps lines whole when threads log at once.
  ssize_t ignored = ::write(2, text.data(), text.size());
  (void)ignored;
}

}  // namespace flk::server
