#include "hrs/groups.h"

#include <algorithm>
#include <numeric>
#include <tuple>

#include "hrs/hash_index.h"
#include "hrs/text_hash.h"

namespace flk::hrs {

uint64_t normalized_text_hash(std::string_view s) {
  uint64_t h = kFnvOffset;
  for (unsigned char c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c - 'A' + 'a');
    bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
    if (keep) h = (h ^ c) * kFnvPrime;
  }
  return h;
}

Grouping group_examples(const std::vector<std::string_view>& questions,
                        const std::vector<std::string_view>& contexts) {
  const size_t n = questions.size();
  // Union-find over text keys; a question and a context never share a key (different salts).
  HashIndex keys(2 * n);
  std::vector<uint64_t> key_hash;
  std::vector<uint32_t> parent;
  auto node = [&](uint64_t h) {
    uint32_t i = keys.insert(h);
    if (i == parent.size()) {
      parent.push_back(i);
      key_hash.push_back(h);
    }
    return i;
  };
  auto find = [&](uint32_t i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
  };
  std::vector<uint32_t> first(n);
  for (size_t i = 0; i < n; ++i) {
    std::vector<uint32_t> nodes;
    if (!questions[i].empty()) nodes.push_back(node(hash_pair(normalized_text_hash(questions[i]), 1)));
    if (!contexts[i].empty()) nodes.push_back(node(hash_pair(normalized_text_hash(contexts[i]), 2)));
    if (nodes.empty()) nodes.push_back(node(hash_pair(i, 3)));  // no text to share: its own group
    first[i] = nodes[0];
    for (size_t k = 1; k < nodes.size(); ++k) {
      uint32_t a = find(nodes[0]), b = find(nodes[k]);
      if (a != b) parent[std::max(a, b)] = std::min(a, b);
    }
  }
  Grouping g;
  g.group.resize(n);
  HashIndex roots(n);
  for (size_t i = 0; i < n; ++i) {
    uint32_t r = find(first[i]);
    uint32_t id = roots.insert(r);
    if (id == g.key.size()) g.key.push_back(UINT64_MAX);
    g.group[i] = id;
  }
  for (uint32_t k = 0; k < parent.size(); ++k) {
    uint32_t id = roots.find(find(k));
    if (id != HashIndex::kAbsent) g.key[id] = std::min(g.key[id], key_hash[k]);
  }
  g.groups = static_cast<uint32_t>(g.key.size());
  return g;
}

std::vector<int> assign_folds(const Grouping& g, const std::vector<uint32_t>& stratum, int folds, uint64_t seed) {
  std::vector<uint32_t> group_stratum(g.groups, UINT32_MAX);
  for (size_t i = 0; i < g.group.size(); ++i)
    if (group_stratum[g.group[i]] == UINT32_MAX) group_stratum[g.group[i]] = stratum[i];
  std::vector<uint32_t> order(g.groups);
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return std::make_tuple(group_stratum[a], hash_pair(g.key[a], seed)) <
           std::make_tuple(group_stratum[b], hash_pair(g.key[b], seed));
  });
  std::vector<int> group_fold(g.groups);
  for (size_t k = 0; k < order.size(); ++k) group_fold[order[k]] = static_cast<int>(k % folds);
  std::vector<int> fold(g.group.size());
  for (size_t i = 0; i < fold.size(); ++i) fold[i] = group_fold[g.group[i]];
  return fold;
}

}  // namespace flk::hrs
