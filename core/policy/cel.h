// A small CEL subset (docs/policy.md, "Expressions"): literals (int, uint, double, string, bool,
// null, lists, maps), identifiers bound by the caller, field selection and indexing, the
// operators ! - * / % + < <= > >= == != in && || ?:, and the functions size, has, startsWith,
// endsWith and contains, and dyn (the identity: there are no static types). No macros, no bytes, no timestamps, no protobuf messages.
//
// Bounds are checked when an expression is compiled, never while it runs: its text, its depth
// and an estimated cost (docs/policy.md, "Cost"). Evaluation is a walk over the tree whose work is
// bounded by that cost times the size of the bindings.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "policy/cel_value.h"
#include "util/result.h"

namespace flk::policy::cel {

constexpr size_t kMaxExprBytes = 4096;
constexpr int kMaxDepth = 48;  // of the tree, and of nested parentheses, lists and maps
constexpr int64_t kMaxCost = 1000;

struct Node {
  enum class Type { Literal, Ident, Select, Index, Call, List, Map, And, Or, Cond, Has };
  Type type = Type::Literal;
  Value literal;              // Literal
  std::string name;           // Ident, Select (field), Call (function: "+", "size", ...), Has (field)
  bool receiver = false;      // Call written as target.name(args): kids[0] is the target
  std::vector<int> kids;
};

struct Program {
  std::vector<Node> nodes;  // nodes[root] is the whole expression; kids precede their parent
  int root = 0;
  int64_t cost = 0;
};

// Errors: cel_syntax (with the byte offset in the message) and cel_cost, at `path`.
Result<Program> compile(std::string_view text, const std::string& path);

// Names bound to values for one evaluation.
struct Binding {
  std::string name;
  Value value;
};

// Errors: cel_eval (no such key or overload, overflow, division by zero, ...), at `path`.
Result<Value> eval(const Program& p, const std::vector<Binding>& bindings, const std::string& path);

}  // namespace flk::policy::cel
