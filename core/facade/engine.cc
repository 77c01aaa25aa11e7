#include "facade/engine.h"

#include "crypto/hash.h"
#include "facade/registry.h"
#include "json/fields.h"
#include "json/parse.h"
#include "json/write.h"

namespace flk {

Engine::Engine() { crypto::init(); }

json::Value error_value(const Error& e) {
  json::Value inner = json::Value::object();
  inner.set("code", e.code).set("message", e.message);
  if (!e.path.empty()) inner.set("path", e.path);
  json::Value outer = json::Value::object();
  outer.set("error", std::move(inner));
  return outer;
}

std::string error_json(const Error& e) { return json::to_string(error_value(e)); }

Result<json::Value> Engine::call_value(std::string_view op, const json::Value& input) {
  const OpSpec* spec = find_op(op);
  if (!spec) return make_error("unknown_op", "unknown op \"" + std::string(op) + "\"; the op \"ops\" lists them all");
  if (!input.is_object()) return json::wrong_type("$", "an object", input);
  FLK_ASSIGN(json::Value out, spec->handler(*this, input));
  // No host writes a non-finite number: an op whose arithmetic overflowed answers an error.
  const std::string where = json::non_finite_path(out);
  if (!where.empty())
    return make_error("overflow", "op \"" + std::string(op) + "\" computed a non-finite number at " + where +
                                      " of its result: an input or model value is too large in magnitude");
  return out;
}

namespace {
constexpr size_t kOutputReserve = 512;
}  // namespace

CallOutput Engine::call(std::string_view op, std::string_view input_json) {
  json::ParseLimits limits;
  limits.max_bytes = kMaxInputBytes;
  auto parsed = json::parse(input_json, limits);
  if (!parsed.ok()) return {error_json(parsed.error()), false};
  auto result = call_value(op, parsed.value());
  if (!result.ok()) return {error_json(result.error()), false};
  std::string out;
  // Room for most answers at once, instead of a growth step (an allocation and a copy) every
  // doubling from libc++'s 10 inline bytes in the wasm builds.
  out.reserve(kOutputReserve);
  json::write(result.value(), out);  // finite: call_value checked
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
