// Closed word classes the features count: function words, negations, hedges, certainty
// markers, first- and second-person pronouns, calendar words and the words that open a question.
// Looked up by the FNV-1a hash of the lowercased word (text_hash.h); the lists are in lexicon.cc.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hrs/hash_index.h"
#include "hrs/text_hash.h"
#include "util/ascii.h"

namespace flk::hrs {

enum WordClass : uint8_t {
  kStopword = 1,
  kNegation = 2,
  kHedge = 4,
  kCertainty = 8,
  kFirstPerson = 16,
  kCalendar = 32,
  kSecondPerson = 64,
  kInterrogative = 128,  // wh-words and auxiliaries: a question opening with one asks ("Is ...", "What ...")
};

// The classes of function words that the bag of words keeps (lexical.h); the others, second-person
// pronouns among them, it skips.
constexpr uint8_t kLexicalClasses = kNegation | kHedge | kCertainty | kFirstPerson | kCalendar;

// Bitwise OR of the classes of the word with this hash (0 for an open-class word).
uint8_t word_class(uint64_t word_hash);

// The table behind word_class, for a caller that looks up every token (the tokenizer keeps a
// reference and so skips the function call and the static's guard).
struct WordClassTable {
  HashIndex index{512};
  std::vector<uint8_t> cls;
  // Per word: the text_hash of the digits a number word stands for ("seven" -> "7"), else 0.
  std::vector<uint64_t> numeral;
  struct Entry {
    uint8_t cls = 0;
    uint64_t numeral = 0;
  };
  Entry entry(uint64_t word_hash) const {
    uint32_t i = index.find(word_hash);
    return i == HashIndex::kAbsent ? Entry{} : Entry{cls[i], numeral[i]};
  }
  uint8_t of(uint64_t word_hash) const { return entry(word_hash).cls; }
};
const WordClassTable& word_class_table();

// Scale words and their powers of ten, smallest first: the tokenizer reads a number followed by them
// as one number ("2.3 million" -> "2300000"), the numbers_rescaled probe writes them. In the header
// so that the tokenizer's table of their first letters is built at compile time.
struct ScaleWord {
  std::string_view word;
  int exp;
};
inline constexpr ScaleWord kScaleWords[] = {
    {"hundred", 2}, {"thousand", 3}, {"million", 6}, {"billion", 9}, {"trillion", 12}};

// Unit abbreviations and the words they stand for ("km" -> "kilometers", the spelling the data
// uses most): the tokenizer reads an abbreviation right after a number as that word ("25 km" and
// "25km" as "25 kilometers"), the units_abbreviated probe writes it.
struct UnitWord {
  std::string_view abbreviation, word;
};
inline constexpr UnitWord kUnitWords[] = {
    {"m", "meters"},       {"km", "kilometers"}, {"cm", "centimeters"}, {"mm", "millimeters"},
    {"kg", "kilograms"},   {"g", "grams"},       {"mg", "milligrams"},  {"lb", "pounds"},
    {"lbs", "pounds"},     {"oz", "ounces"},     {"ft", "feet"},        {"yd", "yards"},
    {"mi", "miles"},       {"mph", "miles"},     {"kph", "kilometers"}, {"ml", "milliliters"},
    {"ha", "hectares"},    {"hr", "hours"},      {"hrs", "hours"},      {"min", "minutes"}};
// The index in kUnitWords of the abbreviation (lowercase), -1 when it is none.
int unit_index(std::string_view abbreviation);

// Words that say a quantity is approximate, read with the stem of "about" ("approximately 21,196 km"
// against a source's "about 21,196 km"): the same claim in other words.
inline constexpr std::string_view kApproximators[] = {"approximately", "roughly", "around", "approx", "circa"};

// Prepositions that open a modifier ("in 1868", "with Jobs"): a sentence says the same with one put
// first or last ("In 1903, she won." and "She won in 1903.").
inline constexpr uint64_t kModifierOpeners[] = {text_hash("in"),    text_hash("on"),    text_hash("at"),     text_hash("during"),
                                                text_hash("from"),  text_hash("after"), text_hash("before"), text_hash("since"),
                                                text_hash("until"), text_hash("with"),  text_hash("for")};
inline bool opens_modifier(uint64_t word) {
  for (uint64_t w : kModifierOpeners)
    if (w == word) return true;
  return false;
}

// The month names, January first: the tokenizer reads an ISO date's month as its name.
inline constexpr std::string_view kMonthNames[12] = {"january", "february", "march",     "april",   "may",      "june",
                                                     "july",    "august",   "september", "october", "november", "december"};

// A month's name as written in running text ("March" for 3).
inline std::string month_name_capitalized(int month) {
  std::string name(kMonthNames[month - 1]);
  name[0] = ascii_upper(name[0]);
  return name;
}

// The day (1..31) one or two digits write ("7", "31"); 0 for anything else ("0", "32", "7a").
inline int day_number(std::string_view w) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (w.empty() || w.size() > 2 || !digit(w[0]) || !digit(w.back())) return 0;
  const int d = w.size() == 1 ? w[0] - '0' : (w[0] - '0') * 10 + (w[1] - '0');
  return d <= 31 ? d : 0;
}

// The number word of digits ("7" -> "seven"; "" when the table has none): the inverse of
// WordClassTable::numeral, for the probe that writes numbers out.
std::string_view number_word(std::string_view digits);
// The digits a number word stands for ("seven" -> "7"; "" when the table has none).
std::string_view number_digits(std::string_view word);

}  // namespace flk::hrs
