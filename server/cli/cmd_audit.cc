// flk audit verify FILE [--head-seq N --head-hash H] — checks a JSONL audit log (one entry per
// line, as the server exports it) with the facade's audit.verify; exit 0 intact, 3 broken.
// flk audit cloudevents FILE --source URI — the same entries as CloudEvents, one per line.
#include <iostream>

#include "commands.h"
#include "json/write.h"

namespace flk::cli {
namespace {

constexpr int kExitBroken = 3;

int verify(Engine& engine, const Parsed& p) {
  json::Value in = json::Value::object();
  p.fill(in);
  std::string text;
  if (!read_file(p.positional[0], text)) return io_failure("read", p.positional[0]);
  in.set("jsonl", std::move(text));
  auto out = engine.call_value("audit.verify", in);
  if (!out.ok()) return print_result(p, out);
  std::cout << json::to_string(out.value()) << '\n';
  return out->find("valid")->as_bool() ? kExitOk : kExitBroken;
}

int cloudevents(Engine& engine, const Parsed& p) {
  std::string text;
  if (!read_file(p.positional[0], text)) return io_failure("read", p.positional[0]);
  json::Value in = json::Value::object();
  in.set("jsonl", std::move(text));
  p.fill(in);
  auto out = engine.call_value("audit.cloudevents", in);
  if (!out.ok()) return print_result(p, out);
  for (const json::Value& ev : out->find("events")->as_array()) std::cout << json::to_string(ev) << '\n';
  return kExitOk;
}

}  // namespace

std::vector<Spec> audit_specs() {
  return {
      {"audit verify", "FILE", 1, 1, "check a JSONL audit log (exit 3: broken)",
       {Flag{"head-seq", Kind::kInt, "N", "the expected head's seq"}.op("head_seq").range(0, kNoBound),
        Flag{"head-hash", Kind::kString, "H", "the expected head's hash"}.op("head_hash")},
       verify},
      {"audit cloudevents", "FILE", 1, 1, "the log as CloudEvents, one per line",
       {Flag{"source", Kind::kString, "URI", "the events' source"}.op("source").need()},
       cloudevents},
  };
}

}  // namespace flk::cli
