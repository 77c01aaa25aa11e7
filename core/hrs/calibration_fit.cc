#include "hrs/calibration_fit.h"

#include <algorithm>

#include "hrs/lexical.h"
#include "hrs/metrics.h"

namespace flk::hrs {
namespace {

struct Rows {
  const std::vector<double>& logit;
  const std::vector<int>& label;
  const std::vector<int>& fold;
  const std::vector<uint8_t>& fit;
  const std::vector<uint8_t>& scored;
};

// The values of the examples in `member` (probabilities or labels, for their metrics).
template <typename T>
std::vector<T> of_examples(const Rows& r, const std::vector<uint8_t>& member, const std::vector<T>& v) {
  std::vector<T> out;
  for (size_t i = 0; i < v.size(); ++i)
    if (member[i] && r.fit[i]) out.push_back(v[i]);
  return out;
}

// The map of the examples in `member`: each fold's scored rows in it calibrated by Platt and
// isotonic maps fitted on the other folds' examples (into `prob`, the chosen one's), the method
// with the lower Brier score on the examples refitted on them all. False when a fold's fitting
// part has fewer than `floor` examples of a label.
bool fit_maps(const Rows& r, const std::vector<uint8_t>& member, size_t floor, int folds, Calibrator& map,
              CalibrationChoice& choice, std::vector<double>& prob) {
  const size_t n = r.logit.size();
  std::vector<double> platt(n), iso(n);
  for (int k = 0; k < folds; ++k) {
    std::vector<double> z;
    std::vector<int> y;
    size_t pos = 0;
    for (size_t i = 0; i < n; ++i)
      if (member[i] && r.fit[i] && r.fold[i] != k) {
        z.push_back(r.logit[i]);
        y.push_back(r.label[i]);
        pos += r.label[i] != 0;
      }
    if (pos < floor || z.size() - pos < floor) return false;
    Calibrator cp = fit_platt(z, y), ci = fit_isotonic(z, y);
    for (size_t i = 0; i < n; ++i)
      if (member[i] && r.scored[i] && r.fold[i] == k) {
        platt[i] = calibrate(cp, r.logit[i]);
        iso[i] = calibrate(ci, r.logit[i]);
      }
  }
  const std::vector<int> y = of_examples(r, member, r.label);
  const std::vector<double> pp = of_examples(r, member, platt), pi = of_examples(r, member, iso);
  choice.brier_platt = brier(pp, y);
  choice.brier_isotonic = brier(pi, y);
  choice.ece_platt = ece(pp, y);
  choice.ece_isotonic = ece(pi, y);
  bool use_iso = choice.brier_isotonic < choice.brier_platt;
  choice.chosen = use_iso ? "isotonic" : "platt";
  const std::vector<double> z = of_examples(r, member, r.logit);
  map = use_iso ? fit_isotonic(z, y) : fit_platt(z, y);
  for (size_t i = 0; i < n; ++i)
    if (member[i] && r.scored[i]) prob[i] = use_iso ? iso[i] : platt[i];
  return true;
}

// A regime's map moves the probabilities near 0.5 of all its rows, so some rewrites cross 0.5
// whichever way a map moves them; a map is refused for the probes when it adds more than half a
// percentage point of wrong-way crossings.
constexpr double kWrongSideSlack = 0.005;

// Share of the rewrites in `member` whose probability is on the other side of 0.5 than their
// origin's, the wrong way for the label; and their number.
double wrong_side(const Rows& r, const std::vector<uint32_t>& origin, const std::vector<uint8_t>& member,
                  const std::vector<double>& prob, size_t& rewrites) {
  double wrong = 0;
  rewrites = 0;
  for (size_t i = 0; i < prob.size(); ++i) {
    if (!member[i] || !r.scored[i] || r.fit[i]) continue;
    double before = prob[origin[i]], after = prob[i];
    wrong += r.label[i] ? (before >= 0.5 && after < 0.5) : (before < 0.5 && after >= 0.5);
    ++rewrites;
  }
  return rewrites ? wrong / static_cast<double>(rewrites) : 0;
}

}  // namespace

CalibrationFit fit_calibration(const std::vector<double>& logit, const std::vector<int>& label,
                               const std::vector<int>& fold, const std::vector<uint32_t>& regime,
                               const std::vector<uint8_t>& fit, const std::vector<uint8_t>& scored,
                               const std::vector<uint32_t>& origin, int folds) {
  const Rows r{logit, label, fold, fit, scored};
  const size_t n = logit.size();
  CalibrationFit out;
  out.prob_global.assign(n, 0);
  fit_maps(r, std::vector<uint8_t>(n, 1), 0, folds, out.global, out.choice, out.prob_global);
  out.prob = out.prob_global;
  for (uint32_t g = 1; g <= kRegimes; ++g) {
    std::vector<uint8_t> member(n);
    for (size_t i = 0; i < n; ++i) member[i] = regime[i] == g;
    RegimeCalibrationFit f;
    f.regime = g;
    std::vector<double> prob(n, 0);
    Calibrator map;
    if (!fit_maps(r, member, kRegimeFloor, folds, map, f.choice, prob)) continue;
    const std::vector<int> y = of_examples(r, member, label);
    const std::vector<double> pg = of_examples(r, member, out.prob_global), pr = of_examples(r, member, prob);
    f.examples = y.size();
    f.positives = static_cast<size_t>(std::count_if(y.begin(), y.end(), [](int v) { return v != 0; }));
    f.brier_global = brier(pg, y);
    f.brier_regime = brier(pr, y);
    f.ece_global = ece(pg, y);
    f.ece_regime = ece(pr, y);
    // The rewrites' origins are calibrated by the same map as they are (same regime): the
    // regime's probabilities with its own map, the others' as they are.
    std::vector<double> with_map = out.prob;
    for (size_t i = 0; i < n; ++i)
      if (member[i] && scored[i]) with_map[i] = prob[i];
    f.wrong_side_global = wrong_side(r, origin, member, out.prob, f.rewrites);
    f.wrong_side_regime = wrong_side(r, origin, member, with_map, f.rewrites);
    f.kept = f.brier_regime < f.brier_global && f.wrong_side_regime <= f.wrong_side_global + kWrongSideSlack &&
             non_decreasing(map);
    if (f.kept) {
      out.by_regime.push_back({g, map});
      out.prob = std::move(with_map);
    }
    out.regimes.push_back(f);
  }
  return out;
}

}  // namespace flk::hrs
