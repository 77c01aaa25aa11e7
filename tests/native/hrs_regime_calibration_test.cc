// Calibration per regime of the request: the cross-fitted fit, scoring with the request's map,
// and the optional `calibration_by_regime` field of model files.
#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <set>
#include <sstream>

#include "facade/hrs_model_json.h"
#include "hrs/calibration_fit.h"
#include "hrs/interval.h"
#include "hrs/lexical.h"
#include "hrs/model.h"
#include "json/parse.h"
#include "math/dmath.h"

using namespace flk;
using namespace flk::hrs;

namespace {

json::Value default_model_json() {
  std::ifstream f(std::string(FLK_SOURCE_DIR) + "/core/hrs/default_model.json");
  std::stringstream ss;
  ss << f.rdbuf();
  auto model = json::parse(ss.str());
  EXPECT_TRUE(model.ok());
  return *model;
}

json::Value with_field(const json::Value& model, const char* key, const json::Value* value) {
  json::Value out = json::Value::object();
  for (const auto& m : model.as_object())
    if (m.first != key) out.set(m.first, m.second);
  if (value) out.set(key, *value);
  return out;
}

// A row of the given regime features (every other feature 0).
ModelRow row_of(bool question, bool context, bool summarization) {
  ModelRow r{};
  r[kHasQuestion] = question;
  r[kQInterrogative] = question;  // a question that asks
  r[kHasContext] = context;
  r[kTaskSummarization] = summarization;
  return r;
}

// Two regimes share one logit distribution but not one base rate: regime 7 is hallucinated far
// more often than regime 4 at the same logit. Regime 1 has too few examples of
// a label for a map of its own.
struct Rows {
  std::vector<double> z;
  std::vector<int> y, fold;
  std::vector<uint32_t> regime, origin;
  std::vector<uint8_t> fit, scored;
  void add(double logit, int label, int f, uint32_t g, bool example, uint32_t from) {
    z.push_back(logit);
    y.push_back(label);
    fold.push_back(f);
    regime.push_back(g);
    fit.push_back(example);
    scored.push_back(1);
    origin.push_back(from);
  }
  CalibrationFit fitted() const { return fit_calibration(z, y, fold, regime, fit, scored, origin, 5); }
};

Rows two_regimes() {
  std::mt19937 rng(5);
  std::normal_distribution<double> n01;
  std::uniform_real_distribution<double> u(0, 1);
  Rows r;
  for (uint32_t i = 0; i < 6000; ++i) {
    uint32_t g = i % 20 == 0 ? 1 : (i % 2 ? 7 : 4);
    double s = n01(rng);
    r.add(s, g == 1 ? i % 200 == 0 : u(rng) < dm::sigmoid(s + (g == 7 ? 1.5 : -1.5)), i % 5, g, true, i);
  }
  return r;
}

}  // namespace

TEST(HrsRegimeCalibration, NamesCoverEveryRegime) {
  EXPECT_EQ(regime_name(lexical_regime(row_of(true, false, false).data())), "qa/question/no_context");
  EXPECT_EQ(regime_name(lexical_regime(row_of(false, true, true).data())), "summarization/no_question/context");
  ModelRow instruction = row_of(true, true, false);
  instruction[kQInterrogative] = 0;
  EXPECT_EQ(regime_name(lexical_regime(instruction.data())), "qa/instruction/context");
  instruction[kTaskDialogue] = 1;  // a partner's statement: the reply answers it all the same
  EXPECT_EQ(regime_name(lexical_regime(instruction.data())), "dialogue/question/context");
  std::set<std::string> names;
  for (uint32_t g = 1; g <= kRegimes; ++g) names.insert(regime_name(g));
  EXPECT_EQ(names.size(), kRegimes);
  EXPECT_EQ(regime_name(kRegimes), "summarization/instruction/context");
}

TEST(HrsRegimeCalibration, FitKeepsARegimesMapWhereItBeatsTheGlobalOne) {
  Rows rows = two_regimes();
  CalibrationFit f = rows.fitted();
  ASSERT_EQ(f.by_regime.size(), 2u);
  EXPECT_EQ(f.by_regime[0].regime, 4u);
  EXPECT_EQ(f.by_regime[1].regime, 7u);
  ASSERT_EQ(f.regimes.size(), 2u);
  for (const RegimeCalibrationFit& r : f.regimes) {
    EXPECT_TRUE(r.kept);
    EXPECT_LT(r.brier_regime, r.brier_global - 0.01);
    EXPECT_LT(r.ece_regime, r.ece_global);
  }
  for (size_t i = 0; i < rows.z.size(); ++i)
    if (rows.regime[i] == 1) EXPECT_EQ(f.prob[i], f.prob_global[i]) << "falls back to the global map";
  // The regime's map is steeper in the regime with more hallucinations: above the global one.
  EXPECT_GT(calibrate(f.by_regime[1].map, 0), calibrate(f.global, 0) + 0.1);
  EXPECT_LT(calibrate(f.by_regime[0].map, 0), calibrate(f.global, 0) - 0.1);
}

TEST(HrsRegimeCalibration, AMapThatFlipsMoreProbeRewritesIsNotKept) {
  // A correct answer of regime 7 far below 0.5, and rewrites of it at logit -0.8: below 0.5
  // with the global map, above it with regime 7's (sigmoid(-0.8 + 1.5)).
  Rows rows = two_regimes();
  const uint32_t origin = static_cast<uint32_t>(rows.z.size());
  rows.add(-4, 0, 0, 7, true, origin);
  for (int k = 0; k < 50; ++k) rows.add(-0.8, 0, 0, 7, false, origin);
  CalibrationFit f = rows.fitted();
  ASSERT_EQ(f.regimes.size(), 2u);
  const RegimeCalibrationFit& r7 = f.regimes[1];
  EXPECT_EQ(r7.regime, 7u);
  EXPECT_EQ(r7.rewrites, 50u);
  EXPECT_LT(r7.brier_regime, r7.brier_global);
  EXPECT_EQ(r7.wrong_side_global, 0);
  EXPECT_EQ(r7.wrong_side_regime, 1);
  EXPECT_FALSE(r7.kept);
  ASSERT_EQ(f.by_regime.size(), 1u);
  EXPECT_EQ(f.by_regime[0].regime, 4u);
  EXPECT_EQ(f.prob[origin + 1], f.prob_global[origin + 1]);
}

TEST(HrsRegimeCalibration, AMapThatFlipsAFewMoreRewritesIsKept) {
  // The same flipping rewrites, 4 of them among 1,000 that stay far below 0.5: 0.4 % more
  // wrong-way crossings, within the half percentage point a recalibration may add.
  Rows rows = two_regimes();
  const uint32_t origin = static_cast<uint32_t>(rows.z.size());
  rows.add(-4, 0, 0, 7, true, origin);
  for (int k = 0; k < 4; ++k) rows.add(-0.8, 0, 0, 7, false, origin);
  for (int k = 0; k < 996; ++k) rows.add(-4, 0, 0, 7, false, origin);
  CalibrationFit f = rows.fitted();
  ASSERT_EQ(f.regimes.size(), 2u);
  const RegimeCalibrationFit& r7 = f.regimes[1];
  EXPECT_EQ(r7.rewrites, 1000u);
  EXPECT_EQ(r7.wrong_side_global, 0);
  EXPECT_DOUBLE_EQ(r7.wrong_side_regime, 0.004);
  EXPECT_TRUE(r7.kept);
  EXPECT_EQ(f.by_regime.size(), 2u);
}

TEST(HrsRegimeCalibration, AMapThatDecreasesIsNotKept) {
  // Regime 7's labels go against the logit: its Platt map beats the global one on Brier with a
  // negative slope, which would put an interval's low end above its high end.
  Rows rows = two_regimes();
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(0, 1);
  for (size_t i = 0; i < rows.z.size(); ++i)
    if (rows.regime[i] == 7) rows.y[i] = u(rng) < dm::sigmoid(-2 * rows.z[i]);
  CalibrationFit f = rows.fitted();
  ASSERT_EQ(f.regimes.size(), 2u);
  const RegimeCalibrationFit& r7 = f.regimes[1];
  EXPECT_EQ(r7.regime, 7u);
  EXPECT_EQ(r7.choice.chosen, "platt");
  EXPECT_LT(r7.brier_regime, r7.brier_global);
  EXPECT_FALSE(r7.kept);
  for (const RegimeCalibrator& m : f.by_regime) EXPECT_TRUE(non_decreasing(m.map)) << m.regime;
}

TEST(HrsRegimeCalibration, ScoreAndIntervalUseTheRequestsMap) {
  Model m;
  m.kind = ModelKind::Logistic;
  LinearModel l;
  l.center.assign(kModelFeatures, 0);
  l.scale.assign(kModelFeatures, 1);
  l.weight.assign(kModelFeatures, 0);
  l.bias = 1;
  m.linear.push_back(l);
  m.grounding_sd = {0.5, 0.5};
  RegimeCalibrator r;
  r.regime = lexical_regime(row_of(true, true, false).data());
  r.map.a = 2;
  r.map.b = -1;
  m.regime_calibrators.push_back(r);
  Score own = score_row(m, row_of(true, true, false)), other = score_row(m, row_of(true, false, false));
  const double h = 1.96 * 0.5;
  EXPECT_NEAR(own.probability, dm::sigmoid(2 * 1 - 1), 1e-12);
  EXPECT_NEAR(own.low, dm::sigmoid(2 * (1 - h) - 1), 1e-12);
  EXPECT_NEAR(own.high, dm::sigmoid(2 * (1 + h) - 1), 1e-12);
  EXPECT_NEAR(other.probability, dm::sigmoid(1), 1e-12);  // global: Platt a = 1, b = 0
  EXPECT_NEAR(other.high, dm::sigmoid(1 + h), 1e-12);
}

TEST(HrsRegimeCalibration, GroundingTermUsesEachExamplesMap) {
  // Correct answers at logit 1: on the right side of 0.5 with a map that reaches it at logit 2,
  // on the wrong side with the identity map, which 10 of the 100 use (more than 5 %).
  Calibrator identity, shifted;
  shifted.b = -2;
  std::vector<const Calibrator*> maps(100, &shifted);
  for (size_t i = 50; i < 60; ++i) maps[i] = &identity;
  std::vector<int> fold(100);
  for (size_t i = 0; i < 100; ++i) fold[i] = static_cast<int>(i % 5);
  GroundingFit g = fit_grounding(maps, std::vector<double>(100, 1), std::vector<double>(100, 0),
                                 std::vector<int>(100, 0), std::vector<uint8_t>(100, 0), fold, 5);
  EXPECT_NEAR(g.sd[0], 1 / kIntervalZ, 1e-9);
}

TEST(HrsRegimeCalibration, ModelFilesWithoutTheFieldLoadAndScoreAsBefore) {
  json::Value file = default_model_json();
  auto loaded = hrs_io::load_model(file, "$.model", false);
  ASSERT_TRUE(loaded.ok());
  // Written without maps, a model has no field and loads with none (an older file's shape).
  hrs::Model global = loaded->model;
  global.regime_calibrators.clear();
  json::Value old = hrs_io::model_json(global, loaded->baseline, json::Value::object());
  EXPECT_EQ(old.find("calibration_by_regime"), nullptr);
  auto again = hrs_io::load_model(old, "$.model", true);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->model.regime_calibrators.empty());
  // A request of a regime the default model has a map of its own for (lexical_regime's numbering).
  ASSERT_FALSE(loaded->model.regime_calibrators.empty());
  const uint32_t r = loaded->model.regime_calibrators.front().regime - 1;
  ModelRow x = row_of((r / 3) % 2 == 1, r / 6 == 1, r % 3 == 2);
  x[kTaskDialogue] = r % 3 == 1;
  ASSERT_EQ(lexical_regime(x.data()), r + 1);
  x[kLexicalFeature] = 0.3;
  Score s = score_row(again->model, x);
  EXPECT_EQ(s.probability, calibrate(loaded->model.calibrator, s.logit));
  // Not vacuous: the default model's own map for that regime scores otherwise.
  EXPECT_NE(score_row(loaded->model, x).probability, s.probability);
}

TEST(HrsRegimeCalibration, MalformedMapsAreTypedErrorsWithTheirPath) {
  json::Value file = default_model_json();
  auto fails = [&](const json::Value& maps, const char* code, const std::string& path) {
    auto r = hrs_io::load_model(with_field(file, "calibration_by_regime", &maps), "$.model", false);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, code);
    EXPECT_EQ(r.error().path, path);
  };
  auto entry = [](int64_t regime, const json::Value& calibration) {
    json::Value o = json::Value::object();
    o.set("regime", regime).set("name", regime_name(static_cast<uint32_t>(regime)));
    return o.set("calibration", calibration);
  };
  json::Value platt = json::Value::object();
  platt.set("method", "platt").set("a", 1.0).set("b", 0.0);
  json::Value too_many = json::Value::array();
  for (int64_t k = 1; k <= kRegimes + 1; ++k) too_many.push(entry(k > kRegimes ? 1 : k, platt));
  fails(too_many, "too_large", "$.model.calibration_by_regime");
  fails(json::Value::array().push(entry(4, platt)).push(entry(4, platt)), "out_of_range",
        "$.model.calibration_by_regime[1].regime");
  fails(json::Value::array().push(entry(kRegimes + 1, platt)), "out_of_range",
        "$.model.calibration_by_regime[0].regime");
  json::Value renamed = entry(4, platt);
  renamed.set("name", "qa/question/context");
  fails(json::Value::array().push(renamed), "out_of_range", "$.model.calibration_by_regime[0].name");
  json::Value knots = json::Value::object(), x = json::Value::array(), y = json::Value::array();
  for (int k = 0; k <= 4096; ++k) {
    x.push(k * 0.01);
    y.push(0.5);
  }
  knots.set("method", "isotonic").set("x", x).set("y", y);
  fails(json::Value::array().push(entry(4, knots)), "too_large", "$.model.calibration_by_regime[0].calibration.x");
  json::Value decreasing = json::Value::object();
  decreasing.set("method", "platt").set("a", -1.0).set("b", 0.0);
  fails(json::Value::array().push(entry(4, decreasing)), "out_of_range",
        "$.model.calibration_by_regime[0].calibration.a");
  fails(json::Value::object(), "wrong_type", "$.model.calibration_by_regime");
}
