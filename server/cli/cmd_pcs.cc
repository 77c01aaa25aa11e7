// flk pcs build | verify, flk keygen: the PCS contract for people at a shell.
#include <cstdio>
#include <ctime>
#include <iostream>
#include <map>

#include "commands.h"
#include "json/parse.h"
#include "json/write.h"

namespace flk::cli {
namespace {

std::string utc_now() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

int pcs_build(Engine& engine, const Args& args) {
  std::map<std::string, std::string> f;
  std::vector<std::string> pos;
  std::string err;
  if (!parse_flags(args, {"csv", "shard", "epoch", "seed", "scales", "chunk-size", "sent-at", "key-file", "out"}, f, pos, err))
    return usage_error(err);
  if (!pos.empty() || !f.count("csv") || !f.count("shard") || !f.count("epoch"))
    return usage_error("pcs build needs --csv FILE --shard ID --epoch N");
  std::string csv;
  if (!read_file(f["csv"], csv)) return io_failure("read", f["csv"]);
  json::Value in = json::Value::object();
  in.set("csv", csv).set("shard_id", f["shard"]).set("sent_at", f.count("sent-at") ? f["sent-at"] : utc_now());
  // Numbers go through the JSON parser so bad text becomes the facade's typed error.
  auto number = [&](const char* flag, const char* field) -> Status {
    if (!f.count(flag)) return Ok{};
    auto v = json::parse(f[flag]);
    if (!v.ok()) return make_error("bad_argument", std::string("--") + flag + " must be a number");
    in.set(field, *v);
    return Ok{};
  };
  for (auto [flag, field] : {std::pair{"epoch", "epoch"}, {"seed", "seed"}, {"chunk-size", "chunk_size"}})
    if (auto s = number(flag, field); !s.ok()) return usage_error(s.error().message);
  if (f.count("scales")) {
    auto v = json::parse("[" + f["scales"] + "]");
    if (!v.ok()) return usage_error("--scales must be a comma-separated list of integers");
    in.set("scales", *v);
  }
  if (f.count("key-file")) {
    auto key = read_json_file(f["key-file"]);
    if (!key.ok()) return print_result(key);
    in.set("key", *key);
  }
  auto out = engine.call_value("pcs.build", in);
  if (!out.ok() || !f.count("out")) return print_result(out);
  return write_file(f["out"], json::to_string(*out) + "\n") ? kExitOk : io_failure("write", f["out"]);
}

// A key file for verifying: an Ed25519 seed file is turned into its public key.
Result<json::Value> verifying_key(Engine& engine, json::Value key) {
  const json::Value* seed = key.find("seed_b64");
  if (!seed) return key;
  json::Value in = json::Value::object();
  in.set("seed_b64", *seed);
  FLK_ASSIGN(json::Value kp, engine.call_value("crypto.ed25519_keypair", in));
  json::Value pub = json::Value::object();
  pub.set("alg", "ed25519").set("public_key_b64", *kp.find("public_key_b64"));
  return pub;
}

int pcs_verify(Engine& engine, const Args& args) {
  std::map<std::string, std::string> f;
  std::vector<std::string> pos;
  std::string err;
  if (!parse_flags(args, {"key-file", "json"}, f, pos, err)) return usage_error(err);
  if (pos.size() != 1 || !f.count("key-file")) return usage_error("pcs verify needs PCS_FILE --key-file K");
  auto doc = read_json_file(pos[0]);
  if (!doc.ok()) return print_result(doc);
  auto key_file = read_json_file(f["key-file"]);
  if (!key_file.ok()) return print_result(key_file);
  auto key = verifying_key(engine, *key_file);
  if (!key.ok()) return print_result(key);
  json::Value in = json::Value::object();
  in.set("pcs", *doc).set("key", *key);
  auto out = engine.call_value("pcs.verify", in);
  if (!out.ok()) return print_result(out);
  const json::Value& v = *out;
  int64_t status = v.find("status")->as_int();
  int rc = status == 200 ? kExitOk : status == 202 ? 3 : 4;
  if (f.count("json")) {
    print_result(out);
    return rc;
  }
  const char* verdict = status == 200 ? "ACCEPTED" : status == 401 ? "BAD SIGNATURE"
                        : v.find("accepted")->as_bool() ? "ACCEPTED, ESCALATED" : "REJECTED";
  std::printf("%s (%lld)  pcs_id %s\n", verdict, static_cast<long long>(status), v.find("pcs_id")->as_string().c_str());
  if (const json::Value* reason = v.find("reason")) std::printf("  reason: %s\n", reason->as_string().c_str());
  if (const json::Value* d = v.find("recomputed_D_hat"))
    std::printf("  D_hat: claimed %s, recomputed %s\n", json::to_string(*doc->find("D_hat")).c_str(), json::to_string(*d).c_str());
  if (const json::Value* b = v.find("recomputed_budget"))
    std::printf("  budget: claimed %s, recomputed %s\n", json::to_string(*doc->find("budget")).c_str(), json::to_string(*b).c_str());
  return rc;
}

}  // namespace

int cmd_pcs(Engine& engine, const Args& args) {
  if (!args.empty() && args[0] == "build") return pcs_build(engine, Args(args.begin() + 1, args.end()));
  if (!args.empty() && args[0] == "verify") return pcs_verify(engine, Args(args.begin() + 1, args.end()));
  return usage_error("pcs takes build or verify");
}

int cmd_keygen(Engine& engine, const Args& args) {
  std::map<std::string, std::string> f;
  std::vector<std::string> pos;
  std::string err;
  if (!parse_flags(args, {"out"}, f, pos, err)) return usage_error(err);
  if (pos.size() != 1 || (pos[0] != "ed25519" && pos[0] != "hmac")) return usage_error("keygen takes ed25519 or hmac");
  json::Value secret = json::Value::object(), pub = json::Value::object();
  if (pos[0] == "ed25519") {
    auto kp = engine.call_value("crypto.ed25519_keypair", json::Value::object());
    if (!kp.ok()) return print_result(kp);
    secret.set("alg", "ed25519").set("seed_b64", *kp->find("seed_b64"));
    pub.set("alg", "ed25519").set("public_key_b64", *kp->find("public_key_b64"));
  } else {
    json::Value in = json::Value::object();
    in.set("bytes", 32);
    auto rnd = engine.call_value("crypto.random", in);
    if (!rnd.ok()) return print_result(rnd);
    secret.set("alg", "hmac").set("key_b64", *rnd->find("b64"));
  }
  if (!f.count("out")) {
    std::cout << json::to_string(secret) << '\n';
    if (pos[0] == "ed25519") std::cout << json::to_string(pub) << '\n';
    return kExitOk;
  }
  if (!write_file(f["out"], json::to_string(secret) + "\n")) return io_failure("write", f["out"]);
  if (pos[0] == "ed25519" && !write_file(f["out"] + ".pub", json::to_string(pub) + "\n"))
    return io_failure("write", f["out"] + ".pub");
  std::fprintf(stderr, "wrote %s%s\n", f["out"].c_str(), pos[0] == "ed25519" ? (" and " + f["out"] + ".pub").c_str() : "");
  return kExitOk;
}

}  // namespace flk::cli
