// A light English suffix stripper for matching answer words against their sources
// ("studies"/"studied" -> "studi", "making"/"make" -> "mak"). Not Porter: it only undoes
// inflection (-s, -es, -ies, -ed, -ing, -ly) and a final -e/-y, which is what overlap needs.
#pragma once
#include <string>
#include <string_view>

namespace flk::hrs {

// Stem of a lowercase word. Words with bytes outside ASCII letters, and words of 3 bytes or
// fewer, are returned unchanged.
std::string_view stem(std::string_view word, std::string& scratch);

}  // namespace flk::hrs
