// A regression tree of the gradient-boosted models (gbt.h).
#pragma once
#include <cstdint>
#include <vector>

namespace flk::hrs {

// Node arrays; node 0 is the root. A leaf has feature -1. Split: x[feature] < threshold -> left.
struct Tree {
  std::vector<int32_t> feature, left, right;
  std::vector<double> threshold, value, cover;  // value: leaf output (learning rate applied)
};

}  // namespace flk::hrs
