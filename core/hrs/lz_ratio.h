// Compressibility r of a text by a greedy LZ77 parse: the cost of the parse (1 per literal
// byte, 3 per back-reference of >= 4 bytes to an earlier position) over the text's length,
// clamped to [0, 1]; 1.0 for texts under 10 bytes (as the PCS r_LZ signal). Earlier positions
// are found through a hash table of the last position per 4-byte key (2 slots per byte, 256 to
// 8192 slots), so a match lost to a hash collision counts as literals.
// Not zlib: zlib's per-call state setup alone costs more than the rest of the scorer, and
// the feature only needs "how much of the text repeats itself".
#pragma once
#include <cstddef>
#include <string_view>

namespace flk::hrs {

double lz_ratio(std::string_view text);

}  // namespace flk::hrs
