// Gradient-boosted regression trees for the logistic loss (Newton leaf values, histogram
// splits on quantile bins), and exact TreeSHAP attributions for them.
#pragma once
#include <cstdint>
#include <vector>

#include "hrs/logistic.h"

namespace flk::hrs {

// Node arrays; node 0 is the root. A leaf has feature -1. Split: x[feature] < threshold -> left.
struct Tree {
  std::vector<int32_t> feature, left, right;
  std::vector<double> threshold, value, cover;  // value: leaf output (learning rate applied)
};

struct GbtModel {
  double base = 0;  // initial logit
  std::vector<Tree> trees;
};

struct GbtOptions {
  int trees = 100;
  int depth = 3;
  double learning_rate = 0.1;
  double l2 = 1.0;               // on leaf values
  double min_child_weight = 5;   // minimum hessian mass per child
  int bins = 64;
};

double tree_value(const Tree& t, const double* x);
double gbt_logit(const GbtModel& m, const double* x);

// w: example weights (0 drops the example; bootstrap multiplicities are integers).
GbtModel fit_gbt(const Matrix& x, const std::vector<int>& y, const std::vector<double>& w, const GbtOptions& opt);

// Cover-weighted mean output of a tree (the reference value of its SHAP attributions).
double tree_expected_value(const Tree& t);
// Adds the exact SHAP values of one tree at x to phi (size d): sum(phi) gains
// tree_value(t, x) - tree_expected_value(t).
void tree_shap(const Tree& t, const double* x, double* phi);

}  // namespace flk::hrs
