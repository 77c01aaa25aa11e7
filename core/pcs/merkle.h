// The PCS merkle root (spec §2.7): leaves are SHA-256 hex of consecutive chunk_size-byte
// chunks of the raw rows; a parent is SHA-256 of the two children's *hex strings*
// concatenated; an odd node pairs with itself; no leaves -> 64 zeros. (No leaf/node domain
// separation: kept for v0.1 compatibility.)
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace flk::pcs {

std::vector<std::string> merkle_leaves(std::string_view raw, size_t chunk_size);
std::string merkle_root_of_leaves(std::vector<std::string> level);
inline std::string merkle_root(std::string_view raw, size_t chunk_size) {
  return merkle_root_of_leaves(merkle_leaves(raw, chunk_size));
}

}  // namespace flk::pcs
