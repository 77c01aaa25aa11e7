// HRS learning machinery: metrics, logistic regression, boosted trees and TreeSHAP,
// calibration, drift statistics, grouping and A/B routing.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <random>
#include <thread>

#include "hrs/calibration.h"
#include "hrs/drift.h"
#include "hrs/gbt.h"
#include "hrs/gbt_flat.h"
#include "hrs/groups.h"
#include "hrs/lexical.h"
#include "hrs/logistic.h"
#include "hrs/metrics.h"
#include "hrs/model.h"
#include "hrs/router.h"

using namespace flk::hrs;

namespace {

// AUROC by definition: P(score of a positive > score of a negative) + P(tie) / 2.
double auroc_pairs(const std::vector<double>& s, const std::vector<int>& y) {
  double num = 0, den = 0;
  for (size_t i = 0; i < s.size(); ++i)
    for (size_t j = 0; j < s.size(); ++j)
      if (y[i] && !y[j]) {
        den += 1;
        num += s[i] > s[j] ? 1 : (s[i] == s[j] ? 0.5 : 0);
      }
  return num / den;
}

double sigmoid(double z) { return 1 / (1 + std::exp(-z)); }

}  // namespace

TEST(HrsMetrics, AurocMatchesPairCountWithTies) {
  std::mt19937 rng(3);
  for (int rep = 0; rep < 20; ++rep) {
    std::vector<double> s;
    std::vector<int> y;
    for (int i = 0; i < 60; ++i) {
      s.push_back(static_cast<double>(rng() % 7));  // many ties
      y.push_back(static_cast<int>(rng() % 2));
    }
    EXPECT_NEAR(auroc(s, y), auroc_pairs(s, y), 1e-12);
  }
  EXPECT_EQ(auroc({0.1, 0.2}, {1, 1}), 0.5);  // one class only
}

TEST(HrsMetrics, AuprcEceBrierByHand) {
  // Ranked: 0.9 (1), 0.8 (0), 0.7 (1), 0.1 (0): AP = (1/2)(1/1) + (1/2)(2/3).
  EXPECT_NEAR(auprc({0.9, 0.8, 0.7, 0.1}, {1, 0, 1, 0}), 0.5 + 1.0 / 3, 1e-12);
  // Bin [0.9, 1): mean p 0.95, rate 1/2; bin [0.1, 0.2): mean p 0.15, rate 0.
  EXPECT_NEAR(ece({0.95, 0.95, 0.15, 0.15}, {1, 0, 0, 0}), 0.5 * 0.45 + 0.5 * 0.15, 1e-12);
  EXPECT_NEAR(brier({1.0, 0.0, 0.5}, {1, 0, 1}), 0.25 / 3, 1e-12);
  auto roc = roc_points({0.9, 0.8, 0.7, 0.1}, {1, 0, 1, 0});
  EXPECT_EQ(roc.front().x, 0);
  EXPECT_EQ(roc.back().x, 1);
  EXPECT_EQ(roc.back().y, 1);
  auto pr = pr_points({0.9, 0.8, 0.7, 0.1}, {1, 0, 1, 0});
  EXPECT_EQ(pr.front().y, 1);  // precision at the top score
}

TEST(HrsLogistic, DenseRecoversWeights) {
  std::mt19937 rng(5);
  std::normal_distribution<double> n01;
  std::uniform_real_distribution<double> u(0, 1);
  Matrix x;
  x.cols = 3;
  std::vector<int> y;
  for (int i = 0; i < 20000; ++i) {
    double a = n01(rng), b = 2 + 3 * n01(rng), c = 7;  // c is constant
    x.v.insert(x.v.end(), {a, b, c});
    ++x.rows;
    y.push_back(u(rng) < sigmoid(0.5 + 1.5 * a - 0.4 * (b - 2))  ? 1 : 0);
  }
  std::vector<double> w(x.rows, 1.0);
  LinearModel m = fit_dense_logistic(x, y, w, 0);
  // Weights are on standardised features: w_k / sd_k recovers the raw coefficient.
  EXPECT_NEAR(m.weight[0] / m.scale[0], 1.5, 0.08);
  EXPECT_NEAR(m.weight[1] / m.scale[1], -0.4, 0.03);
  EXPECT_EQ(m.weight[2], 0);
  double contrib[3];
  double z = linear_logit(m, x.row(0), contrib);
  EXPECT_NEAR(z, m.bias + contrib[0] + contrib[1] + contrib[2], 1e-12);
}

TEST(HrsLogistic, SparseLearnsWordSigns) {
  // Bucket 1 means "hallucinated", bucket 2 means "faithful", bucket 3 is noise.
  std::vector<Buckets> rows;
  std::vector<int> y;
  for (int i = 0; i < 400; ++i) {
    int label = i % 2;
    Buckets b{static_cast<uint32_t>(label ? 1 : 2)};
    if (i % 3 == 0) b.push_back(3);
    rows.push_back(b);
    y.push_back(label);
  }
  std::vector<const Buckets*> ptr;
  for (auto& r : rows) ptr.push_back(&r);
  std::vector<double> w(rows.size(), 1.0);
  SparseLinearModel m = fit_sparse_logistic(ptr, 8, y, w, 1e-3);
  EXPECT_GT(m.weight[1], 1);
  EXPECT_LT(m.weight[2], -1);
  EXPECT_LT(std::abs(m.weight[3]), 0.2);
  EXPECT_EQ(m.weight[5], 0);  // never seen
}

TEST(HrsGbt, FitsInteraction) {
  std::mt19937 rng(9);
  std::uniform_real_distribution<double> u(0, 1);
  Matrix x;
  x.cols = 3;
  std::vector<int> y;
  for (int i = 0; i < 4000; ++i) {
    double a = u(rng), b = u(rng), c = u(rng);
    x.v.insert(x.v.end(), {a, b, c});
    ++x.rows;
    y.push_back((a > 0.5) != (b > 0.5) ? 1 : 0);  // XOR: no linear model can do this
  }
  std::vector<double> w(x.rows, 1.0);
  GbtOptions opt;
  opt.trees = 60;
  opt.depth = 2;
  GbtModel m = fit_gbt(x, y, w, opt);
  std::vector<double> s;
  for (size_t i = 0; i < x.rows; ++i) s.push_back(gbt_logit(m, x.row(i)));
  EXPECT_GT(auroc(s, y), 0.98);
  // Zero weights drop examples: a model on the first half only ignores the second.
  std::vector<double> half(x.rows, 0.0);
  for (size_t i = 0; i < x.rows / 2; ++i) half[i] = 1;
  GbtModel mh = fit_gbt(x, y, half, opt);
  EXPECT_NEAR(mh.trees[0].cover[0], x.rows / 2.0, 0);
}

// Exact Shapley values of f_S(x) = E[tree(x) | x_S] (cover-weighted), by enumerating subsets.
static double cond_value(const Tree& t, const double* x, unsigned mask, int node = 0) {
  if (t.feature[node] < 0) return t.value[node];
  int f = t.feature[node];
  if (mask & (1u << f)) return cond_value(t, x, mask, x[f] < t.threshold[node] ? t.left[node] : t.right[node]);
  int l = t.left[node], r = t.right[node];
  return (t.cover[l] * cond_value(t, x, mask, l) + t.cover[r] * cond_value(t, x, mask, r)) / t.cover[node];
}

// n rows of d uniform features in [0, 1); a row's label is 1 with probability p(row).
template <class P>
static Matrix labelled_rows(std::mt19937& rng, int d, int n, std::vector<int>& y, P p) {
  std::uniform_real_distribution<double> u(0, 1);
  Matrix x;
  x.cols = d;
  std::vector<double> v(d);
  for (int i = 0; i < n; ++i) {
    for (double& e : v) e = u(rng);
    x.v.insert(x.v.end(), v.begin(), v.end());
    ++x.rows;
    y.push_back(u(rng) < p(v.data()) ? 1 : 0);
  }
  return x;
}

TEST(HrsGbt, TreeShapEqualsBruteForceShapley) {
  std::mt19937 rng(11);
  const int d = 4;
  std::vector<int> y;
  Matrix x = labelled_rows(rng, d, 3000, y, [](const double* v) {
    return sigmoid(3 * (v[0] - 0.5) + 2 * (v[1] > 0.3) * (v[2] - 0.5));
  });
  std::vector<double> w(x.rows, 1.0);
  GbtOptions opt;
  opt.trees = 5;
  opt.depth = 4;  // deep enough to reuse a feature on one path
  GbtModel m = fit_gbt(x, y, w, opt);
  double fact[d + 1] = {1, 1, 2, 6, 24};
  for (int k = 0; k < 20; ++k) {
    const double* xi = x.row(k * 97);
    for (const Tree& t : m.trees) {
      // The recursive walk, and the tables of a model of this one tree.
      double walk[d] = {0, 0, 0, 0}, table[d] = {0, 0, 0, 0};
      tree_shap(t, xi, walk);
      GbtModel one;
      one.trees = {t};
      ASSERT_TRUE(shap_tables(one).trees[0].ready);
      EXPECT_NEAR(gbt_shap(one, xi, table), tree_expected_value(t), 1e-12);
      EXPECT_NEAR(tree_expected_value(t), cond_value(t, xi, 0), 1e-12);
      for (const double* phi : {walk, table}) {
        double sum = 0;
        for (int f = 0; f < d; ++f) {
          double exact = 0;
          for (unsigned s = 0; s < (1u << d); ++s) {
            if (s & (1u << f)) continue;
            int size = __builtin_popcount(s);
            exact += fact[size] * fact[d - size - 1] / fact[d] *
                     (cond_value(t, xi, s | (1u << f)) - cond_value(t, xi, s));
          }
          EXPECT_NEAR(phi[f], exact, 1e-12) << "feature " << f << (phi == walk ? " (walk)" : " (tables)");
          sum += phi[f];
        }
        EXPECT_NEAR(sum, tree_value(t, xi) - tree_expected_value(t), 1e-12);
      }
    }
  }
}

// Trees whose paths hold more than kMaxShapPath distinct features keep the walk; a model mixes
// both and still adds up to the same values.
TEST(HrsGbt, DeepPathsWalkAndTheModelStillAgrees) {
  std::mt19937 rng(5);
  const int d = 9;
  std::vector<int> y;
  Matrix x = labelled_rows(rng, d, 4000, y, [](const double* v) {
    double z = 0;
    for (int f = 0; f < d; ++f) z += v[f] * (f % 2 ? 1 : -1);
    return sigmoid(2 * z);
  });
  std::vector<double> w(x.rows, 1.0);
  GbtOptions opt;
  opt.trees = 12;
  opt.depth = 9;
  opt.min_child_weight = 1;
  GbtModel m = fit_gbt(x, y, w, opt);
  opt.depth = 3;
  for (Tree& t : fit_gbt(x, y, w, opt).trees) m.trees.push_back(std::move(t));
  int walked = 0;
  for (const ShapTree& t : shap_tables(m).trees) walked += !t.ready;
  EXPECT_GT(walked, 0);
  EXPECT_LT(walked, 24);
  for (int k = 0; k < 10; ++k) {
    std::vector<double> a(d, 0), b(d, 0);
    const double* xi = x.row(k * 311);
    double walk_reference = m.base;
    for (const Tree& t : m.trees) {
      tree_shap(t, xi, b.data());
      walk_reference += tree_expected_value(t);
    }
    EXPECT_NEAR(gbt_shap(m, xi, a.data()), walk_reference, 1e-12);
    for (int f = 0; f < d; ++f) EXPECT_NEAR(a[f], b[f], 1e-12) << "feature " << f;
  }
}

// The one tree of `one` explained by its tables and by the walk at 200 random rows of d features.
static void expect_tables_equal_walk(const GbtModel& one, int d, std::mt19937& rng) {
  std::uniform_real_distribution<double> u(0, 1);
  for (int k = 0; k < 200; ++k) {
    std::vector<double> xi(d), walk(d, 0.0), tables(d, 0.0);
    for (double& v : xi) v = u(rng);
    tree_shap(one.trees[0], xi.data(), walk.data());
    EXPECT_NEAR(gbt_shap(one, xi.data(), tables.data()), tree_expected_value(one.trees[0]), 1e-12);
    for (int f = 0; f < d; ++f) EXPECT_NEAR(tables[f], walk[f], 1e-12) << f;
  }
}

// A tree whose leaves have every path length the tables handle (1 to kMaxShapPath distinct
// features, the last split of a path repeating an earlier feature): tables and walk agree.
TEST(HrsGbt, TablesOfEveryPathLengthEqualTheWalk) {
  Tree t;
  auto node = [&t](int32_t feature, double threshold, double value, double cover) {
    t.feature.push_back(feature);
    t.threshold.push_back(threshold);
    t.value.push_back(value);
    t.cover.push_back(cover);
    t.left.push_back(-1);
    t.right.push_back(-1);
    return static_cast<int32_t>(t.feature.size() - 1);
  };
  // A caterpillar: split k (on feature k) has a leaf on its left and split k + 1 on its right.
  int32_t split = node(0, 0.5, 0, 1000), cover = 1000;
  for (int k = 0; k <= kMaxShapPath; ++k) {
    const int32_t leaf = node(-1, 0, 0.1 * (k + 1) * (k % 2 ? -1 : 1), cover * 0.4);
    t.left[split] = leaf;
    cover -= static_cast<int32_t>(cover * 0.4);
    const int32_t next = k < kMaxShapPath ? node(k + 1 < kMaxShapPath ? k + 1 : 2, 0.3 + 0.05 * k, 0, cover)
                                          : node(-1, 0, 0.7, cover);
    t.right[split] = next;
    split = next;
  }
  GbtModel one;
  one.trees = {t};
  const ShapTables& made = shap_tables(one);
  ASSERT_TRUE(made.trees[0].ready);
  std::vector<int> lengths(kMaxShapPath + 1, 0);
  for (const ShapUnit& u : made.units) ++lengths[u.m];
  for (int len = 1; len <= kMaxShapPath; ++len) EXPECT_GT(lengths[len], 0) << len;
  std::mt19937 rng(2);
  expect_tables_equal_walk(one, kMaxShapPath, rng);
}

// A complete tree of depth 6 splitting on a new feature at each level: 32 sibling units of 6 bits,
// so its disagreement bits take several words; the tables still equal the walk.
TEST(HrsGbt, TablesOfManyWordsEqualTheWalk) {
  Tree t;
  std::mt19937 rng(4);
  std::uniform_real_distribution<double> u(0.2, 0.8);
  // Node n of level k: children 2n + 1 and 2n + 2 (heap order, so every child comes after its parent).
  const int levels = 6, nodes = (1 << (levels + 1)) - 1;
  for (int n = 0; n < nodes; ++n) {
    const int level = 31 - __builtin_clz(static_cast<unsigned>(n + 1));
    const bool leaf = level == levels;
    t.feature.push_back(leaf ? -1 : level);
    t.threshold.push_back(leaf ? 0 : u(rng));
    t.value.push_back(leaf ? u(rng) - 0.5 : 0);
    t.left.push_back(leaf ? -1 : 2 * n + 1);
    t.right.push_back(leaf ? -1 : 2 * n + 2);
    t.cover.push_back(0);
  }
  for (int n = nodes - 1; n >= 0; --n)
    t.cover[n] = t.feature[n] < 0 ? 1 + std::floor(10 * u(rng)) : t.cover[t.left[n]] + t.cover[t.right[n]];
  GbtModel one;
  one.trees = {t};
  const ShapTables& made = shap_tables(one);
  ASSERT_TRUE(made.trees[0].ready);
  EXPECT_GT(made.trees[0].words, 1);
  EXPECT_EQ(made.units.size(), 32u);
  expect_tables_equal_walk(one, levels, rng);
}

// ShapUnit names features by byte: a tree splitting on a feature past 255 keeps the walk.
TEST(HrsGbt, FeaturesPastAByteWalk) {
  Tree t;
  t.feature = {300, -1, -1};
  t.left = {1, -1, -1};
  t.right = {2, -1, -1};
  t.threshold = {0.5, 0, 0};
  t.value = {0, -0.25, 0.75};
  t.cover = {10, 4, 6};
  GbtModel one;
  one.trees = {t};
  EXPECT_FALSE(shap_tables(one).trees[0].ready);
  std::vector<double> x(301, 0.0), walk(301, 0.0), model(301, 0.0);
  tree_shap(t, x.data(), walk.data());
  gbt_shap(one, x.data(), model.data());
  EXPECT_EQ(model[300], walk[300]);
  EXPECT_NE(model[300], 0.0);
}

// Scoring reads the trees as complete trees of the model's depth (gbt_flat.h): the same sum bit
// for bit as the walk, for trees whose leaves sit at different depths and for NaN features; a tree
// deeper than kMaxFlatDepth keeps the walk.
TEST(HrsGbt, FlatTreesScoreAsTheWalk) {
  std::mt19937 rng(11);
  const int d = 6;
  std::vector<int> y;
  Matrix x = labelled_rows(rng, d, 3000, y, [](const double* v) { return sigmoid(3 * (v[1] - v[4]) + v[2]); });
  std::vector<double> w(x.rows, 1.0);
  auto walk = [](const GbtModel& m, const double* xi) {
    double z = m.base;
    for (const Tree& t : m.trees) z += tree_value(t, xi);
    return z;
  };
  for (int depth : {1, 3, 5}) {
    GbtOptions opt;
    opt.trees = 30;
    opt.depth = depth;
    opt.min_child_weight = 150;  // leaves above the deepest level
    const GbtModel m = fit_gbt(x, y, w, opt);
    const int flat = flatten_trees(m.trees).depth;
    EXPECT_TRUE(flat >= 1 && flat <= depth) << flat;
    for (size_t i = 0; i < 300; ++i) {
      std::vector<double> xi(x.row(i), x.row(i) + d);
      if (i % 7 == 0) xi[i % d] = std::nan("");
      EXPECT_EQ(gbt_logit(m, xi.data()), walk(m, xi.data())) << "depth " << depth << " row " << i;
    }
  }
  GbtModel deep;  // a chain of kMaxFlatDepth + 1 splits on feature 0, each with a leaf on its left
  Tree t;
  for (int k = 0; k <= kMaxFlatDepth; ++k) {
    const int32_t n = static_cast<int32_t>(t.feature.size());
    t.feature.insert(t.feature.end(), {0, -1});
    t.left.insert(t.left.end(), {n + 1, -1});
    t.right.insert(t.right.end(), {n + 2, -1});
    t.threshold.insert(t.threshold.end(), {static_cast<double>(k), 0});
    t.value.insert(t.value.end(), {0, 1.0 + k});
    t.cover.insert(t.cover.end(), {1, 1});
  }
  t.feature.push_back(-1);  // the last split's right child
  t.left.push_back(-1);
  t.right.push_back(-1);
  t.threshold.push_back(0);
  t.value.push_back(100);
  t.cover.push_back(1);
  deep.trees.push_back(t);
  EXPECT_EQ(flatten_trees(deep.trees).depth, -1);
  for (double v : {-1.0, 0.5, 3.5, 10.0}) EXPECT_EQ(gbt_logit(deep, &v), walk(deep, &v)) << v;
}

// The tables are made by the first explanation, once, however many threads ask at the same time,
// and scoring alone never makes them.
TEST(HrsGbt, TablesAreMadeOnceByTheFirstExplanation) {
  std::mt19937 rng(3);
  const int d = 5;
  std::vector<int> y;
  Matrix x = labelled_rows(rng, d, 2000, y, [](const double* v) { return sigmoid(4 * (v[0] - v[3])); });
  std::vector<double> w(x.rows, 1.0);
  GbtOptions opt;
  opt.trees = 40;
  opt.depth = 4;
  const GbtModel m = fit_gbt(x, y, w, opt);
  for (size_t i = 0; i < 50; ++i) gbt_logit(m, x.row(i));
  EXPECT_EQ(shap_table_bytes(m), 0u) << "scoring makes no tables";

  const GbtModel copy = m;
  std::vector<double> expected(d, 0);
  const double expected_reference = gbt_shap(copy, x.row(7), expected.data());
  const size_t bytes = shap_table_bytes(copy);
  EXPECT_GT(bytes, 0u);
  EXPECT_EQ(shap_table_bytes(m), 0u) << "a copy has tables of its own";

  constexpr int kThreads = 8;
  std::vector<std::vector<double>> phi(kThreads, std::vector<double>(d, 0));
  std::vector<double> reference(kThreads);
  std::vector<const ShapTables*> seen(kThreads);
  std::vector<std::thread> threads;
  for (int k = 0; k < kThreads; ++k)
    threads.emplace_back([&, k] {
      reference[k] = gbt_shap(m, x.row(7), phi[k].data());
      seen[k] = &shap_tables(m);
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(shap_table_bytes(m), bytes);
  for (int k = 0; k < kThreads; ++k) {
    EXPECT_EQ(seen[k], seen[0]) << "one set of tables";
    EXPECT_EQ(reference[k], expected_reference);
    EXPECT_EQ(phi[k], expected) << "thread " << k;
  }
}

TEST(HrsCalibration, PlattAndIsotonic) {
  std::mt19937 rng(13);
  std::normal_distribution<double> n01;
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<double> z;
  std::vector<int> y;
  for (int i = 0; i < 20000; ++i) {
    double s = 2 * n01(rng);
    z.push_back(s);
    y.push_back(u(rng) < sigmoid(0.5 * s - 1) ? 1 : 0);  // an overconfident score
  }
  Calibrator p = fit_platt(z, y);
  EXPECT_NEAR(p.a, 0.5, 0.05);
  EXPECT_NEAR(p.b, -1, 0.06);
  Calibrator iso = fit_isotonic(z, y);
  for (size_t k = 1; k < iso.x.size(); ++k) {
    EXPECT_GT(iso.x[k], iso.x[k - 1]);
    EXPECT_GE(iso.y[k], iso.y[k - 1]);
  }
  std::vector<double> pp, pi;
  for (double s : z) {
    pp.push_back(calibrate(p, s));
    pi.push_back(calibrate(iso, s));
  }
  EXPECT_LT(ece(pp, y), 0.02);
  EXPECT_LT(ece(pi, y), 0.02);
  EXPECT_GE(calibrate(iso, -100), 0.001);  // clipped knots
  EXPECT_EQ(calibrate(iso, -100), iso.y.front());
}

TEST(HrsDrift, SameDistributionPassesShiftFails) {
  std::mt19937 rng(17);
  std::normal_distribution<double> n01;
  std::vector<double> train, same, shifted;
  for (int i = 0; i < 20000; ++i) train.push_back(n01(rng));
  for (int i = 0; i < 2000; ++i) {
    same.push_back(n01(rng));
    shifted.push_back(n01(rng) + 0.7);
  }
  FeatureBaseline b = make_baseline(train);
  ASSERT_EQ(b.quantiles.size(), 101u);
  DriftStat ds = drift_stat(b, same), dx = drift_stat(b, shifted);
  EXPECT_FALSE(ds.drift);
  EXPECT_LT(ds.psi, kPsiModerate);
  EXPECT_GT(ds.ks_p, 0.01);
  EXPECT_TRUE(dx.drift);
  EXPECT_GT(dx.ks, 0.2);
  EXPECT_LT(dx.ks_p, 1e-10);
  EXPECT_GE(dx.psi, kPsiMajor);
  // A binary feature: same share of ones is no drift, a flipped share is.
  std::vector<double> bin_train, bin_same, bin_flip;
  for (int i = 0; i < 10000; ++i) bin_train.push_back(i % 10 < 6 ? 0 : 1);
  for (int i = 0; i < 1000; ++i) {
    bin_same.push_back(i % 10 < 6 ? 0 : 1);
    bin_flip.push_back(i % 10 < 4 ? 0 : 1);
  }
  FeatureBaseline bb = make_baseline(bin_train);
  EXPECT_FALSE(drift_stat(bb, bin_same).drift);
  EXPECT_TRUE(drift_stat(bb, bin_flip).drift);
  EXPECT_NEAR(kolmogorov_tail(1.36), 0.0494, 1e-3);  // the 5 % critical value
}

TEST(HrsGroups, SharedQuestionOrContextJoins) {
  std::vector<std::string_view> q{"What is X?", "what is x", "Other?", "", "", ""};
  std::vector<std::string_view> c{"", "doc A", "doc A.", "doc B", "doc B", ""};
  Grouping g = group_examples(q, c);
  EXPECT_EQ(g.group[0], g.group[1]);  // same question after normalisation
  EXPECT_EQ(g.group[1], g.group[2]);  // same context
  EXPECT_EQ(g.group[3], g.group[4]);
  EXPECT_NE(g.group[0], g.group[3]);
  EXPECT_NE(g.group[5], g.group[3]);  // no text at all: a group of its own
  EXPECT_EQ(g.groups, 3u);
  std::vector<int> fold = assign_folds(g, {0, 0, 0, 0, 0, 0}, 3, 1);
  EXPECT_EQ(fold[0], fold[2]);
  EXPECT_EQ(fold[3], fold[4]);
  EXPECT_NE(fold[0], fold[3]);  // three groups dealt to three folds
}

TEST(HrsRouter, ConsistentAndProportional) {
  int treat = 0;
  for (int i = 0; i < 10000; ++i) {
    std::string key = "user-" + std::to_string(i);
    bool t = route_to_treatment(key, 0.2);
    EXPECT_EQ(t, route_to_treatment(key, 0.2));
    treat += t;
  }
  EXPECT_NEAR(treat / 10000.0, 0.2, 0.02);
  EXPECT_FALSE(route_to_treatment("anyone", 0));
  EXPECT_TRUE(route_to_treatment("anyone", 1));
}

TEST(HrsModel, ScoreIntervalAndExplanationAddUp) {
  Model m;
  m.kind = ModelKind::Logistic;
  m.lexical_bits = 8;
  m.lexical.weight.assign(256, 0.0);
  for (int k = 0; k < 3; ++k) {
    LinearModel l;
    l.center.assign(kModelFeatures, 0.5);
    l.scale.assign(kModelFeatures, 2.0);
    l.weight.assign(kModelFeatures, 0.0);
    l.weight[kAnsTokens] = 1.0 + k;
    l.weight[kLexicalFeature] = -0.5;
    l.bias = 0.1 * k;
    m.linear.push_back(l);
  }
  ModelRow row{};
  row[kAnsTokens] = 2.5;
  row[kLexicalFeature] = 1.0;
  Score s = score_row(m, row);
  // member logits: bias_k + (1 + k) * (2.5 - 0.5) / 2 - 0.5 * (1 - 0.5) / 2 = 0.875, 1.975, 3.075
  EXPECT_NEAR(s.logit, 1.975, 1e-12);
  EXPECT_NEAR(s.spread, 1.1, 1e-12);
  EXPECT_NEAR(s.probability, sigmoid(1.975), 1e-12);  // default Platt: a = 1, b = 0
  EXPECT_NEAR(s.low, sigmoid(1.975 - 1.96 * 1.1), 1e-12);
  EXPECT_NEAR(s.high, sigmoid(1.975 + 1.96 * 1.1), 1e-12);
  Explanation e = explain_row(m, row);
  double sum = e.reference;
  for (double v : e.phi) sum += v;
  EXPECT_NEAR(sum, s.logit, 1e-12);
  EXPECT_NEAR(e.phi[kAnsTokens], 2.0, 1e-12);
  EXPECT_NEAR(e.phi[kLexicalFeature], -0.125, 1e-12);
}

TEST(HrsLexical, BucketsAreSortedDistinctAndRegimeAware) {
  auto tok = tokenize_all("no no it isn't 42");
  Buckets plain = lexical_buckets(tok, 10, 0);
  for (size_t k = 1; k < plain.size(); ++k) EXPECT_LT(plain[k - 1], plain[k]);
  for (uint32_t b : plain) EXPECT_LT(b, 1024u);
  Buckets with = lexical_buckets(tok, 10, 5);
  EXPECT_GT(with.size(), plain.size());
  // Numbers fold into one token: a different number gives the same buckets.
  EXPECT_EQ(lexical_buckets(tokenize_all("it costs 42"), 10, 0), lexical_buckets(tokenize_all("it costs 7"), 10, 0));
  // Content words: plain function words drop out, negations stay.
  EXPECT_EQ(lexical_buckets(tokenize_all("it was 1889"), 10, 0, Words::Content),
            lexical_buckets(tokenize_all("1889"), 10, 0, Words::Content));
  EXPECT_NE(lexical_buckets(tokenize_all("it was not 1889"), 10, 0, Words::Content),
            lexical_buckets(tokenize_all("1889"), 10, 0, Words::Content));
  // Second-person pronouns drop out too (closed-book answers would learn them as form); "I" stays.
  EXPECT_EQ(lexical_buckets(tokenize_all("you saw 1889"), 10, 0, Words::Content),
            lexical_buckets(tokenize_all("saw 1889"), 10, 0, Words::Content));
  EXPECT_NE(lexical_buckets(tokenize_all("i saw 1889"), 10, 0, Words::Content),
            lexical_buckets(tokenize_all("saw 1889"), 10, 0, Words::Content));
  EXPECT_NE(lexical_buckets(tokenize_all("it was 1889"), 10, 0), lexical_buckets(tokenize_all("1889"), 10, 0));
}

// Content words the context holds, or a WordNet synonym of, leave the bag of words: a paraphrase of a
// supported answer has the buckets of the supported answer, and only the unsupported word differs.
TEST(HrsLexical, WordsTheContextHoldsLeaveTheBag) {
  auto content = [](const char* answer, const char* context) {
    FeatureInput in;
    in.question = "When was the Eiffel Tower finished?";
    in.context = context;
    in.answer = answer;
    std::vector<Token> tok;
    compute_features(in, &tok);
    return lexical_buckets(tok, 12, 0, Words::Content);
  };
  const char* ctx = "The Eiffel Tower was finished in March 1889.";
  EXPECT_EQ(content("It was finished in 1889.", ctx), content("It was completed in 1889.", ctx));
  EXPECT_TRUE(content("It was finished in 1889.", ctx).empty());
  EXPECT_FALSE(content("It was painted in 1889.", ctx).empty());
  EXPECT_EQ(content("It was not finished in 1889.", ctx), content("It was not completed in 1889.", ctx));
  EXPECT_FALSE(content("It was not finished in 1889.", ctx).empty());  // a negation stays
  // Without a context nothing is grounded: the words stay.
  EXPECT_NE(content("It was finished in 1889.", ""), content("It was completed in 1889.", ""));
  EXPECT_FALSE(content("It was finished in 1889.", "").empty());
}

// Every width (the bit sets change shape at 6 and 12 bits) gives the buckets of the widest one
// with the low bits dropped, sorted and distinct.
TEST(HrsLexical, BucketsOfEveryWidthAreTheWidestShifted) {
  auto tok = tokenize_all("The tower was not built in 1889; it was built in 1887 by Gustave Eiffel's company, "
                          "and it isn't the tallest tower any more. No, it never was.");
  const Buckets widest = lexical_buckets(tok, 20, 7);
  for (int bits = 4; bits <= 20; ++bits) {
    Buckets want;
    for (uint32_t b : widest) want.push_back(b >> (20 - bits));
    want.erase(std::unique(want.begin(), want.end()), want.end());
    EXPECT_EQ(lexical_buckets(tok, bits, 7), want) << bits;
  }
}

// Scoring sums the weights of the buckets as it finds them: the same additions in the same
// order as sparse_logit over lexical_buckets.
TEST(HrsLexical, BucketsLogitIsSparseLogitOfTheBuckets) {
  std::mt19937 rng(5);
  std::uniform_real_distribution<double> u(-1, 1);
  SparseLinearModel m;
  m.bias = 0.25;
  m.weight.resize(size_t{1} << 12);
  for (double& w : m.weight) w = u(rng);
  for (const char* text : {"The tower was not built in 1889; it isn't the tallest any more.", "No.", "1889",
                           "Gustave Eiffel's company built it and it was painted red."})
    for (uint32_t regime : {0u, 5u})
      for (Words words : {Words::All, Words::Content}) {
        auto tok = tokenize_all(text);
        EXPECT_EQ(lexical_buckets_logit(m, tok, 12, regime, words),
                  sparse_logit(m, lexical_buckets(tok, 12, regime, words)))
            << text;
      }
}
