// Decisions, threshold sweep, feedback loop, clusters and detection metrics (core/anomaly).
#include <gtest/gtest.h>

#include "anomaly/decision.h"
#include "anomaly/detection_metrics.h"
#include "anomaly/feedback.h"
#include "anomaly/kmeans.h"
#include "anomaly/threshold_sweep.h"
#include "util/seeded_rng.h"

using namespace flk;
using namespace flk::anomaly;

TEST(Decision, DualThresholdAndModes) {
  DecisionRule rule;  // 0.5 / 0.9 / 0.2
  Decision d = decide(Mode::Blocking, rule, 0.95, 0.1);
  EXPECT_EQ(d.action, Action::Block);
  EXPECT_EQ(d.reason, "score 0.95 >= block threshold 0.9 and uncertainty 0.1 <= 0.2");
  d = decide(Mode::Blocking, rule, 0.95, 0.3);
  EXPECT_EQ(d.action, Action::Guardrail);
  EXPECT_EQ(d.reason, "score 0.95 >= threshold 0.5 (not blocked: uncertainty 0.3 > 0.2)");
  d = decide(Mode::Blocking, rule, 0.4, 0.0);
  EXPECT_EQ(d.action, Action::Accept);
  EXPECT_FALSE(d.is_anomaly);
  EXPECT_DOUBLE_EQ(d.confidence, 0.2);
  d = decide(Mode::Guardrail, rule, 0.95, 0.1);
  EXPECT_EQ(d.action, Action::Guardrail);
  EXPECT_EQ(d.rule, Action::Block);
  d = decide(Mode::Shadow, rule, 0.95, 0.1);
  EXPECT_EQ(d.action, Action::Accept);
  EXPECT_EQ(d.rule, Action::Block);
  EXPECT_TRUE(d.is_anomaly);
  EXPECT_EQ(d.reason.rfind("shadow mode, would block: ", 0), 0u);
  EXPECT_EQ(decide(Mode::Blocking, rule, 0.5, 0.0).action, Action::Guardrail);  // >= is inclusive
}

TEST(ThresholdSweep, PicksTheBestQualifyingThreshold) {
  // 199 normal scores in [0, 0.8), one normal outlier at 0.985, 100 anomalies in [0.97, 0.98).
  std::vector<double> s;
  std::vector<bool> y;
  for (int i = 0; i < 199; ++i) {
    s.push_back(i / 250.0);
    y.push_back(false);
  }
  s.push_back(0.985);
  y.push_back(false);
  for (int i = 0; i < 100; ++i) {
    s.push_back(0.97 + i / 10000.0);
    y.push_back(true);
  }
  SweepResult r = sweep_threshold(s, y, 0.5, SweepConfig{});
  EXPECT_EQ(r.reason, "optimised");
  EXPECT_TRUE(r.changed);
  EXPECT_EQ(r.threshold, 0.97);
  EXPECT_EQ(r.best_tpr, 1.0);
  EXPECT_EQ(r.best_fpr, 0.005);
  EXPECT_EQ(r.positives, 100u);
  EXPECT_EQ(r.negatives, 200u);
  // With FPR <= 0 only thresholds above the normal outlier at 0.985 remain, where TPR is 0.
  SweepConfig strict;
  strict.max_fpr = 0;
  r = sweep_threshold(s, y, 0.5, strict);
  EXPECT_EQ(r.reason, "no_threshold_meets_constraints");
  EXPECT_EQ(r.threshold, 0.5);
}

TEST(ThresholdSweep, KeepsTheOldThresholdAndSaysWhy) {
  std::vector<double> s{0.1, 0.2, 0.3};
  std::vector<bool> y{false, true, false};
  SweepResult r = sweep_threshold(s, y, 0.42, SweepConfig{});
  EXPECT_EQ(r.reason, "too_few_items");
  EXPECT_EQ(r.threshold, 0.42);
  SweepConfig c;
  c.min_items = 3;
  r = sweep_threshold(s, {false, false, false}, 0.42, c);
  EXPECT_EQ(r.reason, "single_class");
  // Overlapping classes: nothing has FPR <= 2 % and TPR >= 95 %.
  SeededRng rng(3);
  s.clear();
  y.clear();
  for (int i = 0; i < 400; ++i) {
    bool a = i % 4 == 0;
    s.push_back(0.5 * rng.uniform() + (a ? 0.2 : 0.0));
    y.push_back(a);
  }
  r = sweep_threshold(s, y, 0.42, SweepConfig{});
  EXPECT_EQ(r.reason, "no_threshold_meets_constraints");
  EXPECT_FALSE(r.changed);
  EXPECT_EQ(r.threshold, 0.42);
  EXPECT_TRUE(r.has_best);
  EXPECT_NE(r.message.find("kept threshold 0.42"), std::string::npos);
}

TEST(Feedback, IdempotentItemsConfusionAndReoptimisation) {
  FeedbackState st;
  st.reoptimise_every = 4;
  st.sweep.min_items = 4;
  st.threshold = 0.9;
  std::vector<FeedbackItem> batch{{"a", 0.95, true}, {"b", 0.1, false}, {"c", 0.8, true}};
  FeedbackUpdate u = add_feedback(st, batch);
  EXPECT_EQ(u.added, 3u);
  EXPECT_FALSE(u.swept);
  u = add_feedback(st, batch);  // the same items again change nothing
  EXPECT_EQ(u.unchanged, 3u);
  EXPECT_EQ(st.pending, 3u);
  Confusion c = confusion_at(st.items, st.threshold);
  EXPECT_EQ(c.tp, 1u);
  EXPECT_EQ(c.fn, 1u);
  EXPECT_EQ(c.tn, 1u);
  u = add_feedback(st, {{"b", 0.1, false}, {"d", 0.2, false}});
  EXPECT_EQ(u.added, 1u);
  EXPECT_TRUE(u.swept);  // the fourth new item triggers the sweep
  EXPECT_EQ(u.sweep.reason, "optimised");
  EXPECT_EQ(st.threshold, 0.8);
  EXPECT_EQ(st.pending, 0u);
  u = add_feedback(st, {{"d", 0.2, true}});
  EXPECT_EQ(u.replaced, 1u);
  EXPECT_TRUE(st.items.back().anomalous);
  st.max_items = 2;
  u = add_feedback(st, {{"e", 0.3, false}});
  EXPECT_EQ(u.evicted, 3u);
  ASSERT_EQ(st.items.size(), 2u);
  EXPECT_EQ(st.items[0].id, "d");
}

TEST(KMeans, FindsSeparatedGroupsAndLabelsThem) {
  SeededRng rng(5);
  RowMatrix x(90, 3);
  for (int i = 0; i < 90; ++i) {
    const int g = i % 3;
    x(i, 0) = (g == 0 ? 6.0 : 0.0) + 0.1 * rng.normal();
    x(i, 1) = (g == 1 ? -5.0 : 0.0) + 0.1 * rng.normal();
    x(i, 2) = (g == 2 ? 4.0 : 0.0) + 0.1 * rng.normal();
  }
  KMeansConfig cfg;
  cfg.k = 3;
  cfg.seed = 11;
  KMeansResult r = kmeans(x, cfg);
  EXPECT_TRUE(r.converged);
  for (size_t s : r.sizes) EXPECT_EQ(s, 30u);
  for (int i = 3; i < 90; ++i) EXPECT_EQ(r.assignment[i], r.assignment[i % 3]);
  const std::vector<std::string> names{"cpu", "mem", "disk"};
  std::vector<std::string> labels;
  for (int m = 0; m < 3; ++m) labels.push_back(cluster_label(r.centroids.row(m).data(), names, 3, 1.0));
  std::sort(labels.begin(), labels.end());
  EXPECT_EQ(labels, (std::vector<std::string>{"high cpu", "high disk", "low mem"}));
  const KMeansResult again = kmeans(x, cfg);
  EXPECT_EQ(again.assignment, r.assignment);
  EXPECT_EQ(again.inertia, r.inertia);

  std::vector<double> near{5.9, 0.1, 0.0}, far{0.0, 0.0, -9.0};
  Assignment a = assign_or_create(r.centroids, r.sizes, near.data(), 2.0, 10);
  EXPECT_FALSE(a.created);
  EXPECT_EQ(a.cluster, r.assignment[0]);
  a = assign_or_create(r.centroids, r.sizes, far.data(), 2.0, 10);
  EXPECT_TRUE(a.created);
  EXPECT_EQ(a.cluster, 3);
  EXPECT_EQ(cluster_label(r.centroids.row(3).data(), names, 3, 1.0), "low disk");
  std::vector<double> calm{0.1, -0.2, 0.3};
  EXPECT_EQ(cluster_label(calm.data(), names, 3, 1.0), "no dominant feature");
}

TEST(DetectionMetrics, PointwiseAndPointAdjusted) {
  //            0      1      2     3     4     5      6      7     8     9
  std::vector<bool> y{false, true, true, true, false, false, true, true, false, false};
  std::vector<bool> f{false, false, true, false, false, true, false, false, false, false};
  Prf p = pointwise_prf(f, y);
  EXPECT_EQ(p.tp, 1u);
  EXPECT_EQ(p.fp, 1u);
  EXPECT_EQ(p.fn, 4u);
  EXPECT_DOUBLE_EQ(p.f1, 2 * 0.5 * 0.2 / 0.7);
  Prf pa = point_adjusted_prf(f, y);  // the first segment (3 rows) counts as found
  EXPECT_EQ(pa.tp, 3u);
  EXPECT_EQ(pa.fp, 1u);
  EXPECT_EQ(pa.fn, 2u);
  SegmentHits h = segment_hits(f, y);
  EXPECT_EQ(h.segments, 2u);
  EXPECT_EQ(h.detected, 1u);
  Prf none = pointwise_prf(std::vector<bool>(10, false), y);
  EXPECT_EQ(none.precision, 0);
  EXPECT_EQ(none.f1, 0);
}
