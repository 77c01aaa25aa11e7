#include "hrs/feature_schema.h"

namespace flk::hrs {
namespace {

const FeatureInfo kInfo[kNumFeatures] = {
    {"has_question", kGroupAnswer},
    {"has_context", kGroupAnswer},
    {"task_dialogue", kGroupAnswer},
    {"task_summarization", kGroupAnswer},
    {"answer_tokens_log", kGroupAnswer},
    {"answer_sentences_log", kGroupAnswer},
    {"answer_ends_terminal", kGroupAnswer},
    {"answer_question_mark", kGroupAnswer},
    {"answer_stopword_share", kGroupAnswer},
    {"answer_type_token_ratio", kGroupAnswer},
    {"answer_repeated_bigram_share", kGroupAnswer},
    {"answer_lz_ratio", kGroupAnswer},
    {"answer_mean_word_bytes", kGroupAnswer},
    {"answer_hedges_log", kGroupAnswer},
    {"answer_certainty_log", kGroupAnswer},
    {"answer_negations_log", kGroupAnswer},
    {"answer_first_person_log", kGroupAnswer},
    {"answer_numbers_log", kGroupAnswer},
    {"answer_entities_log", kGroupAnswer},
    {"answer_dates_log", kGroupAnswer},
    {"question_tokens_log", kGroupQuestion},
    {"question_answer_in_question_share", kGroupQuestion},
    {"question_question_in_answer_share", kGroupQuestion},
    {"question_bigrams_in_question_share", kGroupQuestion},
    {"question_interrogative", kGroupQuestion},
    {"context_tokens_log", kGroupContext},
    {"context_length_ratio_log", kGroupContext},
    {"context_novel_content_share", kGroupContext},
    {"context_novel_content_log", kGroupContext},
    {"context_novel_word_share", kGroupContext},
    {"context_novel_bigram_share", kGroupContext},
    {"context_novel_trigram_share", kGroupContext},
    {"context_novel_numbers_log", kGroupContext},
    {"context_novel_entities_log", kGroupContext},
    {"context_novel_dates_log", kGroupContext},
    {"context_copy_longest_share", kGroupContext},
    {"context_copy_longest_log", kGroupContext},
    {"context_copy_coverage", kGroupContext},
    {"context_align_min", kGroupContext},
    {"context_align_mean", kGroupContext},
    {"context_negation_flip_share", kGroupContext},
    {"context_mismatch_number_share", kGroupContext},
    {"context_mismatch_entity_share", kGroupContext},
    {"context_swap_share", kGroupContext},
    {"context_novel_persons_log", kGroupContext},
    {"logprob_mean", kGroupLogprobs},
    {"logprob_min", kGroupLogprobs},
    {"logprob_std", kGroupLogprobs},
    {"logprob_low_share", kGroupLogprobs},
    {"embedding_dhat", kGroupEmbeddings},
    {"embedding_coh_star", kGroupEmbeddings},
};

}  // namespace

const FeatureInfo& feature_info(int f) { return kInfo[f]; }

bool is_form_feature(int f) {
  switch (f) {
    case kAnsTokens: case kAnsSentences: case kAnsEndsTerminal: case kAnsQuestionMark: case kAnsStopwordShare:
    case kAnsTypeToken: case kAnsLzRatio: case kAnsWordBytes: case kCLengthRatio: case kCNovelContent:
    case kCCopyLongest: case kQAnswerInQuestion: case kQQuestionInAnswer: case kQBigramsInQuestion:
    case kCNovelWordShare: case kCNovelBigramShare: case kCNovelTrigramShare:
      return true;
    default:
      return false;
  }
}

const char* group_name(FeatureGroup g) {
  switch (g) {
    case kGroupAnswer: return "answer";
    case kGroupQuestion: return "question";
    case kGroupContext: return "context";
    case kGroupLogprobs: return "logprobs";
    case kGroupEmbeddings: return "embeddings";
  }
  return "";
}

}  // namespace flk::hrs
