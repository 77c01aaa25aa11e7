// r: compressibility of the canonical rows (spec §2.4): len(zlib level 6) / len(raw), clamped
// to [0, 1], 9 dp; 1.0 for empty input. zlib 1.2.13 from the same source in all three builds.
#pragma once
#include <string_view>

namespace flk::signals {

double compressibility(std::string_view raw);

}  // namespace flk::signals
