// PCS ops (spec §2–§6): build, sign, canonical payload, ids, merkle root, and verification
// split the way the server pipeline needs it (signature before dedup, then the engine).
#include "crypto/hash.h"
#include "facade/engine.h"
#include "facade/pcs_inputs.h"
#include "facade/registry.h"
#include "json/parse.h"
#include "json/write.h"
#include "pcs/build.h"
#include "pcs/canonical.h"
#include "pcs/merkle.h"
#include "pcs/signing.h"

#define FLK_TS_KEY                                                                                     \
  "{ alg: 'hmac'; key_text?: string; key_hex?: string; key_b64?: string } | { alg: 'ed25519'; " \
  "seed_hex?: string; seed_b64?: string; public_key_hex?: string; public_key_b64?: string }"
#define FLK_TS_VERDICT                                                                                     \
  "{ status: 200 | 202 | 401; accepted: boolean; escalated: boolean; pcs_id: string; reason?: string; " \
  "recomputed_D_hat?: number; recomputed_budget?: number }"

namespace flk {
namespace {

constexpr size_t kMaxCsvBytes = 48u << 20;
// now_ms + ttl_ms is an entry's expiry: each at most 2^53 (JavaScript's exact integers), so the
// sum cannot overflow.
constexpr int64_t kMaxSubmitMs = int64_t{1} << 53;

Result<pcs::Document> read_pcs(json::ObjectReader& r) {
  FLK_ASSIGN(const json::Value* v, r.required("pcs"));
  return pcs::read_document(*v, r.path_of("pcs"));
}

Result<pcs::Key> read_pcs_key(json::ObjectReader& r, bool for_signing) {
  FLK_ASSIGN(const json::Value* v, r.required("key"));
  return pcs::read_key(*v, r.path_of("key"), for_signing);
}

json::Value verdict_json(const pcs::VerifyResult& v, const std::string& pcs_id) {
  json::Value o = json::Value::object();
  o.set("status", v.status()).set("accepted", v.accepted).set("escalated", v.escalated).set("pcs_id", pcs_id);
  if (!v.reason.empty()) o.set("reason", v.reason);
  if (v.recomputed_d_hat) o.set("recomputed_D_hat", *v.recomputed_d_hat);
  if (v.recomputed_budget) o.set("recomputed_budget", *v.recomputed_budget);
  return o;
}

json::Value bad_signature_json(const std::string& why, const std::string& pcs_id) {
  json::Value o = json::Value::object();
  o.set("status", 401).set("accepted", false).set("escalated", false).set("pcs_id", pcs_id);
  o.set("reason", "signature invalid: " + why);
  return o;
}

Result<json::Value> op_build(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  pcs::Rows rows;
  FLK_ASSIGN(auto csv, r.opt_string("csv", kMaxCsvBytes));
  if (csv) {
    if (r.optional("points")) return make_error("conflicting_fields", "give csv or points, not both", "$.points");
    FLK_ASSIGN(rows, pcs::rows_from_csv(*csv, kMaxPoints, pcs::kMaxDims));
  } else {
    FLK_ASSIGN(auto points, read_points(r));
    std::optional<std::vector<double>> ts;
    if (const json::Value* t = r.optional("timestamps")) {
      FLK_ASSIGN(auto times, json::read_numbers(*t, r.path_of("timestamps"), kMaxPoints, {-1e15, 1e15}));
      if (times.size() != points.size())
        return make_error("bad_length", "one timestamp per point is required", r.path_of("timestamps"));
      ts = std::move(times);
    }
    rows = pcs::rows_from_points(std::move(points), ts ? &*ts : nullptr);
  }
  if (rows.points.empty()) return make_error("bad_length", "at least one point is required", csv ? "$.csv" : "$.points");
  pcs::BuildParams p;
  FLK_ASSIGN(p.shard_id, r.string("shard_id", 128));
  if (!pcs::is_safe_id(p.shard_id))
    return make_error("bad_format", "$.shard_id must be 1 to 128 characters from A-Z a-z 0-9 . _ : -", "$.shard_id");
  FLK_ASSIGN(p.epoch, r.integer("epoch", 0));
  FLK_ASSIGN(p.sent_at, r.string("sent_at", 64));
  if (!pcs::is_rfc3339(p.sent_at)) return make_error("bad_format", "$.sent_at must be an RFC 3339 timestamp", "$.sent_at");
  FLK_ASSIGN(auto seed, r.opt_integer("seed", 0, 0xFFFFFFFFll));
  FLK_ASSIGN(p.scales, read_scales(r, false));
  FLK_ASSIGN(auto chunk, r.opt_integer("chunk_size", 1, 1 << 20));
  FLK_ASSIGN(auto directions, r.opt_integer("directions", 1, 100000));
  FLK_ASSIGN(auto bins, r.opt_integer("bins", 1, 100000));
  FLK_ASSIGN(auto attempt, r.opt_integer("attempt", 1));
  std::optional<pcs::Key> key;
  if (r.optional("key")) {
    FLK_ASSIGN(pcs::Key k, read_pcs_key(r, true));
    key = std::move(k);
  }
  FLK_TRY(r.finish());
  p.seed = seed.value_or(p.seed);
  p.chunk_size = static_cast<size_t>(chunk.value_or(static_cast<int64_t>(p.chunk_size)));
  p.directions = static_cast<int>(directions.value_or(p.directions));
  p.bins = static_cast<int>(bins.value_or(p.bins));
  p.attempt = attempt.value_or(p.attempt);
  FLK_TRY(check_projections(rows.points.size(), rows.points[0].size(), static_cast<uint64_t>(p.directions)));
  FLK_ASSIGN(pcs::Document d, pcs::build(rows, p));
  if (key) d.sig = pcs::sign(pcs::subset_of(d), *key);
  return pcs::to_json(d);
}

Result<json::Value> op_sign(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(pcs::Document d, read_pcs(r));
  FLK_ASSIGN(pcs::Key key, read_pcs_key(r, true));
  FLK_TRY(r.finish());
  d.sig = pcs::sign(pcs::subset_of(d), key);
  return pcs::to_json(d);
}

Result<json::Value> op_canonical_payload(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(const json::Value* v, r.required("pcs"));
  FLK_TRY(r.finish());
  FLK_ASSIGN(pcs::SignedSubset s, pcs::read_signed_subset(*v, "$.pcs"));
  std::string payload = pcs::canonical_payload(s);
  json::Value out = json::Value::object();
  out.set("sha256_hex", crypto::sha256_hex(payload)).set("payload", std::move(payload));
  return out;
}

Result<json::Value> op_sign_payload(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(const json::Value* v, r.required("pcs"));
  FLK_ASSIGN(pcs::Key key, read_pcs_key(r, true));
  FLK_TRY(r.finish());
  FLK_ASSIGN(pcs::SignedSubset s, pcs::read_signed_subset(*v, "$.pcs"));
  json::Value out = json::Value::object();
  out.set("sig", pcs::sign(s, key));
  return out;
}

Result<json::Value> op_pcs_id(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(std::string root, r.string("merkle_root", 128));
  FLK_ASSIGN(int64_t epoch, r.integer("epoch", 0));
  FLK_ASSIGN(std::string shard, r.string("shard_id", 128));
  FLK_TRY(r.finish());
  json::Value out = json::Value::object();
  out.set("pcs_id", pcs::pcs_id(root, epoch, shard));
  return out;
}

Result<json::Value> op_merkle_root(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(std::string raw, read_raw_rows(r));
  FLK_ASSIGN(int64_t chunk, r.integer("chunk_size", 1, 1 << 20));
  FLK_TRY(r.finish());
  auto leaves = pcs::merkle_leaves(raw, static_cast<size_t>(chunk));
  json::Value out = json::Value::object();
  out.set("leaves", static_cast<int64_t>(leaves.size()));
  out.set("merkle_root", pcs::merkle_root_of_leaves(std::move(leaves)));
  return out;
}

Result<json::Value> op_verify_signature(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(pcs::Document d, read_pcs(r));
  FLK_ASSIGN(pcs::Key key, read_pcs_key(r, false));
  FLK_TRY(r.finish());
  std::string why = pcs::check_signature(pcs::subset_of(d), d.sig, key);
  json::Value out = json::Value::object();
  out.set("valid", why.empty()).set("pcs_id", d.pcs_id);
  if (!why.empty()) out.set("reason", why);
  return out;
}

Result<json::Value> op_evaluate(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(pcs::Document d, read_pcs(r));
  FLK_ASSIGN(pcs::VerifyParams p, read_verify_params(r));
  FLK_TRY(r.finish());
  return verdict_json(pcs::evaluate(d, p), d.pcs_id);
}

Result<json::Value> op_verify(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(pcs::Document d, read_pcs(r));
  FLK_ASSIGN(pcs::Key key, read_pcs_key(r, false));
  FLK_ASSIGN(pcs::VerifyParams p, read_verify_params(r));
  FLK_TRY(r.finish());
  std::string why = pcs::check_signature(pcs::subset_of(d), d.sig, key);
  if (!why.empty()) return bad_signature_json(why, d.pcs_id);
  return verdict_json(pcs::evaluate(d, p), d.pcs_id);
}

// The whole pipeline with the engine's in-memory dedup store: signature before dedup, first
// write wins, results expire after ttl_ms. The server runs the same steps on its own stores.
Result<json::Value> op_submit(Engine& engine, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(pcs::Document d, read_pcs(r));
  FLK_ASSIGN(pcs::Key key, read_pcs_key(r, false));
  FLK_ASSIGN(pcs::VerifyParams p, read_verify_params(r));
  FLK_ASSIGN(int64_t now_ms, r.integer("now_ms", 0, kMaxSubmitMs));
  FLK_ASSIGN(auto ttl_ms, r.opt_integer("ttl_ms", 1, kMaxSubmitMs));
  FLK_TRY(r.finish());
  std::string why = pcs::check_signature(pcs::subset_of(d), d.sig, key);
  if (!why.empty()) return bad_signature_json(why, d.pcs_id);
  FLK_ASSIGN(auto cached, engine.dedup().get(d.pcs_id, now_ms));
  json::Value out;
  if (cached) {
    FLK_ASSIGN(out, json::parse(*cached));
    out.set("duplicate", true);
    return out;
  }
  out = verdict_json(pcs::evaluate(d, p), d.pcs_id);
  FLK_TRY(engine.dedup().put_if_absent(d.pcs_id, json::to_string(out), now_ms, ttl_ms.value_or(pcs::kDefaultDedupTtlMs)));
  out.set("duplicate", false);
  return out;
}

}  // namespace

void add_pcs_types(std::vector<TypeSpec>& t) {
  t.push_back({"PcsSignedFields",
               "{ pcs_id: string; merkle_root: string; epoch: number; shard_id: string; D_hat: number; "
               "coh_star: number; r: number; budget: number }"});
  t.push_back({"Pcs",
               "PcsSignedFields & { schema: 'fractal-lba-kakeya'; version: string; attempt?: number; sent_at?: string; "
               "seed?: number; scales: number[]; N_j: Record<string, number>; v_star?: number[]; "
               "regime: 'sticky' | 'mixed' | 'non_sticky'; sig: string; ft?: { outbox_seq: number; degraded: boolean; "
               "fallbacks: string[]; clock_skew_ms: number } }"});
}

void add_pcs_ops(std::vector<OpSpec>& t) {
  t.push_back({"pcs.build",
               "A complete PCS from a CSV (timestamp, coordinates…) or points: N_j, D̂, coh★, v★, r, regime, budget, "
               "merkle root, pcs_id; signed when a key is given.",
               "{ csv?: string; points?: number[][]; timestamps?: number[]; shard_id: string; epoch: number; "
               "sent_at: string; seed?: number; scales?: number[]; chunk_size?: number; directions?: number; "
               "bins?: number; attempt?: number; key?: " FLK_TS_KEY " }",
               "Pcs", op_build});
  t.push_back({"pcs.sign", "Signs a PCS (HMAC-SHA256 over the canonical payload, or Ed25519 over its SHA-256).",
               "{ pcs: Pcs; key: " FLK_TS_KEY " }", "Pcs", op_sign});
  t.push_back({"pcs.sign_payload", "The signature of the eight signed fields alone (for agents that hold only those).",
               "{ pcs: PcsSignedFields; key: " FLK_TS_KEY " }", "{ sig: string }", op_sign_payload});
  t.push_back({"pcs.canonical_payload", "The exact bytes that get signed, and their SHA-256.",
               "{ pcs: PcsSignedFields }", "{ payload: string; sha256_hex: string }", op_canonical_payload});
  t.push_back({"pcs.id", "pcs_id = hex(SHA-256(merkle_root|epoch|shard_id)).",
               "{ merkle_root: string; epoch: number; shard_id: string }", "{ pcs_id: string }", op_pcs_id});
  t.push_back({"merkle.root", "Merkle root of rows (joined by \\n) or bytes cut into chunk_size-byte leaves.",
               "{ rows?: string[]; data_text?: string; data_hex?: string; data_b64?: string; chunk_size: number }",
               "{ merkle_root: string; leaves: number }", op_merkle_root});
  t.push_back({"pcs.verify_signature", "Checks a PCS signature only (the step before dedup).",
               "{ pcs: Pcs; key: " FLK_TS_KEY " }", "{ valid: boolean; pcs_id: string; reason?: string }",
               op_verify_signature});
  t.push_back({"pcs.evaluate", "The verification engine alone: structure, D̂ recompute, bounds, regime, budget.",
               "{ pcs: Pcs; params?: " FLK_TS_VERIFY_PARAMS " }", FLK_TS_VERDICT, op_evaluate});
  t.push_back({"pcs.verify", "Signature, then the engine: status 200 accepted, 202 escalated or rejected, 401 bad signature.",
               "{ pcs: Pcs; key: " FLK_TS_KEY "; params?: " FLK_TS_VERIFY_PARAMS " }", FLK_TS_VERDICT, op_verify});
  t.push_back({"pcs.submit",
               "verify with first-write-wins dedup in this engine's memory (signature before dedup; TTL 14 days).",
               "{ pcs: Pcs; key: " FLK_TS_KEY "; now_ms: number; ttl_ms?: number; params?: " FLK_TS_VERIFY_PARAMS " }",
               "{ status: 200 | 202 | 401; accepted: boolean; escalated: boolean; pcs_id: string; reason?: string; "
               "recomputed_D_hat?: number; recomputed_budget?: number; duplicate?: boolean }",
               op_submit});
}

}  // namespace flk
