// One declarative spec per flk subcommand (its flags and positional arguments, as plain data),
// read by one parser and one --help printer, so that every subcommand says a bad flag the same
// way (exit 1) and its --help lists exactly the flags it takes. A flag that fills an op field
// names it, so a typed error at that field can name the flag too.
#pragma once
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "facade/engine.h"
#include "json/value.h"

namespace flk::cli {

using Args = std::vector<std::string>;

enum class Kind {
  kString,  // one value
  kInt,     // a whole integer within [min, max]
  kNumber,  // a finite number within [min, max]
  kBool,    // on when given; an explicit 0, 1, false or true may follow it
  kSwitch,  // on when given; never takes a value (--json)
  kFile,    // a file's name, read or written by the command (- = stdin where the help says so)
  kEnum,    // one of the '|'-separated words of `value`
  kCsv,     // one value, a comma-separated list the command splits (2,4,8,16)
  kRepeat,  // one value a time, the flag may be given again
  kList,    // every following argument up to the next --flag (--data DIR FILE...)
};

constexpr double kNoBound = std::numeric_limits<double>::infinity();

struct Flag {
  const char* name;        // without the leading --
  Kind kind;
  const char* value;       // the value as the help shows it (N, FILE, a|b|c); "" for switches
  const char* help;        // one line
  const char* field = "";  // the op field it fills ("shard_id"), "" when none
  bool required = false;
  const char* def = "";    // the default the command uses when it is not given, "" none
  double min = -kNoBound, max = kNoBound;

  // Chained setters, so that a spec reads as one line per flag.
  Flag op(const char* f) const { Flag x = *this; x.field = f; return x; }
  Flag need() const { Flag x = *this; x.required = true; return x; }
  Flag or_else(const char* d) const { Flag x = *this; x.def = d; return x; }
  Flag range(double lo, double hi) const { Flag x = *this; x.min = lo; x.max = hi; return x; }
};

class Parsed;

struct Spec {
  const char* command;     // "pcs build", "verify"
  const char* positional;  // the positional arguments as the help shows them, "" none
  size_t min_positional, max_positional;
  const char* summary;     // one line of what it does
  std::vector<Flag> flags;
  int (*run)(Engine& engine, const Parsed& p);
};

// What the parser read: the flags given and the positional arguments.
class Parsed {
 public:
  const Spec* spec = nullptr;
  std::vector<std::string> positional;

  bool has(const char* name) const { return values_.count(name) > 0; }
  // The last value given, else the flag's default, else "".
  std::string get(const char* name) const;
  // Every value given (kRepeat, kList), in order.
  const std::vector<std::string>& all(const char* name) const;
  // A kInt / kNumber / kBool flag's value (given or default), as the parser checked it.
  int64_t integer(const char* name) const;
  double number(const char* name) const;
  bool on(const char* name) const;
  // Sets every given flag that fills an op field with its value as it is (string, enum, int,
  // number, bool, switch) in `in`; the command converts files and lists itself.
  void fill(json::Value& in) const;
  // The flag whose op field `path` is in ($.shard_id, $.config.x), or nullptr.
  const Flag* flag_of(const std::string& path) const;

 private:
  friend bool parse(const Spec& spec, const Args& args, Parsed& out, std::string& error);
  std::map<std::string, std::vector<std::string>> values_;
};

// Reads args by the spec; false with a message (the command, the flag and why) on a usage error.
bool parse(const Spec& spec, const Args& args, Parsed& out, std::string& error);

// "pcs build --csv FILE --shard ID [--seed N]": the command line the spec takes.
std::string synopsis(const Spec& spec);
// The spec's synopsis, summary and one line per flag (its value, default, bounds and op field).
std::string help_text(const Spec& spec);

// A flag value the command itself could not use: the usage error in the parser's words.
int bad_value(const Parsed& p, const char* flag, const char* takes, const std::string& got);

// Prints the result (or its error) as one JSON line like print_result; a typed error at a field a
// flag filled is named on stderr first, "flk: --shard (op field $.shard_id): ".
int print_result(const Parsed& p, const Result<json::Value>& r);
// Names the flag of e's field on stderr (when there is one); the caller prints e.
void name_flag(const Parsed& p, const Error& e);

}  // namespace flk::cli
