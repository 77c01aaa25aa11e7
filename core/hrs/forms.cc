#include "hrs/forms.h"

#include <algorithm>
#include <iterator>
#include <vector>

#include "hrs/features.h"
#include "hrs/hash_index.h"
#include "hrs/lexicon.h"
#include "hrs/synthetic.h"
#include "hrs/text_hash.h"
#include "hrs/wordnet.h"
#include "util/ascii.h"

namespace flk::hrs {
namespace {

constexpr size_t kSpanTokens = 5, kSentenceTokens = 6, kMaxSentenceTokens = 40;

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

bool is_terminal(char c) { return c == '.' || c == '!' || c == '?'; }

// One of a probe's phrasings, chosen by a hash of the answer so that each answer keeps its own.
template <size_t N>
const char* pick(const char* const (&phrasings)[N], std::string_view answer) {
  return phrasings[text_hash(answer) % N];
}

// The question as a statement opening: without its wh-word ("how" with a following "many",
// "much", "long", "old", "far") and its final '?'.
std::string question_echo(std::string_view question) {
  std::string_view q = trim(question);
  while (!q.empty() && (q.back() == '?' || is_space(q.back()))) q.remove_suffix(1);
  std::vector<Token> tok = tokenize_all(q);
  size_t skip = 0;
  static constexpr uint64_t wh[] = {text_hash("what"), text_hash("which"), text_hash("who"),  text_hash("whom"),
                                text_hash("whose"), text_hash("when"), text_hash("where"), text_hash("why"),
                                text_hash("how")};
  static constexpr uint64_t how_next[] = {text_hash("many"), text_hash("much"), text_hash("long"), text_hash("old"),
                                      text_hash("far")};
  auto in = [](uint64_t w, const uint64_t* list, size_t n) {
    for (size_t i = 0; i < n; ++i)
      if (list[i] == w) return true;
    return false;
  };
  if (!tok.empty() && in(tok[0].word, wh, 9)) {
    skip = 1;
    if (tok[0].word == text_hash("how") && tok.size() > 1 && in(tok[1].word, how_next, 5)) skip = 2;
  }
  if (skip >= tok.size()) return "";
  return std::string(q.substr(tok[skip].begin));
}

// The words of a number the tokenizer reads as one: "7" -> "seven", "25" -> "twenty-five" ("" when none).
std::string written_number(std::string_view digits) {
  std::string w(number_word(digits));
  if (!w.empty() || digits.size() != 2 || digits[0] < '2' || digits[1] == '0') return w;
  const std::string unit = digits[1] == '1' ? "one" : std::string(number_word(digits.substr(1)));
  return std::string(number_word(std::string(1, digits[0]) + "0")) + "-" + unit;
}

// A whole number of at least 1000 (digits, thousands commas) by its largest scale with at most two
// decimals: "2,300,000" -> "2.3 million" ("" otherwise).
std::string rescaled(std::string_view number) {
  std::string d;
  for (char c : number) {
    if (c == ',') continue;
    if (c < '0' || c > '9') return "";
    d += c;
  }
  d.erase(0, std::min(d.find_first_not_of('0'), d.size()));
  for (size_t i = std::size(kScaleWords); i-- > 0;) {  // the largest scale first; "hundred" is not written
    const size_t exp = static_cast<size_t>(kScaleWords[i].exp);
    if (exp < 3 || d.size() <= exp) continue;
    std::string frac = d.substr(d.size() - exp);
    frac.erase(frac.find_last_not_of('0') + 1);  // all zeros: npos + 1 == 0
    if (frac.size() > 2) return "";
    return d.substr(0, d.size() - exp) + (frac.empty() ? "" : "." + frac) + " " + std::string(kScaleWords[i].word);
  }
  return "";
}

}  // namespace

bool ends_terminal(std::string_view s) {
  size_t i = s.size();
  while (i > 0) {
    char c = s[i - 1];
    if (is_space(c) || c == '"' || c == '\'' || c == ')') {
      --i;
      continue;
    }
    return is_terminal(c);
  }
  return false;
}

bool span_like(std::string_view answer) {
  return !ends_terminal(answer) && tokenize_all(answer).size() <= kSpanTokens;
}

bool sentence_like(std::string_view answer) {
  std::vector<Token> t = tokenize_all(answer);
  return t.size() >= kSentenceTokens && t.size() <= kMaxSentenceTokens && t.back().sentence < 2;
}

std::string as_sentence(std::string_view question, std::string_view answer, Phrasing p) {
  std::string a(trim(answer));
  uint64_t h = text_hash(a);
  if (p == Phrasing::Probe) return (h % 2 ? "It was " : "That would be ") + a + ".";
  // Hallucinated benchmark sentences mostly repeat the question: so do two templates of three.
  if (h % 3 == 0) return "The answer is " + a + ".";
  std::string echo = question_echo(question);
  if (echo.empty()) return "It is " + a + ".";
  return echo + (h % 3 == 1 ? " " : ": ") + a + ".";
}

std::string as_span(std::string_view question, std::string_view answer) {
  std::vector<Token> q = tokenize_all(question), a = tokenize_all(answer);
  HashIndex qs(q.size());
  for (const Token& t : q) qs.insert(t.stem);
  size_t best_first = 0, best_last = 0, best_content = 0;
  for (size_t i = 0; i < a.size();) {
    if (qs.find(a[i].stem) != HashIndex::kAbsent) {
      ++i;
      continue;
    }
    size_t j = i, content = 0, first = a.size(), last = 0;
    for (; j < a.size() && qs.find(a[j].stem) == HashIndex::kAbsent; ++j)
      if (!(a[j].cls & kStopword) || (a[j].cls & kNegation)) {  // "no evidence" is not "evidence"
        ++content;
        if (first == a.size()) first = j;
        last = j;
      }
    if (content > best_content) {
      best_content = content;
      best_first = first;
      best_last = last;
    }
    i = j;
  }
  if (best_content == 0) return "";
  return std::string(answer.substr(a[best_first].begin, a[best_last].end - a[best_first].begin));
}

namespace {

// The tokens of the context sentence that holds the answer verbatim: [first, last] (first > last
// when there is none).
struct Holding {
  std::vector<Token> t;
  size_t first = 1, last = 0;
};
Holding holding_tokens(std::string_view context, std::string_view answer) {
  Holding h;
  std::string_view a = trim(answer);
  while (!a.empty() && is_terminal(a.back())) a.remove_suffix(1);
  size_t at = a.empty() ? std::string_view::npos : context.find(a);
  if (at == std::string_view::npos) return h;
  h.t = tokenize_all(context);
  size_t i = 0;
  while (i < h.t.size() && h.t[i].end <= at) ++i;
  if (i == h.t.size()) return h;
  const uint32_t s = h.t[i].sentence;
  h.first = h.last = i;
  while (h.first > 0 && h.t[h.first - 1].sentence == s) --h.first;
  while (h.last + 1 < h.t.size() && h.t[h.last + 1].sentence == s) ++h.last;
  return h;
}

// The context's bytes from token `first` to the end of token `last` with its final terminal.
std::string sentence_text(std::string_view context, const Holding& h) {
  size_t end = h.t[h.last].end;
  while (end < context.size() && (is_terminal(context[end]) || context[end] == '"' || context[end] == ')')) ++end;
  return std::string(context.substr(h.t[h.first].begin, end - h.t[h.first].begin));
}

}  // namespace

std::string holding_sentence(std::string_view context, std::string_view answer) {
  const Holding h = holding_tokens(context, answer);
  return h.first > h.last ? "" : sentence_text(context, h);
}

std::string resolved_sentence(std::string_view context, std::string_view answer) {
  const Holding h = holding_tokens(context, answer);
  if (h.first > h.last || h.first == 0) return "";
  static constexpr uint64_t subject[] = {text_hash("he"), text_hash("she"), text_hash("it"), text_hash("they")};
  const Token& pronoun = h.t[h.first];
  if (std::find(std::begin(subject), std::end(subject), pronoun.word) == std::end(subject)) return "";
  for (const Token& x : tokenize_all(answer))
    if (x.word == pronoun.word) return "";
  // The name that opens the sentence before: "The" or not, then capitalised words that are not
  // stopwords, one space apart.
  size_t b = h.first - 1;
  while (b > 0 && h.t[b - 1].sentence == h.t[h.first - 1].sentence) --b;
  size_t e = b + (h.t[b].word == text_hash("the"));
  const size_t name = e;
  while (e < h.first && h.t[e].has(kCapitalized) && !(h.t[e].cls & kStopword) &&
         (e == b || h.t[e].begin == h.t[e - 1].end + 1))
    ++e;
  if (e == name) return "";
  const std::string s = sentence_text(context, h);
  return std::string(context.substr(h.t[b].begin, h.t[e - 1].end - h.t[b].begin)) + s.substr(pronoun.end - pronoun.begin);
}

namespace {

// The holding sentence with n consecutive words left out, none its first or last and none whose stem
// the answer holds; each a lowercase word (of four or more letters when n is 1), not a negation. The
// run is chosen by a hash of the sentence ("" when there is none).
std::string sentence_without(std::string_view context, std::string_view answer, size_t n) {
  const std::string s = holding_sentence(context, answer);
  if (s.empty()) return "";
  const std::vector<Token> t = tokenize_all(s), a = tokenize_all(answer);
  HashIndex held(a.size());
  for (const Token& x : a) held.insert(x.stem);
  auto may_go = [&](const Token& x) {
    std::string_view w = std::string_view(s).substr(x.begin, x.end - x.begin);
    bool lower = w.size() >= (n == 1 ? 4u : 1u) && !(x.cls & kNegation);
    for (char c : w) lower = lower && c >= 'a' && c <= 'z';
    return lower && held.find(x.stem) == HashIndex::kAbsent;
  };
  std::vector<size_t> candidates;
  size_t run = 0;  // words that may go, ending at i
  for (size_t i = 1; i + 1 < t.size(); ++i) {
    run = may_go(t[i]) ? run + 1 : 0;
    if (run >= n) candidates.push_back(i + 1 - n);
  }
  if (candidates.empty()) return "";
  const size_t first = candidates[fnv1a(s) % candidates.size()];
  size_t end = t[first + n - 1].end;
  while (end < s.size() && s[end] == ' ') ++end;
  return s.substr(0, t[first].begin) + s.substr(end);
}

}  // namespace

std::string shortened_sentence(std::string_view context, std::string_view answer) {
  return sentence_without(context, answer, 1);
}

std::string compressed_sentence(std::string_view context, std::string_view answer) {
  return sentence_without(context, answer, 3);
}

std::string toggle_period(std::string_view answer) {
  std::string_view a = trim(answer);
  if (!ends_terminal(a)) return std::string(a) + ".";
  size_t i = a.size();
  while (i > 0 && !is_terminal(a[i - 1])) --i;
  return std::string(a.substr(0, i - 1)) + std::string(a.substr(i));
}

std::string with_synonyms(std::string_view answer) {
  std::string out;
  size_t at = 0;
  for (const Token& t : tokenize_all(answer)) {
    if ((t.cls & kStopword) || t.has(kNumber) || is_entity_like(t)) continue;
    std::string_view word = answer.substr(t.begin, t.end - t.begin);
    std::string synonym(wordnet_synonym_word(ascii_lower(word)));
    if (synonym.empty()) continue;
    if (t.has(kCapitalized)) synonym[0] = ascii_upper(synonym[0]);
    out.append(answer.substr(at, t.begin - at)).append(synonym);
    at = t.end;
  }
  if (at == 0) return "";
  return out.append(answer.substr(at));
}

std::string numbers_in_words(std::string_view answer) {
  std::string out;
  size_t at = 0;
  for (const Token& t : tokenize_all(answer)) {
    std::string_view word = answer.substr(t.begin, t.end - t.begin);
    if (!t.has(kNumber) || word[0] < '0' || word[0] > '9') continue;
    std::string written = written_number(word);
    if (written.empty()) continue;
    if (t.has(kSentenceStart)) written[0] = ascii_upper(written[0]);
    out.append(answer.substr(at, t.begin - at)).append(written);
    at = t.end;
  }
  if (at == 0) return "";
  return out.append(answer.substr(at));
}

std::string numbers_rescaled(std::string_view answer) {
  std::string out;
  size_t at = 0;
  for (const Token& t : tokenize_all(answer)) {
    if (!t.has(kNumber) || t.has(kYear)) continue;
    std::string written = rescaled(answer.substr(t.begin, t.end - t.begin));
    if (written.empty()) continue;
    out.append(answer.substr(at, t.begin - at)).append(written);
    at = t.end;
  }
  if (at == 0) return "";
  return out.append(answer.substr(at));
}

namespace {

// The first abbreviation in kUnitWords of the unit word with this stem ("" when none).
std::string_view unit_abbreviation(uint64_t stem) {
  static const std::vector<uint64_t> stems = [] {
    std::vector<uint64_t> v;
    for (const UnitWord& u : kUnitWords) v.push_back(tokenize_all(u.word)[0].stem);
    return v;
  }();
  for (size_t i = 0; i < stems.size(); ++i)
    if (stems[i] == stem) return kUnitWords[i].abbreviation;
  return "";
}

// The month (1..12) a token names in full ("march"), 0 when none.
int month_of(const Token& t) {
  for (int m = 0; m < 12; ++m)
    if (t.word == text_hash(kMonthNames[m])) return m + 1;
  return 0;
}

// Whether only spaces and at most one comma lie between two tokens.
bool joined(std::string_view s, const Token& a, const Token& b) {
  int commas = 0;
  for (size_t i = a.end; i < b.begin; ++i) {
    if (s[i] == ',') ++commas;
    else if (s[i] != ' ') return false;
  }
  return commas <= 1;
}

}  // namespace

std::string units_abbreviated(std::string_view answer) {
  const std::vector<Token> t = tokenize_all(answer);
  std::string out;
  size_t at = 0;
  for (size_t i = 1; i < t.size(); ++i) {
    const Token& n = t[i - 1];
    const char last = answer[n.end - 1];  // a digit: what the tokenizer reads a unit after
    if (!n.has(kNumber) || t[i].begin != n.end + 1 || answer[n.end] != ' ' || last < '0' || last > '9') continue;
    const std::string_view abbreviation = unit_abbreviation(t[i].stem);
    if (abbreviation.empty() || ascii_lower(answer.substr(t[i].begin, t[i].end - t[i].begin)) == abbreviation) continue;
    out.append(answer.substr(at, t[i].begin - at)).append(abbreviation);
    at = t[i].end;
  }
  if (at == 0) return "";
  return out.append(answer.substr(at));
}

namespace {

// The answer with each full date ("March 31, 1889", "31 March 1889") written as write(year's text,
// month 1-12, day, whether it was written day first) gives it; "" when the answer has none.
template <class Write>
std::string dates_rewritten(std::string_view answer, Write write) {
  const std::vector<Token> t = tokenize_all(answer);
  auto text = [&](const Token& x) { return answer.substr(x.begin, x.end - x.begin); };
  std::string out;
  size_t at = 0;
  for (size_t i = 0; i + 2 < t.size(); ++i) {
    const Token &a = t[i], &b = t[i + 1], &y = t[i + 2];
    // The tokenizer reads "31 March 1889" as "March 31 1889": a's bytes then hold the day.
    const int month = month_of(a);
    const bool day_first = day_number(text(b)) == 0;
    const int day = day_number(text(day_first ? a : b));
    if (month == 0 || day == 0 || text(y).size() != 4 || !y.has(kYear) || !joined(answer, a, b) || !joined(answer, b, y))
      continue;
    out.append(answer.substr(at, a.begin - at)).append(write(text(y), month, day, day_first));
    at = y.end;
    i += 2;
  }
  if (at == 0) return "";
  return out.append(answer.substr(at));
}

}  // namespace

std::string dates_iso(std::string_view answer) {
  return dates_rewritten(answer, [](std::string_view year, int month, int day, bool) {
    const char iso[] = {'-', static_cast<char>('0' + month / 10), static_cast<char>('0' + month % 10), '-',
                        static_cast<char>('0' + day / 10), static_cast<char>('0' + day % 10)};
    return std::string(year).append(iso, sizeof iso);
  });
}

std::string dates_reordered(std::string_view answer) {
  return dates_rewritten(answer, [](std::string_view year, int month, int day, bool day_first) {
    const std::string name = month_name_capitalized(month);
    const std::string d = std::to_string(day);
    return (day_first ? name + " " + d + ", " : d + " " + name + " ") + std::string(year);
  });
}

std::string per_cent_written(std::string_view answer) {
  static constexpr uint64_t percent = text_hash("percent");
  std::string out;
  size_t at = 0;
  for (const Token& t : tokenize_all(answer)) {
    if (t.word != percent) continue;
    const bool sign = answer[t.begin] == '%';  // "50%": the words go after a space
    out.append(answer.substr(at, t.begin - at)).append(sign ? " per cent" : "per cent");
    at = t.end;
  }
  if (at == 0) return "";
  return out.append(answer.substr(at));
}

std::string scales_with_a(std::string_view answer) {
  static constexpr uint64_t values[] = {text_hash("1000"), text_hash("1000000"), text_hash("1000000000")};
  static const char* const words[] = {"a thousand", "a million", "a billion"};
  std::string out;
  size_t at = 0;
  for (const Token& t : tokenize_all(answer)) {
    const std::string_view text = answer.substr(t.begin, t.end - t.begin);
    if (!t.has(kNumber) || text == "1000" || text.substr(0, 2) == "a " || text.substr(0, 2) == "A ") continue;  // "1000": a year
    for (int k = 0; k < 3; ++k) {
      if (t.stem != values[k]) continue;
      std::string written = words[k];
      if (t.has(kSentenceStart)) written[0] = 'A';
      out.append(answer.substr(at, t.begin - at)).append(written);
      at = t.end;
    }
  }
  if (at == 0) return "";
  return out.append(answer.substr(at));
}

std::string approximated(std::string_view answer) {
  const std::vector<Token> t = tokenize_all(answer);
  std::string out;
  size_t at = 0;
  for (size_t i = 0; i + 1 < t.size(); ++i) {
    if (t[i].word != text_hash("about") || !t[i + 1].has(kNumber)) continue;
    const bool upper = answer[t[i].begin] == 'A';
    std::string w = text_hash(answer) % 2 ? "approximately" : "roughly";
    if (upper) w[0] = ascii_upper(w[0]);
    out.append(answer.substr(at, t[i].begin - at)).append(w);
    at = t[i].end;
  }
  if (at == 0) return "";
  return out.append(answer.substr(at));
}

std::string pleasantry(std::string_view answer) {
  std::string_view a = trim(answer);
  if (a.empty()) return "";
  static const char* const kOpenings[] = {"Sure! ", "Certainly! ", "Of course! "};
  return pick(kOpenings, a) + std::string(a);
}

std::string closing(std::string_view answer) {
  std::string a(trim(answer));
  if (a.empty()) return "";
  static const char* const kClosings[] = {" Hope this helps!", " Let me know if you have any other questions.",
                                          " I hope this helps."};
  if (!ends_terminal(a)) a += ".";
  return a + pick(kClosings, a);
}

std::string attributed(std::string_view answer) {
  std::string_view a = trim(answer);
  const std::vector<Token> t = tokenize_all(a);
  if (t.empty()) return "";
  static const char* const kFrames[] = {"According to the context, ", "Based on the provided text, ",
                                        "The passage states that "};
  std::string out = pick(kFrames, a);
  std::string rest(a);
  if (t[0].cls & kStopword) rest[0] = ascii_lower(rest[0]);  // "The tower ..." -> "the tower ...", not "paris"
  return out + rest;
}

namespace {

// The object form of a subject pronoun (to_object) or the subject form of an object pronoun ("" for
// other words): "he" <-> "him".
std::string_view pronoun_case(uint64_t w, bool to_object) {
  struct Form {
    std::string_view subject, object;
    uint64_t subject_hash, object_hash;
  };
  static constexpr Form kForms[] = {{"he", "him", text_hash("he"), text_hash("him")},
                                    {"she", "her", text_hash("she"), text_hash("her")},
                                    {"they", "them", text_hash("they"), text_hash("them")},
                                    {"we", "us", text_hash("we"), text_hash("us")},
                                    {"i", "me", text_hash("i"), text_hash("me")},
                                    {"it", "it", text_hash("it"), text_hash("it")}};
  for (const Form& f : kForms)
    if (w == (to_object ? f.subject_hash : f.object_hash)) return to_object ? f.object : f.subject;
  return "";
}

}  // namespace

std::string date_fronted(std::string_view answer) {
  const std::vector<Token> t = tokenize_all(answer);
  for (size_t end = 0; end < t.size(); ++end) {
    if (end + 1 < t.size() && t[end + 1].sentence == t[end].sentence) continue;  // not a sentence's last token
    size_t first = end;
    while (first > 0 && t[first - 1].sentence == t[end].sentence) --first;
    // The shortest modifier that ends the sentence and holds a number: at most four tokens, no comma,
    // after at least three tokens of its own sentence.
    for (size_t m = end; m-- > std::max(first + 3, end >= 3 ? end - 3 : 0);) {
      if (!opens_modifier(t[m].word)) continue;
      const bool dated = std::any_of(t.begin() + static_cast<ptrdiff_t>(m) + 1, t.begin() + static_cast<ptrdiff_t>(end) + 1,
                                     [](const Token& x) { return x.has(kNumber); });
      if (!dated) continue;
      if (answer.substr(t[m - 1].end, t[end].end - t[m - 1].end).find(',') != std::string_view::npos) break;
      std::string front(answer.substr(t[m].begin, t[end].end - t[m].begin));
      front[0] = ascii_upper(front[0]);
      std::string rest(answer.substr(t[first].begin, t[m - 1].end - t[first].begin));
      if (t[first].cls & kStopword) rest[0] = ascii_lower(rest[0]);
      return std::string(answer.substr(0, t[first].begin)) + front + ", " + rest + std::string(answer.substr(t[end].end));
    }
  }
  return "";
}

std::string voice_active(std::string_view answer) {
  const std::vector<Token> t = tokenize_all(answer);
  auto text = [&](size_t first, size_t last) {
    return std::string(answer.substr(t[first].begin, t[last].end - t[first].begin));
  };
  // "S was V-ed by A" with S from its sentence's start and A up to a comma, a preposition that opens a
  // modifier ("in 1868") or the sentence's end, neither across a comma: "The tower was designed by
  // Gustave Eiffel in 1887." -> "Gustave Eiffel designed the tower in 1887."
  static constexpr uint64_t kWas = text_hash("was"), kWere = text_hash("were"), kBy = text_hash("by");
  for (size_t i = 1; i + 3 < t.size(); ++i) {
    if (t[i].word != kWas && t[i].word != kWere) continue;
    const std::string_view verb = answer.substr(t[i + 1].begin, t[i + 1].end - t[i + 1].begin);
    if (t[i + 2].word != kBy || verb.size() < 4 || verb.substr(verb.size() - 2) != "ed" ||
        (t[i + 1].cls & kStopword) || verb[0] < 'a' || verb[0] > 'z')
      continue;
    size_t first = i - 1, last = i + 3;
    while (first > 0 && t[first - 1].sentence == t[i].sentence) --first;
    while (last + 1 < t.size() && t[last + 1].sentence == t[i].sentence && !opens_modifier(t[last + 1].word) &&
           answer.substr(t[last].end, t[last + 1].begin - t[last].end).find(',') == std::string_view::npos)
      ++last;
    const std::string_view subject = answer.substr(t[first].begin, t[i - 1].end - t[first].begin);
    if (subject.find(',') != std::string_view::npos) continue;
    std::string object(pronoun_case(t[first].word, true));
    if (object.empty() || first + 1 < i) {
      object = std::string(subject);
      if (t[first].cls & kStopword) object[0] = ascii_lower(object[0]);
    }
    std::string agent(last == i + 3 ? pronoun_case(t[last].word, false) : "");
    if (agent.empty()) agent = text(i + 3, last);
    agent[0] = ascii_upper(agent[0]);
    return std::string(answer.substr(0, t[first].begin)) + agent + " " + std::string(verb) + " " + object +
           std::string(answer.substr(t[last].end));
  }
  return "";
}

std::string voice_passive(std::string_view answer) {
  const std::vector<Token> t = tokenize_all(answer);
  auto text = [&](size_t first, size_t last) {
    return std::string(answer.substr(t[first].begin, t[last].end - t[first].begin));
  };
  auto comma_before = [&](size_t i) {
    return answer.substr(t[i - 1].end, t[i].begin - t[i - 1].end).find(',') != std::string_view::npos;
  };
  static constexpr uint64_t kAuxiliaries[] = {text_hash("was"),  text_hash("were"), text_hash("is"),   text_hash("are"),
                                              text_hash("be"),   text_hash("been"), text_hash("being"), text_hash("had"),
                                              text_hash("has"),  text_hash("have")};
  static constexpr uint64_t kObjectStarts[] = {text_hash("the"), text_hash("a"),   text_hash("an"),  text_hash("his"),
                                               text_hash("her"), text_hash("its"), text_hash("their"), text_hash("it"),
                                               text_hash("him"), text_hash("them")};
  auto one_of = [](const Token& x, const auto& words) {
    return std::find(std::begin(words), std::end(words), x.word) != std::end(words);
  };
  // "A V-ed O" with A from its sentence's start (one to six tokens, no comma), O from a determiner, an
  // object pronoun or a name up to a comma, a preposition that opens a modifier or the sentence's end.
  for (size_t v = 1; v + 1 < t.size(); ++v) {
    const std::string_view verb = answer.substr(t[v].begin, t[v].end - t[v].begin);
    if (verb.size() < 4 || verb.substr(verb.size() - 2) != "ed" || (t[v].cls & kStopword) || verb[0] < 'a' || verb[0] > 'z' ||
        one_of(t[v - 1], kAuxiliaries) || t[v + 1].sentence != t[v].sentence)
      continue;
    size_t first = v - 1;
    while (first > 0 && t[first - 1].sentence == t[v].sentence) --first;
    bool plain = v - first <= 6;
    for (size_t i = first + 1; i <= v && plain; ++i) plain = !comma_before(i);
    const Token& o = t[v + 1];
    if (!plain || !(one_of(o, kObjectStarts) || (o.has(kCapitalized) && !(o.cls & kStopword)))) continue;
    size_t last = v + 1;
    while (last + 1 < t.size() && t[last + 1].sentence == t[v].sentence && !opens_modifier(t[last + 1].word) &&
           !comma_before(last + 1))
      ++last;
    std::string object(last == v + 1 ? pronoun_case(o.word, false) : "");
    if (object.empty()) object = text(v + 1, last);
    object[0] = ascii_upper(object[0]);
    std::string agent(v == first + 1 ? pronoun_case(t[first].word, true) : "");
    if (agent.empty()) {
      agent = text(first, v - 1);
      if (t[first].cls & kStopword) agent[0] = ascii_lower(agent[0]);
    }
    const char* be = last == v + 1 && o.word == text_hash("them") ? " were " : " was ";
    return std::string(answer.substr(0, t[first].begin)) + object + be + std::string(verb) + " by " + agent +
           std::string(answer.substr(t[last].end));
  }
  return "";
}

const char* probe_name(Probe p) {
  switch (p) {
    case Probe::SpanAsSentence: return "span_as_sentence";
    case Probe::SentenceAsSpan: return "sentence_as_span";
    case Probe::FormsSwapped: return "forms_swapped";
    case Probe::ContextSentence: return "context_sentence";
    case Probe::PeriodToggled: return "period_toggled";
    case Probe::SynonymsUsed: return "synonyms_used";
    case Probe::NumbersInWords: return "numbers_in_words";
    case Probe::ContextSentenceShortened: return "context_sentence_shortened";
    case Probe::NumbersRescaled: return "numbers_rescaled";
    case Probe::ContextSentenceCompressed: return "context_sentence_compressed";
    case Probe::ContextSentenceResolved: return "context_sentence_resolved";
    case Probe::UnitsAbbreviated: return "units_abbreviated";
    case Probe::DatesIso: return "dates_iso";
    case Probe::PerCentWritten: return "per_cent_written";
    case Probe::ScalesWithA: return "scales_with_a";
    case Probe::Attributed: return "attributed";
    case Probe::Approximated: return "approximated";
    case Probe::Pleasantry: return "pleasantry";
    case Probe::Closing: return "closing";
    case Probe::VoiceActive: return "voice_active";
    case Probe::ContextSentenceRolesSwapped: return "context_sentence_roles_swapped";
    case Probe::DateFronted: return "date_fronted";
    case Probe::DatesReordered: return "dates_reordered";
    case Probe::VoicePassive: return "voice_passive";
  }
  return "";
}

std::string probe_answer(Probe p, const FormInput& e) {
  switch (p) {
    case Probe::SpanAsSentence:
      return e.qa && span_like(e.answer) ? as_sentence(e.question, e.answer, Phrasing::Probe) : "";
    case Probe::SentenceAsSpan: return e.qa && sentence_like(e.answer) ? as_span(e.question, e.answer) : "";
    case Probe::FormsSwapped:
      return probe_answer(e.label ? Probe::SentenceAsSpan : Probe::SpanAsSentence, e);
    case Probe::ContextSentence: return e.label == 0 ? holding_sentence(e.context, e.answer) : "";
    case Probe::PeriodToggled: return toggle_period(e.answer);
    case Probe::SynonymsUsed: return e.context.empty() ? "" : with_synonyms(e.answer);
    case Probe::NumbersInWords: return e.context.empty() ? "" : numbers_in_words(e.answer);
    case Probe::ContextSentenceShortened: return e.label == 0 ? shortened_sentence(e.context, e.answer) : "";
    case Probe::NumbersRescaled: return e.context.empty() ? "" : numbers_rescaled(e.answer);
    case Probe::ContextSentenceCompressed: return e.label == 0 ? compressed_sentence(e.context, e.answer) : "";
    case Probe::ContextSentenceResolved: return e.label == 0 ? resolved_sentence(e.context, e.answer) : "";
    case Probe::UnitsAbbreviated: return e.context.empty() ? "" : units_abbreviated(e.answer);
    case Probe::DatesIso: return e.context.empty() ? "" : dates_iso(e.answer);
    case Probe::PerCentWritten: return e.context.empty() ? "" : per_cent_written(e.answer);
    case Probe::ScalesWithA: return e.context.empty() ? "" : scales_with_a(e.answer);
    case Probe::Attributed: return e.context.empty() ? "" : attributed(e.answer);
    case Probe::Approximated: return e.context.empty() ? "" : approximated(e.answer);
    case Probe::Pleasantry: return pleasantry(e.answer);
    case Probe::Closing: return closing(e.answer);
    case Probe::VoiceActive: return e.context.empty() ? "" : voice_active(e.answer);
    case Probe::ContextSentenceRolesSwapped: return e.label == 0 ? roles_swapped(holding_sentence(e.context, e.answer)) : "";
    case Probe::DateFronted: return e.context.empty() ? "" : date_fronted(e.answer);
    case Probe::DatesReordered: return e.context.empty() ? "" : dates_reordered(e.answer);
    case Probe::VoicePassive: return e.context.empty() ? "" : voice_passive(e.answer);
  }
  return "";
}

std::string balancing_answer(const FormInput& e) {
  if (!e.qa) return "";
  if (span_like(e.answer)) return as_sentence(e.question, e.answer, Phrasing::Training);
  if (sentence_like(e.answer)) return as_span(e.question, e.answer);
  return "";
}

}  // namespace flk::hrs
