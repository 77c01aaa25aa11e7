// Ops about the facade itself and the canonical JSON routine.
#include <sodium.h>
#include <zlib.h>

#include "crypto/hash.h"
#include "facade/engine.h"
#include "facade/registry.h"
#include "json/fields.h"
#include "json/write.h"

namespace flk {
namespace {

Result<json::Value> op_version(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_TRY(r.finish());
  json::Value out = json::Value::object();
  out.set("version", kVersion)
      .set("target", build_target())
      .set("libsodium", sodium_version_string())
      .set("zlib", zlibVersion());
  return out;
}

Result<json::Value> op_ops(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_TRY(r.finish());
  json::Value list = json::Value::array();
  for (const OpSpec& s : op_table()) {
    json::Value o = json::Value::object();
    o.set("name", s.name).set("summary", s.summary).set("input", s.input_ts).set("output", s.output_ts);
    list.push(std::move(o));
  }
  json::Value types = json::Value::object();
  for (const TypeSpec& t : type_table()) types.set(t.name, t.ts);
  json::Value out = json::Value::object();
  out.set("ops", std::move(list)).set("types", std::move(types));
  return out;
}

Result<json::Value> op_canonicalize(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(const json::Value* v, r.required("value"));
  FLK_TRY(r.finish());
  std::string text = json::to_string(*v);
  json::Value out = json::Value::object();
  out.set("sha256_hex", crypto::sha256_hex(text)).set("text", std::move(text));
  return out;
}

}  // namespace

void add_meta_ops(std::vector<OpSpec>& t) {
  t.push_back({"version", "Library version, build target and dependency versions.", "{}",
               "{ version: string; target: 'native' | 'emscripten' | 'wasi'; libsodium: string; zlib: string }",
               op_version});
  t.push_back({"ops", "Every op with a one-line summary and its input/output TypeScript types, and the named types they use.", "{}",
               "{ ops: { name: string; summary: string; input: string; output: string }[]; types: Record<string, string> }", op_ops});
  t.push_back({"json.canonicalize",
               "Canonical JSON text of a value: compact, keys in code-point order, ASCII-only, Python-repr floats.",
               "{ value: unknown }", "{ text: string; sha256_hex: string }", op_canonicalize});
}

}  // namespace flk
