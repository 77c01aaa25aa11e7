// The HRS tokenizer: one pass over UTF-8 text that yields word and number tokens with their
// hashes, stem hash, sentence index and flags, without allocating per token, so that a
// multi-megabyte context can be streamed against a small answer table.
//
// Rules (docs/hrs.md, "Tokenizer"):
// - a token is a maximal run of ASCII letters/digits and non-ASCII letters; an apostrophe
//   (' or U+2019) between two ASCII letters and '.' or ',' between two digits stay inside
//   ("don't", "3.5", "1,500" -> "1500");
// - U+00A0 and U+2000..U+203F (dashes, curly quotes, ellipsis, spaces) separate tokens;
// - ASCII is lowercased; "n't" at the end of a word sets kNegated and is removed ("isn't" -> "is"),
//   the clitics 's 're 've 'll 'd 'm are removed; a detached "n't" ("do n't") is the word "not";
// - a number's stem drops a decade's or an ordinal's suffix ("1970s", "7th" -> "1970", "7");
// - a number word from "zero" and "two" to "twenty" and the tens ("seven", "forty") is a number
//   whose stem is its digits (lexicon.cc);
// - a tens word, a hyphen and a unit word are one number ("twenty-five" -> "25"); a '%' right after a
//   digit is a token of its own, the word "percent" ("50%" reads as "50 percent");
// - a number followed by scale words ("hundred", "thousand", "million", "billion", "trillion") is
//   one number token whose word and stem are the value's digits: "2.3 million" and "two million
//   three hundred thousand" ... "2,300,000" -> "2300000" (the first; additive compounds are not read);
//   "a" counts as 1 there ("a million" -> "1000000"; "a few million" is not read);
// - "per cent" (one space, any case) is one token, the word "percent";
// - a unit abbreviation right after a digit, spaced or glued ("25 km", "25km", "2.5kg"), reads as the
//   word it stands for ("kilometers", lexicon.h); not after a number word or a scale word ("five km",
//   "2 million km"), and "m" is always meters ("$29.9m" too); the other spelling ("kilometres") does
//   not meet it;
// - an ISO date "1889-03-31" reads as "march" (capitalised, no number), "31" and "1889", the tokens
//   of "March 31, 1889" in their order (which "31 March 1889" does not share), on the bytes of
//   "1889", "03" and "31" (month 01-12, day 01-31; not glued to a word byte on either side, so no
//   "2020-01-01T10:00");
// - a sentence ends at '.', '!' or '?' followed by a space, quote, bracket or the end of the
//   text, at a '.' between a lowercase word of two or more letters and a capital ("singer.Alison":
//   sources glued without a space), and at every line break.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "hrs/lexicon.h"
#include "hrs/text_hash.h"

namespace flk::hrs {

enum TokenFlag : uint8_t {
  kNumber = 1,         // starts with a digit, or a number word ("seven")
  kCapitalized = 2,    // first byte is an ASCII capital
  kAllCaps = 4,        // two or more letters, all ASCII capitals
  kSentenceStart = 8,  // first token of its sentence
  kNegated = 16,       // carried a "n't" clitic
  kYear = 32,          // four digits between 1000 and 2099 (a decade of them too: "1970s")
  kGrounded = 64,      // set by compute_features, not the tokenizer: an answer token whose stem, or a
                       // WordNet synonym of it, the context holds
};

struct Token {
  uint64_t word = 0;  // text_hash of the lowercased form
  uint64_t stem = 0;  // text_hash of its stem (== word for numbers and short words; a number word's digits)
  uint32_t sentence = 0;
  uint32_t begin = 0, end = 0;  // byte offsets of the token's text in the input (end exclusive)
  uint16_t bytes = 0;  // length of the token's text (saturating)
  uint8_t flags = 0;
  uint8_t cls = 0;    // lexicon.h word classes, plus kNegation when kNegated
  bool has(TokenFlag f) const { return flags & f; }
};

// A named-entity-like token: a content word, not a number, all capitals or capitalised where no
// sentence starts ("Paris" mid-sentence, "NASA").
inline bool is_entity_like(const Token& t) {
  return !(t.cls & kStopword) && !t.has(kNumber) &&
         (t.has(kAllCaps) || (t.has(kCapitalized) && !t.has(kSentenceStart)));
}

class TokenStream {
 public:
  explicit TokenStream(std::string_view text) : s_(text), classes_(word_class_table()) {}
  // Starts over on another text.
  void restart(std::string_view text) {
    s_ = text;
    pos_ = 0;
    sentence_ = 0;
    started_ = false;
    day_ = Day{};
  }
  // Fills out[0..count) with the next tokens; returns how many (fewer than count: the text ended).
  // A batch keeps the stream's state in registers: the context scan reads its tokens this way.
  size_t read(Token* out, size_t count);
  // Fills t with the next token; false at the end of the text.
  bool next(Token& t) { return read(&t, 1) == 1; }
  // Sentences begun so far (after the last token: the number of sentences with a token).
  uint32_t sentences() const { return sentence_ + (started_ ? 1 : 0); }

 private:
  std::string_view s_;
  size_t pos_ = 0;
  uint32_t sentence_ = 0;
  bool started_ = false;   // the current sentence has a token
  // The hashes and classes of a word (not a number) in w[0..len), which the stemmer may overwrite.
  struct Memo {
    uint64_t word, stem;
    uint8_t cls;
    bool number;  // a number word, whose stem is its digits
    bool scales;  // a number word, "one" or "a": a scale word after it makes a number ("a million")
    char tens;    // a tens word's first digit ('2' for "twenty"), which a hyphen and a unit word follow in "twenty-five"; else 0
    uint8_t unit;  // 1 + the kUnitWords index of a unit abbreviation ("km"), read as its word after a
                   // number; kPer for "per", which "cent" after it makes "percent"; else 0
  };
  static constexpr uint8_t kPer = 0xFF;
  void describe(char* w, size_t len, bool letters_only, Memo& m) const;
  // The number token t, from start to pos, followed by scale words ("2.3 million", "two hundred
  // thousand"): reads them, moving pos past the last, and gives t the value's digits ("2300000",
  // as "2,300,000" reads) as its word and stem, in scaled_. False (nothing read) for a number
  // that is no plain decimal ("1970s", "3rd").
  bool scale(Token& t, size_t start, size_t& pos);
  // The number token t from start to pos, a field of an ISO date ("1889-03-31"): the three tokens read
  // as the written date's, in its order ("March 31 1889"), each on the bytes of the field in its
  // place. Gives t the word, stem and length of the year's bytes as the month's name (1), of the
  // month's as the day without a leading zero (2), of the day's as the year (3); 0 for any other
  // token, which it leaves as it is.
  int iso_date_part(Token& t, size_t start, size_t pos) const;
  // The description of month's name (1-12) as a word of the text's would have it ("february" stemmed).
  Memo month_memo(int month) const;
  // A day that a month name follows ("31 March 1889" reads as "March 31 1889", the order of "March 31,
  // 1889" and of ISO dates): the day's bytes carry the month, and the month's token takes the day's
  // hashes and length kept here (bytes 0: none pending).
  struct Day {
    uint64_t word = 0, stem = 0;
    uint16_t bytes = 0;
  } day_;
  std::array<char, 64> scaled_;  // kNumberBytes (tokenize.cc): 32 digits and 24 zeros at most
  size_t scaled_len_ = 0;

  std::string buf_;
  const WordClassTable& classes_;
  // Words met before, direct-mapped by their bytes (words of at most 8 bytes, which hold no zero
  // byte: a key is the word and its length; 0 is no word). A word's description depends on its
  // bytes alone, so the memo is kept per thread, across streams and calls, and never cleared.
  static constexpr int kMemoBits = 10;
  struct WordMemo {
    std::array<uint64_t, size_t{1} << kMemoBits> key{};
    std::array<Memo, size_t{1} << kMemoBits> memo;
  };
  static WordMemo& word_memo();
  WordMemo& memo_ = word_memo();
};

}  // namespace flk::hrs
