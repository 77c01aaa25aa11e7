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

int report(Engine& engine, const Args& args) {
  std::map<std::string, std::string> f;
  std::vector<std::string> pos;
  std::string err;
  if (!parse_flags(args, {"from", "to", "framework", "head-seq", "head-hash", "config", "out", "store", "data"}, f, pos, err))
    return usage_error(err);
  if (pos.size() + f.count("store") + f.count("data") != 1)
    return usage_error("compliance report takes one audit JSONL file, or --store URL, or --data DIR");
  for (const char* need : {"from", "to", "framework"})
    if (!f.count(need)) return usage_error(std::string("compliance report needs --") + need);
  std::string text;
  if (pos.empty()) {
    if (f.count("store") && f["store"].rfind("postgres", 0) != 0) return usage_error("--store takes a postgres:// URL");
    auto chain = chain_from_store(f["store"], f["data"]);
    if (!chain.ok()) return print_result(chain.error());
    text = std::move(chain.value());
  } else if (!read_file(pos[0], text)) {
    return io_failure("read", pos[0]);
  }
  json::Value in = json::Value::object();
  in.set("jsonl", std::move(text)).set("from", f["from"]).set("to", f["to"]).set("framework", f["framework"]);
  if (f.count("head-hash")) in.set("head_hash", f["head-hash"]);
  if (f.count("head-seq")) {
    auto n = whole_integer(f["head-seq"]);
    if (!n) return usage_error("--head-seq takes an integer, got \"" + f["head-seq"] + "\"");
    in.set("head_seq", *n);
  }
  if (f.count("config")) {
    json::Value config = json::Value::object();
    std::stringstream ss(f["config"]);
    for (std::string kv; std::getline(ss, kv, ',');) {
      size_t eq = kv.find('=');
      if (eq == std::string::npos) return usage_error("--config takes name=value pairs separated by commas");
      config.set(kv.substr(0, eq), kv.substr(eq + 1));
    }
    in.set("config", std::move(config));
  }
  bool files = f.count("out") > 0;
  if (files) in.set("formats", json::Value::array().push("html").push("oscal"));
  auto out = engine.call_value("compliance.report", in);
  if (!out.ok()) return print_result(out);
  const json::Value& rep = *out->find("report");
  if (files) {
    const std::string& p = f["out"];
    for (const auto& [path, text] : {std::pair{p + ".json", json::to_string(rep) + "\n"},
                                     {p + ".html", out->find("html")->as_string()},
                                     {p + ".oscal.json", json::to_string(*out->find("oscal")) + "\n"}})
      if (!write_file(path, text)) return io_failure("write", path);
    std::fprintf(stderr, "wrote %s.json, %s.html and %s.oscal.json\n", p.c_str(), p.c_str(), p.c_str());
  } else {
    std::cout << json::to_string(rep) << '\n';
  }
  return rep.find("chain")->find("valid")->as_bool() ? kExitOk : kExitBroken;
}

}  // namespace

int cmd_compliance(Engine& engine, const Args& args) {
  if (args.empty() || args[0] != "report") return usage_error("compliance takes report");
  return report(engine, Args(args.begin() + 1, args.end()));
}

}  // namespace flk::cli
