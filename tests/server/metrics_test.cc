// Labelled metric families: the series cap sends new label sets to one "other" series and counts
// them; histogram buckets are cumulative; the text format escapes label values.
#include <gtest/gtest.h>

#include "metrics/family.h"
#include "metrics/metrics.h"

namespace flk::server {
namespace {

FamilySpec test_spec(std::string name, MetricKind kind, std::vector<std::string> labels, size_t cap = 1000) {
  FamilySpec s;
  s.name = std::move(name);
  s.help = "test";
  s.kind = kind;
  s.labels = std::move(labels);
  s.max_series = cap;
  return s;
}

FamilySpec counter_spec(size_t cap) { return test_spec("t_total", MetricKind::counter, {"tenant", "model"}, cap); }

TEST(MetricFamily, NewLabelSetsPastTheCapGoToOneOtherSeriesAndAreCounted) {
  Family f(counter_spec(2));
  f.inc({"a", "m"});
  f.inc({"b", "m"}, 2);
  f.inc({"c", "m"}, 5);
  f.inc({"d", "m"}, 7);
  f.inc({"a", "m"});  // an existing series still counts under its own labels
  const auto v = f.values();
  EXPECT_EQ(v.size(), 3u);
  EXPECT_EQ(v.at({"a", "m"}), 2);
  EXPECT_EQ(v.at({"b", "m"}), 2);
  EXPECT_EQ(v.at({"other", "other"}), 12);
  EXPECT_EQ(f.overflowed(), 2u);
}

TEST(MetricFamily, AWrongNumberOfLabelValuesIsOverflowNotAMalformedSeries) {
  Family f(counter_spec(10));
  f.inc({"only-one"});
  EXPECT_EQ(f.overflowed(), 1u);
  EXPECT_EQ(f.values().count({"other", "other"}), 1u);
}

TEST(MetricFamily, RendersCountersWithEscapedLabelsAndIntegralValues) {
  Family f(counter_spec(10));
  f.inc({"a\"b", "x\\y\nz"}, 3);
  f.inc({"c", "m"}, 0.25);
  std::string out;
  f.render(out);
  EXPECT_EQ(out,
            "# HELP t_total test\n# TYPE t_total counter\n"
            "t_total{tenant=\"a\\\"b\",model=\"x\\\\y\\nz\"} 3\n"
            "t_total{tenant=\"c\",model=\"m\"} 0.25\n");
}

TEST(MetricFamily, HistogramBucketsAreCumulativeWithInfSumAndCount) {
  FamilySpec s = test_spec("h", MetricKind::histogram, {"tenant"});
  s.buckets = {0.1, 0.5};
  Family f(s);
  for (double v : {0.0625, 0.25, 0.25, 0.75}) f.observe({"a"}, v);
  std::string out;
  f.render(out);
  EXPECT_EQ(out,
            "# HELP h test\n# TYPE h histogram\n"
            "h_bucket{tenant=\"a\",le=\"0.1\"} 1\n"
            "h_bucket{tenant=\"a\",le=\"0.5\"} 3\n"
            "h_bucket{tenant=\"a\",le=\"+Inf\"} 4\n"
            "h_sum{tenant=\"a\"} 1.3125\n"
            "h_count{tenant=\"a\"} 4\n");
}

TEST(MetricFamily, UnlabelledGaugeRendersWithoutBraces) {
  Family f(test_spec("g", MetricKind::gauge, {}));
  f.set({}, 2);
  f.set({}, 1);
  std::string out;
  f.render(out);
  EXPECT_EQ(out, "# HELP g test\n# TYPE g gauge\ng 1\n");
}

TEST(Metrics, EveryFamilyIsListedAndRenderedOnceWithItsOverflowCount) {
  Metrics m;
  m.spend_usd.inc({"acme", "gpt-4o", "qa"}, 0.5);
  const std::string text = m.render({});
  const std::string list = m.list({});
  for (const Family* f : m.families()) {
    EXPECT_NE(list.find("| `" + f->spec().name + "` |"), std::string::npos) << f->spec().name;
    EXPECT_EQ(text.find("# TYPE " + f->spec().name + " "), text.rfind("# TYPE " + f->spec().name + " ")) << f->spec().name;
    EXPECT_NE(text.find("flk_metric_series_overflow_total{family=\"" + f->spec().name + "\"} 0"), std::string::npos);
  }
  EXPECT_NE(text.find("flk_spend_usd_total{tenant=\"acme\",model=\"gpt-4o\",task=\"qa\"} 0.5\n"), std::string::npos);
}

}  // namespace
}  // namespace flk::server
