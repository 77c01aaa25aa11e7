// flk pii scan | redact | eval: the facade's pii.scan and pii.redact on files, and their
// precision/recall on a labelled set (tests/data/pii/eval.jsonl, docs/pii.md). Files go to the
// facade as text_b64, so binary input and invalid UTF-8 pass through unchanged.
#include <algorithm>
#include <cmath>
#include <iostream>
#include <sstream>

#include "commands.h"
#include "crypto/encoding.h"
#include "json/parse.h"
#include "json/write.h"

namespace flk::cli {
namespace {

bool read_input(const std::string& path, std::string& out) {
  if (path == "-") {
    out = read_all_stdin();
    return true;
  }
  return read_file(path, out);
}

// --types a,b and --min-confidence X, shared by every subcommand.
Status add_filters(std::map<std::string, std::string>& f, json::Value& in) {
  if (f.count("types")) {
    json::Value types = json::Value::array();
    std::stringstream ss(f["types"]);
    for (std::string t; std::getline(ss, t, ',');) types.push(t);
    in.set("types", std::move(types));
  }
  if (f.count("min-confidence")) {
    char* end = nullptr;
    double v = std::strtod(f["min-confidence"].c_str(), &end);
    if (*end || f["min-confidence"].empty()) return make_error("usage", "--min-confidence takes a number");
    in.set("min_confidence", v);
  }
  return Ok{};
}

int scan_or_redact(Engine& engine, const Args& args, bool redact) {
  std::map<std::string, std::string> f;
  std::vector<std::string> pos;
  std::string err;
  if (!parse_flags(args, {"types", "min-confidence", "limit", "mode", "key"}, f, pos, err)) return usage_error(err);
  if (pos.size() != 1) return usage_error(std::string("pii ") + (redact ? "redact" : "scan") + " takes one FILE");
  std::string text;
  if (!read_input(pos[0], text)) return io_failure("read", pos[0]);
  json::Value in = json::Value::object();
  in.set("text_b64", crypto::to_base64(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
  auto filters = add_filters(f, in);
  if (!filters.ok()) return usage_error(filters.error().message);
  if (f.count("limit")) {
    auto n = whole_integer(f["limit"]);
    if (!n) return usage_error("--limit takes an integer, got \"" + f["limit"] + "\"");
    in.set("limit", *n);
  }
  if (!redact) return print_result(engine.call_value("pii.scan", in));
  if (!f.count("mode")) return usage_error("pii redact needs --mode mask|tag|pseudonym");
  in.set("mode", f["mode"]);
  // Said in the CLI's terms: the op would name its own fields (key_text, key_hex or key_b64).
  if (f["mode"] == "pseudonym" && !f.count("key"))
    return usage_error("pii redact --mode pseudonym needs --key KEYFILE (flk keygen hmac --out KEYFILE)");
  if (f.count("key")) {
    // The JSON that `flk keygen hmac` writes: {"alg":"hmac","key_b64":"..."}.
    std::string key_text;
    if (!read_file(f["key"], key_text)) return io_failure("read", f["key"]);
    auto key = json::parse(key_text);
    const json::Value* b64 = key.ok() && key->is_object() ? key->find("key_b64") : nullptr;
    if (!b64 || !b64->is_string()) return usage_error(f["key"] + " is not a key file of flk keygen hmac");
    in.set("key_b64", b64->as_string());
  }
  auto out = engine.call_value("pii.redact", in);
  if (!out.ok()) return print_result(out);
  auto bytes = crypto::from_base64(out->find("text_b64")->as_string());
  std::cout.write(reinterpret_cast<const char*>(bytes->data()), static_cast<std::streamsize>(bytes->size()));
  return kExitOk;
}

struct Span {
  int64_t start, end;
  std::string type;
};

struct Tally {
  int64_t gold = 0, predicted = 0;
  int64_t gold_found = 0, predicted_right = 0;  // overlap with the same type
  int64_t exact = 0;                            // same type and the same bytes
  int64_t gold_covered = 0;                     // overlapped by a finding of any type (what redaction hides)
};

double ratio(int64_t a, int64_t b) { return b ? std::round(1e4 * static_cast<double>(a) / b) / 1e4 : 1.0; }

json::Value tally_json(const Tally& t) {
  json::Value o = json::Value::object();
  double p = ratio(t.predicted_right, t.predicted), r = ratio(t.gold_found, t.gold);
  o.set("gold", t.gold).set("predicted", t.predicted).set("precision", p).set("recall", r);
  o.set("f1", p + r > 0 ? std::round(1e4 * 2 * p * r / (p + r)) / 1e4 : 0.0);
  o.set("exact_precision", ratio(t.exact, t.predicted)).set("exact_recall", ratio(t.exact, t.gold));
  o.set("redaction_recall", ratio(t.gold_covered, t.gold));
  return o;
}

bool overlaps(const Span& a, const Span& b) { return a.start < b.end && b.start < a.end; }

Result<std::vector<Span>> spans_of(const json::Value& list, const char* start, const char* end) {
  std::vector<Span> out;
  for (const json::Value& s : list.as_array()) {
    const json::Value *b = s.find(start), *e = s.find(end), *t = s.find("type");
    if (!b || !e || !t || !b->is_int() || !e->is_int() || !t->is_string())
      return make_error("bad_format", "a span needs integer start, end and a type");
    out.push_back({b->as_int(), e->as_int(), t->as_string()});
  }
  return out;
}

int eval(Engine& engine, const Args& args) {
  std::map<std::string, std::string> f;
  std::vector<std::string> pos;
  std::string err;
  if (!parse_flags(args, {"min-confidence", "show-misses", "types"}, f, pos, err)) return usage_error(err);
  if (pos.size() != 1) return usage_error("pii eval takes one JSONL file");
  std::string text;
  if (!read_file(pos[0], text)) return io_failure("read", pos[0]);
  bool show = f.count("show-misses") && f["show-misses"] != "0";
  std::map<std::string, Tally> by_type;
  Tally all;
  std::istringstream lines(text);
  int64_t n = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    ++n;
    auto row = json::parse(line);
    const json::Value* t = row.ok() ? row->find("text") : nullptr;
    const json::Value* g = row.ok() ? row->find("spans") : nullptr;
    if (!t || !g || !t->is_string() || !g->is_array()) return usage_error(pos[0] + ":" + std::to_string(n) + ": not a labelled row");
    json::Value in = json::Value::object();
    in.set("text", t->as_string()).set("limit", 1000000);
    auto filters = add_filters(f, in);
    if (!filters.ok()) return usage_error(filters.error().message);
    auto out = engine.call_value("pii.scan", in);
    if (!out.ok()) return print_result(out);
    auto gold = spans_of(*g, "start", "end");
    auto pred = spans_of(*out->find("findings"), "start", "end");
    if (!gold.ok()) return usage_error(pos[0] + ":" + std::to_string(n) + ": " + gold.error().message);
    for (const Span& gs : *gold) {
      Tally& k = by_type[gs.type];
      ++k.gold;
      bool same = false, any = false, exact = false;
      for (const Span& ps : *pred) {
        if (!overlaps(gs, ps)) continue;
        any = true;
        same = same || ps.type == gs.type;
        exact = exact || (ps.type == gs.type && ps.start == gs.start && ps.end == gs.end);
      }
      k.gold_found += same;
      k.gold_covered += any;
      k.exact += exact;
      if (show && !exact)
        std::cerr << "miss " << gs.type << " [" << t->as_string().substr(gs.start, gs.end - gs.start) << "] in: " << line
                  << '\n';
    }
    for (const Span& ps : *pred) {
      Tally& k = by_type[ps.type];
      ++k.predicted;
      bool right = std::any_of(gold->begin(), gold->end(),
                               [&](const Span& gs) { return gs.type == ps.type && overlaps(gs, ps); });
      k.predicted_right += right;
      if (show && !right)
        std::cerr << "false " << ps.type << " [" << t->as_string().substr(ps.start, ps.end - ps.start) << "] in: " << line
                  << '\n';
    }
  }
  json::Value types = json::Value::object();
  for (const auto& [name, k] : by_type) {
    types.set(name, tally_json(k));
    all.gold += k.gold;
    all.predicted += k.predicted;
    all.gold_found += k.gold_found;
    all.predicted_right += k.predicted_right;
    all.exact += k.exact;
    all.gold_covered += k.gold_covered;
  }
  json::Value report = json::Value::object();
  report.set("rows", n).set("types", std::move(types)).set("all", tally_json(all));
  std::cout << json::to_string(report) << '\n';
  return kExitOk;
}

}  // namespace

int cmd_pii(Engine& engine, const Args& args) {
  if (args.empty()) return usage_error("pii takes scan, redact or eval");
  Args rest(args.begin() + 1, args.end());
  if (args[0] == "scan") return scan_or_redact(engine, rest, false);
  if (args[0] == "redact") return scan_or_redact(engine, rest, true);
  if (args[0] == "eval") return eval(engine, rest);
  return usage_error("unknown pii subcommand \"" + args[0] + "\"");
}

}  // namespace flk::cli
