// PII ops (pii/): find personal data and credentials in a text, and redact them. The text comes
// as `text` (a JSON string) or `text_b64` (any bytes, e.g. binary or invalid UTF-8); offsets are
// byte offsets into it, plus UTF-16 offsets for JavaScript strings.
#include "facade/registry.h"
#include "json/fields.h"
#include "pii/redact.h"
#include "pii/scan.h"

namespace flk {
namespace {

constexpr size_t kMaxTextBytes = 32u << 20;
constexpr int64_t kDefaultLimit = 1000;
constexpr size_t kMinKeyBytes = 16;

struct ScanInput {
  std::string text;
  bool binary = false;
  pii::Options options;
  int64_t limit = kDefaultLimit;
};

Result<ScanInput> read_scan_input(json::ObjectReader& r) {
  ScanInput in;
  FLK_ASSIGN(auto text, r.opt_string("text", kMaxTextBytes));
  FLK_ASSIGN(auto b64, r.opt_string("text_b64", (kMaxTextBytes / 3 + 1) * 4));
  if (text && b64) return make_error("conflicting_fields", "give text or text_b64, not both", "$.text_b64");
  if (!text && !b64) return make_error("missing_field", "one of text or text_b64 is required", "$.text");
  if (b64) {
    auto bytes = crypto::from_base64(*b64);
    if (!bytes.ok()) return make_error("bad_encoding", "$.text_b64: " + bytes.error().message, "$.text_b64");
    in.text.assign(bytes->begin(), bytes->end());
    in.binary = true;
  } else {
    in.text = std::move(*text);
  }
  if (const json::Value* types = r.optional("types")) {
    if (!types->is_array()) return json::wrong_type("$.types", "an array", *types);
    if (types->as_array().size() > static_cast<size_t>(pii::kKindCount))
      return make_error("too_large", "$.types has more entries than there are types", "$.types");
    in.options.kinds = 0;
    for (size_t i = 0; i < types->as_array().size(); ++i) {
      std::string path = json::index_path("$.types", i);
      FLK_ASSIGN(std::string name, json::read_string(types->as_array()[i], path, 64));
      pii::Kind k;
      if (!pii::parse_kind(name, k)) return make_error("out_of_range", path + ": unknown PII type " + name, path);
      in.options.kinds |= 1u << static_cast<int>(k);
    }
  }
  FLK_ASSIGN(auto min_conf, r.opt_number("min_confidence", {0, 1}));
  if (min_conf) in.options.min_confidence = *min_conf;
  FLK_ASSIGN(auto limit, r.opt_integer("limit", 0, 1000000));
  if (limit) in.limit = *limit;
  return in;
}

// findings (at most `limit`, the rest only counted), counts per requested type, truncated.
void describe(const ScanInput& in, const pii::Findings& found, json::Value& out) {
  json::Value list = json::Value::array();
  json::Value counts = json::Value::object();
  int64_t per_kind[pii::kKindCount] = {0};
  size_t pos = 0, units = 0;
  for (const pii::Finding& f : found) {
    ++per_kind[static_cast<int>(f.kind)];
    if (static_cast<int64_t>(list.as_array().size()) >= in.limit) continue;
    units += pii::utf16_length(std::string_view(in.text).substr(pos, f.begin - pos));
    size_t start16 = units;
    units += pii::utf16_length(std::string_view(in.text).substr(f.begin, f.end - f.begin));
    pos = f.end;
    json::Value o = json::Value::object();
    o.set("type", pii::kind_name(f.kind)).set("rule", f.rule).set("confidence", f.confidence);
    o.set("start", static_cast<int64_t>(f.begin)).set("end", static_cast<int64_t>(f.end));
    o.set("start_utf16", static_cast<int64_t>(start16)).set("end_utf16", static_cast<int64_t>(units));
    list.push(std::move(o));
  }
  for (int k = 0; k < pii::kKindCount; ++k)
    if (in.options.kinds >> k & 1u) counts.set(pii::kind_name(static_cast<pii::Kind>(k)), per_kind[k]);
  out.set("findings", std::move(list)).set("counts", std::move(counts));
  out.set("truncated", static_cast<int64_t>(found.size()) > in.limit);
}

Result<json::Value> op_scan(Engine&, const json::Value& v) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(v, "$"));
  FLK_ASSIGN(ScanInput in, read_scan_input(r));
  FLK_TRY(r.finish());
  pii::Findings found = pii::scan(in.text, in.options);
  json::Value out = json::Value::object();
  out.set("bytes", static_cast<int64_t>(in.text.size()));
  describe(in, found, out);
  return out;
}

Result<json::Value> op_redact(Engine&, const json::Value& v) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(v, "$"));
  FLK_ASSIGN(ScanInput in, read_scan_input(r));
  FLK_ASSIGN(pii::Mode mode, r.choice<pii::Mode>("mode", {{"mask", pii::Mode::Mask}, {"tag", pii::Mode::Tag},
                                                           {"pseudonym", pii::Mode::Pseudonym}}));
  FLK_ASSIGN(auto key, r.opt_bytes("key"));
  FLK_TRY(r.finish());
  if (mode == pii::Mode::Pseudonym && !key)
    return make_error("missing_field", "mode pseudonym needs key_text, key_hex or key_b64", "$.key");
  if (mode != pii::Mode::Pseudonym && key)
    return make_error("conflicting_fields", "a key is only used by mode pseudonym", "$.key");
  if (key && key->size() < kMinKeyBytes)
    return make_error("bad_length", "the pseudonym key must be at least 16 bytes", "$.key");
  pii::Findings found = pii::scan(in.text, in.options);
  std::string red = pii::redact(in.text, found, mode, key ? *key : crypto::Bytes());
  json::Value out = json::Value::object();
  if (in.binary) {
    out.set("text_b64", crypto::to_base64(reinterpret_cast<const uint8_t*>(red.data()), red.size()));
  } else {
    out.set("text", std::move(red));
  }
  describe(in, found, out);
  return out;
}

#define FLK_TS_PII_INPUT "text?: string; text_b64?: string; types?: PiiType[]; min_confidence?: number; limit?: number"
#define FLK_TS_PII_FOUND "findings: PiiFinding[]; counts: Partial<Record<PiiType, number>>; truncated: boolean"

}  // namespace

void add_pii_types(std::vector<TypeSpec>& t) {
  t.push_back({"PiiType",
               "'email' | 'phone' | 'payment_card' | 'iban' | 'us_ssn' | 'ipv4' | 'ipv6' | 'date_of_birth' | "
               "'street_address' | 'secret'"});
  t.push_back({"PiiFinding",
               "{ type: PiiType; rule: string; confidence: number; start: number; end: number; start_utf16: number; "
               "end_utf16: number }"});
}

void add_pii_ops(std::vector<OpSpec>& t) {
  t.push_back({"pii.scan",
               "Finds personal data and credentials (e-mail, phone, card, IBAN, SSN, IP, birth date, address, "
               "secrets) with linear-time matchers; byte and UTF-16 offsets.",
               "{ " FLK_TS_PII_INPUT " }", "{ bytes: number; " FLK_TS_PII_FOUND " }", op_scan});
  t.push_back({"pii.redact",
               "Replaces what pii.scan finds with a mask, a type tag or a keyed HMAC pseudonym (same value, same "
               "token).",
               "{ " FLK_TS_PII_INPUT "; mode: 'mask' | 'tag' | 'pseudonym'; key_text?: string; key_hex?: string; "
               "key_b64?: string }",
               "{ text?: string; text_b64?: string; " FLK_TS_PII_FOUND " }", op_redact});
}

}  // namespace flk
