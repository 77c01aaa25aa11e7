// PII screening of request text by tenant policy, before anything is computed, stored or audited:
//   off     nothing is scanned (the default)
//   detect  pii.scan; the findings (types, offsets, rules: never the values) go into the answer,
//           their counts per field and type into a pii.detected audit entry
//   block   pii.scan; anything found answers 422 pii_found with the types, audited as pii.blocked
//   redact  pii.redact rewrites the fields in place, so what runs, answers and is audited
//           (pii.redacted) holds only the replacements
// Policies come from the `pii` setting: {"default": policy, "tenants": {"<id>": policy}}, a policy
// being {"action", "types"?, "min_confidence"?, "mode"? (redact: mask | tag | pseudonym),
// "key_file"? (pseudonym: a key of `flk keygen hmac`)}. POST /v1/hrs/score screens its question,
// context and answer; other routes (the verification gate) call screen_pii with their fields.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "http/types.h"
#include "json/value.h"
#include "store/store.h"
#include "util/result.h"

namespace flk::server {

struct App;

enum class PiiAction { off, detect, block, redact };

struct PiiPolicy {
  PiiAction action = PiiAction::off;
  json::Value options = json::Value::object();  // pii.scan / pii.redact options: types, min_confidence, mode, key_b64
};

class PiiPolicies {
 public:
  // text: the pii setting as JSON ("": every tenant off). Each policy is tried once, so a bad
  // type, mode or key fails at start-up rather than on a request.
  static Result<PiiPolicies> parse(const std::string& text);
  const PiiPolicy& of(const std::string& tenant) const;

 private:
  PiiPolicy default_;
  std::map<std::string, PiiPolicy> tenants_;
};

// The text fields /v1/hrs/score screens.
const std::vector<std::string>& hrs_text_fields();

struct PiiScreen {
  std::optional<Response> refusal;  // block: the 422 to answer instead
  json::Value report;               // null when the policy is off: {"action", "counts", "fields"}
  std::optional<AuditDraft> audit;  // when anything was found
};

// Screens the string fields of in named by fields under the policy; redact rewrites them in place.
// route: recorded in the audit entry.
Result<PiiScreen> screen_pii(const PiiPolicy& policy, const std::string& tenant, const std::string& route,
                             json::Value& in, const std::vector<std::string>& fields);

// Answers r once the screen's audit entry, if it has one, is committed; if the store fails, the
// answer is the store failure instead (findings are never reported without their audit entry).
void reply_screened(App& app, PiiScreen& screen, Response r, Reply reply);

}  // namespace flk::server
