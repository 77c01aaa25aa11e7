// Digit-shaped PII. The text is cut into chunks (digits joined by - . / ( ), optionally led by
// '+'), chunks separated by one space form a group, and each group is matched greedily from the
// left against the longest run of up to kMaxJoin chunks that a rule accepts. A bare digit run is
// never enough: each rule needs its layout (groups, separators), a check digit or a context word.
#include <optional>
#include <string>
#include <vector>

#include "pii/chars.h"
#include "pii/checks.h"
#include "pii/detectors.h"
#include "pii/phone_plan.h"

namespace flk::pii {
namespace {

constexpr size_t kMaxChunk = 64;
constexpr size_t kMaxCandidate = 40;
constexpr size_t kMaxJoin = 6;
constexpr size_t kContext = 24;
constexpr size_t kMaxAddressTail = 96;

struct Span {
  size_t b, e;
  size_t digits = 0;  // digits in [b, e); joined candidates add them up
};

// The fewest digits any rule accepts: in one chunk (IPv4 "1.1.1.1"), and in chunks joined by
// spaces (a national phone number). Candidates with fewer are not classified at all, which keeps
// "1 1 1 …" cheap.
constexpr size_t kMinDigitsOneChunk = 4;
constexpr size_t kMinDigitsJoined = 7;

// The digits of a candidate and the shape around them, in fixed buffers (no allocation: this
// runs up to kMaxJoin times per chunk).
struct Shape {
  char digit_buf[kMaxCandidate];
  int groups[kMaxCandidate];  // lengths of the digit runs
  char sep_buf[kMaxCandidate];
  size_t nd = 0, ng = 0, ns = 0;
  bool plus = false;
  bool parens = false;

  std::string_view digits() const { return {digit_buf, nd}; }
  std::string_view seps() const { return {sep_buf, ns}; }  // distinct separator bytes (space counts)
  bool has_sep(char c) const { return seps().find(c) != std::string_view::npos; }
};

void shape_of(std::string_view t, Span s, Shape& sh) {
  sh.plus = t[s.b] == '+';
  int run = 0;
  for (size_t i = s.b; i < s.e; ++i) {
    unsigned char c = at(t, i);
    if (is_digit(c)) {
      sh.digit_buf[sh.nd++] = static_cast<char>(c);
      ++run;
      continue;
    }
    if (run) sh.groups[sh.ng++] = run;
    run = 0;
    if (c == '(' || c == ')') sh.parens = true;
    if (c != '+' && !sh.has_sep(static_cast<char>(c))) sh.sep_buf[sh.ns++] = static_cast<char>(c);
  }
  if (run) sh.groups[sh.ng++] = run;
}

bool groups_are(const Shape& sh, std::initializer_list<int> g) {
  return sh.ng == g.size() && std::equal(g.begin(), g.end(), sh.groups);
}
bool one_sep_of(const Shape& sh, std::string_view allowed) {
  return sh.ns == 1 && allowed.find(sh.sep_buf[0]) != std::string_view::npos;
}
int num(std::string_view d, size_t from, size_t n) {
  int v = 0;
  for (size_t i = from; i < from + n; ++i) v = v * 10 + (d[i] - '0');
  return v;
}

// Words in the kContext bytes before a candidate start, looked up on first use.
class Context {
 public:
  Context(std::string_view t, size_t b) : t_(t), b_(b) {}
  bool ssn() { return get(0, {"ssn", "social security", "social sec"}); }
  bool birth() { return after_birth_word(t_, b_); }
  bool version() { return get(2, {"version", "ver.", "release", "build"}); }
  bool negative() {
    return version() || get(3, {"order", "invoice", "tracking", "ref", "#", "isbn", "serial", "ticket", "sku"});
  }
  bool card() { return get(4, {"card", "visa", "mastercard", "amex", "credit", "debit", "cc", "payment", "pan"}); }
  bool phone() {
    return get(5, {"tel", "phone", "call", "mobile", "cell", "fax", "whatsapp", "sms", "contact"});
  }

 private:
  bool get(int i, std::initializer_list<std::string_view> words) {
    if (!(known_ >> i & 1)) {
      if (!before_) before_.emplace(t_, b_, kContext);
      known_ |= 1u << i;
      if (before_->has(words)) found_ |= 1u << i;
    }
    return found_ >> i & 1;
  }
  std::string_view t_;
  size_t b_;
  std::optional<Before> before_;
  unsigned known_ = 0, found_ = 0;
};

bool date_of_birth(const Shape& sh) {
  if (sh.plus || sh.parens || !one_sep_of(sh, "-/.") || sh.ng != 3) return false;
  std::string_view d = sh.digits();
  if (groups_are(sh, {4, 2, 2})) return plausible_birth_date(num(d, 0, 4), num(d, 4, 2), num(d, 6, 2));
  if (sh.groups[2] != 4 || sh.groups[0] > 2 || sh.groups[1] > 2) return false;
  int a = num(d, 0, sh.groups[0]), b = num(d, sh.groups[0], sh.groups[1]), y = num(d, d.size() - 4, 4);
  return plausible_birth_date(y, b, a) || plausible_birth_date(y, a, b);
}

bool ipv4(const Shape& sh) {
  if (sh.plus || sh.parens || sh.seps() != "." || sh.ng != 4) return false;
  size_t off = 0;
  for (size_t gi = 0; gi < sh.ng; ++gi) {
    int g = sh.groups[gi];
    if (g > 3 || (g > 1 && sh.digits()[off] == '0') || num(sh.digits(), off, g) > 255) return false;
    off += g;
  }
  return true;
}

// Another space-separated digit group right before or after: the candidate is a slice of a
// longer number (a 22-digit USPS tracking number printed in fours), not a card. An expiry date
// ("12/25") after a card is not such a group.
bool digit_neighbour(std::string_view t, Span s) {
  if (s.b >= 2 && t[s.b - 1] == ' ' && is_digit(at(t, s.b - 2))) return true;
  if (s.e + 1 >= t.size() || t[s.e] != ' ' || !is_digit(at(t, s.e + 1))) return false;
  size_t j = s.e + 1;
  while (j < t.size() && is_digit(at(t, j))) ++j;
  return j == t.size() || t[j] != '/';
}

bool card_layout(const Shape& sh) {
  if (sh.ng == 1) return true;
  if (!one_sep_of(sh, " -")) return false;
  if (groups_are(sh, {4, 6, 5}) || groups_are(sh, {4, 6, 4})) return true;
  for (size_t i = 0; i + 1 < sh.ng; ++i)
    if (sh.groups[i] != 4) return false;
  return sh.groups[sh.ng - 1] >= 1 && sh.groups[sh.ng - 1] <= 4;
}

bool nanp(const Shape& sh) {
  std::string_view d = sh.digits();
  size_t off = 0;
  if (groups_are(sh, {1, 3, 3, 4}) && d[0] == '1') off = 1;
  else if (!groups_are(sh, {3, 3, 4})) return false;
  if (sh.has_sep('/')) return false;
  bool n11 = d[off + 1] == '1' && d[off + 2] == '1';
  return d[off] >= '2' && !n11 && d[off + 3] >= '2';
}

// The rule that accepts the candidate, as a finding, or false.
bool classify(std::string_view t, Span s, Context& c, Finding& f) {
  if (s.e - s.b > kMaxCandidate) return false;
  // "10.0.0.1:8080": a port may follow an address, though ':' otherwise glues digits ("10:30").
  bool port = s.e + 1 < t.size() && t[s.e] == ':' && is_digit(at(t, s.e + 1));
  if (!ends_token(t, s.e) && !port) return false;
  Shape sh;
  shape_of(t, s, sh);
  size_t nd = sh.nd;
  if (ipv4(sh) && !c.version()) {
    f = {Kind::Ipv4, s.b, s.e, 0.9, "dotted_quad"};
    return true;
  }
  if (port) return false;
  if (!sh.plus && !sh.parens && groups_are(sh, {3, 2, 4}) && one_sep_of(sh, "- ") && ssn_ok(sh.digits())) {
    f = {Kind::UsSsn, s.b, s.e, c.ssn() ? 0.95 : 0.85, "ssn_area_group_serial"};
    return true;
  }
  if (groups_are(sh, {9}) && !sh.plus && c.ssn() && ssn_ok(sh.digits())) {
    f = {Kind::UsSsn, s.b, s.e, 0.9, "ssn_context"};
    return true;
  }
  if (date_of_birth(sh) && c.birth()) {
    f = {Kind::DateOfBirth, s.b, s.e, 0.9, "date_after_birth_word"};
    return true;
  }
  if (!sh.plus && !sh.parens && nd >= 12 && nd <= 19 && card_layout(sh) && luhn_ok(sh.digits()) &&
      card_brand(sh.digits()) && !digit_neighbour(t, s)) {
    bool grouped = sh.ng > 1;
    if (c.card() || !c.negative()) {
      f = {Kind::PaymentCard, s.b, s.e, grouped || c.card() ? 0.95 : 0.85, "luhn_iin"};
      return true;
    }
  }
  if (sh.plus && nd >= 8 && nd <= 15 && !sh.has_sep('/') && match_calling_code(sh.digits())) {
    f = {Kind::Phone, s.b, s.e, 0.9, "e164_country_length"};
    return true;
  }
  if (!sh.plus && nanp(sh) && (c.phone() || !c.negative())) {
    f = {Kind::Phone, s.b, s.e, c.phone() ? 0.95 : 0.85, "nanp"};
    return true;
  }
  if (!sh.plus && c.phone() && nd >= 7 && nd <= 12 && (sh.digits()[0] == '0' || sh.ng > 1) &&
      !sh.has_sep('/') && !sh.has_sep('.')) {
    f = {Kind::Phone, s.b, s.e, 0.7, "national_after_phone_word"};
    return true;
  }
  return false;
}

// "1600 Pennsylvania Avenue": a house number, one to four capitalised words and a street suffix.
bool street_address(std::string_view t, Span num_chunk, Finding& f) {
  static const std::string_view kSuffix[] = {"Street", "St",     "Avenue", "Ave",     "Road",    "Rd",
                                             "Boulevard", "Blvd", "Lane",  "Ln",      "Drive",   "Dr",
                                             "Court",  "Ct",     "Way",    "Place",   "Pl",      "Terrace",
                                             "Parkway", "Pkwy",  "Highway", "Hwy",    "Square",  "Circle"};
  size_t limit = std::min(t.size(), num_chunk.e + kMaxAddressTail);
  size_t i = num_chunk.e;
  for (int words = 0; words < 5; ++words) {
    if (i + 1 >= limit || t[i] != ' ' || !(is_upper(at(t, i + 1)) || is_digit(at(t, i + 1)))) return false;
    size_t w = ++i;
    while (i < limit && is_alnum(at(t, i))) ++i;
    std::string_view word = t.substr(w, i - w);
    if (words > 0 && word.size() >= 2 && is_upper(at(word, 0)))
      for (std::string_view s : kSuffix)
        if (word == s && ends_token(t, i)) {
          f = {Kind::StreetAddress, num_chunk.b, i, 0.75, "number_words_street_suffix"};
          return true;
        }
  }
  return false;
}

// A chunk is digits with internal - . / ( ) (one at a time) and an optional leading '+' or '('.
size_t chunk_end(std::string_view t, size_t i) {
  size_t j = i + 1, last = is_digit(at(t, i)) ? j : i;
  while (j < t.size()) {
    unsigned char c = at(t, j);
    if (is_digit(c)) {
      last = ++j;
    } else if ((c == '-' || c == '.' || c == '/' || c == '(' || c == ')') && j + 1 < t.size()) {
      ++j;
    } else {
      break;
    }
  }
  // A closing parenthesis belongs to the chunk only when the chunk opened one: "(212)".
  if (last < t.size() && t[last] == ')' && t.substr(i, last - i).find('(') != std::string_view::npos) ++last;
  return last;
}

bool chunk_start(std::string_view t, size_t i) {
  unsigned char c = at(t, i);
  bool lead = is_digit(c) || ((c == '+' || c == '(') && i + 1 < t.size() && is_digit(at(t, i + 1)));
  return lead && starts_token(t, i);
}

// Matches from the left; unless `last`, stops where fewer than kMaxJoin chunks remain (more may
// join later) and returns how many chunks it consumed.
size_t match_group(std::string_view t, const std::vector<Span>& g, bool last, Findings& out) {
  size_t k = 0;
  while (k < g.size() && (last || k + kMaxJoin <= g.size())) {
    size_t hi = std::min(g.size(), k + kMaxJoin);
    size_t took = 0;
    Finding f{};
    Context c(t, g[k].b);
    for (size_t m = hi; m > k && !took; --m) {
      Span s{g[k].b, g[m - 1].e};
      for (size_t j = k; j < m; ++j) s.digits += g[j].digits;
      if (s.e - s.b > kMaxCandidate || s.digits < (m - k == 1 ? kMinDigitsOneChunk : kMinDigitsJoined)) continue;
      if (classify(t, s, c, f)) took = m - k;
    }
    if (!took && street_address(t, g[k], f)) took = 1;
    if (took) out.push_back(f);
    k += took ? took : 1;
  }
  return k;
}

}  // namespace

void scan_numbers(std::string_view t, Findings& out) {
  std::vector<Span> group;
  size_t i = 0;
  while (i < t.size()) {
    if (!chunk_start(t, i)) {
      ++i;
      continue;
    }
    size_t e = chunk_end(t, i);
    bool joins = !group.empty() && i == group.back().e + 1 && t[i - 1] == ' ';
    if (!joins) {
      match_group(t, group, true, out);
      group.clear();
    } else if (group.size() >= 4 * kMaxJoin) {
      // Keeps memory bounded on endless groups ("1 2 3 4 ...").
      group.erase(group.begin(), group.begin() + match_group(t, group, false, out));
    }
    // A chunk longer than any identifier (a bare digit run) breaks the group and matches nothing.
    if (e - i <= kMaxChunk) {
      size_t digits = 0;
      for (size_t j = i; j < e; ++j) digits += is_digit(at(t, j));
      group.push_back({i, e, digits});
    }
    i = e > i ? e : i + 1;
  }
  match_group(t, group, true, out);
}

}  // namespace flk::pii
