// Frames: the words with which an answer says where it comes from ("According to the context, ...",
// "Based on the provided text, ...", "The passage states that ...") or opens as a chat assistant
// ("Sure! ...", "Certainly, ...", "... Hope this helps!"). They make no claim a source could support or contradict, and LLM
// answers open with them where benchmark answers do not, so the features read an answer without
// them (docs/hrs.md, "Session 20: attribution frames").
#pragma once
#include <string_view>
#include <vector>

#include "hrs/tokenize.h"

namespace flk::hrs {

// Removes from the tokens of `text` every frame that opens a sentence and leaves words after it,
// and every sentence made of pleasantries alone ("Sure!", "Hope this helps!") where another says
// something; the sentence's next token
// becomes its first (kSentenceStart), as if the frame had not been written.
void drop_frames(std::string_view text, std::vector<Token>& answer);

}  // namespace flk::hrs
