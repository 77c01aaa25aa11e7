// Structured logs: one JSON object per line on stderr, {"time","level","msg",...fields}.
#pragma once
#include <string>

#include "json/value.h"

namespace flk::server {

enum class LogLevel { debug = 0, info = 1, warn = 2, error = 3 };

bool parse_log_level(const std::string& s, LogLevel* out);
void set_log_level(LogLevel level);
bool log_enabled(LogLevel level);
// fields: an object whose members are added to the line (may be null).
void log(LogLevel level, const std::string& msg, const json::Value& fields = json::Value());

}  // namespace flk::server
