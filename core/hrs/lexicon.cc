#include "hrs/lexicon.h"

#include <iterator>
#include <string_view>
#include <vector>

#include "hrs/text_hash.h"

namespace flk::hrs {
namespace {

struct List {
  uint8_t cls;
  const char* words;  // space-separated
};

// Words after the tokenizer's clitic handling ("don't" -> "do" + negation flag, "'s" dropped),
// so contractions appear without their apostrophe part; "ca" and "wo" are "can" and "will" in
// text split as "ca n't", "wo n't".
const List kLists[] = {
    {kStopword,
     "a an the of in on at to for from by with about as into onto over under and or but nor so yet if then than "
     "that this these those there here is are was were be been being am do does did done have has had having it "
     "its he him his she her hers they them their theirs we us our ours you your yours i me my mine what which who "
     "whom whose when where why how all any some each every both either neither one also just very too can could "
     "would should will shall may might must not no s t m re ll ve d ca wo"},
    {kNegation,
     "no not never nothing none nobody nowhere neither nor cannot without dont doesnt didnt isnt wasnt arent werent "
     "cant couldnt wont wouldnt shouldnt hasnt havent"},
    {kHedge,
     "may might could possibly possible perhaps maybe probably likely unlikely seems seem seemingly appears appear "
     "apparently suggest suggests reportedly allegedly approximately roughly generally typically usually often "
     "sometimes some depends depending unclear uncertain unknown believe believed estimated estimate arguably "
     "potentially somewhat"},
    {kCertainty,
     "definitely certainly always absolutely undoubtedly clearly obviously surely guaranteed proven indeed exactly "
     "precisely completely entirely totally truly undeniably unquestionably never every fact"},
    {kFirstPerson, "i me my mine myself we us our ours ourselves"},
    {kSecondPerson, "you your yours yourself yourselves"},
    {kInterrogative,
     "what which who whom whose when where why how whether is are was were am do does did can could will would "
     "should shall may might must has have had ca wo"},
    {kCalendar,
     "january february march april june july august september october november december jan feb mar apr jun jul "
     "aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday century decade"},
};

// Number words and their digits, so that "seven" supports "7" and "seven" against "8" is a
// mismatched number. "one" stays a function word ("the one who"); "hundred", "million" and the
// like scale a number rather than name one.
const char* const kNumerals =
    "zero 0 two 2 three 3 four 4 five 5 six 6 seven 7 eight 8 nine 9 ten 10 eleven 11 twelve 12 thirteen 13 "
    "fourteen 14 fifteen 15 sixteen 16 seventeen 17 eighteen 18 nineteen 19 twenty 20 thirty 30 forty 40 fifty 50 "
    "sixty 60 seventy 70 eighty 80 ninety 90";

// Calls f on each space-separated word of s.
template <typename F>
void for_each_word(std::string_view s, F f) {
  while (!s.empty()) {
    size_t sp = s.find(' ');
    f(s.substr(0, sp));
    s = sp == std::string_view::npos ? std::string_view() : s.substr(sp + 1);
  }
}

// Calls f(word, digits) on each pair of kNumerals.
template <typename F>
void for_each_numeral(F f) {
  std::string_view word;
  for_each_word(kNumerals, [&](std::string_view w) {
    if (word.empty()) {
      word = w;
    } else {
      f(word, w);
      word = {};
    }
  });
}

// The other half of the kNumerals pair whose digits (by_digits) or word is key ("" when none).
std::string_view numeral_pair(std::string_view key, bool by_digits) {
  std::string_view found;
  for_each_numeral([&](std::string_view word, std::string_view digits) {
    if ((by_digits ? digits : word) == key) found = by_digits ? word : digits;
  });
  return found;
}

}  // namespace

const WordClassTable& word_class_table() {
  static const WordClassTable t = [] {
    WordClassTable t;
    auto add = [&t](std::string_view w) {
      uint32_t i = t.index.insert(text_hash(w));
      if (i == t.cls.size()) {
        t.cls.push_back(0);
        t.numeral.push_back(0);
      }
      return i;
    };
    for (const List& l : kLists) for_each_word(l.words, [&](std::string_view w) { t.cls[add(w)] |= l.cls; });
    for_each_numeral([&](std::string_view word, std::string_view digits) { t.numeral[add(word)] = text_hash(digits); });
    return t;
  }();
  return t;
}

uint8_t word_class(uint64_t word_hash) { return word_class_table().of(word_hash); }

int unit_index(std::string_view abbreviation) {
  for (size_t i = 0; i < std::size(kUnitWords); ++i)
    if (kUnitWords[i].abbreviation == abbreviation) return static_cast<int>(i);
  return -1;
}

std::string_view number_word(std::string_view digits) { return numeral_pair(digits, true); }

std::string_view number_digits(std::string_view word) { return numeral_pair(word, false); }

}  // namespace flk::hrs
