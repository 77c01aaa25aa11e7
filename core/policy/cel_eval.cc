// Evaluation of a compiled CEL program: strict in the arguments of functions, CEL's error
// absorption in && and || (false && error is false), errors as values.
#include <cmath>

#include "policy/cel.h"

#define NOINLINE __attribute__((noinline))

namespace flk::policy::cel {
namespace {

class Evaluator {
 public:
  Evaluator(const Program& p, const std::vector<Binding>& b, const std::string& path) : p_(p), b_(b), path_(path) {}

  // One small frame per level of the tree: each case's locals live in its own function, so the
  // 48 levels kMaxDepth allows fit the Emscripten build's 64 KiB stack (WASI links 1 MiB).
  Result<Value> eval(int id) {
    const Node& n = p_.nodes[size_t(id)];
    switch (n.type) {
      case Node::Type::Literal: return n.literal;
      case Node::Type::Ident: return ident(n);
      case Node::Type::Select:
      case Node::Type::Has: return select(n);
      case Node::Type::Index: return index(n);
      case Node::Type::List: return list(n);
      case Node::Type::Map: return map(n);
      case Node::Type::And:
      case Node::Type::Or: return logic(n);
      case Node::Type::Cond: return cond(n);
      case Node::Type::Call: return call(n);
    }
    return fail("unknown node");
  }

 private:
  Error fail(const std::string& why) const { return make_error("cel_eval", path_ + ": " + why, path_); }
  Error no_overload(const std::string& fn) const { return fail("no matching overload for " + fn); }

  NOINLINE Result<Value> ident(const Node& n) {
    for (const Binding& b : b_)
      if (b.name == n.name) return b.value;
    return fail("undeclared reference to '" + n.name + "'");
  }

  NOINLINE Result<Value> select(const Node& n) {
    FLK_ASSIGN(Value target, eval(n.kids[0]));
    if (target.kind != Kind::Map) return fail("no field selection on a " + std::string(kind_name(target.kind)));
    const Value* v = map_find(target, Value::str(n.name));
    if (n.type == Node::Type::Has) return Value::boolean(v != nullptr);
    if (!v) return fail("no such key: " + n.name);
    return *v;
  }

  NOINLINE Result<Value> list(const Node& n) {
    Value out;
    out.kind = Kind::List;
    for (int k : n.kids) {
      FLK_ASSIGN(Value v, eval(k));
      out.items.push_back(std::move(v));
    }
    return out;
  }

  NOINLINE Result<Value> cond(const Node& n) {
    FLK_ASSIGN(Value c, eval(n.kids[0]));
    if (c.kind != Kind::Bool) return no_overload("_?_:_");
    return eval(n.kids[c.b ? 1 : 2]);
  }

  NOINLINE Result<Value> index(const Node& n) {
    FLK_ASSIGN(Value target, eval(n.kids[0]));
    FLK_ASSIGN(Value key, eval(n.kids[1]));
    if (target.kind == Kind::Map) {
      const Value* v = map_find(target, key);
      if (!v) return fail("no such key");
      return *v;
    }
    if (target.kind != Kind::List) return no_overload("_[_]");
    int64_t i = 0;
    if (key.kind == Kind::Int) i = key.i;
    else if (key.kind == Kind::Uint && key.u <= uint64_t(INT64_MAX)) i = int64_t(key.u);
    else if (key.kind == Kind::Double && key.d == std::floor(key.d) && std::fabs(key.d) < 9.2e18) i = int64_t(key.d);
    else if (key.kind == Kind::Uint || key.kind == Kind::Double) return fail("invalid list index");
    else return no_overload("_[_]");
    if (i < 0 || uint64_t(i) >= target.items.size()) return fail("index out of range: " + std::to_string(i));
    return target.items[size_t(i)];
  }

  NOINLINE Result<Value> map(const Node& n) {
    Value out;
    out.kind = Kind::Map;
    for (size_t k = 0; k < n.kids.size(); k += 2) {
      FLK_ASSIGN(Value key, eval(n.kids[k]));
      if (key.kind != Kind::Bool && key.kind != Kind::Int && key.kind != Kind::Uint && key.kind != Kind::String)
        return fail("unsupported map key type: " + std::string(kind_name(key.kind)));
      if (map_find(out, key)) return fail("repeated key in a map literal");
      FLK_ASSIGN(Value v, eval(n.kids[k + 1]));
      out.items.push_back(std::move(key));
      out.items.push_back(std::move(v));
    }
    return out;
  }

  // Either side may decide the result; an error survives only when the other side cannot.
  NOINLINE Result<Value> logic(const Node& n) {
    bool is_and = n.type == Node::Type::And;
    Result<Value> a = eval(n.kids[0]);
    if (a.ok() && a->kind == Kind::Bool && a->b != is_and) return Value::boolean(!is_and);
    Result<Value> b = eval(n.kids[1]);
    if (b.ok() && b->kind == Kind::Bool && b->b != is_and) return Value::boolean(!is_and);
    if (!a.ok()) return a.error();
    if (!b.ok()) return b.error();
    if (a->kind != Kind::Bool || b->kind != Kind::Bool) return no_overload(is_and ? "_&&_" : "_||_");
    return Value::boolean(is_and);
  }

  NOINLINE Result<Value> call(const Node& n) {
    std::vector<Value> a;
    for (int k : n.kids) {
      FLK_ASSIGN(Value v, eval(k));
      a.push_back(std::move(v));
    }
    return apply(n.name, a);
  }

  NOINLINE Result<Value> apply(const std::string& f, const std::vector<Value>& a) {
    if (f == "==" || f == "!=") return Value::boolean(equal(a[0], a[1]) == (f == "=="));
    if (f == "<" || f == "<=" || f == ">" || f == ">=") {
      int c = 0;
      if (!compare(a[0], a[1], c)) {
        bool nan = (a[0].kind == Kind::Double && std::isnan(a[0].d)) || (a[1].kind == Kind::Double && std::isnan(a[1].d));
        if (nan) return Value::boolean(false);
        return no_overload(f);
      }
      bool r = f == "<" ? c < 0 : f == "<=" ? c <= 0 : f == ">" ? c > 0 : c >= 0;
      return Value::boolean(r);
    }
    if (f == "in") {
      if (a[1].kind == Kind::Map) return Value::boolean(map_find(a[1], a[0]) != nullptr);
      if (a[1].kind != Kind::List) return no_overload("@in");
      for (const Value& e : a[1].items)
        if (equal(e, a[0])) return Value::boolean(true);
      return Value::boolean(false);
    }
    if (f == "!") {
      if (a[0].kind != Kind::Bool) return no_overload("!_");
      return Value::boolean(!a[0].b);
    }
    if (f == "neg") {
      if (a[0].kind == Kind::Int) {
        if (a[0].i == INT64_MIN) return fail("integer overflow");
        return Value::integer(-a[0].i);
      }
      if (a[0].kind == Kind::Double) return Value::dbl(-a[0].d);
      return no_overload("-_");
    }
    if (f == "size") {
      const Value& x = a[0];
      if (x.kind == Kind::String) {
        int64_t cps = 0;
        for (unsigned char c : x.s) cps += (c & 0xC0) != 0x80;
        return Value::integer(cps);
      }
      if (x.kind == Kind::List) return Value::integer(int64_t(x.items.size()));
      if (x.kind == Kind::Map) return Value::integer(int64_t(x.map_size()));
      return no_overload("size");
    }
    if (f == "startsWith" || f == "endsWith" || f == "contains") {
      if (a[0].kind != Kind::String || a[1].kind != Kind::String) return no_overload(f);
      const std::string& s = a[0].s;
      const std::string& t = a[1].s;
      bool r = f == "contains" ? s.find(t) != std::string::npos
               : t.size() > s.size() ? false
               : f == "startsWith" ? s.compare(0, t.size(), t) == 0
                                   : s.compare(s.size() - t.size(), t.size(), t) == 0;
      return Value::boolean(r);
    }
    return arithmetic(f, a[0], a[1]);
  }

  NOINLINE Result<Value> arithmetic(const std::string& f, const Value& x, const Value& y) {
    if (x.kind != y.kind) return no_overload("_" + f + "_");
    char op = f[0];
    switch (x.kind) {
      case Kind::Int: {
        int64_t r = 0;
        bool over = false;
        if (op == '+') over = __builtin_add_overflow(x.i, y.i, &r);
        else if (op == '-') over = __builtin_sub_overflow(x.i, y.i, &r);
        else if (op == '*') over = __builtin_mul_overflow(x.i, y.i, &r);
        else {
          if (y.i == 0) return fail(op == '/' ? "division by zero" : "modulus by zero");
          if (x.i == INT64_MIN && y.i == -1) return fail("integer overflow");
          r = op == '/' ? x.i / y.i : x.i % y.i;
        }
        if (over) return fail("integer overflow");
        return Value::integer(r);
      }
      case Kind::Uint: {
        uint64_t r = 0;
        bool over = false;
        if (op == '+') over = __builtin_add_overflow(x.u, y.u, &r);
        else if (op == '-') over = __builtin_sub_overflow(x.u, y.u, &r);
        else if (op == '*') over = __builtin_mul_overflow(x.u, y.u, &r);
        else {
          if (y.u == 0) return fail(op == '/' ? "division by zero" : "modulus by zero");
          r = op == '/' ? x.u / y.u : x.u % y.u;
        }
        if (over) return fail("unsigned integer overflow");
        return Value::uinteger(r);
      }
      case Kind::Double:
        if (op == '%') return no_overload("_%_");
        return Value::dbl(op == '+' ? x.d + y.d : op == '-' ? x.d - y.d : op == '*' ? x.d * y.d : x.d / y.d);
      case Kind::String:
        if (op != '+') return no_overload("_" + f + "_");
        return Value::str(x.s + y.s);
      case Kind::List: {
        if (op != '+') return no_overload("_" + f + "_");
        Value out = x;
        out.items.insert(out.items.end(), y.items.begin(), y.items.end());
        return out;
      }
      default: return no_overload("_" + f + "_");
    }
  }

  const Program& p_;
  const std::vector<Binding>& b_;
  const std::string& path_;
};

}  // namespace

Result<Value> eval(const Program& p, const std::vector<Binding>& bindings, const std::string& path) {
  return Evaluator(p, bindings, path).eval(p.root);
}

}  // namespace flk::policy::cel
