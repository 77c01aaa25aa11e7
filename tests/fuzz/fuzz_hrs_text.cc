// The HRS tokenizer and feature extraction on any text. Input: one byte choosing a batch size
// (1-64), then the text, whose first half is the answer and the whole the context. Properties:
// no crash; tokens read in batches of that size are the tokens of one read (state carried across
// read() calls: a day before a month's name); every token lies in the text, in order, none
// overlapping the next (find_joins reads the bytes between two); features are the same bits again
// after another request has used the thread's kept tables.
#include <cstring>
#include <string_view>
#include <vector>

#include "check.h"
#include "hrs/features.h"
#include "hrs/tokenize.h"
#include "hrs/wordnet.h"

namespace {

bool same(const flk::hrs::Token& a, const flk::hrs::Token& b) {
  return a.word == b.word && a.stem == b.stem && a.sentence == b.sentence && a.begin == b.begin && a.end == b.end &&
         a.bytes == b.bytes && a.flags == b.flags && a.cls == b.cls;
}

flk::hrs::Features features(std::string_view answer, std::string_view context) {
  flk::hrs::FeatureInput in;
  in.answer = answer;
  in.context = context;
  in.question = context.substr(0, 40);
  std::vector<flk::hrs::SentenceSupport> support;
  return flk::hrs::compute_features(in, nullptr, &support);
}

}  // namespace

// WordNet loads on first use: before the per-input timeout applies.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  FUZZ_CHECK(flk::hrs::wordnet_ready().ok());
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t batch = 1 + data[0] % 64;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::vector<flk::hrs::Token> whole = flk::hrs::tokenize_all(text);
  for (size_t i = 0; i < whole.size(); ++i) {
    FUZZ_CHECK(whole[i].begin <= whole[i].end && whole[i].end <= text.size());
    if (i > 0) FUZZ_CHECK(whole[i - 1].end <= whole[i].begin && whole[i - 1].sentence <= whole[i].sentence);
  }
  flk::hrs::TokenStream ts(text);
  std::vector<flk::hrs::Token> part(batch);
  size_t at = 0;
  for (size_t got; (got = ts.read(part.data(), batch)) > 0; at += got)
    for (size_t i = 0; i < got; ++i) FUZZ_CHECK(at + i < whole.size() && same(part[i], whole[at + i]));
  FUZZ_CHECK(at == whole.size());

  const std::string_view answer = text.substr(0, text.size() / 2);
  const flk::hrs::Features first = features(answer, text);
  features(text, answer);  // another request on the same kept tables
  const flk::hrs::Features again = features(answer, text);
  FUZZ_CHECK(std::memcmp(first.x.data(), again.x.data(), sizeof first.x) == 0);
  return 0;
}
