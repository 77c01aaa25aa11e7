#include "hrs/gbt.h"

#include <algorithm>

#include "math/dmath.h"

namespace flk::hrs {
namespace {

// Quantile cut points of one column: bin(x) = number of cuts <= x, and a split after bin t
// sends x < cuts[t] to the left.
std::vector<double> quantile_cuts(const Matrix& x, size_t k, const std::vector<size_t>& rows, int bins) {
  std::vector<double> v;
  v.reserve(rows.size());
  for (size_t i : rows) v.push_back(x.row(i)[k]);
  std::sort(v.begin(), v.end());
  std::vector<double> cuts;
  for (int b = 1; b < bins; ++b) {
    double c = v[v.size() * b / bins];
    if (c > v.front() && (cuts.empty() || c > cuts.back())) cuts.push_back(c);
  }
  return cuts;
}

// Grows one tree on the rows with positive weight, in a compact index space: bins are stored
// row-major (one row's bins are adjacent), and a node's histogram is built for the smaller
// child only, the larger one being the parent's minus it.
struct Builder {
  explicit Builder(const GbtOptions& o) : opt(o) {}
  const GbtOptions& opt;
  size_t d = 0;
  std::vector<std::vector<double>> cuts;
  std::vector<size_t> offset;          // start of feature k's bins in a histogram
  size_t hist_size = 0;                // total bins over all features
  std::vector<uint8_t> bin;            // [row * d + feature]
  std::vector<double> grad, hess, weight, logit;
  Tree* tree = nullptr;

  // hist[2 * (offset[k] + b)] = gradient sum, [+1] = hessian sum.
  void histogram(const std::vector<uint32_t>& rows, std::vector<double>& hist) const {
    hist.assign(2 * hist_size, 0.0);
    for (uint32_t i : rows) {
      const uint8_t* b = &bin[static_cast<size_t>(i) * d];
      double g = grad[i], h = hess[i];
      for (size_t k = 0; k < d; ++k) {
        double* slot = &hist[2 * (offset[k] + b[k])];
        slot[0] += g;
        slot[1] += h;
      }
    }
  }

  int add_node(int feature, double threshold, double value, double cover) {
    tree->feature.push_back(feature);
    tree->left.push_back(-1);
    tree->right.push_back(-1);
    tree->threshold.push_back(threshold);
    tree->value.push_back(value);
    tree->cover.push_back(cover);
    return static_cast<int>(tree->feature.size()) - 1;
  }

  int leaf(const std::vector<uint32_t>& rows, double g, double h, double cover) {
    double v = -g / (h + opt.l2) * opt.learning_rate;
    for (uint32_t i : rows) logit[i] += v;
    return add_node(-1, 0, v, cover);
  }

  int grow(std::vector<uint32_t>& rows, std::vector<double>& hist, int depth) {
    double g = 0, h = 0, cover = 0;
    for (uint32_t i : rows) {
      g += grad[i];
      h += hess[i];
      cover += weight[i];
    }
    if (depth == opt.depth) return leaf(rows, g, h, cover);
    double parent = g * g / (h + opt.l2), best_gain = 1e-9;
    int best_k = -1, best_t = -1;
    for (size_t k = 0; k < d; ++k) {
      const double* hk = &hist[2 * offset[k]];
      double gl = 0, hl = 0;
      for (size_t t = 0; t < cuts[k].size(); ++t) {
        gl += hk[2 * t];
        hl += hk[2 * t + 1];
        double gr = g - gl, hr = h - hl;
        if (hl < opt.min_child_weight || hr < opt.min_child_weight) continue;
        double gain = gl * gl / (hl + opt.l2) + gr * gr / (hr + opt.l2) - parent;
        if (gain > best_gain) {
          best_gain = gain;
          best_k = static_cast<int>(k);
          best_t = static_cast<int>(t);
        }
      }
    }
    if (best_k < 0) return leaf(rows, g, h, cover);
    std::vector<uint32_t> lrows, rrows;
    for (uint32_t i : rows) (bin[static_cast<size_t>(i) * d + best_k] <= best_t ? lrows : rrows).push_back(i);
    std::vector<uint32_t>().swap(rows);
    int node = add_node(best_k, cuts[best_k][best_t], 0, cover);
    std::vector<double> lhist, rhist;
    if (depth + 1 < opt.depth) {
      bool left_small = lrows.size() <= rrows.size();
      std::vector<double>& small = left_small ? lhist : rhist;
      std::vector<double>& large = left_small ? rhist : lhist;
      histogram(left_small ? lrows : rrows, small);
      large.resize(hist.size());
      for (size_t j = 0; j < hist.size(); ++j) large[j] = hist[j] - small[j];
    }
    std::vector<double>().swap(hist);
    int l = grow(lrows, lhist, depth + 1);
    int r = grow(rrows, rhist, depth + 1);
    tree->left[node] = l;
    tree->right[node] = r;
    return node;
  }
};

// One entry of the TreeSHAP path: a feature met on the way down, the share of cover that
// follows the path when the feature is unknown (zero) and whether x follows it (one).
struct PathElement {
  int feature;
  double zero, one, weight;
};

// A path lives in a slice of one buffer: each level of the recursion copies its parent's path
// into the next slice, so the walk allocates nothing (one buffer per tree).
struct Path {
  PathElement* e;
  size_t n;
};

void extend(Path& p, double zero, double one, int feature) {
  const size_t l = p.n++;
  p.e[l] = {feature, zero, one, l == 0 ? 1.0 : 0.0};
  for (size_t i = l; i-- > 0;) {
    p.e[i + 1].weight += one * p.e[i].weight * static_cast<double>(i + 1) / static_cast<double>(l + 1);
    p.e[i].weight = zero * p.e[i].weight * static_cast<double>(l - i) / static_cast<double>(l + 1);
  }
}

void unwind(Path& p, size_t index) {
  const size_t l = p.n - 1;
  const double one = p.e[index].one, zero = p.e[index].zero;
  double next = p.e[l].weight;
  for (size_t i = l; i-- > 0;) {
    if (one != 0) {
      double tmp = p.e[i].weight;
      p.e[i].weight = next * static_cast<double>(l + 1) / (static_cast<double>(i + 1) * one);
      next = tmp - p.e[i].weight * zero * static_cast<double>(l - i) / static_cast<double>(l + 1);
    } else {
      p.e[i].weight = p.e[i].weight * static_cast<double>(l + 1) / (zero * static_cast<double>(l - i));
    }
  }
  for (size_t i = index; i < l; ++i) {
    p.e[i].feature = p.e[i + 1].feature;
    p.e[i].zero = p.e[i + 1].zero;
    p.e[i].one = p.e[i + 1].one;
  }
  --p.n;
}

// Sum of the path weights with element `index` taken out.
double unwound_sum(const Path& p, size_t index) {
  const size_t l = p.n - 1;
  const double one = p.e[index].one, zero = p.e[index].zero;
  double next = p.e[l].weight, total = 0;
  for (size_t i = l; i-- > 0;) {
    if (one != 0) {
      double tmp = next * static_cast<double>(l + 1) / (static_cast<double>(i + 1) * one);
      total += tmp;
      next = p.e[i].weight - tmp * zero * static_cast<double>(l - i) / static_cast<double>(l + 1);
    } else {
      total += p.e[i].weight / zero * static_cast<double>(l + 1) / static_cast<double>(l - i);
    }
  }
  return total;
}

// `parent` is the caller's path; this level works in the slice right after it.
void shap_recurse(const Tree& t, const double* x, double* phi, int node, Path parent, double zero, double one,
                  int feature) {
  Path path{parent.e + parent.n, parent.n};
  std::copy(parent.e, parent.e + parent.n, path.e);
  extend(path, zero, one, feature);
  if (t.feature[node] < 0) {
    for (size_t i = 1; i < path.n; ++i)
      phi[path.e[i].feature] += unwound_sum(path, i) * (path.e[i].one - path.e[i].zero) * t.value[node];
    return;
  }
  const int f = t.feature[node];
  const int hot = x[f] < t.threshold[node] ? t.left[node] : t.right[node];
  const int cold = hot == t.left[node] ? t.right[node] : t.left[node];
  double in_zero = 1, in_one = 1;
  for (size_t i = 1; i < path.n; ++i) {
    if (path.e[i].feature == f) {
      in_zero = path.e[i].zero;
      in_one = path.e[i].one;
      unwind(path, i);
      break;
    }
  }
  const double c = t.cover[node];
  shap_recurse(t, x, phi, hot, path, t.cover[hot] / c * in_zero, in_one, f);
  shap_recurse(t, x, phi, cold, path, t.cover[cold] / c * in_zero, 0, f);
}

// s! (m - s - 1)! / m!: the Shapley weight of a coalition of s of the other m - 1 players,
// 1 / (m * C(m - 1, s)); exact in doubles for m <= kMaxShapPath.
double shapley_weight(int s, int m) {
  double c = 1;
  for (int k = 1; k <= s; ++k) c = c * (m - s - 1 + k) / k;
  return 1.0 / (m * c);
}

// Doubles up to a whole number of 64-byte lines.
size_t line_up(size_t doubles) { return (doubles + 7) / 8 * 8; }

// The leaves of one tree into the model's tables, depth first (left before right): first each
// leaf's features and the units, then, if the tree's table fits the budget, its splits, masks,
// units and values.
struct TableBuilder {
  const Tree& t;
  ShapTree& tree;
  ShapTables& out;
  size_t& budget;
  struct Step {
    int node;      // a split node on the path
    bool left;     // the path goes left there
    uint8_t slot;  // of the node's feature among the leaf's
  };
  struct Leaf {
    int node;
    uint32_t begin, end;  // its path in `steps`
    uint8_t m;
    bool pair;  // a unit with the next leaf: its sibling, under a split on a feature new to the path
    std::array<uint8_t, kMaxShapPath> feature;
    std::array<double, kMaxShapPath> zero;  // share of cover that follows the path, per feature
  };
  std::vector<int> split_index;  // node -> its split, for split nodes
  std::vector<uint64_t> masks;   // the tree's split masks
  std::vector<Step> path, steps;
  std::vector<Leaf> leaves;
  bool ok = true;

  bool build() {
    split_index.assign(t.feature.size(), -1);
    size_t splits = 0;
    for (size_t n = 0; n < t.feature.size(); ++n) {
      if (t.feature[n] < 0) continue;
      if (splits == kMaxShapSplits) return false;
      if (t.feature[n] > 255) return false;  // ShapUnit::feature is a byte
      split_index[n] = static_cast<int>(splits++);
    }
    visit(0);
    if (!ok) return false;
    size_t width = 0, units = 0;
    for (const Leaf& l : leaves) width = std::max<size_t>(width, l.m);
    size_t doubles = 0;  // of the units' rows, each unit's a whole number of cache lines
    for (size_t i = 0; i < leaves.size(); i += 1 + leaves[i].pair, ++units) {
      Leaf& a = leaves[i];
      const Step& last = steps[a.end - 1];
      a.pair = i + 1 < leaves.size() && steps[leaves[i + 1].end - 1].node == last.node;
      for (uint32_t k = a.begin; a.pair && k + 1 < a.end; ++k) a.pair = steps[k].slot != last.slot;
      doubles += line_up((size_t(2) << a.m) * width);
    }
    const size_t per_word = width ? 64 / width : 1;
    const size_t words = (units + per_word - 1) / per_word;
    if (words > kMaxShapWords) return false;
    const size_t bytes = sizeof(ShapTree) + splits * (1 + sizeof(double) + 2 * words * sizeof(uint64_t)) +
                         units * sizeof(ShapUnit) + doubles * sizeof(double);
    if (bytes > budget) return false;
    budget -= bytes;
    tree.width = static_cast<uint8_t>(width);
    tree.words = static_cast<uint8_t>(words);
    tree.splits = static_cast<uint32_t>(splits);
    tree.units = static_cast<uint32_t>(units);
    for (size_t n = 0; n < t.feature.size(); ++n) {
      if (t.feature[n] < 0) continue;
      out.split_feature.push_back(static_cast<uint8_t>(t.feature[n]));
      out.split_threshold.push_back(t.threshold[n]);
    }
    masks.assign(splits * 2 * words, 0);
    for (size_t i = 0, k = 0; i < leaves.size(); i += 1 + leaves[i].pair, ++k)
      add_unit(i, k / per_word, k % per_word * width);
    out.split_masks.insert(out.split_masks.end(), masks.begin(), masks.end());
    return true;
  }

  void visit(int node) {
    if (!ok) return;
    if (t.feature[node] < 0) {
      ok = add_leaf(node);
      return;
    }
    path.push_back({node, true, 0});
    visit(t.left[node]);
    path.back().left = false;
    visit(t.right[node]);
    path.pop_back();
  }

  // The path's distinct features in the order it meets them, and their zero shares.
  bool add_leaf(int node) {
    Leaf l{node, static_cast<uint32_t>(steps.size()), 0, 0, false, {}, {}};
    for (Step s : path) {
      const uint8_t f = static_cast<uint8_t>(t.feature[s.node]);
      uint8_t slot = 0;
      while (slot < l.m && l.feature[slot] != f) ++slot;
      if (slot == l.m) {
        if (l.m == kMaxShapPath) return false;
        l.feature[l.m] = f;
        l.zero[l.m++] = 1;
      }
      s.slot = slot;
      l.zero[slot] *= t.cover[s.left ? t.left[s.node] : t.right[s.node]] / t.cover[s.node];
      steps.push_back(s);
    }
    if (l.m == 0) return true;  // the tree is one leaf: nothing to attribute
    for (int j = l.m; j < kMaxShapPath; ++j) l.feature[j] = l.feature[0];
    l.end = static_cast<uint32_t>(steps.size());
    leaves.push_back(l);
    return true;
  }

  // The unit of leaf i (and its sibling): its bits (from `shift` in `word`) in the split masks,
  // and its rows.
  void add_unit(size_t i, size_t word, size_t shift) {
    const Leaf& a = leaves[i];
    const size_t m = a.m, width = tree.width, words = tree.words;
    for (uint32_t k = a.begin; k < a.end; ++k) {
      const Step& s = steps[k];
      masks[(2 * split_index[s.node] + (s.left ? 0 : 1)) * words + word] |= uint64_t(1) << (shift + s.slot);
    }
    const size_t parent = steps[a.end - 1].slot;
    std::array<double, kMaxShapPath << kMaxShapPath> va, vb;
    leaf_values(a, va.data());
    if (a.pair) leaf_values(leaves[i + 1], vb.data());
    ShapUnit unit;
    unit.m = a.m;
    unit.feature = a.feature;
    unit.values = static_cast<uint32_t>(out.values.size());
    const size_t sets = size_t(1) << m;
    for (size_t da = 0; da < sets; ++da) {
      const size_t db = da ^ size_t(1) << parent;  // the sibling disagrees where this leaf agrees
      for (size_t j = 0; j < width; ++j) out.values.push_back(j < m ? va[da * m + j] : -0.0);
      for (size_t j = 0; j < width; ++j) out.values.push_back(a.pair && j < m ? vb[db * m + j] : -0.0);
    }
    out.values.resize(line_up(out.values.size()), -0.0);
    out.units.push_back(unit);
  }

  // A leaf's 2^m rows of m contributions, row k for the set k of its path's features x disagrees
  // with.
  void leaf_values(const Leaf& l, double* values) const {
    const unsigned sets = 1u << l.m;
    const std::array<double, kMaxShapPath>& zero = l.zero;
    std::array<double, kMaxShapPath> weight{};
    for (int k = 0; k < l.m; ++k) weight[k] = shapley_weight(k, l.m);
    std::array<double, (1u << (kMaxShapPath - 1))> g{};
    for (int j = 0; j < l.m; ++j) {
      // The other features in slot order; bit b of `others` stands for other[b].
      std::array<double, kMaxShapPath> other{};
      for (int k = 0, b = 0; k < l.m; ++k)
        if (k != j) other[b++] = zero[k];
      // g[others]: over the subsets S of the others x agrees with, the weight of S times the
      // zero shares of the others outside S. c[s] collects the products for |S| = s: the
      // polynomial of the others' (zero + y) for those x agrees with, times the other zeros.
      for (unsigned others = 0; others < sets / 2; ++others) {
        std::array<double, kMaxShapPath> c{};
        c[0] = 1;
        for (int b = 0; b + 1 < l.m; ++b) {
          if (others >> b & 1)
            for (int k = b + 1; k > 0; --k) c[k] = c[k] * other[b] + c[k - 1];
          else
            for (int k = b + 1; k > 0; --k) c[k] *= other[b];
          c[0] *= other[b];
        }
        double sum = 0;
        for (int k = 0; k < l.m; ++k) sum += weight[k] * c[k];
        g[others] = sum;
      }
      for (unsigned agreed = 0; agreed < sets; ++agreed) {
        const unsigned others = (agreed & ((1u << j) - 1)) | ((agreed >> (j + 1)) << j);
        const double factor = (agreed >> j & 1) ? 1 - zero[j] : -zero[j];
        values[((sets - 1) ^ agreed) * l.m + j] = t.value[l.node] * factor * g[others];
      }
    }
  }
};

// Where the next ready tree's entries start in a model's tables.
struct ShapCursor {
  const uint8_t* feature;
  const double* threshold;
  const uint64_t* masks;
  const ShapUnit* unit;
};

// The units of a tree whose rows have 2 m values, m = M where M is not 0 (a constant, so that
// the loops unroll for the common widths): `disagree` holds 64 / m units' sets to a word.
template <size_t M>
void units_shap(const ShapUnit* u, size_t units, size_t width, const uint64_t* disagree, const double* values,
                double* phi) {
  const size_t m = M ? M : width, per_word = 64 / m;
  const uint64_t set = (uint64_t(1) << m) - 1;
  for (size_t left = units; left > 0; ++disagree) {
    uint64_t d = *disagree;
    const size_t n = std::min(left, per_word);
    left -= n;
    for (const ShapUnit* end = u + n; u != end; ++u, d >>= m) {
      const double* row = values + u->values + (d & set) * (2 * m);
      for (size_t j = 0; j < m; ++j) {
        double& s = phi[u->feature[j]];
        s = s + row[j] + row[m + j];
      }
    }
  }
}

// One ready tree's SHAP values at x into phi; moves c past its entries.
void table_shap(const ShapTree& t, ShapCursor& c, const double* values, const double* x, double* phi) {
  uint64_t disagree[kMaxShapWords] = {};
  const size_t words = t.words, splits = t.splits;
#if !defined(__EMSCRIPTEN__)  // the browser build is made for size and keeps the general loops only
  if (words == 1 && t.width >= 2 && t.width <= 4) {  // the usual tree
    uint64_t d = 0;
    for (size_t k = 0; k < splits; ++k) d |= c.masks[2 * k + (x[c.feature[k]] < c.threshold[k])];
    if (t.width == 2) units_shap<2>(c.unit, t.units, 2, &d, values, phi);
    else if (t.width == 3) units_shap<3>(c.unit, t.units, 3, &d, values, phi);
    else units_shap<4>(c.unit, t.units, 4, &d, values, phi);
  } else
#endif
  {
    for (size_t k = 0; k < splits; ++k) {
      const uint64_t* m = c.masks + (2 * k + (x[c.feature[k]] < c.threshold[k])) * words;
      for (size_t w = 0; w < words; ++w) disagree[w] |= m[w];
    }
    units_shap<0>(c.unit, t.units, t.width, disagree, values, phi);
  }
  c.feature += splits;
  c.threshold += splits;
  c.masks += 2 * words * splits;
  c.unit += t.units;
}

// Levels below `node` (a leaf is 1).
int tree_depth(const Tree& t, int node) {
  if (t.feature[node] < 0) return 1;
  return 1 + std::max(tree_depth(t, t.left[node]), tree_depth(t, t.right[node]));
}

}  // namespace

double tree_value(const Tree& t, const double* x) {
  int n = 0;
  while (t.feature[n] >= 0) n = x[t.feature[n]] < t.threshold[n] ? t.left[n] : t.right[n];
  return t.value[n];
}

double gbt_logit(const GbtModel& m, const double* x) {
  const FlatTrees& flat = m.flat.get([&](FlatTrees& f) { f = flatten_trees(m.trees); });
  if (flat.depth >= 0) return flat_trees_sum(flat, m.base, x);
  double z = m.base;
  for (const Tree& t : m.trees) z += tree_value(t, x);
  return z;
}

GbtModel fit_gbt(const Matrix& x, const std::vector<int>& y, const std::vector<double>& w, const GbtOptions& opt) {
  const size_t d = x.cols;
  std::vector<size_t> rows;
  double wsum = 0, wpos = 0;
  for (size_t i = 0; i < x.rows; ++i)
    if (w[i] > 0) {
      rows.push_back(i);
      wsum += w[i];
      wpos += w[i] * y[i];
    }
  const size_t n = rows.size();
  GbtModel m;
  double prior = (wpos + 0.5) / (wsum + 1);
  m.base = dm::log(prior / (1 - prior));
  Builder b(opt);
  b.d = d;
  b.cuts.resize(d);
  for (size_t k = 0; k < d; ++k) {
    b.cuts[k] = quantile_cuts(x, k, rows, opt.bins);
    b.offset.push_back(b.hist_size);
    b.hist_size += b.cuts[k].size() + 1;
  }
  b.bin.resize(n * d);
  std::vector<int> yc(n);
  for (size_t r = 0; r < n; ++r) {
    const double* xr = x.row(rows[r]);
    for (size_t k = 0; k < d; ++k) {
      const auto& c = b.cuts[k];
      b.bin[r * d + k] = static_cast<uint8_t>(std::upper_bound(c.begin(), c.end(), xr[k]) - c.begin());
    }
    b.weight.push_back(w[rows[r]]);
    yc[r] = y[rows[r]];
  }
  b.grad.assign(n, 0);
  b.hess.assign(n, 0);
  b.logit.assign(n, m.base);
  std::vector<uint32_t> all(n);
  for (size_t r = 0; r < n; ++r) all[r] = static_cast<uint32_t>(r);
  for (int it = 0; it < opt.trees; ++it) {
    for (size_t r = 0; r < n; ++r) {
      double p = dm::sigmoid(b.logit[r]);
      b.grad[r] = b.weight[r] * (p - yc[r]);
      b.hess[r] = b.weight[r] * p * (1 - p);
    }
    m.trees.emplace_back();
    b.tree = &m.trees.back();
    std::vector<uint32_t> root = all;
    std::vector<double> hist;
    b.histogram(root, hist);
    b.grow(root, hist, 0);
  }
  return m;
}

double tree_expected_value(const Tree& t) {
  double s = 0;
  for (size_t n = 0; n < t.feature.size(); ++n)
    if (t.feature[n] < 0) s += t.cover[n] * t.value[n];
  return s / t.cover[0];
}

void tree_shap(const Tree& t, const double* x, double* phi) {
  // Level k's path has at most k + 1 elements and starts where level k - 1's ends.
  const size_t levels = static_cast<size_t>(tree_depth(t, 0));
  PathElement buffer[64];
  std::vector<PathElement> heap;
  const size_t need = (levels + 1) * (levels + 2) / 2;
  PathElement* base = buffer;
  if (need > 64) {
    heap.resize(need);
    base = heap.data();
  }
  shap_recurse(t, x, phi, 0, Path{base, 0}, 1, 1, -1);
}

const ShapTables& shap_tables(const GbtModel& m) {
  return m.shap.get([&](ShapTables& out) {
    const std::vector<Tree>& trees = m.trees;
    size_t budget = kMaxShapBytes;
    out.trees.assign(trees.size(), ShapTree());
    for (size_t i = 0; i < trees.size(); ++i) {
      ShapTree& tree = out.trees[i];
      tree.expected = tree_expected_value(trees[i]);
      TableBuilder b{trees[i], tree, out, budget, {}, {}, {}, {}, {}, true};
      tree.ready = b.build();  // a tree that is not ready added nothing
    }
    // Grown tree by tree: give back the slack, so the tables hold what the budget counts.
    out.split_feature.shrink_to_fit();
    out.split_threshold.shrink_to_fit();
    out.split_masks.shrink_to_fit();
    out.units.shrink_to_fit();
    std::vector<double> values(out.values.size() + 7);  // moved to where a cache line starts
    out.values_begin = (8 - reinterpret_cast<uintptr_t>(values.data()) / sizeof(double) % 8) % 8;
    std::copy(out.values.begin(), out.values.end(), values.begin() + out.values_begin);
    out.values.swap(values);
    out.bytes = kMaxShapBytes - budget;
  });
}

size_t shap_table_bytes(const GbtModel& m) {
  const ShapTables* t = m.shap.made();
  return t ? t->bytes : 0;
}

double gbt_shap(const GbtModel& m, const double* x, double* phi) {
  const ShapTables& tables = shap_tables(m);
  ShapCursor c{tables.split_feature.data(), tables.split_threshold.data(), tables.split_masks.data(),
               tables.units.data()};
  double reference = m.base;
  for (size_t i = 0; i < m.trees.size(); ++i) {
    const ShapTree& tree = tables.trees[i];
    if (tree.ready) table_shap(tree, c, tables.values.data() + tables.values_begin, x, phi);
    else tree_shap(m.trees[i], x, phi);
    reference += tree.expected;  // made for every tree, ready or not
  }
  return reference;
}

}  // namespace flk::hrs
