// Gradient-boosted regression trees for the logistic loss (Newton leaf values, histogram
// splits on quantile bins), and exact TreeSHAP attributions for them.
#pragma once
#include <array>
#include <cstdint>
#include <vector>

#include "hrs/gbt_flat.h"
#include "hrs/logistic.h"
#include "hrs/tree.h"
#include "util/made_once.h"

namespace flk::hrs {

// TreeSHAP of one tree from tables made once per model (shap_tables): the contribution of a
// leaf to the SHAP value of a feature on its path depends only on which of the path's distinct
// features x disagrees with (some split on that feature on the path goes the other way than x),
// so each leaf keeps those contributions for every such set. Explaining a row then costs one
// comparison per split node of the tree (which ORs the bits of the leaves whose path x leaves
// there into the tree's disagreement words), and per leaf one look-up and one add per distinct
// feature, instead of the recursive walk's extend/unwind at every node. Same values up to
// rounding; the tests check both against brute-force Shapley values.
constexpr int kMaxShapPath = 6;    // distinct features on a leaf's path; deeper trees walk
constexpr int kMaxShapSplits = 64;  // split nodes of a tree; bigger trees walk
// A unit has `width` bits in the tree's disagreement words (64 / width units to a word; width:
// the most distinct features of one of the tree's paths), so at most 7 words.
constexpr int kMaxShapWords = 7;
// Two sibling leaves of a tree, or one leaf. Siblings under a split on a feature that their path
// meets there for the first time disagree with x in the same way on the path's other features
// and in opposite ways on that one, so one look-up finds the rows of both, and a feature's two
// additions are made in a register (in the same order as leaf by leaf). 12 bytes; a leaf names
// its features by byte (models with a feature index above 255 walk).
struct ShapUnit {
  // 2^m rows of 2 * width values, the first leaf's `width` then the second's: row k holds the
  // contributions for the set k of the path's features the first leaf's path disagrees with x on
  // (bit j: feature[j]). Past m, and for a unit of one leaf the second half, a row holds -0.0
  // (adding it changes no sum; past m it goes to feature[0]).
  uint32_t values = 0;
  uint8_t m = 0;  // distinct features on the path, in the order the path meets them
  std::array<uint8_t, kMaxShapPath> feature{};
};
struct ShapTree {
  bool ready = false;   // false: paths too deep, too many splits, or the model's tables too big
  uint8_t width = 0;    // values per leaf in a row: the leaves' largest m
  uint8_t words = 0;    // disagreement words of the tree
  uint32_t splits = 0;  // its entries in ShapTables' arrays, right after the previous ready tree's
  uint32_t units = 0;
  double expected = 0;  // tree_expected_value
};
// The tables of a model's trees; each array holds the ready trees' entries in tree order, so an
// explanation reads them front to back.
struct ShapTables {
  std::vector<ShapTree> trees;
  std::vector<uint8_t> split_feature;  // a tree's split nodes, in node order
  std::vector<double> split_threshold;
  // `words` words per split and side (x goes right, x goes left): the units' bits for the
  // feature of that split, set where the leaf's path goes the other way.
  std::vector<uint64_t> split_masks;
  std::vector<ShapUnit> units;
  // From values_begin, on a 64-byte boundary; each unit's rows are padded to whole lines with
  // -0.0, so a row of 8 values is one cache line.
  std::vector<double> values;
  size_t values_begin = 0;
  size_t bytes = 0;  // what kMaxShapBytes bounds
};

struct GbtModel {
  double base = 0;  // initial logit
  std::vector<Tree> trees;
  // Made from the trees by the first explanation (most callers only score, and the default
  // model's tables take 2.6 MB and about 42 M instructions to make) and the first score.
  MadeOnce<ShapTables> shap;
  MadeOnce<FlatTrees> flat;
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
// tree_value(t, x) - tree_expected_value(t). The recursive walk (Lundberg et al., Algorithm 2).
void tree_shap(const Tree& t, const double* x, double* phi);

// The model's tables, made by the first call for the trees as they are then: a ready table for
// every tree of at most kMaxShapSplits split nodes whose leaves have at most kMaxShapPath
// distinct features on their path, up to kMaxShapBytes of tables in all (later trees keep the
// walk). Memory and time are bounded by that total (a value sums at most 2^5 products of 6
// factors). Safe to call from several threads at once.
constexpr size_t kMaxShapBytes = size_t(16) << 20;
const ShapTables& shap_tables(const GbtModel& m);
// Bytes of the tables made so far (what kMaxShapBytes bounds): 0 until an explanation made them.
size_t shap_table_bytes(const GbtModel& m);
// Adds the model's SHAP values at x to phi and returns its reference (base plus each tree's
// expected value): the tables where shap_tables made them, else the walk.
double gbt_shap(const GbtModel& m, const double* x, double* phi);

}  // namespace flk::hrs
