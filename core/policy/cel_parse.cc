// Recursive-descent parser for the CEL subset of cel.h, following the grammar of the CEL
// language definition (Expr, ConditionalOr, ..., Member, Primary) without macros or messages.
#include <algorithm>

#include "json/parse.h"
#include "policy/cel.h"

#define NOINLINE __attribute__((noinline))

namespace flk::policy::cel {
namespace {

bool is_ident_start(char c) { return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
int hex_value(char c) { return is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10; }

const char* const kReserved[] = {"as",  "break",  "const",   "continue", "else",   "for", "function", "if",
                                 "import", "let", "loop", "package", "namespace", "return", "var", "void", "while"};

// Functions by name: receiver style, argument count, and their weight in the cost estimate.
struct FunctionSpec {
  const char* name;
  bool receiver;
  size_t args;
  int64_t cost;
};
const FunctionSpec kFunctions[] = {
    {"size", false, 1, 1},      {"size", true, 0, 1},      {"startsWith", true, 1, 8},
    {"endsWith", true, 1, 8},   {"contains", true, 1, 8},  {"dyn", false, 1, 0},
};

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) out += char(cp);
  else if (cp < 0x800) out += char(0xC0 | (cp >> 6)), out += char(0x80 | (cp & 0x3F));
  else if (cp < 0x10000)
    out += char(0xE0 | (cp >> 12)), out += char(0x80 | ((cp >> 6) & 0x3F)), out += char(0x80 | (cp & 0x3F));
  else
    out += char(0xF0 | (cp >> 18)), out += char(0x80 | ((cp >> 12) & 0x3F)), out += char(0x80 | ((cp >> 6) & 0x3F)),
        out += char(0x80 | (cp & 0x3F));
}

class Parser {
 public:
  Parser(std::string_view text, const std::string& path) : t_(text), path_(path) {}

  Result<Program> run() {
    FLK_ASSIGN(int root, expr());
    skip_space();
    if (pos_ != t_.size()) return fail("unexpected text");
    p_.root = root;
    return std::move(p_);
  }

 private:
  Error fail(const std::string& why) const {
    return make_error("cel_syntax", path_ + ": " + why + " at byte " + std::to_string(pos_), path_);
  }

  void skip_space() {
    while (pos_ < t_.size()) {
      char c = t_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') ++pos_;
      else if (c == '/' && pos_ + 1 < t_.size() && t_[pos_ + 1] == '/')
        while (pos_ < t_.size() && t_[pos_] != '\n') ++pos_;
      else break;
    }
  }
  // Consumes the operator s when it comes next (and is not the start of a longer one).
  bool accept(std::string_view s) {
    skip_space();
    if (t_.substr(pos_, s.size()) != s) return false;
    if ((s == "<" || s == ">" || s == "!" || s == "=") && pos_ + 1 < t_.size() && t_[pos_ + 1] == '=') return false;
    pos_ += s.size();
    return true;
  }
  bool accept_word(std::string_view w) {
    skip_space();
    if (t_.substr(pos_, w.size()) != w) return false;
    size_t e = pos_ + w.size();
    if (e < t_.size() && (is_ident_start(t_[e]) || is_digit(t_[e]))) return false;
    pos_ = e;
    return true;
  }

  NOINLINE Result<int> add(Node n) {
    int64_t weight = 1;
    if (n.type == Node::Type::Call)
      for (const FunctionSpec& f : kFunctions)
        if (n.name == f.name) weight = f.cost;
    if (n.type == Node::Type::Call && n.name == "in") weight = 8;
    int depth = 1;
    for (int k : n.kids) depth = std::max(depth, depth_[size_t(k)] + 1);
    if (depth > kMaxDepth) return make_error("cel_cost", path_ + ": the expression nests deeper than " + std::to_string(kMaxDepth), path_);
    p_.cost += weight;
    if (p_.cost > kMaxCost)
      return make_error("cel_cost", path_ + ": the estimated cost exceeds " + std::to_string(kMaxCost), path_);
    p_.nodes.push_back(std::move(n));
    depth_.push_back(depth);
    return int(p_.nodes.size() - 1);
  }
  NOINLINE Result<int> call(std::string name, std::vector<int> kids, bool receiver = false) {
    Node n;
    n.type = Node::Type::Call;
    n.name = std::move(name);
    n.kids = std::move(kids);
    n.receiver = receiver;
    return add(std::move(n));
  }
  Result<int> logic(Node::Type type, int a, int b) { return node(type, "", {a, b}); }

  struct Nest {
    Nest(int& d) : d_(d) { ++d_; }
    ~Nest() { --d_; }
    int& d_;
  };

  Result<int> expr() {
    Nest guard(nesting_);
    if (nesting_ > kMaxDepth) return make_error("cel_cost", path_ + ": the expression nests deeper than " + std::to_string(kMaxDepth), path_);
    FLK_ASSIGN(int c, or_expr());
    if (!accept("?")) return c;
    FLK_ASSIGN(int a, or_expr());
    if (!accept(":")) return fail("expected ':'");
    FLK_ASSIGN(int b, expr());
    return node(Node::Type::Cond, "", {c, a, b});
  }
  Result<int> or_expr() {
    FLK_ASSIGN(int l, and_expr());
    while (accept("||")) {
      FLK_ASSIGN(int r, and_expr());
      FLK_ASSIGN(l, logic(Node::Type::Or, l, r));
    }
    return l;
  }
  Result<int> and_expr() {
    FLK_ASSIGN(int l, relation());
    while (accept("&&")) {
      FLK_ASSIGN(int r, relation());
      FLK_ASSIGN(l, logic(Node::Type::And, l, r));
    }
    return l;
  }
  Result<int> relation() {
    FLK_ASSIGN(int l, addition());
    for (;;) {
      std::string op;
      for (const char* o : {"<=", ">=", "==", "!=", "<", ">"})
        if (accept(o)) {
          op = o;
          break;
        }
      if (op.empty() && accept_word("in")) op = "in";
      if (op.empty()) return l;
      FLK_ASSIGN(int r, addition());
      FLK_ASSIGN(l, call(op, {l, r}));
    }
  }
  Result<int> addition() {
    FLK_ASSIGN(int l, multiplication());
    for (;;) {
      std::string op = accept("+") ? "+" : accept("-") ? "-" : "";
      if (op.empty()) return l;
      FLK_ASSIGN(int r, multiplication());
      FLK_ASSIGN(l, call(op, {l, r}));
    }
  }
  Result<int> multiplication() {
    FLK_ASSIGN(int l, unary());
    for (;;) {
      std::string op = accept("*") ? "*" : accept("/") ? "/" : accept("%") ? "%" : "";
      if (op.empty()) return l;
      FLK_ASSIGN(int r, unary());
      FLK_ASSIGN(l, call(op, {l, r}));
    }
  }
  // Prefix operators in a loop, not by recursion: a run of them costs one stack frame.
  Result<int> unary() {
    std::vector<const char*> ops;
    int x = -1;
    for (;;) {
      if (ops.size() > size_t(kMaxDepth)) return make_error("cel_cost", path_ + ": too many unary operators", path_);
      if (accept("!")) {
        ops.push_back("!");
        continue;
      }
      if (!accept("-")) break;
      skip_space();
      // -9223372036854775808 is a literal, not the negation of an int that does not exist.
      if (pos_ < t_.size() && is_digit(t_[pos_])) {
        FLK_ASSIGN(x, negative_literal());
        if (x >= 0) break;
      }
      ops.push_back("neg");
    }
    if (x < 0) {
      FLK_ASSIGN(x, member());
    }
    for (size_t k = ops.size(); k-- > 0;) {
      FLK_ASSIGN(x, call(ops[k], {x}));
    }
    return x;
  }
  // A negative number literal at pos_ (after its '-'), or -1 (and pos_ unchanged) when a member
  // access follows it, which the minus then applies to.
  NOINLINE Result<int> negative_literal() {
    size_t save = pos_;
    FLK_ASSIGN(Value lit, number(true));
    bool member_follows = (skip_space(), pos_ < t_.size() && (t_[pos_] == '.' || t_[pos_] == '['));
    if (member_follows) {
      pos_ = save;
      return -1;
    }
    return literal(std::move(lit));
  }
  NOINLINE Result<int> literal(Value v) {
    Node n;
    n.literal = std::move(v);
    return add(std::move(n));
  }
  NOINLINE Result<int> node(Node::Type type, const std::string& name, std::vector<int> kids) {
    Node n;
    n.type = type;
    n.name = name;
    n.kids = std::move(kids);
    return add(std::move(n));
  }

  NOINLINE Result<int> member() {
    FLK_ASSIGN(int x, primary());
    for (;;) {
      if (accept(".")) {
        skip_space();
        FLK_ASSIGN(std::string name, ident());
        if (accept("(")) {
          FLK_ASSIGN(std::vector<int> args, expr_list(")"));
          args.insert(args.begin(), x);
          FLK_TRY(check_function(name, true, args.size() - 1));
          FLK_ASSIGN(x, call(name, std::move(args), true));
          continue;
        }
        FLK_ASSIGN(x, node(Node::Type::Select, name, {x}));
      } else if (accept("[")) {
        FLK_ASSIGN(int i, expr());
        if (!accept("]")) return fail("expected ']'");
        FLK_ASSIGN(x, node(Node::Type::Index, "", {x, i}));
      } else {
        return x;
      }
    }
  }
  Status check_function(const std::string& name, bool receiver, size_t args) {
    for (const FunctionSpec& f : kFunctions)
      if (name == f.name && receiver == f.receiver && args == f.args) return Ok{};
    return fail("no function " + name + (receiver ? " with a receiver" : "") + " taking " + std::to_string(args) +
                " arguments in the CEL subset");
  }
  Result<std::string> ident() {
    size_t s = pos_;
    if (pos_ >= t_.size() || !is_ident_start(t_[pos_])) return fail("expected an identifier");
    while (pos_ < t_.size() && (is_ident_start(t_[pos_]) || is_digit(t_[pos_]))) ++pos_;
    std::string name(t_.substr(s, pos_ - s));
    for (const char* r : kReserved)
      if (name == r) return fail(name + " is a reserved word");
    return name;
  }
  Result<std::vector<int>> expr_list(const char* close) {
    std::vector<int> out;
    if (accept(close)) return out;
    for (;;) {
      FLK_ASSIGN(int e, expr());
      out.push_back(e);
      if (accept(close)) return out;
      if (!accept(",")) return fail(std::string("expected ',' or '") + close + "'");
      if (accept(close)) return out;  // a trailing comma
    }
  }
  NOINLINE Result<int> primary() {
    skip_space();
    if (pos_ >= t_.size()) return fail("unexpected end");
    char c = t_[pos_];
    if (accept("(")) {
      FLK_ASSIGN(int e, expr());
      if (!accept(")")) return fail("expected ')'");
      return e;
    }
    if (accept("[")) return list_literal();
    if (accept("{")) return map_literal();
    if (is_digit(c) || (c == '.' && pos_ + 1 < t_.size() && is_digit(t_[pos_ + 1]))) return number_literal();
    if (c == '"' || c == '\'' || ((c == 'r' || c == 'R') && pos_ + 1 < t_.size() && (t_[pos_ + 1] == '"' || t_[pos_ + 1] == '\'')))
      return string_node();
    if ((c == 'b' || c == 'B') && pos_ + 1 < t_.size() && (t_[pos_ + 1] == '"' || t_[pos_ + 1] == '\'' || t_[pos_ + 1] == 'r'))
      return fail("bytes literals are outside the CEL subset");
    if (c == '.') return fail("qualified names are outside the CEL subset");
    for (const char* w : {"true", "false", "null"})
      if (accept_word(w)) return literal(w[0] == 'n' ? Value() : Value::boolean(w[0] == 't'));
    return ident_or_call();
  }
  NOINLINE Result<int> ident_or_call() {
    FLK_ASSIGN(std::string name, ident());
    if (accept("(")) {
      if (name == "has") return has_macro();
      FLK_ASSIGN(std::vector<int> args, expr_list(")"));
      FLK_TRY(check_function(name, false, args.size()));
      if (name == "dyn") return args[0];  // no static types here: dyn(x) is x
      return call(name, std::move(args));
    }
    return node(Node::Type::Ident, name, {});
  }
  NOINLINE Result<int> list_literal() {
    Nest guard(nesting_);
    if (nesting_ > kMaxDepth) return make_error("cel_cost", path_ + ": lists nest too deep", path_);
    FLK_ASSIGN(std::vector<int> items, expr_list("]"));
    return node(Node::Type::List, "", std::move(items));
  }
  NOINLINE Result<int> number_literal() {
    FLK_ASSIGN(Value v, number(false));
    return literal(std::move(v));
  }
  NOINLINE Result<int> string_node() {
    FLK_ASSIGN(std::string s, string_literal());
    return literal(Value::str(std::move(s)));
  }
  // has(e.f): whether the map e has the key "f".
  Result<int> has_macro() {
    FLK_ASSIGN(int e, expr());
    if (!accept(")")) return fail("has() takes one argument");
    Node& sel = p_.nodes[size_t(e)];
    if (sel.type != Node::Type::Select) return fail("has() needs a field selection");
    sel.type = Node::Type::Has;
    return e;
  }
  NOINLINE Result<int> map_literal() {
    Nest guard(nesting_);
    if (nesting_ > kMaxDepth) return make_error("cel_cost", path_ + ": maps nest too deep", path_);
    Node n;
    n.type = Node::Type::Map;
    if (!accept("}"))
      for (;;) {
        FLK_ASSIGN(int k, expr());
        if (!accept(":")) return fail("expected ':'");
        FLK_ASSIGN(int v, expr());
        n.kids.push_back(k);
        n.kids.push_back(v);
        if (accept("}")) break;
        if (!accept(",")) return fail("expected ',' or '}'");
        if (accept("}")) break;
      }
    return add(std::move(n));
  }

  // An int, uint or double literal at pos_; negative when the caller consumed a '-'.
  Result<Value> number(bool negative) {
    size_t s = pos_;
    if (t_.substr(pos_, 2) == "0x" || t_.substr(pos_, 2) == "0X") {
      pos_ += 2;
      uint64_t u = 0;
      size_t digits = 0;
      while (pos_ < t_.size() && is_hex(t_[pos_])) {
        if (u >> 60) return fail("integer literal out of range");
        u = u * 16 + uint64_t(hex_value(t_[pos_++]));
        ++digits;
      }
      if (!digits) return fail("expected hex digits");
      return finish_integer(u, negative);
    }
    while (pos_ < t_.size() && is_digit(t_[pos_])) ++pos_;
    bool fraction = pos_ + 1 < t_.size() && t_[pos_] == '.' && is_digit(t_[pos_ + 1]);
    if (fraction) {
      ++pos_;
      while (pos_ < t_.size() && is_digit(t_[pos_])) ++pos_;
    }
    bool exponent = false;
    if (pos_ < t_.size() && (t_[pos_] == 'e' || t_[pos_] == 'E')) {
      size_t e = pos_ + 1;
      if (e < t_.size() && (t_[e] == '+' || t_[e] == '-')) ++e;
      if (e < t_.size() && is_digit(t_[e])) {
        exponent = true;
        pos_ = e;
        while (pos_ < t_.size() && is_digit(t_[pos_])) ++pos_;
      }
    }
    if (fraction || exponent) {
      // The JSON parser reads the digits with the same correctly rounded routine in every build.
      std::string digits(t_.substr(s, pos_ - s));
      size_t lead = 0;
      while (lead + 1 < digits.size() && digits[lead] == '0' && is_digit(digits[lead + 1])) ++lead;
      digits = std::string(negative ? "-" : "") + (digits[lead] == '.' ? "0" : "") + digits.substr(lead);
      FLK_ASSIGN(json::Value v, json::parse(digits));
      return Value::dbl(v.as_double());
    }
    uint64_t u = 0;
    for (size_t k = s; k < pos_; ++k) {
      uint64_t d = uint64_t(t_[k] - '0');
      if (u > (UINT64_MAX - d) / 10) return fail("integer literal out of range");
      u = u * 10 + d;
    }
    return finish_integer(u, negative);
  }
  Result<Value> finish_integer(uint64_t u, bool negative) {
    if (pos_ < t_.size() && (t_[pos_] == 'u' || t_[pos_] == 'U')) {
      ++pos_;
      if (negative) return fail("a uint literal cannot be negative");
      return Value::uinteger(u);
    }
    if (u > (negative ? uint64_t(INT64_MAX) + 1 : uint64_t(INT64_MAX))) return fail("integer literal out of range");
    return Value::integer(negative ? int64_t(0 - u) : int64_t(u));
  }

  Result<std::string> string_literal() {
    bool raw = t_[pos_] == 'r' || t_[pos_] == 'R';
    if (raw) ++pos_;
    char q = t_[pos_];
    bool triple = t_.substr(pos_, 3) == std::string(3, q);
    pos_ += triple ? 3 : 1;
    std::string out;
    for (;;) {
      if (pos_ >= t_.size()) return fail("unterminated string");
      char c = t_[pos_];
      if (triple ? t_.substr(pos_, 3) == std::string(3, q) : c == q) {
        pos_ += triple ? 3 : 1;
        return out;
      }
      if (!triple && (c == '\n' || c == '\r')) return fail("newline in a string");
      if (c != '\\' || raw) {
        out += c;
        ++pos_;
        continue;
      }
      FLK_TRY(escape(out));
    }
  }
  Status escape(std::string& out) {
    ++pos_;
    if (pos_ >= t_.size()) return fail("unterminated escape");
    char c = t_[pos_++];
    switch (c) {
      case 'a': out += '\a'; return Ok{};
      case 'b': out += '\b'; return Ok{};
      case 'f': out += '\f'; return Ok{};
      case 'n': out += '\n'; return Ok{};
      case 'r': out += '\r'; return Ok{};
      case 't': out += '\t'; return Ok{};
      case 'v': out += '\v'; return Ok{};
      case '\\': case '\'': case '"': case '`': case '?': out += c; return Ok{};
      default: break;
    }
    size_t n = c == 'x' || c == 'X' ? 2 : c == 'u' ? 4 : c == 'U' ? 8 : 0;
    uint32_t cp = 0;
    if (n) {
      for (size_t k = 0; k < n; ++k, ++pos_) {
        if (pos_ >= t_.size() || !is_hex(t_[pos_])) return fail("bad escape");
        cp = cp * 16 + uint32_t(hex_value(t_[pos_]));
      }
    } else if (c >= '0' && c <= '3') {
      cp = uint32_t(c - '0');
      for (int k = 0; k < 2; ++k, ++pos_) {
        if (pos_ >= t_.size() || t_[pos_] < '0' || t_[pos_] > '7') return fail("bad octal escape");
        cp = cp * 8 + uint32_t(t_[pos_] - '0');
      }
    } else {
      return fail("bad escape");
    }
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return fail("escape is not a code point");
    append_utf8(out, cp);
    return Ok{};
  }

  std::string_view t_;
  const std::string& path_;
  size_t pos_ = 0;
  int nesting_ = 0;
  Program p_;
  std::vector<int> depth_;
};

}  // namespace

Result<Program> compile(std::string_view text, const std::string& path) {
  if (text.size() > kMaxExprBytes)
    return make_error("cel_cost", path + ": an expression is at most " + std::to_string(kMaxExprBytes) + " bytes", path);
  return Parser(text, path).run();
}

}  // namespace flk::policy::cel
