// The fast paths of the HRS tokenizer: the padded text hash, the stemmer's letters-only entry,
// the word-class table and the eight-bytes-at-a-time word scan must give what the plain
// definitions give (the hashes are part of the model format).
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "hrs/lexicon.h"
#include "hrs/stem.h"
#include "hrs/text_hash.h"
#include "hrs/tokenize.h"

using namespace flk::hrs;

TEST(HrsFastText, PaddedHashEqualsTextHashWhateverTheSlackHolds) {
  std::mt19937 rng(13);
  for (size_t n = 0; n <= 40; ++n) {
    for (int rep = 0; rep < 20; ++rep) {
      std::string s(n + 8, '\0');
      for (char& c : s) c = static_cast<char>(rng());
      EXPECT_EQ(text_hash_padded(s.data(), n), text_hash(s.data(), n)) << n;
    }
  }
}

TEST(HrsFastText, LettersOnlyStemmerEqualsTheCheckedOne) {
  const char* suffixes[] = {"", "s", "es", "ies", "sses", "ing", "ed", "ly", "e", "y", "ss", "us", "is", "ting", "lled"};
  std::mt19937 rng(5);
  for (int i = 0; i < 20000; ++i) {
    std::string w;
    const int n = 1 + static_cast<int>(rng() % 8);
    for (int k = 0; k < n; ++k) w += static_cast<char>('a' + rng() % 26);
    w += suffixes[rng() % (sizeof suffixes / sizeof *suffixes)];
    std::string a = w, b = w;
    const size_t na = stem_in_place(&a[0], a.size()), nb = stem_letters_in_place(&b[0], b.size());
    ASSERT_EQ(a.substr(0, na), b.substr(0, nb)) << w;
  }
  std::string digits = "abc1s";
  EXPECT_EQ(stem_in_place(&digits[0], digits.size()), digits.size());  // only the checked entry sees non-letters
}

TEST(HrsFastText, WordClassTableIsWordClass) {
  for (const char* w : {"the", "not", "maybe", "definitely", "we", "june", "tower", "", "unquestionably"}) {
    const uint64_t h = text_hash(w);
    EXPECT_EQ(word_class_table().of(h), word_class(h)) << w;
  }
  EXPECT_EQ(word_class(text_hash("might")), kStopword | kHedge | kInterrogative);  // "Might it ...?"
}

// Words of every length at every offset against an 8-byte boundary, in every case pattern: the
// token's hash is the hash of its lowercase text and all-caps means two or more capitals and no
// lowercase letter, whichever step of the scan a letter fell in.
TEST(HrsFastText, WordScanAtEveryLengthAndOffset) {
  std::mt19937 rng(29);
  for (size_t len = 1; len <= 19; ++len) {
    for (size_t offset = 0; offset < 8; ++offset) {
      for (int rep = 0; rep < 8; ++rep) {
        std::string word, lower;
        int caps = 0, lowers = 0;
        for (size_t k = 0; k < len; ++k) {
          const unsigned r = rng() % 10;
          char c = r < 4 ? static_cast<char>('a' + rng() % 26) : r < 8 ? static_cast<char>('A' + rng() % 26)
                                                                       : static_cast<char>('0' + rng() % 10);
          if (k == 0 && c >= '0' && c <= '9') c = 'Q';
          caps += c >= 'A' && c <= 'Z';
          lowers += c >= 'a' && c <= 'z';
          word += c;
          lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
        const std::string text = std::string(offset, ' ') + word + (rep % 2 ? " tail" : "");
        TokenStream ts(text);
        Token t;
        ASSERT_TRUE(ts.next(t));
        EXPECT_EQ(t.word, text_hash(lower)) << text;
        EXPECT_EQ(t.begin, offset);
        EXPECT_EQ(t.end, offset + len);
        EXPECT_EQ(t.has(kAllCaps), caps >= 2 && lowers == 0) << text;
        EXPECT_EQ(t.bytes, len);
      }
    }
  }
}

TEST(HrsFastText, RunsJoinedByNonAsciiLettersApostrophesAndSeparators) {
  TokenStream ts("Caf\xC3\xA9terias don\xE2\x80\x99t 1,234,567.89 O'NEILL'S naïveté");
  Token t;
  ASSERT_TRUE(ts.next(t));
  EXPECT_EQ(t.word, text_hash("caf\xC3\xA9terias"));
  EXPECT_EQ(t.stem, t.word);  // a non-ASCII byte: not stemmed
  ASSERT_TRUE(ts.next(t));
  EXPECT_EQ(t.word, text_hash("do"));
  EXPECT_TRUE(t.has(kNegated));
  ASSERT_TRUE(ts.next(t));
  EXPECT_EQ(t.word, text_hash("1234567.89"));
  ASSERT_TRUE(ts.next(t));
  EXPECT_EQ(t.word, text_hash("o'neill's"));  // the clitic is what follows the first apostrophe
  EXPECT_TRUE(t.has(kAllCaps));
  EXPECT_EQ(t.stem, t.word);  // an apostrophe stays: not stemmed
  ASSERT_TRUE(ts.next(t));
  EXPECT_EQ(t.word, text_hash("na\xC3\xAFvet\xC3\xA9"));
  EXPECT_FALSE(ts.next(t));
}

// The word memo (kept per thread across streams): every token of a long text (more distinct words
// than memo slots, so slots are overwritten, and words met again after a "n't" or a capital) is what
// the word alone gives in a thread whose memo has not met it.
TEST(HrsFastText, MemoisedWordsEqualFreshOnes) {
  const char* stems[] = {"run", "walk", "is", "stud", "tri", "happ", "class", "bus", "go", "x", "quick", "a"};
  const char* ends[] = {"", "s", "ing", "ed", "ies", "y", "ly", "e", "n't", "es", "ses"};
  std::mt19937 rng(21);
  std::vector<std::string> words;
  std::string text;
  for (int i = 0; i < 6000; ++i) {
    std::string w = stems[rng() % 12];
    w += ends[rng() % 11];
    if (rng() % 4 == 0) w += static_cast<char>('a' + rng() % 26);  // more distinct words than slots
    if (rng() % 5 == 0) w[0] = static_cast<char>(w[0] - 32);
    words.push_back(w);
    text += w + (rng() % 9 == 0 ? ". " : " ");
  }
  std::map<std::string, Token> alone;  // each word's bytes described once: a new thread's memo is empty
  std::thread([&] {
    for (const std::string& w : words)
      if (!alone.count(w)) ASSERT_TRUE(TokenStream(w).next(alone[w]));
  }).join();
  TokenStream ts(text);
  Token t;
  for (const std::string& w : words) {
    ASSERT_TRUE(ts.next(t));
    const Token& fresh = alone[w];
    EXPECT_EQ(t.word, fresh.word) << w;
    EXPECT_EQ(t.stem, fresh.stem) << w;
    EXPECT_EQ(t.cls, fresh.cls) << w;
    EXPECT_EQ(t.flags & ~kSentenceStart, fresh.flags & ~kSentenceStart) << w;
  }
  EXPECT_FALSE(ts.next(t));
}

// Batches of any size, and a stream restarted on another text (its memo holding the first text's
// words), give every field of the tokens a fresh stream gives one at a time.
TEST(HrsFastText, BatchesAndRestartsEqualAFreshStream) {
  const std::string first = "The Tower's painters didn't stop. NASA and the U.S. rebuilt it in 1889!";
  const std::string second = "Painters stopped; the tower was painted\nagain in 1,889 days. It isn't NASA's tower?";
  std::vector<Token> want;
  TokenStream alone(second);
  for (Token t; alone.next(t);) want.push_back(t);
  ASSERT_EQ(want.size(), 14u);
  for (size_t batch = 1; batch <= want.size() + 1; ++batch) {
    TokenStream ts(first);
    std::vector<Token> skip(64);
    EXPECT_EQ(ts.read(skip.data(), skip.size()), 14u);
    ts.restart(second);
    std::vector<Token> got(want.size() + batch);
    size_t n = 0;
    for (size_t k; (k = ts.read(&got[n], batch)) > 0;) n += k;
    ASSERT_EQ(n, want.size()) << batch;
    for (size_t i = 0; i < n; ++i) {
      EXPECT_EQ(got[i].word, want[i].word) << batch << " " << i;
      EXPECT_EQ(got[i].stem, want[i].stem) << i;
      EXPECT_EQ(got[i].sentence, want[i].sentence) << i;
      EXPECT_EQ(got[i].begin, want[i].begin) << i;
      EXPECT_EQ(got[i].end, want[i].end) << i;
      EXPECT_EQ(got[i].bytes, want[i].bytes) << i;
      EXPECT_EQ(got[i].flags, want[i].flags) << i;
      EXPECT_EQ(got[i].cls, want[i].cls) << i;
    }
  }
}
