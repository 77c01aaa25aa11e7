#include "hrs/lexical.h"

#include <memory>

#include "hrs/lexicon.h"
#include "hrs/text_hash.h"

namespace flk::hrs {

uint32_t lexical_regime(const double* x) {
  const uint32_t task = x[kTaskDialogue] != 0 ? 1 : (x[kTaskSummarization] != 0 ? 2 : 0);
  // A dialogue's "question" is the partner's last turn, which the reply answers whether it asks or
  // states: one kind (split, BEGIN lost its own calibration map for nothing: docs/hrs.md, "Session 17").
  const uint32_t question = x[kHasQuestion] == 0 ? 0 : (x[kQInterrogative] != 0 || task == 1 ? 1 : 2);
  return 1 + task + 3 * (question + 3 * (x[kHasContext] != 0));
}

std::string regime_name(uint32_t regime) {
  static const char* kTask[3] = {"qa", "dialogue", "summarization"};
  static const char* kQuestion[3] = {"/no_question", "/question", "/instruction"};
  uint32_t r = regime - 1;
  return std::string(kTask[r % 3]) + kQuestion[r / 3 % 3] + (r / 9 ? "/context" : "/no_context");
}

namespace {

// Calls visit(bucket) for each distinct bucket of the answer's wording, in ascending order.
template <class Visit>
void for_each_bucket(const std::vector<Token>& answer, int bits, uint32_t regime, Words words, Visit visit) {
  static constexpr uint64_t kNumberWord = text_hash("0"), kNotWord = text_hash("not");
  const int shift = 64 - bits;
  std::vector<uint64_t> seq;
  seq.reserve(answer.size() + 4);
  for (const Token& t : answer) {
    // Function words drop out but for the classes kept (a negated "is" carries kNegation), and so
    // do words the context vouches for: their support is the features' to judge, and a word's
    // prior would make a paraphrase ("completed" for the context's "finished") look invented.
    if (words == Words::Content && ((t.cls & kStopword) || t.has(kGrounded)) && !(t.cls & kLexicalClasses)) continue;
    seq.push_back(t.has(kNumber) ? kNumberWord : t.word);
    if (t.has(kNegated)) seq.push_back(kNotWord);
  }
  // Sorted and distinct without a sort: one bit per bucket, and one bit per 64 buckets marking
  // the words of the first level in use. A word is cleared when first marked, so the first level
  // needs no clearing (2^bits bits), and reading back visits only the words in use.
  const size_t level1 = ((size_t{1} << bits) + 63) / 64;
  std::unique_ptr<uint64_t[]> bit(new uint64_t[level1]);
  std::vector<uint64_t> any((level1 + 63) / 64, 0);
  auto add = [&](uint64_t h) {
    const size_t v = static_cast<size_t>(h >> shift), w = v >> 6;
    const uint64_t used = uint64_t{1} << (w & 63);
    if (!(any[w >> 6] & used)) {
      any[w >> 6] |= used;
      bit[w] = 0;
    }
    bit[w] |= uint64_t{1} << (v & 63);
  };
  if (!seq.empty()) {  // the opening word ("No, ...", "I ...") as a token of its own
    uint64_t first = hash_pair(seq[0], 2);
    add(first);
    if (regime) add(hash_pair(first, regime));
  }
  for (size_t i = 0; i < seq.size(); ++i) {
    uint64_t uni = hash_pair(seq[i], 1);
    add(uni);
    if (regime) add(hash_pair(uni, regime));
    if (i + 1 < seq.size()) {
      uint64_t bi = hash_pair(seq[i], seq[i + 1]);
      add(bi);
      if (regime) add(hash_pair(bi, regime));
    }
  }
  for (size_t a = 0; a < any.size(); ++a)
    for (uint64_t m = any[a]; m; m &= m - 1) {
      const size_t w = a * 64 + static_cast<size_t>(__builtin_ctzll(m));
      for (uint64_t x = bit[w]; x; x &= x - 1) visit(static_cast<uint32_t>(w * 64 + __builtin_ctzll(x)));
    }
}

}  // namespace

Buckets lexical_buckets(const std::vector<Token>& answer, int bits, uint32_t regime, Words words) {
  Buckets b;
  b.reserve(answer.size() * 4 + 2);
  for_each_bucket(answer, bits, regime, words, [&](uint32_t k) { b.push_back(k); });
  return b;
}

double lexical_buckets_logit(const SparseLinearModel& m, const std::vector<Token>& answer, int bits, uint32_t regime,
                             Words words) {
  double z = m.bias;
  for_each_bucket(answer, bits, regime, words, [&](uint32_t k) { z += m.weight[k]; });
  return z;
}

}  // namespace flk::hrs
