// Indices in a stable order, for the callers that sort by a key held elsewhere. One stable_sort
// instantiation behind a function pointer: each comparator type is otherwise its own copy of the
// merge sort (about 2.8 KB of wasm), and the lean browser build links three (docs/edge.md, "Session 20").
#pragma once
#include <cstddef>
#include <vector>

namespace flk {

// Whether element a goes before element b of the context.
using OrderBefore = bool (*)(const void* context, size_t a, size_t b);

// The indices 0..n-1 sorted by before, equal elements in their order (std::stable_sort's result).
std::vector<size_t> stable_order(size_t n, OrderBefore before, const void* context);

}  // namespace flk
