// Credentials. Three scanners, each linear:
//  - token runs ([A-Za-z0-9_-]) checked against provider formats and JWT's three parts;
//  - PEM private-key blocks, the END marker searched with one forward-only cursor;
//  - `name = value` / `"name": "value"` where the name is key-like and the value looks random.
#include <string>

#include "math/dmath.h"
#include "pii/chars.h"
#include "pii/detectors.h"

namespace flk::pii {
namespace {

constexpr size_t kMaxToken = 4096;
constexpr size_t kMaxName = 48;
constexpr size_t kMaxPad = 4;

bool token_byte(unsigned char c) { return is_alnum(c) || c == '_' || c == '-'; }

size_t token_end(std::string_view t, size_t i) {
  while (i < t.size() && token_byte(at(t, i))) ++i;
  return i;
}

bool all_of(std::string_view s, bool (*pred)(unsigned char)) {
  for (unsigned char c : s)
    if (!pred(c)) return false;
  return true;
}
bool base32_upper(unsigned char c) { return is_upper(c) || (c >= '2' && c <= '7'); }
bool alnum(unsigned char c) { return is_alnum(c); }
bool alnum_underscore(unsigned char c) { return is_alnum(c) || c == '_'; }

struct Format {
  const char* prefix;
  size_t min_rest, max_rest;
  bool (*rest_ok)(unsigned char);
  const char* rule;
  double confidence;
};

constexpr Format kFormats[] = {
    {"AKIA", 16, 16, base32_upper, "aws_access_key_id", 0.95},
    {"ASIA", 16, 16, base32_upper, "aws_access_key_id", 0.95},
    {"AIza", 35, 35, token_byte, "gcp_api_key", 0.95},
    {"ghp_", 36, 36, alnum, "github_token", 0.99},
    {"gho_", 36, 36, alnum, "github_token", 0.99},
    {"ghu_", 36, 36, alnum, "github_token", 0.99},
    {"ghs_", 36, 36, alnum, "github_token", 0.99},
    {"ghr_", 36, 36, alnum, "github_token", 0.99},
    {"github_pat_", 70, 100, alnum_underscore, "github_fine_grained_pat", 0.99},
    {"glpat-", 20, 64, token_byte, "gitlab_pat", 0.95},
    {"xoxb-", 10, 255, token_byte, "slack_token", 0.95},
    {"xoxp-", 10, 255, token_byte, "slack_token", 0.95},
    {"xoxa-", 10, 255, token_byte, "slack_token", 0.95},
    {"xoxr-", 10, 255, token_byte, "slack_token", 0.95},
    {"xoxs-", 10, 255, token_byte, "slack_token", 0.95},
    {"sk_live_", 24, 128, alnum, "stripe_live_key", 0.95},
    {"rk_live_", 24, 128, alnum, "stripe_live_key", 0.95},
};

bool provider_token(std::string_view tok, Finding& f, size_t b) {
  if (tok.size() < 15) return false;  // the shortest format, xox?- and 10
  for (const Format& fm : kFormats) {
    std::string_view p(fm.prefix);
    if (tok.size() < p.size() || tok.compare(0, p.size(), p) != 0) continue;
    std::string_view rest = tok.substr(p.size());
    if (rest.size() < fm.min_rest || rest.size() > fm.max_rest || !all_of(rest, fm.rest_ok)) continue;
    f = {Kind::Secret, b, b + tok.size(), fm.confidence, fm.rule};
    return true;
  }
  return false;
}

// header.payload.signature, both JSON parts base64url of '{"' (so "eyJ"); the signature may be
// empty (alg "none").
size_t jwt_end(std::string_view t, size_t b, size_t e1) {
  if (e1 - b < 10 || e1 + 4 >= t.size() || t[e1] != '.' || t.compare(e1 + 1, 3, "eyJ") != 0) return 0;
  size_t e2 = token_end(t, e1 + 1);
  if (e2 - e1 < 10 || e2 >= t.size() || t[e2] != '.') return 0;
  return token_end(t, e2 + 1);
}

void scan_tokens(std::string_view t, Findings& out) {
  size_t i = 0;
  while (i < t.size()) {
    if (!token_byte(at(t, i)) || (i > 0 && (token_byte(at(t, i - 1)) || at(t, i - 1) >= 0x80))) {
      ++i;
      continue;
    }
    size_t e = token_end(t, i);
    Finding f{};
    if (e - i <= kMaxToken && ends_token(t, e) && provider_token(t.substr(i, e - i), f, i)) {
      out.push_back(f);
    } else if (t.compare(i, 3, "eyJ") == 0) {
      size_t j = jwt_end(t, i, e);
      if (j && j - i <= 3 * kMaxToken && (j == t.size() || !is_word(at(t, j)))) {
        out.push_back({Kind::Secret, i, j, 0.9, "jwt"});
        e = j;
      }
    }
    i = e;
  }
}

void scan_private_keys(std::string_view t, Findings& out) {
  constexpr std::string_view kBegin = "-----BEGIN ", kEnd = "-----END ", kDashes = "-----";
  size_t end_at = 0;  // first "-----END " at or after the cursor it was searched from
  bool end_known = false;
  size_t pos = t.find(kBegin);
  while (pos != std::string_view::npos) {
    size_t label = pos + kBegin.size();
    size_t close = t.substr(label, 48).find(kDashes);
    std::string_view header = close == std::string_view::npos ? std::string_view() : t.substr(label, close);
    if (header.size() < 11 || header.find("PRIVATE KEY") == std::string_view::npos) {
      pos = t.find(kBegin, label);
      continue;
    }
    size_t body = label + close + kDashes.size();
    if (!end_known || (end_at != std::string_view::npos && end_at < body)) {
      end_at = t.find(kEnd, body);
      end_known = true;
    }
    size_t e;
    if (end_at == std::string_view::npos) {
      e = body;  // unterminated (truncated paste): the base64 body still leaks the key
      while (e < t.size() && (is_alnum(at(t, e)) || t[e] == '+' || t[e] == '/' || t[e] == '=' || t[e] == '\n' ||
                              t[e] == '\r'))
        ++e;
    } else {
      size_t c = t.substr(end_at + kEnd.size(), 48).find(kDashes);
      e = c == std::string_view::npos ? end_at + kEnd.size() : end_at + kEnd.size() + c + kDashes.size();
    }
    out.push_back({Kind::Secret, pos, e, end_at == std::string_view::npos ? 0.9 : 0.99,
                   end_at == std::string_view::npos ? "private_key_block_unterminated" : "private_key_block"});
    pos = t.find(kBegin, e);
  }
}

double entropy_bits(std::string_view s) {
  int counts[256] = {0};
  for (unsigned char c : s) ++counts[c];
  double h = 0, n = static_cast<double>(s.size());
  for (int c : counts)
    if (c) h -= (c / n) * dm::log2(c / n);
  return h;
}

bool name_byte(unsigned char c) { return is_alnum(c) || c == '_' || c == '-' || c == '.'; }
bool value_stop(unsigned char c) {
  return c <= ' ' || c == '"' || c == '\'' || c == ',' || c == ';' || c == '&' || c == '<' || c == '>' ||
         c == ')' || c == '}' || c == ']' || c == ':' || c == '`';
}

std::string lower(std::string_view s) {
  std::string o(s);
  for (char& c : o) c = static_cast<char>(to_lower(static_cast<unsigned char>(c)));
  return o;
}

// The name before an assignment at `op`, lowercased, or "" when there is none.
std::string name_before(std::string_view t, size_t op) {
  size_t q = op;
  for (int k = 0; k < 4 && q > 0 && t[q - 1] == ' '; ++k) --q;
  if (q > 0 && (t[q - 1] == '"' || t[q - 1] == '\'')) --q;
  size_t e = q;
  while (q > 0 && e - q <= kMaxName && name_byte(at(t, q - 1))) --q;
  if (e == q || e - q > kMaxName) return {};
  return lower(t.substr(q, e - q));
}

bool password_name(const std::string& n) {
  return n.find("pass") != std::string::npos || n.find("pwd") != std::string::npos;
}
bool key_name(const std::string& n) {
  for (const char* w : {"secret", "token", "credential", "auth", "apikey", "api_key", "api-key", "sig"})
    if (n.find(w) != std::string::npos) return true;
  return n.size() >= 3 && n.compare(n.size() - 3, 3, "key") == 0;
}

bool letters_and_digits(std::string_view v) {
  bool letter = false, digit = false;
  for (unsigned char c : v) {
    letter = letter || is_alpha(c);
    digit = digit || is_digit(c);
  }
  return letter && digit;
}

int char_classes(std::string_view v) {
  bool lo = false, up = false, dg = false, other = false;
  for (unsigned char c : v) {
    lo = lo || is_lower(c);
    up = up || is_upper(c);
    dg = dg || is_digit(c);
    other = other || !is_alnum(c);
  }
  return lo + up + dg + other;
}

// Value after an assignment operator at `op`: [vb, ve).
void value_after(std::string_view t, size_t op, size_t& vb, size_t& ve) {
  size_t r = op + 1;
  if (r < t.size() && (t[r] == '>' || t[r] == '=')) ++r;
  for (int k = 0; k < 4 && r < t.size() && t[r] == ' '; ++k) ++r;
  if (r < t.size() && (t[r] == '"' || t[r] == '\'')) ++r;
  vb = ve = r;
  while (ve < t.size() && ve - vb <= kMaxToken) {
    unsigned char c = at(t, ve);
    if (c == '=') {
      // '=' ends the value unless it is base64 padding (a short run of '=' before a stop byte).
      size_t p = ve;
      while (p < t.size() && t[p] == '=' && p - ve < kMaxPad) ++p;
      if (p < t.size() && !value_stop(at(t, p))) break;
      ve = p;
      break;
    }
    if (value_stop(c)) break;
    ++ve;
  }
}

void scan_assignments(std::string_view t, Findings& out) {
  for (size_t op = 1; op < t.size(); ++op) {
    if (t[op] != '=' && t[op] != ':') continue;
    std::string name = name_before(t, op);
    bool pw = password_name(name);
    if (name.empty() || (!pw && !key_name(name))) continue;
    size_t vb, ve;
    value_after(t, op, vb, ve);
    const char* rule = pw ? "password_assignment" : "high_entropy_assignment";
    std::string_view first = t.substr(vb, ve - vb);
    if (lower(first) == "bearer" || lower(first) == "basic") {
      if (ve >= t.size() || t[ve] != ' ') continue;
      value_after(t, ve, vb, ve);
      rule = "authorization_header";
    }
    std::string_view v = t.substr(vb, ve - vb);
    if (v.empty() || v.size() > kMaxToken || v[0] == '$' || v[0] == '{' || v[0] == '%' || v[0] == '*') continue;
    bool hit = pw ? v.size() >= 8 && char_classes(v) >= 2
                  : v.size() >= 16 && letters_and_digits(v) && entropy_bits(v) >= 3.0;
    if (!hit) continue;
    out.push_back({Kind::Secret, vb, ve, pw ? 0.8 : 0.85, rule});
    op = ve > op ? ve - 1 : op;
  }
}

}  // namespace

void scan_secrets(std::string_view t, Findings& out) {
  scan_tokens(t, out);
  scan_private_keys(t, out);
  scan_assignments(t, out);
}

}  // namespace flk::pii
