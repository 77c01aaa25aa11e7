// Attribution frames: the words with which an answer says where it comes from ("According to the
// context, ...", "Based on the provided text, ...", "The passage states that ..."). They make no
// claim a source could support or contradict, and LLM answers open with them where benchmark
// answers do not, so the features read an answer without them (docs/hrs.md, "Session 20:
// attribution frames").
#pragma once
#include <vector>

#include "hrs/tokenize.h"

namespace flk::hrs {

// Removes every attribution frame that opens an answer sentence and leaves words after it; the
// sentence's next token becomes its first (kSentenceStart), as if the frame had not been written.
void drop_attribution(std::vector<Token>& answer);

}  // namespace flk::hrs
