// flk compliance report (FILE | --store postgres://… | --data DIR) --from T --to T
//   --framework soc2|iso27001 [--head-seq N --head-hash H] [--config k=v,k=v] [--out PREFIX]
// The facade's compliance.report over an exported audit log (GET /v1/admin/audit, one entry per
// line, as `flk audit verify` reads it), or over the chain read from flk-server's store through
// the reads the export makes (PostgreSQL at any time; SQLite in DIR only while no server holds it).
// With --out, writes PREFIX.json, PREFIX.html and PREFIX.oscal.json; otherwise prints the report
// JSON. Exit 3 when the chain does not verify.
#include <fstream>
#include <iostream>
#include <sstream>

#include "commands.h"
#include "json/parse.h"
#include "json/write.h"
#include "store/audit/audit.h"

namespace flk::cli {
namespace {

constexpr int kExitBroken = 3;
// The facade's cap on one input: a longer chain could not be reported on anyway.
constexpr size_t kMaxChainBytes = 64u << 20;
constexpr size_t kPage = 10000;

// The whole chain, oldest first, one entry per line, as GET /v1/admin/audit pages it.
Result<std::string> chain_from_store(const std::string& url, const std::string& dir) {
  if (url.empty()) {
    std::ifstream probe(dir + "/flk.sqlite");
    if (!probe) return make_error("io", "no flk-server store in " + dir + " (flk.sqlite)", dir + "/flk.sqlite");
  }
  FLK_ASSIGN(auto store, server::open_store(url, dir));
  std::string jsonl;
  for (int64_t after = 0;;) {
    FLK_ASSIGN(auto page, server::audit::entries(*store, after, kPage));
    for (const std::string& e : page) jsonl += e + "\n";
    if (jsonl.size() > kMaxChainBytes) return make_error("too_large", "the audit chain is over 64 MiB");
    if (page.size() < kPage) return jsonl;
    auto last = json::parse(page.back());
    const json::Value* seq = last.ok() ? last->find("seq") : nullptr;
    if (!seq || !seq->is_int() || seq->as_int() <= after) return make_error("internal", "an audit entry without a later seq");
    after = seq->as_int();
  }
}

int report(Engine& engine, const Parsed& p) {
  if (p.positional.size() + p.has("store") + p.has("data") != 1)
    return usage_error("compliance report: takes one audit JSONL file, or --store URL, or --data DIR");
  std::string text;
  if (p.positional.empty()) {
    if (p.has("store") && p.get("store").rfind("postgres", 0) != 0) return bad_value(p, "store", "a postgres:// URL", p.get("store"));
    auto chain = chain_from_store(p.get("store"), p.get("data"));
    if (!chain.ok()) return print_result(chain.error());
    text = std::move(chain.value());
  } else if (!read_file(p.positional[0], text)) {
    return io_failure("read", p.positional[0]);
  }
  json::Value in = json::Value::object();
  in.set("jsonl", std::move(text));
  p.fill(in);
  if (p.has("config")) {
    json::Value config = json::Value::object();
    std::stringstream ss(p.get("config"));
    for (std::string kv; std::getline(ss, kv, ',');) {
      size_t eq = kv.find('=');
      if (eq == std::string::npos) return bad_value(p, "config", "name=value pairs separated by commas", p.get("config"));
      config.set(kv.substr(0, eq), kv.substr(eq + 1));
    }
    in.set("config", std::move(config));
  }
  const bool files = p.has("out");
  if (files) in.set("formats", json::Value::array().push("html").push("oscal"));
  auto out = engine.call_value("compliance.report", in);
  if (!out.ok()) return print_result(p, out);
  const json::Value& rep = *out->find("report");
  if (files) {
    const std::string prefix = p.get("out");
    for (const auto& [path, text] : {std::pair{prefix + ".json", json::to_string(rep) + "\n"},
                                     {prefix + ".html", out->find("html")->as_string()},
                                     {prefix + ".oscal.json", json::to_string(*out->find("oscal")) + "\n"}})
      if (!write_file(path, text)) return io_failure("write", path);
    std::fprintf(stderr, "wrote %s.json, %s.html and %s.oscal.json\n", prefix.c_str(), prefix.c_str(), prefix.c_str());
  } else {
    std::cout << json::to_string(rep) << '\n';
  }
  return rep.find("chain")->find("valid")->as_bool() ? kExitOk : kExitBroken;
}

}  // namespace

std::vector<Spec> compliance_specs() {
  return {
      {"compliance report", "[AUDIT.jsonl]", 0, 1,
       "evidence report of the audit chain in AUDIT.jsonl, --store or --data (exit 3: broken chain)",
       {{"store", Kind::kString, "postgres://...", "read the chain from flk-server's PostgreSQL store"},
        {"data", Kind::kFile, "DIR", "read the chain from flk-server's SQLite store in DIR (no server running)"},
        Flag{"from", Kind::kString, "T", "the period's start (RFC 3339)"}.op("from").need(),
        Flag{"to", Kind::kString, "T", "the period's end (RFC 3339)"}.op("to").need(),
        Flag{"framework", Kind::kEnum, "soc2|iso27001", "the controls reported on"}.op("framework").need(),
        Flag{"head-seq", Kind::kInt, "N", "the anchored head's seq"}.op("head_seq").range(1, kNoBound),
        Flag{"head-hash", Kind::kString, "H", "the anchored head's hash"}.op("head_hash"),
        Flag{"config", Kind::kCsv, "name=value,...", "the deployment's settings, as evidence"}.op("config"),
        {"out", Kind::kFile, "PREFIX", "write PREFIX.json, PREFIX.html and PREFIX.oscal.json"}},
       report},
  };
}

}  // namespace flk::cli
