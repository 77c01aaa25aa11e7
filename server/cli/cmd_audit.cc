// flk audit verify FILE [--head-seq N --head-hash H] — checks a JSONL audit log (one entry per
// line, as the server exports it) with the facade's audit.verify; exit 0 intact, 3 broken.
// flk audit cloudevents FILE --source URI — the same entries as CloudEvents, one per line.
#include <cstdlib>
#include <iostream>

#include "commands.h"
#include "json/write.h"

namespace flk::cli {
namespace {

constexpr int kExitBroken = 3;

int verify(Engine& engine, const Args& args) {
  if (args.empty()) return usage_error("audit verify takes a JSONL file");
  json::Value in = json::Value::object();
  for (size_t i = 1; i < args.size(); i += 2) {
    if (i + 1 >= args.size()) return usage_error(args[i] + " needs a value");
    if (args[i] == "--head-hash") {
      in.set("head_hash", args[i + 1]);
    } else if (args[i] == "--head-seq") {
      char* end = nullptr;
      long long n = std::strtoll(args[i + 1].c_str(), &end, 10);
      if (*end || args[i + 1].empty()) return usage_error("--head-seq takes an integer");
      in.set("head_seq", static_cast<int64_t>(n));
    } else {
      return usage_error("unknown option " + args[i]);
    }
  }
  std::string text;
  if (!read_file(args[0], text)) return io_failure("read", args[0]);
  in.set("jsonl", std::move(text));
  auto out = engine.call_value("audit.verify", in);
  if (!out.ok()) {
    std::cout << error_json(out.error()) << '\n';
    return kExitError;
  }
  std::cout << json::to_string(out.value()) << '\n';
  return out->find("valid")->as_bool() ? kExitOk : kExitBroken;
}

int cloudevents(Engine& engine, const Args& args) {
  if (args.size() != 3 || args[1] != "--source") return usage_error("audit cloudevents takes FILE --source URI");
  std::string text;
  if (!read_file(args[0], text)) return io_failure("read", args[0]);
  json::Value in = json::Value::object();
  in.set("jsonl", std::move(text)).set("source", args[2]);
  auto out = engine.call_value("audit.cloudevents", in);
  if (!out.ok()) {
    std::cout << error_json(out.error()) << '\n';
    return kExitError;
  }
  for (const json::Value& ev : out->find("events")->as_array()) std::cout << json::to_string(ev) << '\n';
  return kExitOk;
}

}  // namespace

int cmd_audit(Engine& engine, const Args& args) {
  if (args.empty()) return usage_error("audit takes verify or cloudevents");
  Args rest(args.begin() + 1, args.end());
  if (args[0] == "verify") return verify(engine, rest);
  if (args[0] == "cloudevents") return cloudevents(engine, rest);
  return usage_error("unknown audit subcommand \"" + args[0] + "\"");
}

}  // namespace flk::cli
