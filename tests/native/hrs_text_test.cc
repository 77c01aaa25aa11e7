// The HRS tokenizer, stemmer, word classes and LZ ratio.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "hrs/features.h"
#include "hrs/lexicon.h"
#include "hrs/lz_ratio.h"
#include "hrs/stem.h"
#include "hrs/text_hash.h"
#include "hrs/tokenize.h"

using namespace flk::hrs;

namespace {

std::string stem_of(const char* w) {
  std::string s(w);
  s.resize(stem_in_place(&s[0], s.size()));
  return s;
}

}  // namespace

TEST(HrsTokenize, WordsNumbersAndCase) {
  auto t = tokenize_all("The Eiffel Tower is 330 m tall, built in 1889 for 12,500 francs.");
  ASSERT_EQ(t.size(), 13u);
  EXPECT_EQ(t[0].word, text_hash("the"));
  EXPECT_TRUE(t[0].has(kCapitalized));
  EXPECT_TRUE(t[0].has(kSentenceStart));
  EXPECT_TRUE(t[1].has(kCapitalized));
  EXPECT_FALSE(t[1].has(kSentenceStart));
  EXPECT_TRUE(t[4].has(kNumber));
  EXPECT_EQ(t[4].word, text_hash("330"));
  EXPECT_TRUE(t[9].has(kYear));          // 1889
  EXPECT_EQ(t[11].word, text_hash("12500"));  // thousands separator dropped
  EXPECT_FALSE(t[11].has(kYear));
  EXPECT_EQ(t[0].cls & kStopword, kStopword);
  EXPECT_EQ(t[1].cls, 0);
}

TEST(HrsTokenize, NumberWordsAreNumbers) {
  auto t = tokenize_all("Seven of 7, one and Twenty.");
  ASSERT_EQ(t.size(), 6u);
  EXPECT_TRUE(t[0].has(kNumber));
  EXPECT_EQ(t[0].stem, text_hash("7"));  // the stem is the digits, the word stays the word
  EXPECT_EQ(t[0].word, text_hash("seven"));
  EXPECT_EQ(t[0].cls, 0);
  EXPECT_EQ(t[2].stem, t[0].stem);
  EXPECT_FALSE(t[3].has(kNumber));  // "one" stays a function word
  EXPECT_TRUE(t[5].has(kNumber));
  EXPECT_EQ(t[5].stem, text_hash("20"));
  EXPECT_FALSE(t[5].has(kYear));
  EXPECT_EQ(number_word("20"), "twenty");
  EXPECT_EQ(number_word("1"), "");
  EXPECT_EQ(number_word("twenty"), "");
}

TEST(HrsTokenize, ApproximatorsShareTheStemOfAbout) {
  auto t = tokenize_all("about approximately Roughly around approx circa nearly");
  ASSERT_EQ(t.size(), 7u);
  for (size_t i = 1; i < 6; ++i) EXPECT_EQ(t[i].stem, t[0].stem) << i;
  EXPECT_NE(t[1].word, t[0].word);  // the word stays the word
  EXPECT_NE(t[6].stem, t[0].stem);  // "nearly" says less than the number
}

TEST(HrsTokenize, ScaledNumbersAreOneNumber) {
  auto t = tokenize_all("About 2.3 million, two hundred Thousand and one billion; 0.5 million, 7 millions, 3 hundred's.");
  ASSERT_EQ(t.size(), 10u);
  EXPECT_EQ(t[1].word, text_hash("2300000"));  // as "2,300,000" reads
  EXPECT_EQ(t[1].stem, t[1].word);
  EXPECT_TRUE(t[1].has(kNumber));
  EXPECT_EQ(t[1].end - t[1].begin, std::string("2.3 million").size());
  EXPECT_EQ(t[2].stem, text_hash("200000"));  // scales chain, in any case
  EXPECT_EQ(t[3].word, text_hash("and"));
  EXPECT_EQ(t[4].stem, text_hash("1000000000"));  // "one" is 1 before a scale word
  EXPECT_EQ(t[4].cls, 0);
  EXPECT_EQ(t[5].stem, text_hash("500000"));
  EXPECT_EQ(t[6].stem, text_hash("7"));  // a plural is no scale word
  EXPECT_EQ(t[8].stem, text_hash("3"));  // nor one that goes on with an apostrophe
  EXPECT_EQ(tokenize_all("1.23456 thousand")[0].word, text_hash("1234.56"));
  EXPECT_EQ(tokenize_all("two thousand")[0].flags & kYear, kYear);  // as "2000"
  EXPECT_EQ(tokenize_all("1970s million")[0].stem, text_hash("1970"));  // a decade scales nothing
  EXPECT_EQ(tokenize_all("5 million million million million million")[0].stem, text_hash("5" + std::string(24, '0')));
  EXPECT_EQ(tokenize_all(std::string(33, '1') + " million").size(), 2u);  // over 32 digits: not scaled
}

TEST(HrsTokenize, PerCentAndAScaleWord) {
  auto t = tokenize_all("Up 5 per cent, Per Cent and per centum; a million, A thousand and a house.");
  ASSERT_EQ(t.size(), 12u);
  EXPECT_EQ(t[2].word, text_hash("percent"));
  EXPECT_EQ(t[2].cls, word_class(text_hash("percent")));
  EXPECT_EQ(t[2].end - t[2].begin, std::string("per cent").size());
  EXPECT_EQ(t[3].word, text_hash("percent"));  // any case
  EXPECT_EQ(t[5].word, text_hash("per"));  // "centum": no cent
  EXPECT_EQ(t[7].word, text_hash("1000000"));  // "a million" as "1,000,000"
  EXPECT_TRUE(t[7].has(kNumber));
  EXPECT_EQ(t[7].cls, 0);
  EXPECT_EQ(t[8].stem, text_hash("1000"));
  EXPECT_EQ(t[10].word, text_hash("a"));  // "a house": a function word, as before
  EXPECT_EQ(t[10].cls & kStopword, kStopword);
}

TEST(HrsTokenize, UnitAbbreviationsAfterANumberAreTheirWords) {
  const auto words = tokenize_all("25 metres, 25 kilometers, 3 pounds and a mile");
  auto t = tokenize_all("25 m, 25km, 2.5 lbs and 1,500km; I m not 5 mins from km.");
  ASSERT_EQ(t.size(), 16u);
  EXPECT_EQ(t[1].word, text_hash("meters"));  // "m" after "25 ": "meters", whose stem "metres" shares
  EXPECT_EQ(t[1].stem, words[1].stem);
  EXPECT_EQ(t[1].cls, 0);  // no function word after a number
  EXPECT_EQ(t[1].bytes, 6u);
  EXPECT_EQ(t[2].word, text_hash("25"));  // "25km": the number ends before its unit
  EXPECT_TRUE(t[2].has(kNumber));
  EXPECT_EQ(t[3].stem, words[3].stem);
  EXPECT_EQ(t[3].begin, t[2].end);
  EXPECT_EQ(t[5].stem, words[5].stem);  // "lbs": pounds
  EXPECT_EQ(t[7].word, text_hash("1500"));
  EXPECT_EQ(t[8].stem, words[3].stem);
  EXPECT_EQ(t[10].word, text_hash("m"));  // not after a number: as before
  EXPECT_EQ(t[10].cls & kStopword, kStopword);
  EXPECT_EQ(t[13].word, text_hash("mins"));  // no abbreviation in the table
  EXPECT_EQ(t[15].word, text_hash("km"));
  EXPECT_EQ(tokenize_all("3rd km")[1].word, text_hash("km"));  // after an ordinal: no digit right before
  EXPECT_EQ(tokenize_all("the 3kg")[1].word, text_hash("3"));
  EXPECT_EQ(tokenize_all("a 3xkg")[1].word, text_hash("3xkg"));  // no plain decimal before the letters
  EXPECT_EQ(tokenize_all("the 1970s")[1].stem, text_hash("1970"));  // a decade's suffix, as before
}

// "31 March 1889" reads as "March 31, 1889" does, each on the bytes of the other: the day's carry the
// month, the month's the day; a month's name is stemmed as the text's ("february" in an ISO date too).
TEST(HrsTokenize, DayFirstDatesReadMonthFirst) {
  for (const char* month : {"March", "February", "July", "May", "JULY"}) {
    const std::string us = std::string("On ") + month + " 31, 1889.", eu = std::string("On 31 ") + month + " 1889.";
    const auto written = tokenize_all(us), t = tokenize_all(eu);
    ASSERT_EQ(t.size(), 4u) << eu;
    for (size_t i = 1; i < 4; ++i) {
      EXPECT_EQ(t[i].word, written[i].word) << eu;
      EXPECT_EQ(t[i].stem, written[i].stem) << eu;
      EXPECT_EQ(t[i].cls, written[i].cls) << eu;
      EXPECT_EQ(t[i].flags, written[i].flags) << eu;
      EXPECT_EQ(t[i].bytes, written[i].bytes) << eu;
    }
    EXPECT_EQ(t[1].end - t[1].begin, 2u);  // "31"
    const std::string iso = std::string("On 1889-") + (month[0] == 'F' ? "02" : month[0] == 'J' ? "07" : month[2] == 'y' ? "05" : "03") + "-31.";
    const auto i = tokenize_all(iso);
    ASSERT_EQ(i.size(), 4u);
    EXPECT_EQ(i[1].stem, written[1].stem) << iso;
  }
  EXPECT_EQ(tokenize_all("31 March")[0].word, tokenize_all("March 31")[0].word);  // no year needed
  EXPECT_TRUE(tokenize_all("31 March")[0].has(kSentenceStart));
  EXPECT_EQ(tokenize_all("32 March")[0].word, text_hash("32"));  // no day 32
  EXPECT_EQ(tokenize_all("31 Marching")[0].word, text_hash("31"));
  EXPECT_EQ(tokenize_all("31 june")[0].word, tokenize_all("June 31")[0].word);
  EXPECT_EQ(tokenize_all("Those 5 may go.")[1].word, text_hash("5"));  // lowercase "may" and "march" are verbs
  EXPECT_EQ(tokenize_all("The 10 march on.")[1].word, text_hash("10"));
  EXPECT_EQ(tokenize_all("31st March")[0].word, tokenize_all("31st")[0].word);
}

// A day read before its month's name is kept across read() calls: any batch size gives the tokens of one
// read, a day at a batch's end and its month at the next one's start included; restart forgets a day.
TEST(HrsTokenize, DayFirstDatesAcrossBatches) {
  std::string text;
  for (int i = 0; i < 40; ++i)
    text += std::string(i % 3 == 0 ? "On " : "It ended on ") + std::to_string(1 + i % 31) + (i % 2 ? " March " : " JULY ") +
            std::to_string(1850 + i) + ", on 1889-03-0" + std::to_string(1 + i % 9) + " and March 5, 1900.\n";
  const auto whole = tokenize_all(text);
  for (size_t batch : {1, 2, 3, 5, 7, 64}) {
    TokenStream ts(text);
    std::vector<Token> t(batch);
    size_t at = 0;
    for (size_t got; (got = ts.read(t.data(), batch)) > 0; at += got)
      for (size_t i = 0; i < got; ++i) {
        ASSERT_LT(at + i, whole.size()) << batch;
        const Token &a = t[i], &b = whole[at + i];
        EXPECT_EQ(a.word, b.word) << batch << " " << at + i;
        EXPECT_EQ(a.stem, b.stem) << batch << " " << at + i;
        EXPECT_EQ(a.flags, b.flags) << batch << " " << at + i;
        EXPECT_EQ(a.cls, b.cls) << batch << " " << at + i;
        EXPECT_EQ(a.bytes, b.bytes) << batch << " " << at + i;
        EXPECT_EQ(a.begin, b.begin) << batch << " " << at + i;
        EXPECT_EQ(a.end, b.end) << batch << " " << at + i;
        EXPECT_EQ(a.sentence, b.sentence) << batch << " " << at + i;
      }
    EXPECT_EQ(at, whole.size()) << batch;
  }
  TokenStream ts("31 March");
  Token t;
  ASSERT_TRUE(ts.next(t));  // the day, read as the month: the day is pending
  ts.restart("March 5");
  ASSERT_TRUE(ts.next(t));
  EXPECT_EQ(t.word, text_hash("march"));
  ASSERT_TRUE(ts.next(t));
  EXPECT_EQ(t.word, text_hash("5"));
}

TEST(HrsTokenize, IsoDatesReadAsTheWrittenDate) {
  const auto written = tokenize_all("on March 5, 1889");
  auto t = tokenize_all("on 1889-03-05.");
  ASSERT_EQ(t.size(), 4u);
  for (size_t i = 1; i < 4; ++i) {
    EXPECT_EQ(t[i].word, written[i].word);  // "march", "5", "1889": the written date's order
    EXPECT_EQ(t[i].stem, written[i].stem);
    EXPECT_EQ(t[i].cls, written[i].cls);
    EXPECT_EQ(t[i].flags, written[i].flags);  // the month capitalised and no number, the year a year
    EXPECT_EQ(t[i].bytes, written[i].bytes);
  }
  EXPECT_EQ(t[1].end - t[1].begin, 4u);  // on the bytes of the fields in their places: "1889"
  EXPECT_EQ(t[2].begin, t[1].end + 1);
  EXPECT_EQ(t[3].end, t[2].end + 3);
  EXPECT_EQ(tokenize_all("2001-05-31")[0].cls, word_class(text_hash("may")));
  EXPECT_TRUE(tokenize_all("2001-05-31")[0].has(kSentenceStart));
  EXPECT_EQ(tokenize_all("2001-05-31")[1].word, text_hash("31"));
  EXPECT_EQ(tokenize_all("2001-13-01")[1].word, text_hash("13"));  // no month 13
  EXPECT_EQ(tokenize_all("2001-12-32")[2].word, text_hash("32"));  // no day 32
  EXPECT_EQ(tokenize_all("A2001-12-01")[1].word, text_hash("12"));  // glued to a word
  EXPECT_EQ(tokenize_all("2001-12-01T10")[0].word, text_hash("2001"));
  EXPECT_EQ(tokenize_all("3-4")[1].word, text_hash("4"));
}

TEST(HrsTokenize, HyphenatedNumberWordsAndPercentSigns) {
  auto t = tokenize_all("Twenty-five rose 50% to forty-two's, twenty-fivefold, one-two and 3-4%.");
  ASSERT_EQ(t.size(), 15u);
  EXPECT_EQ(t[0].word, text_hash("25"));
  EXPECT_TRUE(t[0].has(kNumber) && t[0].has(kCapitalized));
  EXPECT_EQ(t[0].end, 11u);
  EXPECT_EQ(t[2].stem, text_hash("50"));
  EXPECT_EQ(t[3].word, text_hash("percent"));  // the sign, as "50 percent" writes it
  EXPECT_EQ(t[3].end - t[3].begin, 1u);
  EXPECT_FALSE(t[3].has(kNumber));
  EXPECT_EQ(t[5].stem, text_hash("40"));  // a clitic after the unit: two words, as before
  EXPECT_EQ(t[6].stem, text_hash("2"));
  EXPECT_EQ(t[7].stem, text_hash("20"));  // a unit word must end the word
  EXPECT_EQ(t[8].word, text_hash("fivefold"));
  EXPECT_EQ(t[9].word, text_hash("one"));  // only a tens word takes a unit
  EXPECT_EQ(t[13].stem, text_hash("4"));
  EXPECT_EQ(t[14].word, text_hash("percent"));
  EXPECT_EQ(tokenize_all("twenty-five million")[0].stem, text_hash("25000000"));
  auto url = tokenize_all("g%C3%A8ne fifty% one%");  // only a number's sign is a percent
  ASSERT_EQ(url.size(), 6u);
  EXPECT_EQ(url[1].word, text_hash("c3"));
  EXPECT_EQ(url[4].word, text_hash("percent"));
  EXPECT_EQ(url[5].word, text_hash("one"));
}

TEST(HrsTokenize, DecimalsStayWhole) {
  auto t = tokenize_all("It rose 3.5 percent.");
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t[2].word, text_hash("3.5"));
  EXPECT_EQ(t.back().sentence, 0u);
}

TEST(HrsTokenize, ClitcsAndNegation) {
  auto t = tokenize_all("Lauren's shop isn't open; they're I 'm sure");
  ASSERT_EQ(t.size(), 8u);
  EXPECT_EQ(t[0].word, text_hash("lauren"));
  EXPECT_EQ(t[2].word, text_hash("is"));
  EXPECT_TRUE(t[2].has(kNegated));
  EXPECT_TRUE(t[2].cls & kNegation);
  EXPECT_EQ(t[4].word, text_hash("they"));
  EXPECT_EQ(t[6].word, text_hash("m"));  // a detached clitic is a stopword
  EXPECT_TRUE(t[6].cls & kStopword);
  auto curly = tokenize_all("It doesn\u2019t");
  ASSERT_EQ(curly.size(), 2u);
  EXPECT_EQ(curly[1].word, text_hash("does"));
  EXPECT_TRUE(curly[1].has(kNegated));
}

// Text split as "do n't" (BEGIN's replies): the detached "n't" is the word "not", "ca" a function word.
TEST(HrsTokenize, DetachedNegation) {
  auto t = tokenize_all("I do n't know , it ca n't be");
  ASSERT_EQ(t.size(), 8u);
  EXPECT_EQ(t[2].word, text_hash("not"));
  EXPECT_EQ(t[2].stem, text_hash("not"));
  EXPECT_TRUE(t[2].cls & kNegation);
  EXPECT_TRUE(t[2].cls & kStopword);
  EXPECT_TRUE(t[5].cls & kStopword);  // ca
  EXPECT_TRUE(t[6].cls & kNegation);
}

// A decade or an ordinal has its digits as its stem ("the 1970s" meets "1970", "June 7th" meets
// "June 7"); the word stays whole, and other letters after digits keep the token whole.
TEST(HrsTokenize, DecadesAndOrdinalsStemToDigits) {
  auto t = tokenize_all("the 1970s, the 1970 's, June 7th, 2nd, 21st, 3rd, 80s, 3d and 4k");
  ASSERT_EQ(t.size(), 14u);
  EXPECT_EQ(t[1].stem, text_hash("1970"));
  EXPECT_EQ(t[1].word, text_hash("1970s"));
  EXPECT_TRUE(t[1].has(kYear));
  EXPECT_EQ(t[3].stem, t[1].stem);
  EXPECT_EQ(t[6].stem, text_hash("7"));
  EXPECT_TRUE(t[6].has(kNumber));
  EXPECT_EQ(t[7].stem, text_hash("2"));
  EXPECT_EQ(t[8].stem, text_hash("21"));
  EXPECT_EQ(t[9].stem, text_hash("3"));
  EXPECT_EQ(t[10].stem, text_hash("80"));
  EXPECT_FALSE(t[10].has(kYear));
  EXPECT_EQ(t[11].stem, text_hash("3d"));
  EXPECT_EQ(t[13].stem, text_hash("4k"));
}

TEST(HrsTokenize, Sentences) {
  auto t = tokenize_all("First one. Second? Yes! U.S. stays\nnew line");
  ASSERT_EQ(t.size(), 9u);
  EXPECT_EQ(t[0].sentence, 0u);
  EXPECT_EQ(t[2].sentence, 1u);
  EXPECT_EQ(t[3].sentence, 2u);
  EXPECT_EQ(t[4].sentence, 3u);  // "U." is followed by a letter: no boundary inside "U.S."
  EXPECT_EQ(t[5].sentence, 3u);
  EXPECT_EQ(t[6].sentence, 4u);  // "S. " ends the sentence
  EXPECT_EQ(t[7].sentence, 5u);  // the line break ends one too
  EXPECT_TRUE(t[7].has(kSentenceStart));
  EXPECT_FALSE(t[8].has(kSentenceStart));
}

TEST(HrsTokenize, GluedSentencesAndOffsets) {
  // Sources glued without a space split after a lowercase word; "e.g.The" and "Ph.D" do not.
  auto t = tokenize_all("a singer.Alison sang. See e.g.The Ph.D");
  ASSERT_EQ(t.size(), 10u);
  EXPECT_EQ(t[1].sentence, 0u);
  EXPECT_EQ(t[2].sentence, 1u);  // "singer.Alison"
  EXPECT_EQ(t[4].sentence, 2u);
  EXPECT_EQ(t[7].sentence, 2u);  // "e.g.The"
  EXPECT_EQ(t[9].sentence, 2u);  // "Ph.D"
  EXPECT_EQ(t[2].begin, 9u);
  EXPECT_EQ(t[2].end, 15u);
  auto n = tokenize_all("paid 1,500 and didn’t");
  ASSERT_EQ(n.size(), 4u);
  EXPECT_EQ(n[1].begin, 5u);  // offsets cover the source text, not the normalised token
  EXPECT_EQ(n[1].end, 10u);
  EXPECT_EQ(n[3].end, 23u);
}

TEST(HrsTokenize, UnicodeSeparatorsAndLetters) {
  // em dash and non-breaking space separate; accented letters stay inside words.
  auto t = tokenize_all("caf\u00e9\u2014na\u00efve\u00a0r\u00e9sum\u00e9");
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0].word, text_hash("caf\u00e9"));
  EXPECT_EQ(t[2].word, text_hash("r\u00e9sum\u00e9"));
  EXPECT_TRUE(tokenize_all("").empty());
  EXPECT_TRUE(tokenize_all(" .,;!? \n\t").empty());
}

TEST(HrsTokenize, AllCapsAndStemHash) {
  auto t = tokenize_all("NASA launched rockets");
  ASSERT_EQ(t.size(), 3u);
  EXPECT_TRUE(t[0].has(kAllCaps));
  EXPECT_EQ(t[1].stem, text_hash("launch"));
  EXPECT_EQ(t[2].stem, text_hash("rocket"));
}

TEST(HrsStem, InflectionsMeet) {
  EXPECT_EQ(stem_of("studies"), "studi");
  EXPECT_EQ(stem_of("studied"), "studi");
  EXPECT_EQ(stem_of("study"), "studi");
  EXPECT_EQ(stem_of("making"), "mak");
  EXPECT_EQ(stem_of("make"), "mak");
  EXPECT_EQ(stem_of("running"), "run");
  EXPECT_EQ(stem_of("runs"), "run");
  EXPECT_EQ(stem_of("classes"), "class");
  EXPECT_EQ(stem_of("quickly"), "quick");
  EXPECT_EQ(stem_of("metres"), "metr");  // British -tre and American -ter meet
  EXPECT_EQ(stem_of("meters"), "metr");
  EXPECT_EQ(stem_of("centre"), stem_of("center"));
  EXPECT_EQ(stem_of("later"), "latr");
  EXPECT_EQ(stem_of("falling"), "fall");
  EXPECT_EQ(stem_of("bus"), "bus");        // short words stay
  EXPECT_EQ(stem_of("virus"), "virus");    // -us is not a plural
  EXPECT_EQ(stem_of("analysis"), "analysis");
  EXPECT_EQ(stem_of("caf\u00e9s"), "caf\u00e9s");  // non-ASCII: unchanged
}

TEST(HrsLexicon, Classes) {
  EXPECT_EQ(word_class(text_hash("the")), kStopword);
  EXPECT_TRUE(word_class(text_hash("never")) & kNegation);
  EXPECT_TRUE(word_class(text_hash("never")) & kCertainty);
  EXPECT_TRUE(word_class(text_hash("might")) & kHedge);
  EXPECT_TRUE(word_class(text_hash("might")) & kStopword);
  EXPECT_EQ(word_class(text_hash("definitely")), kCertainty);
  EXPECT_TRUE(word_class(text_hash("we")) & kFirstPerson);
  EXPECT_EQ(word_class(text_hash("you")), kStopword | kSecondPerson);
  EXPECT_EQ(word_class(text_hash("march")), kCalendar);
  EXPECT_EQ(word_class(text_hash("tower")), 0);
}

TEST(HrsLzRatio, RepetitionLowersRatio) {
  EXPECT_EQ(lz_ratio("short"), 1.0);
  EXPECT_EQ(lz_ratio("abcdefghijklmnop"), 1.0);  // nothing repeats: every byte a literal
  // 10 literals, then one back-reference covering the remaining 30 bytes: (10 + 3) / 40.
  EXPECT_DOUBLE_EQ(lz_ratio("0123456789012345678901234567890123456789"), 13.0 / 40.0);
  std::string rep;
  for (int i = 0; i < 50; ++i) rep += "the same sentence again. ";
  EXPECT_LT(lz_ratio(rep), 0.05);
}
