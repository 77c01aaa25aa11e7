#include "pcs/document.h"

#include <algorithm>

#include "json/fields.h"

namespace flk::pcs {
namespace {

constexpr const char* kKnownKeys[] = {"pcs_id", "schema", "version", "shard_id", "epoch", "attempt", "sent_at",
                                      "seed", "scales", "N_j", "coh_star", "v_star", "D_hat", "r",
                                      "regime", "budget", "merkle_root", "sig", "ft"};
constexpr int64_t kMaxScale = int64_t{1} << 30;
constexpr int64_t kMaxCount = int64_t{1} << 53;

Error bad_format(const std::string& path, const std::string& what) {
  return make_error("bad_format", path + " must be " + what, path);
}

Result<std::string> safe_id(json::ObjectReader& r, const char* key, bool allow_empty) {
  FLK_ASSIGN(std::string s, r.string(key, 128));
  if (!(is_safe_id(s) || (allow_empty && s.empty())))
    return bad_format(r.path_of(key), "1 to 128 characters from A-Z a-z 0-9 . _ : -");
  return s;
}

bool is_lower_hex(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

Result<FaultTolerance> read_ft(const json::Value& v, const std::string& path) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(v, path));
  FaultTolerance ft;
  FLK_ASSIGN(ft.outbox_seq, r.integer("outbox_seq"));
  FLK_ASSIGN(ft.degraded, r.boolean("degraded"));
  FLK_ASSIGN(const json::Value* fb, r.required("fallbacks"));
  if (!fb->is_array()) return json::wrong_type(r.path_of("fallbacks"), "an array", *fb);
  if (fb->as_array().size() > 64) return make_error("too_large", "at most 64 fallbacks", r.path_of("fallbacks"));
  for (size_t i = 0; i < fb->as_array().size(); ++i) {
    FLK_ASSIGN(std::string s, json::read_string(fb->as_array()[i], json::index_path(r.path_of("fallbacks"), i), 256));
    ft.fallbacks.push_back(std::move(s));
  }
  FLK_ASSIGN(ft.clock_skew_ms, r.integer("clock_skew_ms"));
  FLK_TRY(r.finish());
  return ft;
}

}  // namespace

bool is_safe_id(const std::string& s) {
  if (s.empty() || s.size() > 128) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == ':' || c == '-';
  });
}

bool is_rfc3339(const std::string& s) {
  // YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)
  auto digits = [&](size_t at, size_t n) {
    if (at + n > s.size()) return false;
    for (size_t i = at; i < at + n; ++i)
      if (s[i] < '0' || s[i] > '9') return false;
    return true;
  };
  auto num = [&](size_t at, size_t n) {  // of digits checked above; no std::stoi (its error path links printf)
    int v = 0;
    for (size_t i = at; i < at + n; ++i) v = v * 10 + (s[i] - '0');
    return v;
  };
  if (!(digits(0, 4) && s.size() > 19 && s[4] == '-' && digits(5, 2) && s[7] == '-' && digits(8, 2) &&
        (s[10] == 'T' || s[10] == 't') && digits(11, 2) && s[13] == ':' && digits(14, 2) && s[16] == ':' &&
        digits(17, 2)))
    return false;
  if (num(5, 2) < 1 || num(5, 2) > 12 || num(8, 2) < 1 || num(8, 2) > 31 || num(11, 2) > 23 || num(14, 2) > 59 ||
      num(17, 2) > 60)
    return false;
  size_t i = 19;
  if (s[i] == '.') {
    size_t j = i + 1;
    while (j < s.size() && s[j] >= '0' && s[j] <= '9') ++j;
    if (j == i + 1) return false;
    i = j;
  }
  if (i == s.size() - 1 && (s[i] == 'Z' || s[i] == 'z')) return true;
  return i + 6 == s.size() && (s[i] == '+' || s[i] == '-') && digits(i + 1, 2) && s[i + 3] == ':' &&
         digits(i + 4, 2) && num(i + 1, 2) <= 23 && num(i + 4, 2) <= 59;
}

Result<Document> read_document(const json::Value& v, const std::string& path) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(v, path));
  Document d;
  FLK_ASSIGN(d.pcs_id, safe_id(r, "pcs_id", true));
  FLK_ASSIGN(d.schema, r.string("schema", 128));
  FLK_ASSIGN(d.version, r.string("version", 64));
  FLK_ASSIGN(d.shard_id, safe_id(r, "shard_id", true));
  FLK_ASSIGN(d.epoch, r.integer("epoch"));
  FLK_ASSIGN(d.attempt, r.opt_integer("attempt", 1));
  FLK_ASSIGN(d.sent_at, r.opt_string("sent_at", 64));
  if (d.sent_at && !is_rfc3339(*d.sent_at)) return bad_format(r.path_of("sent_at"), "an RFC 3339 timestamp");
  FLK_ASSIGN(d.seed, r.opt_integer("seed"));
  FLK_ASSIGN(const json::Value* scales, r.required("scales"));
  FLK_ASSIGN(d.scales, json::read_ints(*scales, json::PathRef(r.path(), "scales"), kMaxScales, 1, kMaxScale));
  FLK_ASSIGN(const json::Value* nj, r.required("N_j"));
  FLK_ASSIGN(auto nj_reader, json::ObjectReader::open(*nj, r.path_of("N_j")));
  for (const auto& m : nj->as_object()) {
    bool known = std::any_of(d.scales.begin(), d.scales.end(), [&](int64_t s) { return std::to_string(s) == m.first; });
    if (!known)
      return make_error("unknown_field", "N_j key \"" + m.first + "\" is not one of the scales",
                        nj_reader.path_of(m.first));
    FLK_ASSIGN(int64_t c, json::read_int(m.second, json::PathRef(nj_reader.path(), m.first), -kMaxCount, kMaxCount));
    d.n_j.emplace_back(m.first, c);
  }
  FLK_ASSIGN(d.coh_star, r.number("coh_star"));
  if (const json::Value* vs = r.optional("v_star")) {
    FLK_ASSIGN(auto v_star, json::read_numbers(*vs, json::PathRef(r.path(), "v_star"), kMaxDims));
    d.v_star = std::move(v_star);
  }
  FLK_ASSIGN(d.d_hat, r.number("D_hat", {-1e6, 1e6}));
  FLK_ASSIGN(d.r, r.number("r", {0, 1}));
  FLK_ASSIGN(d.regime, r.string("regime", 32));
  if (d.regime != "sticky" && d.regime != "mixed" && d.regime != "non_sticky")
    return make_error("out_of_range", r.path_of("regime") + " must be sticky, mixed or non_sticky", r.path_of("regime"));
  FLK_ASSIGN(d.budget, r.number("budget", {0, 1}));
  FLK_ASSIGN(d.merkle_root, r.string("merkle_root", 64));
  if (d.merkle_root.size() != 64 || !is_lower_hex(d.merkle_root))
    return bad_format(r.path_of("merkle_root"), "64 lowercase hex digits");
  FLK_ASSIGN(d.sig, r.string("sig", 256));
  if (const json::Value* ft = r.optional("ft")) {
    FLK_ASSIGN(FaultTolerance f, read_ft(*ft, r.path_of("ft")));
    d.ft = std::move(f);
  }
  FLK_TRY(r.finish());
  return d;
}

Result<SignedSubset> read_signed_subset(const json::Value& v, const std::string& path) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(v, path));
  SignedSubset s;
  FLK_ASSIGN(s.pcs_id, safe_id(r, "pcs_id", false));
  FLK_ASSIGN(s.merkle_root, safe_id(r, "merkle_root", false));
  FLK_ASSIGN(s.shard_id, safe_id(r, "shard_id", false));
  FLK_ASSIGN(s.epoch, r.integer("epoch"));
  FLK_ASSIGN(s.d_hat, r.number("D_hat"));
  FLK_ASSIGN(s.coh_star, r.number("coh_star"));
  FLK_ASSIGN(s.r, r.number("r"));
  FLK_ASSIGN(s.budget, r.number("budget"));
  for (const char* k : kKnownKeys) r.optional(k);
  FLK_TRY(r.finish());
  return s;
}

SignedSubset subset_of(const Document& d) {
  return SignedSubset{d.pcs_id, d.merkle_root, d.shard_id, d.epoch, d.d_hat, d.coh_star, d.r, d.budget};
}

json::Value to_json(const Document& d) {
  json::Value o = json::Value::object();
  o.set("pcs_id", d.pcs_id).set("schema", d.schema).set("version", d.version).set("shard_id", d.shard_id);
  o.set("epoch", d.epoch);
  if (d.attempt) o.set("attempt", *d.attempt);
  if (d.sent_at) o.set("sent_at", *d.sent_at);
  if (d.seed) o.set("seed", *d.seed);
  json::Value scales = json::Value::array();
  for (int64_t s : d.scales) scales.push(s);
  o.set("scales", std::move(scales));
  json::Value nj = json::Value::object();
  for (const auto& [k, c] : d.n_j) nj.set(k, c);
  o.set("N_j", std::move(nj));
  o.set("coh_star", d.coh_star);
  if (d.v_star) {
    json::Value vs = json::Value::array();
    for (double x : *d.v_star) vs.push(x);
    o.set("v_star", std::move(vs));
  }
  o.set("D_hat", d.d_hat).set("r", d.r).set("regime", d.regime).set("budget", d.budget);
  o.set("merkle_root", d.merkle_root).set("sig", d.sig);
  if (d.ft) {
    json::Value ft = json::Value::object();
    json::Value fb = json::Value::array();
    for (const auto& f : d.ft->fallbacks) fb.push(f);
    ft.set("outbox_seq", d.ft->outbox_seq).set("degraded", d.ft->degraded).set("fallbacks", std::move(fb));
    ft.set("clock_skew_ms", d.ft->clock_skew_ms);
    o.set("ft", std::move(ft));
  }
  return o;
}

}  // namespace flk::pcs
