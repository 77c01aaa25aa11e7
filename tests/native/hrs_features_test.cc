// Every HRS feature on inputs small enough to work out by hand (the numbers in the comments).
// The last test checks that each feature of the schema is asserted by one of the checks.
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>

#include "hrs/embedding_signals.h"
#include "hrs/features.h"
#include "hrs/lz_ratio.h"
#include "hrs/wordnet.h"

using namespace flk::hrs;

namespace {

std::set<int>& covered() {
  static std::set<int> s;
  return s;
}

void expect(const Features& f, Feature k, double v) {
  covered().insert(k);
  EXPECT_NEAR(f.x[k], v, 1e-12) << feature_info(k).name;
}

}  // namespace

static void check_answer_form() {
  const char* answer = "We definitely saw 3 NASA rockets in March 1969. Maybe they were not real? They were real.";
  FeatureInput in;
  in.answer = answer;
  Features f = compute_features(in);
  EXPECT_EQ(f.groups, kGroupAnswer);
  expect(f, kHasQuestion, 0);
  expect(f, kHasContext, 0);
  expect(f, kTaskDialogue, 0);
  expect(f, kTaskSummarization, 0);
  expect(f, kAnsTokens, std::log(18.0));          // 17 tokens
  expect(f, kAnsSentences, std::log(4.0));        // 3 sentences
  expect(f, kAnsEndsTerminal, 1);
  expect(f, kAnsQuestionMark, 1);
  expect(f, kAnsStopwordShare, 7.0 / 17);         // we in they were not they were
  expect(f, kAnsTypeToken, 14.0 / 17);            // they, were, real repeat
  expect(f, kAnsRepeatedBigrams, 1.0 / 16);       // "they were" twice
  expect(f, kAnsLzRatio, lz_ratio(answer));
  expect(f, kAnsWordBytes, 65.0 / 15);            // bytes of the 15 non-number tokens
  expect(f, kAnsHedges, std::log(2.0));           // maybe
  expect(f, kAnsCertainty, std::log(2.0));        // definitely
  expect(f, kAnsNegations, std::log(2.0));        // not
  expect(f, kAnsFirstPerson, std::log(2.0));      // we
  expect(f, kAnsNumbers, std::log(3.0));          // 3, 1969
  expect(f, kAnsEntities, std::log(3.0));         // NASA, March (not the sentence-initial words)
  expect(f, kAnsDates, std::log(3.0));            // March, 1969
  for (int k = kQTokens; k < kNumFeatures; ++k) EXPECT_EQ(f.x[k], 0) << feature_info(k).name;
}

static void check_question() {
  FeatureInput in;
  in.question = "Who built the Eiffel Tower in Paris?";
  in.answer = "Gustave Eiffel built the tower.";
  Features f = compute_features(in);
  EXPECT_EQ(f.groups, kGroupAnswer | kGroupQuestion);
  expect(f, kHasQuestion, 1);
  expect(f, kQTokens, std::log(8.0));             // 7 question tokens
  expect(f, kQAnswerInQuestion, 3.0 / 4);         // eiffel built tower of gustave eiffel built tower
  expect(f, kQQuestionInAnswer, 3.0 / 4);         // built eiffel tower of built eiffel tower paris
  expect(f, kQBigramsInQuestion, 1.0 / 4);        // "built the"
  expect(f, kQInterrogative, 1);                  // holds a '?'
  expect(f, kCNovelContentShare, 0);              // no context: grounding features stay 0
}

// question_interrogative: a '?' anywhere, or a wh-word or auxiliary first (clitics removed).
static void check_question_kind() {
  auto kind = [](const char* question) {
    FeatureInput in;
    in.question = question;
    in.answer = "Gustave Eiffel built it.";
    return compute_features(in);
  };
  expect(kind("Describe the Eiffel Tower."), kQInterrogative, 0);
  expect(kind("Write a poem about Paris"), kQInterrogative, 0);
  expect(kind("i like the tower"), kQInterrogative, 0);
  expect(kind("Tell me, who built it?"), kQInterrogative, 1);
  expect(kind("which year was it built"), kQInterrogative, 1);
  expect(kind("Isn't it tall"), kQInterrogative, 1);
  expect(kind("Can you name its builder"), kQInterrogative, 1);
  expect(kind("??"), kQInterrogative, 0);  // no token: no question group, every question feature 0
}

static void check_context() {
  FeatureInput in;
  in.context = "The tower was built in 1889. It is 330 metres tall. It is not painted red.";
  in.answer = "The tower was built in 1890. It is painted red by Gustave.";
  Features f = compute_features(in);
  EXPECT_EQ(f.groups, kGroupAnswer | kGroupContext);
  expect(f, kHasContext, 1);
  expect(f, kCTokens, std::log(17.0));            // 16 context tokens
  expect(f, kCLengthRatio, std::log(13.0 / 17));  // 12 answer tokens
  expect(f, kCNovelContentShare, 2.0 / 6);        // 1890, gustave of tower built 1890 painted red gustave
  expect(f, kCNovelContent, std::log(3.0));
  expect(f, kCNovelWordShare, 3.0 / 12);          // 1890, by, gustave
  // is-paint is not in the context: "is not painted" leaves out a negation, which is never a left-out word
  expect(f, kCNovelBigramShare, 5.0 / 11);        // in-1890 1890-it is-paint red-by by-gustave
  expect(f, kCNovelTrigramShare, 7.0 / 10);       // all but those in "the tower was built in"
  expect(f, kCNovelNumbers, std::log(2.0));       // 1890
  expect(f, kCNovelEntities, std::log(2.0));      // Gustave
  expect(f, kCNovelDates, std::log(2.0));         // 1890
  // Of the 6 content tokens, "the tower was built in" copies 2 (tower, built): the copy shares
  // count content tokens, so a sentence's frame around a copied span does not lower them.
  expect(f, kCCopyLongestShare, 2.0 / 6);
  expect(f, kCCopyLongest, std::log(6.0));        // 5 tokens
  expect(f, kCCopyCoverage, 2.0 / 6);             // tower, built
  expect(f, kCAlignMin, 2.0 / 3);                 // {tower built 1890} vs sentence 1; {paint red gustave} vs 3
  expect(f, kCAlignMean, 2.0 / 3);
  expect(f, kCNegationFlip, 1.0 / 2);             // sentence 2 aligns with "It is not painted red."
  expect(f, kCMismatchNumbers, 1.0 / 2);          // 1890 is not in "The tower was built in 1889."
  expect(f, kCMismatchEntities, 1.0 / 2);         // Gustave is not in "It is not painted red."
  expect(f, kCSwapShare, 1.0 / 2);                // 1890 stands where the context has 1889, between "in" and "it"
}

// First- and second-person pronouns that the context does not use: the reply speaks of its speaker
// or listener, which a knowledge text cannot support.
static void check_novel_persons() {
  FeatureInput in;
  in.context = "I think the tower is tall. You can see it from the river.";
  in.answer = "I saw it and you will love it, my friend; we know the tower is tall.";
  expect(compute_features(in), kCNovelPersons, std::log(3.0));  // my, we (I and you are in the context)
  in.context = "The tower is tall.";
  expect(compute_features(in), kCNovelPersons, std::log(5.0));  // I, you, my, we
  in.answer = "The tower is tall.";
  expect(compute_features(in), kCNovelPersons, 0);
  in.context = "";
  in.answer = "I saw it.";
  expect(compute_features(in), kCNovelPersons, 0);  // no context: the feature stays 0
}

// A swap: an answer word found nowhere in the sources, between the same two words as a context word
// it contradicts (an antonym, another number or entity), in whichever context sentence that is.
static void check_swaps() {
  ASSERT_TRUE(wordnet_ready().ok());
  FeatureInput in;
  in.context = "Profits fell sharply in May. The deal was signed by Apple and IBM.";
  in.answer = "Profits rose sharply. The deal was signed by Google and IBM.";  // rise / fall; Google for Apple
  expect(compute_features(in), kCSwapShare, 1);
  in.answer = "The deal was signed by Apple and IBM as profits rose.";  // no longer between the same words
  expect(compute_features(in), kCSwapShare, 0);
  in.answer = "Profits fell sharply. The deal was signed by Apple and IBM.";
  expect(compute_features(in), kCSwapShare, 0);
  in.context = "Profits fell sharply in May, though costs rose. The deal was signed by Apple and IBM.";
  in.answer = "Profits rose sharply in May.";  // the context says "rose" too
  expect(compute_features(in), kCSwapShare, 0);
  // One sentence fused from two: the swapped word's sentence is not the one it aligns with, and the
  // sentence-level mismatch reports it.
  in.context = "Sales increased to a record. Costs will persist in the second quarter, the company said.";
  in.answer = "Sales decreased to a record, and costs will persist in the second quarter.";
  std::vector<SentenceSupport> sup;
  Features f = compute_features(in, nullptr, &sup);
  expect(f, kCSwapShare, 1);
  ASSERT_EQ(sup.size(), 1u);
  EXPECT_TRUE(sup[0].mismatch & kMismatchAntonym);
}

static void check_copy_shares_ignore_the_frame() {
  FeatureInput in;
  in.context = "Pearl Lowe is an English fashion and textiles designer.";
  for (const char* answer : {"English fashion writer", "It was an English fashion writer."}) {
    in.answer = answer;
    expect(compute_features(in), kCCopyLongestShare, 2.0 / 3);  // "english fashion" of {english, fashion, writer}
  }
  in.answer = "English fashion writer";
  expect(compute_features(in), kCCopyCoverage, 0);  // no answer trigram is in the context
  in.answer = "It was an English fashion writer.";
  expect(compute_features(in), kCCopyCoverage, 2.0 / 3);  // "an english fashion" is
  in.answer = "It was an English fashion designer.";  // "and textiles" left out: still one copy
  expect(compute_features(in), kCCopyLongestShare, 1);
  expect(compute_features(in), kCCopyCoverage, 1);
  in.answer = "It was an English fashion and textiles designer.";
  expect(compute_features(in), kCCopyCoverage, 1);
  // A copy of one token counts the answer's token: "will" is a function word of the answer, so
  // the context's "wills" (same stem) copies none of its content; "mines" is content of the
  // answer, copied by the context's function word "mine" as a two-token run would count it.
  in.context = "They read the wills.";
  in.answer = "Paris will.";
  expect(compute_features(in), kCCopyLongestShare, 0);
  in.context = "It is mine.";
  in.answer = "Paris mines.";
  expect(compute_features(in), kCCopyLongestShare, 1.0 / 2);
}

static void check_context_counts_question_as_source() {
  FeatureInput in;
  in.question = "Is Gustave the engineer?";
  in.context = "The tower was built in 1889.";
  in.answer = "Gustave built it.";
  Features f = compute_features(in);
  expect(f, kCNovelContentShare, 0);  // gustave comes from the question, built from the context
}

// A WordNet synonym in the context is support, whichever answer word of its group it stands for;
// one only in the question is not (accentuate, emphasize and stress are one group).
static void check_context_synonyms_are_not_novel() {
  ASSERT_TRUE(wordnet_ready().ok());
  FeatureInput in;
  in.context = "They accentuate the point.";
  in.answer = "They emphasize the point.";
  expect(compute_features(in), kCNovelContentShare, 0);
  in.answer = "They emphasize and stress the point.";  // both words of the group
  expect(compute_features(in), kCNovelContentShare, 0);
  in.context = "They stress the point.";  // a word of the answer that is a synonym of another
  expect(compute_features(in), kCNovelContentShare, 0);
  in.context = "They made the point.";
  in.question = "Did they accentuate it?";
  in.answer = "They emphasize the point.";
  expect(compute_features(in), kCNovelContentShare, 1.0 / 2);  // emphasize: its synonym is only in the question
}

// Copy runs and n-grams read a context's synonym of an answer word as that word, and let the
// context have up to two words between two of the answer's (left out by the answer, within one
// sentence): a reworded or shortened copy keeps the copy's features, a word put in breaks them.
static void check_copies_reworded_or_shortened() {
  ASSERT_TRUE(wordnet_ready().ok());
  FeatureInput in;
  in.context = "Critics said the film was finished in early March 1889 by the studio.";
  auto copy_features = [&](const char* answer) {
    in.answer = answer;
    return compute_features(in);
  };
  const Features copied = copy_features("The film was finished in early March 1889 by the studio.");
  expect(copied, kCCopyCoverage, 1);
  expect(copied, kCNovelBigramShare, 0);
  for (const char* same : {"The film was completed in early March 1889 by the studio.",  // a synonym
                           "The film was finished in 1889 by the studio.",               // two words left out
                           "The film was completed in 1889 by the studio."}) {
    const Features f = copy_features(same);
    for (int k : {kCCopyLongestShare, kCCopyCoverage, kCNovelBigramShare, kCNovelTrigramShare})
      EXPECT_EQ(f.x[k], copied.x[k]) << feature_info(k).name << ": " << same;
  }
  const Features painted = copy_features("The film was painted in early March 1889 by the studio.");
  EXPECT_LT(painted.x[kCCopyLongestShare], copied.x[kCCopyLongestShare]);
  EXPECT_GT(painted.x[kCNovelBigramShare], 0);
  in.context = "Critics said the film was finished in the early March of 1889 by the studio.";
  EXPECT_EQ(copy_features("The film was finished in 1889 by the studio.").x[kCNovelBigramShare], 0);  // 4 words apart
  in.context = "Critics said the film was finished in the early and rainy March of 1889 by the studio.";
  EXPECT_GT(copy_features("The film was finished in 1889 by the studio.").x[kCNovelBigramShare], 0);  // 6 words apart
  // A left-out phrase may hold one word the answer holds elsewhere ("tower").
  in.context = "The Eiffel Tower is a wrought-iron lattice tower in Paris, France.";
  const Features compressed = copy_features("The Eiffel Tower is in Paris.");
  expect(compressed, kCCopyLongestShare, 1);
  expect(compressed, kCNovelBigramShare, 0);
  EXPECT_LT(copy_features("The Eiffel Tower is in Rome.").x[kCCopyLongestShare], 1);
  // A pronoun stands for the name that the sentence before held.
  in.context = "The Eiffel Tower is a lattice tower in Paris. It is 330 metres tall.";
  const Features named = copy_features("The Eiffel Tower is 330 metres tall.");
  for (Feature k : {kCAlignMin, kCCopyLongestShare, kCCopyCoverage}) expect(named, k, 1);
  expect(named, kCNovelBigramShare, 0);
  expect(named, kCMismatchEntities, 0);
  EXPECT_GT(copy_features("The Eiffel Tower is 300 metres tall.").x[kCMismatchNumbers], 0);
  const Features subject = copy_features("The tower is 330 metres tall.");  // or a lowercase subject
  for (Feature k : {kCAlignMin, kCCopyLongestShare}) expect(subject, k, 1);
  in.context = "The Eiffel Tower is 330 metres tall and is not painted red.";  // a negation is never left out
  EXPECT_LT(copy_features("The Eiffel Tower is painted red.").x[kCCopyLongestShare], 1);
  // A name's head stands for the name where the context has held all its words; not after another name word.
  in.context = "The Great Wall of China is a series of fortifications. The wall is about 21,196 kilometres long.";
  const Features headed = copy_features("The Great Wall of China is about 21,196 kilometres long.");
  for (Feature k : {kCAlignMin, kCCopyLongestShare}) expect(headed, k, 1);
  in.context = "Marie Curie won the Nobel Prize in 1903. Pierre Curie died in 1906.";
  EXPECT_LT(copy_features("Marie Curie died in 1906.").x[kCAlignMin], 1);
  in.context = "Paris has a lattice tower. It is 330 metres tall.";  // the sentence before does not name it
  EXPECT_LT(copy_features("The Eiffel Tower is 330 metres tall.").x[kCAlignMin], 1);
  in.context = "The film was finished in March. 1889 was a good year for the studio.";
  EXPECT_GT(copy_features("The film was finished in 1889.").x[kCNovelBigramShare], 0);  // another sentence
}

// A context's passive clause supports the answer that says it in the active voice, not the one that
// turns its roles around.
static void check_copies_in_the_active_voice() {
  FeatureInput in;
  in.context = "It was designed by the company of Gustave Eiffel. The company was founded by Gustave Eiffel in 1868.";
  auto copy_features = [&](const char* answer) {
    in.answer = answer;
    return compute_features(in);
  };
  for (const char* active : {"The company of Gustave Eiffel designed it.", "Gustave Eiffel founded the company in 1868."}) {
    const Features f = copy_features(active);
    for (Feature k : {kCCopyLongestShare, kCCopyCoverage}) EXPECT_EQ(f.x[k], 1) << feature_info(k).name << ": " << active;
    for (Feature k : {kCNovelBigramShare, kCNovelTrigramShare}) EXPECT_EQ(f.x[k], 0) << feature_info(k).name << ": " << active;
  }
  for (const char* turned : {"The company founded Gustave Eiffel in 1868.", "It designed the company of Gustave Eiffel."})
    EXPECT_GT(copy_features(turned).x[kCNovelBigramShare], 0) << turned;
  in.context = "The Apple I is a computer designed by Wozniak.";  // "by" is never left out
  EXPECT_GT(copy_features("The Apple I designed Wozniak.").x[kCNovelBigramShare], 0);
  in.context = "It was not designed by Gustave Eiffel.";
  EXPECT_GT(copy_features("Gustave Eiffel designed it.").x[kCNovelBigramShare], 0);
  in.context = "It was designed by Koechlin and built by Gustave Eiffel.";  // another clause's agent
  EXPECT_GT(copy_features("Gustave Eiffel designed it.").x[kCNovelBigramShare], 0);
}

// A sentence that puts its modifier first says what its source says with it last, and the other way
// round; a modifier of another clause ("Born in 1867, ...") or another date supports neither.
static void check_copies_with_a_modifier_moved() {
  FeatureInput in;
  auto copy_features = [&](const char* context, const char* answer) {
    in.context = context;
    in.answer = answer;
    return compute_features(in);
  };
  const char* last = "Marie Curie won the Nobel Prize in Physics in 1903.";
  const char* first = "In 1903, Marie Curie won the Nobel Prize in Physics.";
  for (auto [context, answer] : {std::pair{last, first}, std::pair{first, last}}) {
    const Features f = copy_features(context, answer);
    for (Feature k : {kCCopyLongestShare, kCCopyCoverage}) EXPECT_EQ(f.x[k], 1) << feature_info(k).name << ": " << answer;
    for (Feature k : {kCNovelBigramShare, kCNovelTrigramShare}) EXPECT_EQ(f.x[k], 0) << feature_info(k).name << ": " << answer;
  }
  const char* dated = "Yuri Gagarin flew into space on April 12, 1961.";  // a comma inside the date
  for (auto [context, answer] : {std::pair{dated, "On April 12, 1961, Yuri Gagarin flew into space."},
                                 std::pair{"On 12 April 1961, Yuri Gagarin flew into space.", dated}})
    EXPECT_EQ(copy_features(context, answer).x[kCCopyLongestShare], 1) << answer;
  EXPECT_LT(copy_features("Born in 1867, Marie Curie won the Nobel Prize in Physics.",
                          "Marie Curie won the Nobel Prize in Physics in 1867.").x[kCCopyLongestShare], 1);
  EXPECT_GT(copy_features(last, "In 1911, Marie Curie won the Nobel Prize in Physics.").x[kCNovelBigramShare], 0);
}

// The context is read in batches of 64 tokens: a passive clause or a moved modifier supports the answer
// wherever the batches cut it (the passive reader looks back across a batch's start for the subject).
static void check_copies_across_batches() {
  FeatureInput in;
  const std::pair<const char*, const char*> pairs[] = {
      {"It was designed by the company of Gustave Eiffel.", "The company of Gustave Eiffel designed it."},
      {"In 1903, Marie Curie won the Nobel Prize in Physics.", "Marie Curie won the Nobel Prize in Physics in 1903."},
      {"Marie Curie won the Nobel Prize in Physics in 1903.", "In 1903, Marie Curie won the Nobel Prize in Physics."}};
  for (const auto& [context, answer] : pairs) {
    std::string padded;
    for (int k = 0; k <= 80; ++k, padded += "Zebra. ") {
      const std::string c = padded + context;
      in.context = c;
      in.answer = answer;
      const Features f = compute_features(in);
      EXPECT_EQ(f.x[kCCopyLongestShare], 1) << k << ": " << answer;
      EXPECT_EQ(f.x[kCNovelBigramShare], 0) << k << ": " << answer;
    }
  }
}

static void check_task() {
  FeatureInput in;
  in.answer = "ok";
  in.task = Task::Dialogue;
  expect(compute_features(in), kTaskDialogue, 1);
  in.task = Task::Summarization;
  Features f = compute_features(in);
  expect(f, kTaskSummarization, 1);
  expect(f, kTaskDialogue, 0);
}

static void check_logprobs() {
  std::vector<double> lp{-0.1, -3.0, -0.5, -2.0};
  FeatureInput in;
  in.answer = "a b c d";
  in.token_logprobs = &lp;
  Features f = compute_features(in);
  EXPECT_EQ(f.groups, kGroupAnswer | kGroupLogprobs);
  expect(f, kLpMean, -1.4);
  expect(f, kLpMin, -3.0);
  expect(f, kLpStd, std::sqrt(5.42 / 4));
  expect(f, kLpLowShare, 0.25);  // -3.0 < ln 0.1
}

static void check_embeddings() {
  std::vector<std::vector<double>> e{{1, 0}, {0, 1}, {1, 1}};
  FeatureInput in;
  in.answer = "x";
  in.embeddings = &e;
  Features f = compute_features(in);
  EXPECT_EQ(f.groups, kGroupAnswer | kGroupEmbeddings);
  expect(f, kEmbCoh, (0 + 2 / std::sqrt(2.0)) / 3);  // cosines 0, 1/sqrt 2, 1/sqrt 2
  expect(f, kEmbDhat, 2);  // covariance eigenvalues 1 and 1/3: the first holds 75 % < 95 %
  EmbeddingSignals same = embedding_signals({{1, 2}, {1, 2}});
  EXPECT_EQ(same.dhat, 0);
  EXPECT_NEAR(same.coh_star, 1, 1e-15);
  EmbeddingSignals one = embedding_signals({{3, 4}});
  EXPECT_EQ(one.dhat, 0);
  EXPECT_EQ(one.coh_star, 1);
  EmbeddingSignals opposite = embedding_signals({{1, 0}, {-1, 0}});
  EXPECT_EQ(opposite.coh_star, 0);  // clamped at 0
  EXPECT_EQ(opposite.dhat, 1);
}

TEST(HrsFeatures, EigenvaluesOfKnownMatrix) {
  std::vector<double> ev = symmetric_eigenvalues({2, 1, 0, 1, 2, 0, 0, 0, 5}, 3);
  EXPECT_NEAR(ev[0], 5, 1e-12);
  EXPECT_NEAR(ev[1], 3, 1e-12);
  EXPECT_NEAR(ev[2], 1, 1e-12);
}

TEST(HrsFeatures, EmptyAndHugeInputs) {
  FeatureInput in;
  in.answer = "...";  // no tokens: shares are 0, nothing divides by zero
  Features f = compute_features(in);
  for (double v : f.x) EXPECT_TRUE(std::isfinite(v));
  EXPECT_EQ(f.x[kAnsTokens], 0);
  // A 4 MB context streams against the answer's tables.
  std::string ctx;
  while (ctx.size() < (4u << 20)) ctx += "Paris is the capital of France and has many museums. ";
  in.context = ctx;
  in.answer = "Paris is the capital of France.";
  f = compute_features(in);
  EXPECT_EQ(f.x[kCNovelContentShare], 0);
  EXPECT_EQ(f.x[kCCopyLongestShare], 1);
}

TEST(HrsFeatures, AnswerForm) { check_answer_form(); }
TEST(HrsFeatures, Question) { check_question(); }
TEST(HrsFeatures, QuestionKind) { check_question_kind(); }
TEST(HrsFeatures, Context) { check_context(); }
TEST(HrsFeatures, Swaps) { check_swaps(); }
TEST(HrsFeatures, NovelPersons) { check_novel_persons(); }
TEST(HrsFeatures, ContextCountsQuestionAsSource) { check_context_counts_question_as_source(); }
TEST(HrsFeatures, ContextSynonymsAreNotNovel) { check_context_synonyms_are_not_novel(); }
TEST(HrsFeatures, CopySharesIgnoreTheFrame) { check_copy_shares_ignore_the_frame(); }
TEST(HrsFeatures, CopiesRewordedOrShortened) { check_copies_reworded_or_shortened(); }
TEST(HrsFeatures, CopiesInTheActiveVoice) { check_copies_in_the_active_voice(); }
TEST(HrsFeatures, CopiesWithAModifierMoved) { check_copies_with_a_modifier_moved(); }
TEST(HrsFeatures, CopiesAcrossBatches) { check_copies_across_batches(); }
TEST(HrsFeatures, Task) { check_task(); }
TEST(HrsFeatures, Logprobs) { check_logprobs(); }
TEST(HrsFeatures, Embeddings) { check_embeddings(); }

// ctest runs every test in its own process, so this one runs all checks again itself.
TEST(HrsFeatures, EveryFeatureAsserted) {
  check_answer_form();
  check_question();
  check_question_kind();
  check_context();
  check_context_counts_question_as_source();
  check_novel_persons();
  check_task();
  check_logprobs();
  check_embeddings();
  for (int k = 0; k < kNumFeatures; ++k) EXPECT_TRUE(covered().count(k)) << feature_info(k).name << " has no test";
}
