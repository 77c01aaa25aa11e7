// The one named, versioned HRS feature schema. Every feature is a number computed from the
// request (no text is kept); docs/hrs.md defines each one. Models store the schema version and
// the names they were trained on, and are refused when either differs.
#pragma once
#include <cstdint>

namespace flk::hrs {

constexpr const char* kFeatureSchemaVersion = "hrs-features/24";

// Groups of features that need a given input; a request reports which it could use.
enum FeatureGroup : uint8_t {
  kGroupAnswer = 1,      // always (answer form and availability flags)
  kGroupQuestion = 2,    // question given with at least one word
  kGroupContext = 4,     // context given with at least one word
  kGroupLogprobs = 8,    // token_logprobs given
  kGroupEmbeddings = 16, // embeddings given
};

enum Feature : int {
  // availability and task
  kHasQuestion,
  kHasContext,
  kTaskDialogue,
  kTaskSummarization,
  // answer form
  kAnsTokens,
  kAnsSentences,
  kAnsEndsTerminal,
  kAnsQuestionMark,
  kAnsStopwordShare,
  kAnsTypeToken,
  kAnsRepeatedBigrams,
  kAnsLzRatio,
  kAnsWordBytes,
  kAnsHedges,
  kAnsCertainty,
  kAnsNegations,
  kAnsFirstPerson,
  kAnsNumbers,
  kAnsEntities,
  kAnsDates,
  // grounding in the question
  kQTokens,
  kQAnswerInQuestion,
  kQQuestionInAnswer,
  kQBigramsInQuestion,
  kQInterrogative,
  // grounding in the context (novelty is against context and question together)
  kCTokens,
  kCLengthRatio,
  kCNovelContentShare,
  kCNovelContent,
  kCNovelWordShare,
  kCNovelBigramShare,
  kCNovelTrigramShare,
  kCNovelNumbers,
  kCNovelEntities,
  kCNovelDates,
  kCCopyLongestShare,
  kCCopyLongest,
  kCCopyCoverage,
  kCAlignMin,
  kCAlignMean,
  kCNegationFlip,
  kCMismatchNumbers,
  kCMismatchEntities,
  kCSwapShare,
  kCNovelPersons,
  // token log-probabilities
  kLpMean,
  kLpMin,
  kLpStd,
  kLpLowShare,
  // embeddings
  kEmbDhat,
  kEmbCoh,
  kNumFeatures
};

struct FeatureInfo {
  const char* name;
  FeatureGroup group;
};

const FeatureInfo& feature_info(int f);
// Features that measure the answer's form (length, punctuation, word shape, echoing the
// question) rather than its content: the benchmarks' form differs by label, real answers' does not, so models trained
// with TrainOptions::drop_form never see them.
bool is_form_feature(int f);
// "answer", "question", "context", "logprobs" or "embeddings".
const char* group_name(FeatureGroup g);

}  // namespace flk::hrs
