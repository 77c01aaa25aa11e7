// Sentence support (features.h: SentenceSupport) and the answer-form rewrites (forms.h).
#include <gtest/gtest.h>

#include <string>

#include "hrs/features.h"
#include "hrs/forms.h"
#include "hrs/synthetic.h"
#include "hrs/wordnet.h"

using namespace flk::hrs;

namespace {

std::vector<SentenceSupport> support_of(const char* context, const char* answer) {
  FeatureInput in;
  in.context = context;
  in.answer = answer;
  std::vector<SentenceSupport> s;
  compute_features(in, nullptr, &s);
  return s;
}

// `same` writes the context's number another way and is supported; `other` names another value.
void expect_same_number(const char* context, const char* same, const char* other) {
  auto s = support_of(context, same);
  ASSERT_EQ(s.size(), 1u) << same;
  EXPECT_EQ(s[0].support, 1) << same;
  EXPECT_EQ(s[0].mismatch, 0) << same;
  EXPECT_EQ(support_of(context, other)[0].mismatch, kMismatchNumber) << other;
}

}  // namespace

TEST(HrsSupport, AlignsEachSentenceAndNamesTheMismatch) {
  const char* ctx = "The tower was built in 1889. It is 330 metres tall. It is not painted red.";
  auto s = support_of(ctx, "The tower was built in 1890. It is painted red by Gustave.");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].begin, 0u);
  EXPECT_EQ(s[0].end, 27u);  // through "1890", not the period
  EXPECT_NEAR(s[0].support, 2.0 / 3, 1e-12);  // tower, built of tower, built, 1890
  EXPECT_EQ(s[0].source_begin, 0u);
  EXPECT_EQ(s[0].source_end, 27u);
  EXPECT_EQ(s[0].mismatch, kMismatchNumber);
  EXPECT_EQ(s[1].begin, 29u);
  EXPECT_EQ(s[1].end, 57u);
  EXPECT_EQ(s[1].source_begin, 52u);  // "It is not painted red"
  EXPECT_EQ(s[1].source_end, 73u);
  EXPECT_EQ(s[1].mismatch, kMismatchEntity | kMismatchNegation);

  auto ok = support_of(ctx, "It was built in 1889.");
  ASSERT_EQ(ok.size(), 1u);
  EXPECT_EQ(ok[0].support, 1);
  EXPECT_EQ(ok[0].mismatch, 0);
}

TEST(HrsSupport, TiesGoToTheSentenceHoldingTheNumbers) {
  // Both context sentences hold two of tower, finished, 1889; only the second holds the number.
  auto s = support_of("The tower was finished late. The tower stood in 1889.", "The tower was finished in 1889.");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_NEAR(s[0].support, 2.0 / 3, 1e-12);
  EXPECT_EQ(s[0].source_begin, 29u);
  EXPECT_EQ(s[0].mismatch, 0);
}

TEST(HrsSupport, BoundedAndEmptyCases) {
  std::string many;
  for (int i = 0; i < 100; ++i) many += "Sentence " + std::to_string(i) + " here. ";
  auto s = support_of("Sentence 3 here.", many.c_str());
  EXPECT_EQ(s.size(), kMaxSupportSentences);  // sentences past the 63rd share the last entry
  EXPECT_EQ(s.back().end, many.size() - 2);   // which spans to the end of the answer
  EXPECT_TRUE(support_of("", "An answer.").empty());  // no context: no alignment
  auto none = support_of("Completely different words.", "Nothing shared");
  ASSERT_EQ(none.size(), 1u);
  EXPECT_EQ(none[0].source_end, 0u);  // no context sentence shares a stem
  EXPECT_EQ(none[0].support, 0);
}

TEST(HrsForms, SpansSentencesAndPeriods) {
  EXPECT_TRUE(ends_terminal("Yes.\" "));
  EXPECT_FALSE(ends_terminal("Yes"));
  EXPECT_TRUE(span_like("Gustave Eiffel"));
  EXPECT_FALSE(span_like("1889."));
  EXPECT_TRUE(sentence_like("It was finished in March 1889."));
  EXPECT_FALSE(sentence_like("In 1889."));
  EXPECT_EQ(toggle_period("1889"), "1889.");
  EXPECT_EQ(toggle_period("It was 1889. "), "It was 1889");
  EXPECT_EQ(toggle_period("Really?\""), "Really\"");
  const char* q = "When was the Eiffel Tower finished?";
  EXPECT_EQ(as_span(q, "The Eiffel Tower was finished in March 1899."), "March 1899");
  EXPECT_EQ(as_span(q, "The Eiffel Tower was finished."), "");
  // A negation at the span's edge is kept: it is the answer's content, not its frame.
  EXPECT_EQ(as_span("Do ghosts exist?", "There is no evidence of ghosts."), "no evidence");
  EXPECT_EQ(as_span("Do ghosts exist?", "There is evidence of ghosts."), "evidence");
  std::string probe = as_sentence(q, "1889", Phrasing::Probe);
  EXPECT_TRUE(probe == "It was 1889." || probe == "That would be 1889.") << probe;
  for (const char* a : {"1889", "March 1889", "in 1889", "1889 AD"}) {
    std::string t = as_sentence(q, a, Phrasing::Training);
    EXPECT_TRUE(t == "The answer is " + std::string(a) + "." || t == "was the Eiffel Tower finished " + std::string(a) + "." ||
                t == "was the Eiffel Tower finished: " + std::string(a) + ".")
        << t;
  }
  EXPECT_EQ(holding_sentence("Pearl Lowe is a designer.Alison Goldfrapp is an English musician. She sings.", "English"),
            "Alison Goldfrapp is an English musician.");
  EXPECT_EQ(holding_sentence("No match here.", "English"), "");
}

TEST(HrsForms, ProbesAndBalancing) {
  FormInput e;
  e.question = "When was the Eiffel Tower finished?";
  e.context = "The Eiffel Tower was finished in March 1889.";
  e.answer = "March 1889";
  e.qa = true;
  EXPECT_NE(probe_answer(Probe::SpanAsSentence, e), "");
  EXPECT_EQ(probe_answer(Probe::SentenceAsSpan, e), "");
  EXPECT_EQ(probe_answer(Probe::FormsSwapped, e), probe_answer(Probe::SpanAsSentence, e));
  EXPECT_EQ(probe_answer(Probe::ContextSentence, e), "The Eiffel Tower was finished in March 1889.");
  EXPECT_EQ(probe_answer(Probe::ContextSentenceShortened, e), "The Eiffel Tower was in March 1889.");  // the one word
  e.context = "By all accounts the Eiffel Tower was finished quickly in March 1889.";
  const std::string shortened = probe_answer(Probe::ContextSentenceShortened, e);
  EXPECT_TRUE(shortened == "By all the Eiffel Tower was finished quickly in March 1889." ||
              shortened == "By all accounts the Eiffel Tower was quickly in March 1889." ||
              shortened == "By all accounts the Eiffel Tower was finished in March 1889.")
      << shortened;
  EXPECT_EQ(probe_answer(Probe::ContextSentenceShortened, e), shortened);  // the same word every time
  e.context = "The Eiffel Tower was built in March 1889.";
  EXPECT_EQ(probe_answer(Probe::ContextSentenceCompressed, e), "The Eiffel Tower March 1889.");  // the one run of three
  e.context = "The Eiffel Tower was not built in March 1889.";
  EXPECT_EQ(probe_answer(Probe::ContextSentenceCompressed, e), "");  // never a negation
  EXPECT_EQ(probe_answer(Probe::ContextSentenceResolved, e), "");  // no sentence before
  e.context = "The Eiffel Tower is a lattice tower in Paris. It was finished in March 1889 by a team.";
  EXPECT_EQ(probe_answer(Probe::ContextSentenceResolved, e), "The Eiffel Tower was finished in March 1889 by a team.");
  e.context = "In Paris a tower was built. It was finished in March 1889.";
  EXPECT_EQ(probe_answer(Probe::ContextSentenceResolved, e), "");  // no name opens the sentence before
  e.context = "The Eiffel Tower was finished in March 1889.";
  EXPECT_EQ(probe_answer(Probe::PeriodToggled, e), "March 1889.");
  EXPECT_NE(balancing_answer(e), "");
  e.label = 1;
  e.answer = "The Eiffel Tower was finished in March 1899.";
  EXPECT_EQ(probe_answer(Probe::FormsSwapped, e), "March 1899");
  EXPECT_EQ(probe_answer(Probe::ContextSentence, e), "");  // only correct answers are replaced by their source
  EXPECT_EQ(probe_answer(Probe::ContextSentenceShortened, e), "");
  EXPECT_EQ(balancing_answer(e), "March 1899");
  e.qa = false;
  EXPECT_EQ(balancing_answer(e), "");
  EXPECT_EQ(probe_answer(Probe::SpanAsSentence, e), "");
}

TEST(HrsForms, SynonymsProbeSaysTheSameInOtherWords) {
  ASSERT_TRUE(flk::hrs::wordnet_ready().ok());
  // Content words with a WordNet synonym change (a capital kept); names, numbers and stopwords stay.
  EXPECT_EQ(with_synonyms("The work was complete in 1889."), "The work was finish in 1889.");
  // WordNet groups ignore the part of speech: "said" becomes the adjective "aforesaid".
  EXPECT_EQ(with_synonyms("Complete in 1889, said Gustave Eiffel."), "Finish in 1889, aforesaid Gustave Eiffel.");
  EXPECT_EQ(with_synonyms("It was in 1889."), "");
  FormInput e;
  e.answer = "It was complete in 1889.";
  EXPECT_EQ(probe_answer(Probe::SynonymsUsed, e), "");  // no context: nothing to be supported by
  e.context = "The Eiffel Tower was finished in March 1889.";
  EXPECT_EQ(probe_answer(Probe::SynonymsUsed, e), with_synonyms(e.answer));
}

TEST(HrsForms, NumbersInWordsProbeWritesNumbersOut) {
  EXPECT_EQ(numbers_in_words("7 wonders, 12 in all, since 1889."), "Seven wonders, twelve in all, since 1889.");
  EXPECT_EQ(numbers_in_words("It has 1, 21 or 100 floors."), "It has 1, twenty-one or 100 floors.");  // "one" is a function word
  FormInput e;
  e.answer = "It has 3 floors.";
  EXPECT_EQ(probe_answer(Probe::NumbersInWords, e), "");  // no context: nothing to be supported by
  e.context = "The tower has three floors.";
  EXPECT_EQ(probe_answer(Probe::NumbersInWords, e), "It has three floors.");
}

TEST(HrsForms, NumbersRescaledProbeScalesLargeNumbers) {
  EXPECT_EQ(numbers_rescaled("It had 2,300,000 people, 15000 cars and 1,234,567 bikes in 1999."),
            "It had 2.3 million people, 15 thousand cars and 1,234,567 bikes in 1999.");  // 1.234567 million: too precise
  EXPECT_EQ(numbers_rescaled("It had 999 people in 2001."), "");  // under 1000, and a year
  FormInput e;
  e.answer = "It had 4,000,000,000 people.";
  EXPECT_EQ(probe_answer(Probe::NumbersRescaled, e), "");  // no context
  e.context = "It had four billion people.";
  EXPECT_EQ(probe_answer(Probe::NumbersRescaled, e), "It had 4 billion people.");
}

TEST(HrsForms, UnitsAbbreviatedAndDatesIsoProbes) {
  EXPECT_EQ(units_abbreviated("It ran 25 meters, then 3 Miles and 1 hour; five kilometers, 2 m."),
            "It ran 25 m, then 3 mi and 1 hr; five kilometers, 2 m.");  // after digits only
  EXPECT_EQ(units_abbreviated("It ran far."), "");
  EXPECT_EQ(dates_iso("Born on March 5, 1889 and died 31 May 1950, in June 1960."),
            "Born on 1889-03-05 and died 1950-05-31, in June 1960.");  // a day is needed
  EXPECT_EQ(dates_iso("On March 32, 1889."), "");
  EXPECT_EQ(dates_reordered("Born on March 5, 1889 and died 31 May 1950, in June 1960."),
            "Born on 5 March 1889 and died May 31, 1950, in June 1960.");
  EXPECT_EQ(dates_reordered("In June 1960."), "");
  FormInput e;
  e.answer = "It is 25 meters.";
  EXPECT_EQ(probe_answer(Probe::UnitsAbbreviated, e), "");  // no context
  e.context = "It is 25 metres tall.";
  EXPECT_EQ(probe_answer(Probe::UnitsAbbreviated, e), "It is 25 m.");
}

TEST(HrsForms, PerCentWrittenAndScalesWithAProbes) {
  EXPECT_EQ(per_cent_written("Sales rose 50% and costs 3 percent."), "Sales rose 50 per cent and costs 3 per cent.");
  EXPECT_EQ(per_cent_written("Sales rose."), "");
  EXPECT_EQ(scales_with_a("1 million people paid 1,000 dollars in 1000, not 2 million."),
            "A million people paid a thousand dollars in 1000, not 2 million.");  // "1000" alone: a year
  EXPECT_EQ(scales_with_a("It had 1,000,000,000 cells."), "It had a billion cells.");
  EXPECT_EQ(scales_with_a("It had 7 cells."), "");
}

TEST(HrsForms, RolesSwappedExchangesTwoOneWordNames) {
  EXPECT_EQ(roles_swapped("Wozniak designed the Apple I with Jobs."), "Jobs designed the Apple I with Wozniak.");
  EXPECT_EQ(roles_swapped("In 1998 Apple hired Tim Cook from Compaq."), "In 1998 Compaq hired Tim Cook from Apple.");
  EXPECT_EQ(roles_swapped("Paris is in France."), "France is in Paris.");
  EXPECT_EQ(roles_swapped("Marie Curie met Pierre Curie."), "");  // no one-word names
  EXPECT_EQ(roles_swapped("Paris is Paris."), "");
}

TEST(HrsForms, DateFrontedProbeMovesAClosingDateToTheFront) {
  EXPECT_EQ(date_fronted("Marie Curie won the Nobel Prize in Physics in 1903."),
            "In 1903, Marie Curie won the Nobel Prize in Physics.");
  EXPECT_EQ(date_fronted("Yes. The tower was finished in March 1889!"), "Yes. In March 1889, the tower was finished!");
  EXPECT_EQ(date_fronted("It was signed on 4 July 1776. It was late."), "On 4 July 1776, it was signed. It was late.");
  EXPECT_EQ(date_fronted("The tower is in Paris."), "");             // no number
  EXPECT_EQ(date_fronted("In 1903 she won."), "");                   // fewer than three tokens before it
  EXPECT_EQ(date_fronted("She won it in Paris, in 1903."), "");       // a comma before the modifier
  EXPECT_EQ(date_fronted("She won the prize in the year of 1903."), "");  // more than four tokens
}

TEST(HrsForms, VoicePassiveProbeWritesTheActivePassive) {
  EXPECT_EQ(voice_passive("Gustave Eiffel designed the tower in 1887."), "The tower was designed by Gustave Eiffel in 1887.");
  EXPECT_EQ(voice_passive("Yes. He founded it in 1868, I think."), "Yes. It was founded by him in 1868, I think.");
  EXPECT_EQ(voice_passive("The company acquired Instagram."), "Instagram was acquired by the company.");
  EXPECT_EQ(voice_passive("They defeated them."), "They were defeated by them.");
  EXPECT_EQ(voice_passive("It was designed by him."), "");  // passive already
  EXPECT_EQ(voice_passive("She walked to school."), "");    // no object
  EXPECT_EQ(voice_passive("Paris, the capital, hosted the games."), "");  // a comma in the subject
}

TEST(HrsForms, VoiceActiveProbeWritesThePassiveActive) {
  EXPECT_EQ(voice_active("The tower was designed by Gustave Eiffel."), "Gustave Eiffel designed the tower.");
  EXPECT_EQ(voice_active("The tower was designed by the company of Eiffel in 1887."),
            "The company of Eiffel designed the tower in 1887.");
  EXPECT_EQ(voice_active("Yes. It was founded by him in 1868, I think."), "Yes. He founded it in 1868, I think.");
  EXPECT_EQ(voice_active("They were defeated by the Romans, who won."), "The Romans defeated them, who won.");
  EXPECT_EQ(voice_active("Paris, the capital, was visited by many."), "");  // a comma in the subject
  EXPECT_EQ(voice_active("It was written by Hugo."), "");  // not a regular past participle
  EXPECT_EQ(voice_active("It was built in 1889."), "");
}

TEST(HrsSupport, NumbersWrittenOtherwiseSupportAndContradictDigits) {
  expect_same_number("The ancient list has seven wonders.", "The list has 7 wonders.", "The list has eight wonders.");
  expect_same_number("The ancient list has seven wonders.", "The list has 7 wonders.", "The list has 8 wonders.");
  expect_same_number("The city had 2,300,000 inhabitants in 2020.", "The city had 2.3 million inhabitants in 2020.",
                     "The city had 2.8 million inhabitants in 2020.");
  expect_same_number("The city had 2.3 million inhabitants.", "The city had 2,300,000 inhabitants.",
                     "The city had 2,800,000 inhabitants.");
}

TEST(HrsSupport, OneSynonymInTheSourceSupportsEveryAnswerWordOfItsGroup) {
  ASSERT_TRUE(flk::hrs::wordnet_ready().ok());
  // accentuate, emphasize and stress share a WordNet group.
  EXPECT_EQ(support_of("They stress the point.", "They emphasize and accentuate the point.")[0].support, 1);
  // Also when the source's word is itself in the answer.
  EXPECT_EQ(support_of("They stress the point.", "They stress and emphasize the point.")[0].support, 1);
}

TEST(HrsSupport, WordnetAntonymsFlipPolarityAndSynonymsSupport) {
  const char* ctx = "The Lakers won the final in 2010. The water was hot. The company buys the firm.";
  auto lost = support_of(ctx, "The Lakers lost the final in 2010.");  // irregular forms of win / lose
  ASSERT_EQ(lost.size(), 1u);
  EXPECT_EQ(lost[0].mismatch, kMismatchAntonym);
  EXPECT_EQ(lost[0].antonyms_found, 1u);
  EXPECT_EQ(support_of(ctx, "The water was cold.")[0].mismatch, kMismatchAntonym);
  // A negated antonym agrees with its source; an antonym in the answer's own sentence is no contradiction.
  EXPECT_EQ(support_of(ctx, "The water was not cold.")[0].mismatch, 0);
  EXPECT_EQ(support_of(ctx, "The water was hot, not cold.")[0].mismatch, kMismatchNegation);
  EXPECT_EQ(support_of(ctx, "The water was hot and cold.")[0].mismatch, 0);

  auto bought = support_of(ctx, "The company purchased the firm.");  // purchase ~ buy
  ASSERT_EQ(bought.size(), 1u);
  EXPECT_EQ(bought[0].support, 1);
  EXPECT_EQ(bought[0].source_begin, 53u);  // "The company buys the firm"
  EXPECT_NEAR(support_of(ctx, "The company acquired the firm.")[0].support, 2.0 / 3, 1e-12);
}
