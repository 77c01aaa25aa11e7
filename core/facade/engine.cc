#include "facade/engine.h"

#include "crypto/hash.h"
#include "facade/registry.h"
#include "json/fields.h"
#include "json/parse.h"
#include "json/write.h"

namespace flk {

Engine::Engine() { crypto::init(); }

std::string error_json(const Error& e) {
  json::Value inner = json::Value::object();
  inner.set("code", e.code).set("message", e.message);
  if (!e.path.empty()) inner.set("path", e.path);
  json::Value outer = json::Value::object();
  outer.set("error", std::move(inner));
  return json::to_string(outer);
}

Result<json::Value> Engine::call_value(std::string_view op, const json::Value& input) {
  const OpSpec* spec = find_op(op);
  if (!spec) return make_error("unknown_op", "unknown op \"" + std::string(op) + "\"; the op \"ops\" lists them all");
  if (!input.is_object()) return json::wrong_type("$", "an object", input);
  return spec->handler(*this, input);
}

CallOutput Engine::call(std::string_view op, std::string_view input_json) {
  json::ParseLimits limits;
  limits.max_bytes = kMaxInputBytes;
  auto parsed = json::parse(input_json, limits);
  if (!parsed.ok()) return {error_json(parsed.error()), false};
  auto result = call_value(op, parsed.value());
  if (!result.ok()) return {error_json(result.error()), false};
  std::string out;
  if (!json::write(result.value(), out))
    return {error_json(make_error("internal", "op \"" + std::string(op) + "\" produced a non-finite number")), false};
  return {std::move(out), true};
}

const char* build_target() {
#if defined(__EMSCRIPTEN__)
  return "emscripten";
#elif defined(__wasi__)
  return "wasi";
#else
  return "native";
#endif
}

}  // namespace flk
