#include "facade/batch.h"

#include "json/fields.h"
#include "json/parse.h"
#include "json/write.h"

namespace flk {

CallOutput batch_line(Engine& engine, std::string_view line) {
  json::ParseLimits limits;
  limits.max_bytes = kMaxInputBytes;
  limits.max_depth += 1;  // the {"op","input"} wrapper is one level
  auto parsed = json::parse(line, limits);
  if (!parsed.ok()) {
    // Report errors inside "input" relative to the input, as call() would.
    Error e = parsed.error();
    if (e.path.rfind("$.input", 0) == 0) e.path = "$" + e.path.substr(7);
    return {error_json(e), false};
  }
  auto r = json::ObjectReader::open(parsed.value(), "$");
  if (!r.ok()) return {error_json(r.error()), false};
  auto op = r->string("op", 256);
  if (!op.ok()) return {error_json(op.error()), false};
  auto input = r->required("input");
  if (!input.ok()) return {error_json(input.error()), false};
  if (auto done = r->finish(); !done.ok()) return {error_json(done.error()), false};
  auto result = engine.call_value(op.value(), *input.value());
  if (!result.ok()) return {error_json(result.error()), false};
  std::string out;
  json::write(result.value(), out);  // finite: call_value checked
  return {std::move(out), true};
}

}  // namespace flk
