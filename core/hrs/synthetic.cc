#include "hrs/synthetic.h"

#include <vector>

#include "hrs/features.h"
#include "hrs/lexicon.h"
#include "hrs/text_hash.h"
#include "hrs/wordnet.h"
#include "util/ascii.h"

namespace flk::hrs {
namespace {

constexpr uint32_t kMinTokens = 6, kMaxTokens = 40;

struct Sentence {
  uint32_t begin = 0, end = 0;  // bytes in the context
  std::vector<Token> tok;       // offsets relative to the context
};

// The sentence with tokens [t.begin, t.end) of `s` replaced by `with`.
std::string replaced(const Sentence& s, std::string_view ctx, const Token& t, std::string_view with) {
  std::string out(ctx.substr(s.begin, t.begin - s.begin));
  out += with;
  out += ctx.substr(t.end, s.end - t.end);
  return out;
}

bool swap_entity(const Sentence& s, std::string_view ctx, const std::vector<Token>& all, uint64_t seed,
                 std::string& out) {
  for (const Token& t : s.tok) {
    if (!is_entity_like(t)) continue;
    // Another entity of the context, not in this sentence.
    std::vector<const Token*> others;
    for (const Token& o : all)
      if (is_entity_like(o) && o.stem != t.stem && (o.begin < s.begin || o.begin >= s.end)) others.push_back(&o);
    if (others.empty()) continue;
    const Token& o = *others[seed % others.size()];
    out = replaced(s, ctx, t, ctx.substr(o.begin, o.end - o.begin));
    return true;
  }
  return false;
}

// A capitalised content word with no capitalised word next to it, at position i of t.
bool one_word_name(const std::vector<Token>& t, size_t i) {
  auto capitalised = [&](size_t j) {
    return j < t.size() && (t[j].flags & (kCapitalized | kAllCaps)) && !(t[j].cls & kStopword);
  };
  return capitalised(i) && !t[i].has(kNumber) && !(i > 0 && capitalised(i - 1)) && !capitalised(i + 1);
}

// text[begin, end) with the first and last one-word names of its tokens t (offsets into text)
// exchanged, or "" (roles_swapped).
std::string names_exchanged(std::string_view text, const std::vector<Token>& t, size_t begin, size_t end) {
  size_t first = t.size(), last = t.size();
  for (size_t i = 0; i < t.size(); ++i) {
    if (!one_word_name(t, i)) continue;
    if (first == t.size()) first = i;
    else if (t[i].stem != t[first].stem) last = i;
  }
  if (last == t.size()) return "";
  auto cut = [&](size_t from, size_t to) { return text.substr(from, to - from); };
  return std::string(cut(begin, t[first].begin))
      .append(cut(t[last].begin, t[last].end))
      .append(cut(t[first].end, t[last].begin))
      .append(cut(t[first].begin, t[first].end))
      .append(cut(t[last].end, end));
}

bool swap_number(const Sentence& s, std::string_view ctx, uint64_t seed, std::string& out) {
  for (const Token& t : s.tok) {
    if (!t.has(kNumber)) continue;
    std::string_view text = ctx.substr(t.begin, t.end - t.begin);
    uint64_t v = 0;
    size_t k = 0;
    for (; k < text.size() && text[k] >= '0' && text[k] <= '9' && v < 1000000000; ++k) v = v * 10 + (text[k] - '0');
    if (k == 0) continue;
    uint64_t delta = 1 + seed % 9;
    uint64_t w = t.has(kYear) || v < delta || (seed >> 8) % 2 ? v + delta : v - delta;
    out = replaced(s, ctx, t, std::to_string(w) + std::string(text.substr(k)));
    return true;
  }
  return false;
}

bool swap_month(const Sentence& s, std::string_view ctx, uint64_t seed, std::string& out) {
  for (const Token& t : s.tok) {
    std::string_view w = ctx.substr(t.begin, t.end - t.begin);
    for (int m = 0; m < 12; ++m) {
      if (!ascii_iequal(w, kMonthNames[m])) continue;
      out = replaced(s, ctx, t, month_name_capitalized((m + 1 + seed % 11) % 12 + 1));
      return true;
    }
  }
  return false;
}

bool swap_negation(const Sentence& s, std::string_view ctx, std::string& out) {
  static const char* const kAux[] = {"is", "was", "are", "were", "has", "have", "had", "can", "will", "does", "did",
                                     "do", "should", "would", "could"};
  for (const Token& t : s.tok) {
    std::string w = ascii_lower(ctx.substr(t.begin, t.end - t.begin));
    if (w == "not" || w == "never") {  // removed with the space before it
      out = std::string(ctx.substr(s.begin, t.begin - s.begin));
      while (!out.empty() && out.back() == ' ') out.pop_back();
      out += ctx.substr(t.end, s.end - t.end);
      return true;
    }
  }
  for (const Token& t : s.tok) {
    if (t.has(kNegated)) continue;
    std::string w = ascii_lower(ctx.substr(t.begin, t.end - t.begin));
    for (const char* a : kAux) {
      if (w != a) continue;
      out = replaced(s, ctx, t, std::string(ctx.substr(t.begin, t.end - t.begin)) + " not");
      return true;
    }
  }
  return false;
}

bool swap_antonym(const Sentence& s, std::string_view ctx, std::string& out) {
  for (const Token& t : s.tok) {
    if (t.cls & kStopword) continue;
    std::string_view a = wordnet_antonym_word(ascii_lower(ctx.substr(t.begin, t.end - t.begin)));
    if (a.empty()) continue;
    out = replaced(s, ctx, t, a);
    return true;
  }
  return false;
}

bool swap_pronoun(const Sentence& s, std::string_view ctx, std::string& out) {
  static const char* const kPairs[][2] = {{"he", "she"}, {"she", "he"}, {"his", "her"}, {"her", "his"}, {"him", "her"},
                                          {"they", "we"}, {"we", "they"}, {"He", "She"}, {"She", "He"}, {"His", "Her"},
                                          {"Her", "His"}, {"They", "We"}, {"We", "They"}};
  for (const Token& t : s.tok) {
    std::string_view w = ctx.substr(t.begin, t.end - t.begin);
    for (const auto& p : kPairs) {
      if (w != p[0]) continue;
      out = replaced(s, ctx, t, p[1]);
      return true;
    }
  }
  return false;
}

}  // namespace

std::string roles_swapped(std::string_view sentence) {
  return names_exchanged(sentence, tokenize_all(sentence), 0, sentence.size());
}

const char* swap_name(Swap s) {
  switch (s) {
    case Swap::None: return "none";
    case Swap::Synonym: return "synonym";
    case Swap::Entity: return "entity";
    case Swap::Number: return "number";
    case Swap::Month: return "month";
    case Swap::Negation: return "negation";
    case Swap::Antonym: return "antonym";
    case Swap::Pronoun: return "pronoun";
    case Swap::Roles: return "roles";
  }
  return "none";
}

bool synthetic_answer(std::string_view context, uint64_t seed, SyntheticAnswer& out) {
  std::vector<Token> all = tokenize_all(context);
  std::vector<Sentence> sentences;
  for (size_t i = 0; i < all.size();) {
    size_t j = i;
    while (j < all.size() && all[j].sentence == all[i].sentence) ++j;
    if (j - i >= kMinTokens && j - i <= kMaxTokens) {
      Sentence s;
      s.begin = all[i].begin;
      s.end = all[j - 1].end;
      s.tok.assign(all.begin() + static_cast<long>(i), all.begin() + static_cast<long>(j));
      sentences.push_back(std::move(s));
    }
    i = j;
  }
  if (sentences.empty()) return false;
  const Sentence& s = sentences[(seed >> 1) % sentences.size()];
  if (seed % 2 == 0) {  // kept, with a word replaced by a WordNet synonym where one has one
    out.answer = std::string(context.substr(s.begin, s.end - s.begin));
    out.swap = Swap::None;
    for (const Token& t : s.tok) {
      if (t.cls & kStopword) continue;
      std::string_view syn = wordnet_synonym_word(ascii_lower(context.substr(t.begin, t.end - t.begin)));
      if (syn.empty()) continue;
      out.answer = replaced(s, context, t, syn);
      out.swap = Swap::Synonym;
      break;
    }
    out.answer += ".";
    out.label = 0;
    return true;
  }
  constexpr int kKinds = 6;
  for (int k = 0; k < kKinds; ++k) {
    Swap kind = static_cast<Swap>(1 + ((seed >> 8) + k) % kKinds);
    std::string a;
    bool ok = false;
    switch (kind) {
      case Swap::Entity:
        // Half the time two names of the sentence exchanged, when it has two: who did what.
        if ((seed >> 12) % 2) a = names_exchanged(context, s.tok, s.begin, s.end);
        if (!a.empty()) kind = Swap::Roles;
        ok = !a.empty() || swap_entity(s, context, all, seed >> 16, a);
        break;
      case Swap::Number: ok = swap_number(s, context, seed >> 16, a); break;
      case Swap::Month: ok = swap_month(s, context, seed >> 16, a); break;
      case Swap::Negation: ok = swap_negation(s, context, a); break;
      case Swap::Antonym: ok = swap_antonym(s, context, a); break;
      case Swap::Pronoun: ok = swap_pronoun(s, context, a); break;
      case Swap::None:
      case Swap::Synonym:
      case Swap::Roles: break;
    }
    if (!ok) continue;
    out.answer = a + ".";
    out.label = 1;
    out.swap = kind;
    return true;
  }
  return false;
}

}  // namespace flk::hrs
