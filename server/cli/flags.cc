#include "flags.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "commands.h"

namespace flk::cli {
namespace {

const Flag* find_flag(const Spec& spec, const std::string& name) {
  for (const Flag& f : spec.flags)
    if (name == f.name) return &f;
  return nullptr;
}

bool takes_value(Kind k) { return k != Kind::kSwitch && k != Kind::kBool; }
bool is_flag(const std::string& a) { return a.compare(0, 2, "--") == 0; }
bool is_bool_word(const std::string& a) { return a == "0" || a == "1" || a == "false" || a == "true"; }

std::string bound(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, v == std::floor(v) && std::fabs(v) < 1e17 ? "%.0f" : "%g", v);
  return buf;
}

// "an integer from 2 to 10", "a number of at least 0": what a numeric flag takes.
std::string takes(const Flag& f) {
  std::string s = f.kind == Kind::kInt ? "an integer" : "a number";
  const bool lo = f.min > -kNoBound, hi = f.max < kNoBound;
  if (lo && hi) s += " from " + bound(f.min) + " to " + bound(f.max);
  else if (lo) s += " of at least " + bound(f.min);
  else if (hi) s += " of at most " + bound(f.max);
  return s;
}

// "mask, tag or pseudonym" from "mask|tag|pseudonym".
std::string words(const std::vector<std::string>& w) {
  std::string s;
  for (size_t i = 0; i < w.size(); ++i) s += (i == 0 ? "" : i + 1 == w.size() ? " or " : ", ") + w[i];
  return s;
}

std::vector<std::string> choices(const char* value) {
  std::vector<std::string> out(1);
  for (const char* c = value; *c; ++c) {
    if (*c == '|') out.emplace_back();
    else out.back().push_back(*c);
  }
  return out;
}

// Why `v` is not a value of f, or "" when it is.
std::string check(const Flag& f, const std::string& v) {
  if (f.kind == Kind::kInt) {
    // Compared as integers: as doubles, 2^53 + 1 would round to a bound of 2^53 and pass. A kInt
    // flag's bounds are whole numbers within int64 or kNoBound.
    const auto n = whole_integer(v);
    if (!n || (f.min > -kNoBound && *n < static_cast<int64_t>(f.min)) || (f.max < kNoBound && *n > static_cast<int64_t>(f.max)))
      return takes(f);
  }
  if (f.kind == Kind::kNumber) {
    const auto x = whole_number(v);
    if (!x || *x < f.min || *x > f.max) return takes(f);
  }
  if (f.kind == Kind::kEnum) {
    const auto c = choices(f.value);
    bool ok = false;
    for (const std::string& w : c) ok |= w == v;
    if (!ok) return words(c);
  }
  return "";
}

// The value as the help shows it: DIR|FILES... for a list.
std::string shown_value(const Flag& f) { return std::string(f.value) + (f.kind == Kind::kList ? "..." : ""); }

std::string flag_usage(const Flag& f) { return std::string("--") + f.name + (*f.value ? " " + shown_value(f) : ""); }

}  // namespace

std::string Parsed::get(const char* name) const {
  auto it = values_.find(name);
  if (it != values_.end() && !it->second.empty()) return it->second.back();
  const Flag* f = spec ? find_flag(*spec, name) : nullptr;
  return f ? f->def : "";
}

const std::vector<std::string>& Parsed::all(const char* name) const {
  static const std::vector<std::string> none;
  auto it = values_.find(name);
  return it == values_.end() ? none : it->second;
}

int64_t Parsed::integer(const char* name) const { return whole_integer(get(name)).value_or(0); }
double Parsed::number(const char* name) const { return whole_number(get(name)).value_or(0); }
bool Parsed::on(const char* name) const {
  const std::string v = get(name);
  return !v.empty() && v != "0" && v != "false";
}

void Parsed::fill(json::Value& in) const {
  for (const Flag& f : spec->flags) {
    if (!*f.field || !has(f.name)) continue;
    switch (f.kind) {
      case Kind::kString:
      case Kind::kEnum: in.set(f.field, get(f.name)); break;
      case Kind::kInt: in.set(f.field, integer(f.name)); break;
      case Kind::kNumber: in.set(f.field, number(f.name)); break;
      case Kind::kBool:
      case Kind::kSwitch: in.set(f.field, on(f.name)); break;
      default: break;  // files and lists: the command reads them
    }
  }
}

const Flag* Parsed::flag_of(const std::string& path) const {
  for (const Flag& f : spec->flags) {
    if (!*f.field) continue;
    const std::string at = std::string("$.") + f.field;
    if (path.compare(0, at.size(), at) == 0 && (path.size() == at.size() || path[at.size()] == '.' || path[at.size()] == '['))
      return &f;
  }
  return nullptr;
}

bool parse(const Spec& spec, const Args& args, Parsed& out, std::string& error) {
  out.spec = &spec;
  const std::string cmd = std::string(spec.command) + ": ";
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (!is_flag(a)) {
      out.positional.push_back(a);
      continue;
    }
    const Flag* f = find_flag(spec, a.substr(2));
    if (!f) {
      error = cmd + "unknown flag " + a;
      return false;
    }
    std::vector<std::string>& vals = out.values_[f->name];
    if (!vals.empty() && f->kind != Kind::kRepeat) {
      error = cmd + a + " given twice";
      return false;
    }
    if (f->kind == Kind::kSwitch || f->kind == Kind::kBool) {
      const bool word = f->kind == Kind::kBool && i + 1 < args.size() && is_bool_word(args[i + 1]);
      vals.push_back(word ? args[++i] : "1");
      continue;
    }
    const size_t before = vals.size();  // a kRepeat flag's earlier values do not count for this one
    if (f->kind == Kind::kList)
      while (i + 1 < args.size() && !is_flag(args[i + 1])) vals.push_back(args[++i]);
    else if (i + 1 < args.size() && !(is_flag(args[i + 1]) && find_flag(spec, args[i + 1].substr(2))))
      vals.push_back(args[++i]);  // one of the command's flags here means the value was left out
    if (vals.size() == before) {
      error = cmd + a + " needs a value (" + shown_value(*f) + ")";
      return false;
    }
    const std::string why = check(*f, vals.back());
    if (!why.empty()) {
      error = cmd + a + " takes " + why + ", got \"" + vals.back() + "\"";
      return false;
    }
  }
  const size_t n = out.positional.size();
  if (n > spec.max_positional && spec.max_positional == 0) {
    error = cmd + "unexpected argument \"" + out.positional[0] + "\"";
    return false;
  }
  if (n < spec.min_positional || n > spec.max_positional) {
    error = cmd + "takes " + spec.positional + ", got " + std::to_string(n) + " argument" + (n == 1 ? "" : "s");
    return false;
  }
  for (const Flag& f : spec.flags)
    if (f.required && !out.has(f.name)) {
      error = cmd + "needs " + flag_usage(f);
      return false;
    }
  return true;
}

std::string synopsis(const Spec& spec) {
  std::string s = spec.command;
  if (*spec.positional) s += std::string(" ") + spec.positional;
  for (const Flag& f : spec.flags) {
    if (f.required) s += " " + flag_usage(f);
    else s += " [" + flag_usage(f) + "]" + (f.kind == Kind::kRepeat ? "..." : "");
  }
  return s;
}

std::string help_text(const Spec& spec) {
  std::string s = "  flk " + synopsis(spec) + "\n      " + spec.summary + "\n";
  for (const Flag& f : spec.flags) {
    std::string line = "      " + flag_usage(f);
    line.resize(std::max<size_t>(line.size() + 2, 34), ' ');
    line += f.help;
    std::vector<std::string> notes;
    if (f.required) notes.push_back("required");
    if (*f.def) notes.push_back(std::string("default ") + f.def);
    if ((f.kind == Kind::kInt || f.kind == Kind::kNumber) && (f.min > -kNoBound || f.max < kNoBound))
      notes.push_back(takes(f));
    if (f.kind == Kind::kBool) notes.push_back("0, 1, false or true may follow");
    if (f.kind == Kind::kRepeat) notes.push_back("may be repeated");
    if (*f.field) notes.push_back(std::string("op field $.") + f.field);
    for (size_t i = 0; i < notes.size(); ++i) line += (i ? "; " : " (") + notes[i];
    s += line + (notes.empty() ? "\n" : ")\n");
  }
  return s;
}

int bad_value(const Parsed& p, const char* flag, const char* what, const std::string& got) {
  return usage_error(std::string(p.spec->command) + ": --" + flag + " takes " + what + ", got \"" + got + "\"");
}

void name_flag(const Parsed& p, const Error& e) {
  if (const Flag* f = p.flag_of(e.path)) std::fprintf(stderr, "flk: --%s (op field $.%s): ", f->name, f->field);
}

int print_result(const Parsed& p, const Result<json::Value>& r) {
  if (!r.ok()) name_flag(p, r.error());
  return print_result(r);
}

}  // namespace flk::cli
