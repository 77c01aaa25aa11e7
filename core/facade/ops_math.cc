// The deterministic elementary functions (math/dmath.h) as an op, so that hosts and the
// parity suite can check that every build returns the same bits for any argument.
#include <cmath>
#include <string>

#include "facade/registry.h"
#include "json/fields.h"
#include "math/elementary.h"

namespace flk {
namespace {

Result<json::Value> op_elementary(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(std::string name, r.string("fn", 32));
  FLK_ASSIGN(const json::Value* xv, r.required("x"));
  FLK_ASSIGN(auto xs, json::read_numbers(*xv, "$.x", dm::kMaxElementaryItems));
  FLK_TRY(r.finish());
  dm::UnaryFn fn = dm::find_elementary(name);
  if (!fn) return make_error("out_of_range", "unknown fn \"" + name + "\"", "$.fn");
  json::Value ys = json::Value::array();
  for (double x : xs) {
    double y = fn(x);
    ys.push(std::isfinite(y) ? json::Value(y) : json::Value());  // outside the domain -> null
  }
  json::Value out = json::Value::object();
  out.set("y", std::move(ys));
  return out;
}

}  // namespace

void add_math_ops(std::vector<OpSpec>& t) {
  t.push_back({"math.elementary",
               "Deterministic log/log2/exp/sigmoid/tanh/log1p_exp/sqrt over numbers (null outside the domain).",
               "{ fn: 'log' | 'log2' | 'exp' | 'sigmoid' | 'tanh' | 'log1p_exp' | 'sqrt'; x: number[] }",
               "{ y: (number | null)[] }", op_elementary});
}

}  // namespace flk
