// flk pcs build | verify, flk keygen: the PCS contract for people at a shell.
#include <cstdio>
#include <ctime>
#include <iostream>

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

int pcs_build(Engine& engine, const Parsed& p) {
  std::string csv;
  if (!read_file(p.get("csv"), csv)) return io_failure("read", p.get("csv"));
  json::Value in = json::Value::object();
  in.set("csv", csv);
  p.fill(in);
  if (!p.has("sent-at")) in.set("sent_at", utc_now());
  if (p.has("scales")) {
    auto v = json::parse("[" + p.get("scales") + "]");
    if (!v.ok()) return bad_value(p, "scales", "a comma-separated list of integers", p.get("scales"));
    in.set("scales", *v);
  }
  if (p.has("key-file")) {
    auto key = read_json_file(p.get("key-file"));
    if (!key.ok()) return print_result(key);
    in.set("key", *key);
  }
  auto out = engine.call_value("pcs.build", in);
  if (!out.ok() || !p.has("out")) return print_result(p, out);
  return write_file(p.get("out"), json::to_string(*out) + "\n") ? kExitOk : io_failure("write", p.get("out"));
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

int pcs_verify(Engine& engine, const Parsed& p) {
  auto doc = read_json_file(p.positional[0]);
  if (!doc.ok()) return print_result(doc);
  auto key_file = read_json_file(p.get("key-file"));
  if (!key_file.ok()) return print_result(key_file);
  auto key = verifying_key(engine, *key_file);
  if (!key.ok()) return print_result(key);
  json::Value in = json::Value::object();
  in.set("pcs", *doc).set("key", *key);
  auto out = engine.call_value("pcs.verify", in);
  if (!out.ok()) return print_result(p, out);
  const json::Value& v = *out;
  int64_t status = v.find("status")->as_int();
  int rc = status == 200 ? kExitOk : status == 202 ? 3 : 4;
  if (p.has("json")) {
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

int keygen(Engine& engine, const Parsed& p) {
  const std::vector<std::string>& pos = p.positional;
  if (pos[0] != "ed25519" && pos[0] != "hmac") return usage_error("keygen: takes ed25519 or hmac, got \"" + pos[0] + "\"");
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
  if (!p.has("out")) {
    std::cout << json::to_string(secret) << '\n';
    if (pos[0] == "ed25519") std::cout << json::to_string(pub) << '\n';
    return kExitOk;
  }
  const std::string file = p.get("out");
  if (!write_file(file, json::to_string(secret) + "\n")) return io_failure("write", file);
  if (pos[0] == "ed25519" && !write_file(file + ".pub", json::to_string(pub) + "\n")) return io_failure("write", file + ".pub");
  std::fprintf(stderr, "wrote %s%s\n", file.c_str(), pos[0] == "ed25519" ? (" and " + file + ".pub").c_str() : "");
  return kExitOk;
}

}  // namespace

std::vector<Spec> pcs_specs() {
  return {
      {"pcs build", "", 0, 0, "build (and sign) a PCS; printed, or written to --out",
       {Flag{"csv", Kind::kFile, "FILE", "the points, one row each (read)"}.op("csv").need(),
        Flag{"shard", Kind::kString, "ID", "the shard's id"}.op("shard_id").need(),
        Flag{"epoch", Kind::kInt, "N", "the epoch"}.op("epoch").need().range(0, kNoBound),
        Flag{"seed", Kind::kInt, "N", "the seed"}.op("seed").or_else("42").range(0, 4294967295.0),
        Flag{"scales", Kind::kCsv, "2,4,8,16", "the scales, comma-separated integers"}.op("scales").or_else("2,4,8,16"),
        Flag{"chunk-size", Kind::kInt, "N", "points per Merkle leaf"}.op("chunk_size").or_else("64").range(1, 1 << 20),
        Flag{"sent-at", Kind::kString, "RFC3339", "the PCS's send time"}.op("sent_at").or_else("now"),
        Flag{"key-file", Kind::kFile, "K", "sign with this key file (flk keygen)"}.op("key"),
        {"out", Kind::kFile, "F", "write the PCS to F"}},
       pcs_build},
      {"pcs verify", "PCS_FILE", 1, 1,
       "verify; exit 0 accepted (200), 3 escalated or rejected (202), 4 bad signature (401)",
       {Flag{"key-file", Kind::kFile, "K", "the key file (an Ed25519 seed or .pub file, or the HMAC key)"}.op("key").need(),
        {"json", Kind::kSwitch, "", "print the op's JSON answer instead of the verdict"}},
       pcs_verify},
      {"keygen", "ed25519|hmac", 1, 1, "a key file (and FILE.pub for ed25519); printed without --out",
       {{"out", Kind::kFile, "FILE", "write the key to FILE"}},
       keygen},
  };
}

}  // namespace flk::cli
