#include "pcs/merkle.h"

#include "crypto/hash.h"

namespace flk::pcs {

std::vector<std::string> merkle_leaves(std::string_view raw, size_t chunk_size) {
  std::vector<std::string> leaves;
  for (size_t i = 0; i < raw.size(); i += chunk_size) leaves.push_back(crypto::sha256_hex(raw.substr(i, chunk_size)));
  return leaves;
}

std::string merkle_root_of_leaves(std::vector<std::string> level) {
  if (level.empty()) return std::string(64, '0');
  while (level.size() > 1) {
    std::vector<std::string> next;
    next.reserve((level.size() + 1) / 2);
    for (size_t i = 0; i < level.size(); i += 2) {
      const std::string& right = i + 1 < level.size() ? level[i + 1] : level[i];
      next.push_back(crypto::sha256_hex(level[i] + right));
    }
    level = std::move(next);
  }
  return level[0];
}

}  // namespace flk::pcs
