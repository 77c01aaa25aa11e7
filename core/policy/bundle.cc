#include "policy/bundle.h"

#include <algorithm>

#include "crypto/hash.h"
#include "json/fields.h"
#include "json/write.h"
#include "policy/kinds.h"

namespace flk::policy {
namespace {

constexpr const char* kSigningTag = "flk-policy-signature-v1\n";

Status check_bands(const json::Value& bands, const std::string& path) {
  const auto& a = bands.as_array();
  double expect = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    std::string p = json::index_path(path, i);
    double lo = a[i].find("min_risk")->as_double();
    double hi = a[i].find("max_risk")->as_double();
    if (lo != expect)
      return make_error("out_of_range", p + ".min_risk must be " + (i ? "the previous band's max_risk" : "0") + " (no gap or overlap)",
                        p + ".min_risk");
    if (hi <= lo) return make_error("out_of_range", p + ".max_risk must exceed min_risk", p + ".max_risk");
    expect = hi;
  }
  if (expect != 1) {
    std::string p = json::index_path(path, a.size() - 1) + ".max_risk";
    return make_error("out_of_range", p + " of the last band must be 1", p);
  }
  return Ok{};
}

// reduce_budget needs budget_factor, alternate_region needs region, and no other action takes them.
Status check_action_params(const json::Value& o, const std::string& path) {
  const std::string& action = o.find("action")->as_string();
  bool reduce = action == "reduce_budget", alternate = action == "alternate_region";
  if (reduce != (o.find("budget_factor") != nullptr))
    return make_error(reduce ? "missing_field" : "conflicting_fields",
                      path + ".budget_factor " + (reduce ? "is required by reduce_budget" : "belongs to reduce_budget only"),
                      path + ".budget_factor");
  if (alternate != (o.find("region") != nullptr))
    return make_error(alternate ? "missing_field" : "conflicting_fields",
                      path + ".region " + (alternate ? "is required by alternate_region" : "belongs to alternate_region only"),
                      path + ".region");
  return Ok{};
}

Status check_routing(const json::Value& spec, const std::string& path) {
  const json::Value& bands = *spec.find("bands");
  FLK_TRY(check_bands(bands, path + ".bands"));
  for (size_t i = 0; i < bands.as_array().size(); ++i)
    FLK_TRY(check_action_params(bands.as_array()[i], json::index_path(path + ".bands", i)));
  if (const json::Value* o = spec.find("overrides"))
    for (size_t i = 0; i < o->as_array().size(); ++i)
      FLK_TRY(check_action_params(o->as_array()[i], json::index_path(path + ".overrides", i)));
  return Ok{};
}

Status check_canary(const json::Value& spec, const std::string& path) {
  if (const json::Value* steps = spec.find("steps")) {
    const auto& a = steps->as_array();
    for (size_t i = 1; i < a.size(); ++i)
      if (a[i].as_int() <= a[i - 1].as_int())
        return make_error("out_of_range", json::index_path(path + ".steps", i) + " must exceed the step before it",
                          json::index_path(path + ".steps", i));
    if (a.back().as_int() != 100)
      return make_error("out_of_range", json::index_path(path + ".steps", a.size() - 1) + ": the last step must be 100",
                        json::index_path(path + ".steps", a.size() - 1));
  }
  const auto& metrics = spec.find("metrics")->as_array();
  for (size_t i = 0; i < metrics.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (metrics[i].find("name")->as_string() == metrics[j].find("name")->as_string())
        return make_error("duplicate_key", json::index_path(path + ".metrics", i) + ".name is listed twice",
                          json::index_path(path + ".metrics", i) + ".name");
  const json::Value* lo = spec.find("min_samples");
  const json::Value* hi = spec.find("max_samples");
  if (lo && hi && lo->as_int() > hi->as_int())
    return make_error("out_of_range", path + ".min_samples must not exceed max_samples", path + ".min_samples");
  return Ok{};
}

Status check_budget(const json::Value& spec, const std::string& path) {
  bool degrade = spec.find("on_exhausted")->as_string() == "degrade";
  if (degrade != (spec.find("degrade_factor") != nullptr))
    return make_error(degrade ? "missing_field" : "conflicting_fields",
                      path + ".degrade_factor " + (degrade ? "is required by degrade" : "belongs to degrade only"),
                      path + ".degrade_factor");
  return Ok{};
}

json::Value without_signature(const json::Value& doc) {
  json::Value out = json::Value::object();
  for (const auto& m : doc.as_object())
    if (m.first != "signature") out.set(m.first, m.second);
  return out;
}

}  // namespace

Result<Bundle> load(const json::Value& doc, const std::string& path) {
  if (!doc.is_object()) return json::wrong_type(path, "an object (a policy document)", doc);
  const json::Value* kind = doc.find("kind");
  std::string kpath = json::join_path(path, "kind");
  if (!kind) return make_error("missing_field", kpath + " is required", kpath);
  FLK_ASSIGN(std::string k, json::read_string(*kind, kpath, 64));
  const Shape* shape = document_shape(k);
  if (!shape)
    return make_error("out_of_range", kpath + " must be RiskRoutingPolicy, EnsemblePolicy, BudgetPolicy or CanaryPolicy", kpath);
  FLK_TRY(check(*shape, doc, path));
  const json::Value& spec = *doc.find("spec");
  std::string spath = json::join_path(path, "spec");
  if (k == "RiskRoutingPolicy") FLK_TRY(check_routing(spec, spath));
  if (k == "CanaryPolicy") FLK_TRY(check_canary(spec, spath));
  if (k == "BudgetPolicy") FLK_TRY(check_budget(spec, spath));
  Bundle b;
  b.doc = doc;
  b.kind = k;
  b.name = doc.find("metadata")->find("name")->as_string();
  b.version = doc.find("metadata")->find("version")->as_int();
  b.hash = "sha256:" + crypto::sha256_hex(canonical(doc));
  return b;
}

std::string canonical(const json::Value& doc) { return json::to_string(without_signature(doc)); }

std::string signing_payload(const json::Value& doc) { return kSigningTag + canonical(doc); }

json::Value sign(const json::Value& doc, const crypto::Seed& seed) {
  std::string payload = signing_payload(doc);
  crypto::Signature sig = crypto::ed25519_sign(seed, reinterpret_cast<const uint8_t*>(payload.data()), payload.size());
  crypto::PublicKey pk = crypto::ed25519_public_key(seed);
  json::Value out = without_signature(doc);
  out.set("signature", json::Value::object()
                           .set("alg", "ed25519")
                           .set("public_key_b64", crypto::to_base64(pk.data(), pk.size()))
                           .set("signature_b64", crypto::to_base64(sig.data(), sig.size())));
  return out;
}

SignatureState verify(const json::Value& doc, const crypto::PublicKey* expected) {
  const json::Value* s = doc.find("signature");
  if (!s) return SignatureState::kAbsent;
  const json::Value* pkv = s->find("public_key_b64");
  const json::Value* sv = s->find("signature_b64");
  if (!pkv || !sv) return SignatureState::kInvalid;
  Result<crypto::Bytes> pk = crypto::from_base64(pkv->as_string());
  Result<crypto::Bytes> sig = crypto::from_base64(sv->as_string());
  if (!pk.ok() || !sig.ok() || pk->size() != 32 || sig->size() != 64) return SignatureState::kInvalid;
  crypto::PublicKey key;
  crypto::Signature signature;
  std::copy(pk->begin(), pk->end(), key.begin());
  std::copy(sig->begin(), sig->end(), signature.begin());
  std::string payload = signing_payload(doc);
  if (!crypto::ed25519_verify(key, signature, reinterpret_cast<const uint8_t*>(payload.data()), payload.size()))
    return SignatureState::kInvalid;
  if (expected && *expected != key) return SignatureState::kWrongKey;
  return SignatureState::kValid;
}

const char* signature_state_name(SignatureState s) {
  switch (s) {
    case SignatureState::kAbsent: return "absent";
    case SignatureState::kValid: return "valid";
    case SignatureState::kInvalid: return "invalid";
    case SignatureState::kWrongKey: return "wrong_key";
  }
  return "?";
}

}  // namespace flk::policy
