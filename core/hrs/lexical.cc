#include "hrs/lexical.h"

#include <algorithm>

#include "hrs/lexicon.h"
#include "hrs/text_hash.h"

namespace flk::hrs {

uint32_t lexical_regime(const double* x) {
  uint32_t task = x[kTaskDialogue] != 0 ? 1 : (x[kTaskSummarization] != 0 ? 2 : 0);
  return 1 + task + 3 * ((x[kHasQuestion] != 0) + 2 * (x[kHasContext] != 0));
}

std::string regime_name(uint32_t regime) {
  static const char* kTask[3] = {"qa", "dialogue", "summarization"};
  uint32_t r = regime - 1;
  return std::string(kTask[r % 3]) + (r / 3 % 2 ? "/question" : "/no_question") + (r / 6 ? "/context" : "/no_context");
}

Buckets lexical_buckets(const std::vector<Token>& answer, int bits, uint32_t regime, Words words) {
  static const uint64_t kNumberWord = text_hash("0"), kNotWord = text_hash("not");
  const int shift = 64 - bits;
  std::vector<uint64_t> seq;
  seq.reserve(answer.size() + 4);
  for (const Token& t : answer) {
    if (words == Words::Content && t.cls == kStopword) continue;  // a negated "is" carries kNegation
    seq.push_back(t.has(kNumber) ? kNumberWord : t.word);
    if (t.has(kNegated)) seq.push_back(kNotWord);
  }
  Buckets b;
  b.reserve(seq.size() * 2);
  if (!seq.empty()) {  // the opening word ("No, ...", "I ...") as a token of its own
    uint64_t first = hash_pair(seq[0], 2);
    b.push_back(static_cast<uint32_t>(first >> shift));
    if (regime) b.push_back(static_cast<uint32_t>(hash_pair(first, regime) >> shift));
  }
  for (size_t i = 0; i < seq.size(); ++i) {
    uint64_t uni = hash_pair(seq[i], 1);
    b.push_back(static_cast<uint32_t>(uni >> shift));
    if (regime) b.push_back(static_cast<uint32_t>(hash_pair(uni, regime) >> shift));
    if (i + 1 < seq.size()) {
      uint64_t bi = hash_pair(seq[i], seq[i + 1]);
      b.push_back(static_cast<uint32_t>(bi >> shift));
      if (regime) b.push_back(static_cast<uint32_t>(hash_pair(bi, regime) >> shift));
    }
  }
  std::sort(b.begin(), b.end());
  b.erase(std::unique(b.begin(), b.end()), b.end());
  return b;
}

}  // namespace flk::hrs
