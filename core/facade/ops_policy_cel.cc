// The CEL subset as an op (docs/policy.md, "Expressions"), so that an expression of a policy can be
// tried on its own and the conformance suite can run through every build.
#include "facade/registry.h"
#include "json/fields.h"
#include "json/parse.h"
#include "policy/cel.h"

namespace flk {
namespace {

constexpr size_t kMaxBindings = 64;

Result<json::Value> op_cel_eval(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(std::string text, r.string("expr", policy::cel::kMaxExprBytes * 4));
  std::vector<policy::cel::Binding> bindings;
  for (const char* key : {"bindings", "attributes"}) {
    const json::Value* b = r.optional(key);
    if (!b) continue;
    std::string path = r.path_of(key);
    if (!b->is_object()) return json::wrong_type(path, "an object", *b);
    if (bindings.size() + b->as_object().size() > kMaxBindings)
      return make_error("too_large", path + ": at most " + std::to_string(kMaxBindings) + " names", path);
    for (const auto& m : b->as_object()) {
      policy::cel::Binding one{m.first, {}};
      if (key[0] == 'a') {
        one.value = policy::cel::from_json(m.second);
      } else {
        FLK_ASSIGN(one.value, policy::cel::from_tagged(m.second, json::join_path(path, m.first)));
      }
      bindings.push_back(std::move(one));
    }
  }
  FLK_TRY(r.finish());
  FLK_ASSIGN(policy::cel::Program p, policy::cel::compile(text, "$.expr"));
  FLK_ASSIGN(policy::cel::Value v, policy::cel::eval(p, bindings, "$.expr"));
  // Lists and maps nest within the expression's depth limit, but each adds 3 or 4 JSON levels to
  // the tagged answer: one deeper than a JSON reader here accepts is refused, not written.
  const int levels = 1 + policy::cel::tagged_depth(v);
  if (levels > static_cast<int>(json::ParseLimits{}.max_depth))
    return make_error("too_deep", "$.expr: its value nests " + std::to_string(levels) + " JSON levels deep in tagged form, above " +
                                      std::to_string(json::ParseLimits{}.max_depth), "$.expr");
  json::Value out = json::Value::object();
  out.set("cost", p.cost).set("value", policy::cel::to_tagged(v));
  return out;
}

}  // namespace

void add_policy_cel_ops(std::vector<OpSpec>& t) {
  t.push_back({"policy.cel_eval",
               "Evaluates an expression of the policy CEL subset; bindings in the tagged form of cel.expr.Value, "
               "attributes as plain JSON.",
               "{ expr: string; bindings?: Record<string, CelValue>; attributes?: Record<string, unknown> }",
               "{ cost: number; value: CelValue }", op_cel_eval});
}

}  // namespace flk
