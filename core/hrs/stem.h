// A light English suffix stripper for matching answer words against their sources
// ("studies"/"studied" -> "studi", "making"/"make" -> "mak"). Not Porter: it only undoes
// inflection (-s, -es, -ies, -ed, -ing, -ly) and a final -e/-y, which is what overlap needs, and
// reads a final -ter as -tr, so that the British -tre meets it ("metres", "meters" -> "metr").
#pragma once
#include <cstddef>
#include <string_view>

namespace flk::hrs {

// Stems the lowercase word w[0..n) in place and returns the stem's length. Words with bytes
// outside ASCII letters, and words of 3 bytes or fewer, are left unchanged.
size_t stem_in_place(char* w, size_t n);
// The same for a word known to hold only the letters a-z (the tokenizer knows it for free).
size_t stem_letters_in_place(char* w, size_t n);

}  // namespace flk::hrs
