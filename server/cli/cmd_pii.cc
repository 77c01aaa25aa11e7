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

// --types a,b, and the flags that fill op fields as they are (--min-confidence, --limit, --mode).
void add_filters(const Parsed& p, json::Value& in) {
  if (p.has("types")) {
    json::Value types = json::Value::array();
    std::stringstream ss(p.get("types"));
    for (std::string t; std::getline(ss, t, ',');) types.push(t);
    in.set("types", std::move(types));
  }
  p.fill(in);
}

int scan_or_redact(Engine& engine, const Parsed& p, bool redact) {
  const std::string file = p.positional[0];
  std::string text;
  if (!read_input(file, text)) return io_failure("read", file);
  json::Value in = json::Value::object();
  in.set("text_b64", crypto::to_base64(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
  add_filters(p, in);
  if (!redact) return print_result(p, engine.call_value("pii.scan", in));
  // Said in the CLI's terms: the op would name its own fields (key_text, key_hex or key_b64).
  if (p.get("mode") == "pseudonym" && !p.has("key"))
    return usage_error("pii redact --mode pseudonym needs --key KEYFILE (flk keygen hmac --out KEYFILE)");
  if (p.has("key")) {
    // The JSON that `flk keygen hmac` writes: {"alg":"hmac","key_b64":"..."}.
    auto key = read_json_file(p.get("key"));
    const json::Value* b64 = key.ok() && key->is_object() ? key->find("key_b64") : nullptr;
    if (key.ok() && (!b64 || !b64->is_string()))
      key = make_error("missing_field", p.get("key") + " has no key_b64: not a key file of flk keygen hmac", "$.key_b64");
    if (!key.ok()) return print_result(p, key);
    in.set("key_b64", b64->as_string());
  }
  auto out = engine.call_value("pii.redact", in);
  if (!out.ok()) return print_result(p, out);
  auto bytes = crypto::from_base64(out->find("text_b64")->as_string());
  std::cout.write(reinterpret_cast<const char*>(bytes->data()), static_cast<std::streamsize>(bytes->size()));
  return kExitOk;
}

int scan(Engine& engine, const Parsed& p) { return scan_or_redact(engine, p, false); }
int redact(Engine& engine, const Parsed& p) { return scan_or_redact(engine, p, true); }

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

int eval(Engine& engine, const Parsed& p) {
  const std::string file = p.positional[0];
  std::string text;
  if (!read_file(file, text)) return io_failure("read", file);
  const bool show = p.on("show-misses");
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
    if (!row.ok()) return line_error(file, static_cast<size_t>(n), row.error());
    if (!t || !g || !t->is_string() || !g->is_array())
      return line_error(file, static_cast<size_t>(n), make_error("wrong_type", "a labelled row is {\"text\": string, \"spans\": array}"));
    json::Value in = json::Value::object();
    in.set("text", t->as_string()).set("limit", 1000000);
    add_filters(p, in);
    auto out = engine.call_value("pii.scan", in);
    if (!out.ok()) return print_result(p, out);
    auto gold = spans_of(*g, "start", "end");
    auto pred = spans_of(*out->find("findings"), "start", "end");
    if (!gold.ok()) return line_error(file, static_cast<size_t>(n), gold.error());
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

std::vector<Spec> pii_specs() {
  const Flag types = Flag{"types", Kind::kCsv, "a,b", "only these types"}.op("types");
  const Flag min_confidence =
      Flag{"min-confidence", Kind::kNumber, "X", "only findings at least this confident"}.op("min_confidence").range(0, 1);
  const Flag limit = Flag{"limit", Kind::kInt, "N", "at most N findings"}.op("limit").range(0, 1000000);
  return {
      {"pii scan", "FILE", 1, 1, "personal data and secrets in a file (- = stdin)", {types, min_confidence, limit}, scan},
      {"pii redact", "FILE", 1, 1, "the file with them replaced",
       {Flag{"mode", Kind::kEnum, "mask|tag|pseudonym", "what replaces a finding"}.op("mode").need(),
        Flag{"key", Kind::kFile, "KEYFILE", "the key of --mode pseudonym (flk keygen hmac)"}.op("key_b64"), types,
        min_confidence, limit},
       redact},
      {"pii eval", "FILE.jsonl", 1, 1, "precision/recall per type on a labelled set",
       {types, min_confidence, {"show-misses", Kind::kBool, "", "each miss and false finding on stderr"}},
       eval},
  };
}

}  // namespace flk::cli
