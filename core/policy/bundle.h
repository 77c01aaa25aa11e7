// Policy documents (docs/policy.md): validation, the canonical hash and Ed25519 signatures.
// A document is kept as its JSON value once load() has accepted it; nothing is applied before
// the whole document passed every check.
#pragma once
#include <string>

#include "crypto/ed25519.h"
#include "json/value.h"
#include "util/result.h"

namespace flk::policy {

struct Bundle {
  json::Value doc;    // the validated document, signature included when given
  std::string kind;
  std::string name;   // metadata.name: the policy id
  int64_t version = 0;
  std::string hash;   // "sha256:" + hex of the canonical JSON without the signature
};

// Shape (schema.h), then the rules a schema cannot say: bands tile [0, 1], reduce_budget and
// alternate_region carry their parameter, ensemble options as ensemble.verify reads them, canary
// steps increase to 100. Errors at the path of the offending field under `path`.
Result<Bundle> load(const json::Value& doc, const std::string& path);

// The canonical JSON of the document without its signature: what the hash covers.
std::string canonical(const json::Value& doc);
// The bytes a signature covers: a domain tag, then the canonical JSON without the signature.
std::string signing_payload(const json::Value& doc);
// The document with its signature set (replacing one it had).
json::Value sign(const json::Value& doc, const crypto::Seed& seed);
// Whether the document's signature is valid; with `expected`, also that it is that key's.
enum class SignatureState { kAbsent, kValid, kInvalid, kWrongKey };
SignatureState verify(const json::Value& doc, const crypto::PublicKey* expected);
const char* signature_state_name(SignatureState s);

}  // namespace flk::policy
