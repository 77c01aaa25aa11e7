// The anomaly ops through the facade: resumed training equals one run, a stream scored in
// chunks equals one call, and malformed series get typed errors with paths.
#include <gtest/gtest.h>

#include "facade/engine.h"
#include "json/parse.h"
#include "json/write.h"
#include "util/seeded_rng.h"

using namespace flk;

namespace {

json::Value call_ok(Engine& e, const char* op, const json::Value& in) {
  auto r = e.call_value(op, in);
  EXPECT_TRUE(r.ok()) << op << ": " << (r.ok() ? "" : r.error().code + " " + r.error().message);
  return r.ok() ? r.value() : json::Value();
}

Error call_err(Engine& e, const char* op, const json::Value& in) {
  auto r = e.call_value(op, in);
  EXPECT_FALSE(r.ok()) << op << " unexpectedly succeeded";
  return r.ok() ? Error{} : r.error();
}

json::Value rows(int n, int d, uint64_t seed) {
  SeededRng rng(seed);
  json::Value a = json::Value::array();
  for (int i = 0; i < n; ++i) {
    json::Value r = json::Value::array();
    const double base = rng.normal();
    for (int j = 0; j < d; ++j) r.push(base * (j + 1) + 0.1 * rng.normal());
    a.push(std::move(r));
  }
  return a;
}

json::Value times(int n, double step) {
  json::Value a = json::Value::array();
  for (int i = 0; i < n; ++i) a.push(1000.0 + step * i);
  return a;
}

json::Value obj(std::initializer_list<std::pair<const char*, json::Value>> kv) {
  json::Value o = json::Value::object();
  for (const auto& p : kv) o.set(p.first, p.second);
  return o;
}

}  // namespace

TEST(AnomalyFacade, ResumedTrainingEqualsOneRun) {
  Engine e;
  for (const char* det : {"ae", "vae"}) {
    const json::Value data = rows(300, 4, 1);
    json::Value one = obj({{"rows", data}, {"detector", det}, {"window", 4}, {"epochs", 4}, {"seed", 3}});
    const json::Value whole = call_ok(e, "anomaly.fit", one);
    json::Value first = obj({{"rows", data}, {"detector", det}, {"window", 4}, {"epochs", 2}, {"seed", 3},
                             {"keep_optimizer", true}});
    json::Value part = call_ok(e, "anomaly.fit", first);
    json::Value second = obj({{"rows", data}, {"epochs", 2}, {"resume", *part.find("model")}});
    const json::Value rest = call_ok(e, "anomaly.fit", second);
    EXPECT_EQ(json::to_string(*rest.find("model")), json::to_string(*whole.find("model"))) << det;
    // Resuming on other rows is refused.
    json::Value other = obj({{"rows", rows(300, 4, 2)}, {"epochs", 1}, {"resume", *part.find("model")}});
    EXPECT_EQ(call_err(e, "anomaly.fit", other).code, "conflicting_fields");
    // A resumed fit cannot change what the model fixes.
    json::Value conflict = obj({{"rows", data}, {"window", 8}, {"resume", *part.find("model")}});
    EXPECT_EQ(call_err(e, "anomaly.fit", conflict).path, "$.window");
  }
}

TEST(AnomalyFacade, ChunkedStreamEqualsOneCall) {
  Engine e;
  for (const char* det : {"ae", "vae", "iforest", "zscore"}) {
    json::Value fit_in = obj({{"rows", rows(400, 3, 5)}, {"times", times(400, 60)}, {"detector", det},
                              {"window", 8}, {"deltas", true}, {"rates", true}, {"epochs", 3}, {"smooth", 3}});
    const json::Value model = *call_ok(e, "anomaly.fit", fit_in).find("model");
    const json::Value test = rows(50, 3, 6);
    const json::Value t = times(50, 60);
    const json::Value all =
        call_ok(e, "anomaly.score", obj({{"model", model}, {"rows", test}, {"times", t}, {"mode", "blocking"}}));
    json::Value a = json::Value::array(), b = json::Value::array(), ta = json::Value::array(), tb = json::Value::array();
    for (int i = 0; i < 50; ++i) {
      (i < 17 ? a : b).push(test.as_array()[i]);
      (i < 17 ? ta : tb).push(t.as_array()[i]);
    }
    const json::Value p1 = call_ok(e, "anomaly.score", obj({{"model", model}, {"rows", a}, {"times", ta}}));
    const json::Value p2 = call_ok(e, "anomaly.score",
                                   obj({{"model", model}, {"rows", b}, {"times", tb}, {"state", *p1.find("state")}}));
    std::vector<std::string> joined;
    for (const auto* p : {&p1, &p2})
      for (const auto& s : p->find("scores")->as_array()) joined.push_back(json::to_string(s));
    ASSERT_EQ(joined.size(), 50u);
    for (int i = 0; i < 50; ++i) EXPECT_EQ(joined[i], json::to_string(all.find("scores")->as_array()[i])) << det;
    EXPECT_EQ(json::to_string(*p2.find("state")), json::to_string(*all.find("state")));
    EXPECT_EQ(all.find("decisions")->as_array().size(), 50u);
    // The stream continues in time: a chunk that starts before the state's last time is refused.
    const Error err = call_err(e, "anomaly.score",
                               obj({{"model", model}, {"rows", b}, {"times", tb},
                                    {"state", *p2.find("state")}}));
    EXPECT_EQ(err.code, "unsorted_timestamps");
    EXPECT_EQ(err.path, "$.times[0]");
  }
}

TEST(AnomalyFacade, MalformedSeriesGetTypedErrors) {
  Engine e;
  json::Value bad_width = rows(20, 3, 1);
  bad_width.as_array()[7].as_array().pop_back();
  Error err = call_err(e, "anomaly.fit", obj({{"rows", bad_width}}));
  EXPECT_EQ(err.code, "bad_length");
  EXPECT_EQ(err.path, "$.rows[7]");

  json::Value t = times(20, 60);
  t.as_array()[5] = t.as_array()[4];
  err = call_err(e, "anomaly.fit", obj({{"rows", rows(20, 3, 1)}, {"times", t}}));
  EXPECT_EQ(err.code, "duplicate_timestamp");
  EXPECT_EQ(err.path, "$.times[5]");
  t.as_array()[5] = json::Value(10.0);
  err = call_err(e, "anomaly.fit", obj({{"rows", rows(20, 3, 1)}, {"times", t}}));
  EXPECT_EQ(err.code, "unsorted_timestamps");
  // order "keep" accepts the series as it is.
  call_ok(e, "anomaly.fit", obj({{"rows", rows(20, 3, 1)}, {"times", t}, {"order", "keep"}, {"epochs", 1}}));

  err = call_err(e, "anomaly.fit", obj({{"rows", rows(20, 3, 1)}, {"rates", true}}));
  EXPECT_EQ(err.code, "missing_field");
  EXPECT_EQ(err.path, "$.times");

  json::Value texty = rows(20, 3, 1);
  texty.as_array()[2].as_array()[1] = json::Value("1.5");
  err = call_err(e, "anomaly.fit", obj({{"rows", texty}}));
  EXPECT_EQ(err.code, "wrong_type");
  EXPECT_EQ(err.path, "$.rows[2][1]");

  err = call_err(e, "anomaly.fit", obj({{"rows", rows(1, 3, 1)}}));
  EXPECT_EQ(err.code, "bad_length");
  err = call_err(e, "anomaly.fit", obj({{"rows", rows(20, 3, 1)}, {"detector", "zscore"}, {"window", 0}}));
  EXPECT_EQ(err.path, "$.window");
  err = call_err(e, "anomaly.fit", obj({{"rows", rows(20, 3, 1)}, {"Epochs", 3}}));
  EXPECT_EQ(err.code, "unknown_field");

  // Gaps (null) are filled and counted; a model refuses rows of another width.
  const json::Value model =
      *call_ok(e, "anomaly.fit", obj({{"rows", rows(100, 3, 1)}, {"detector", "iforest"}})).find("model");
  json::Value gappy = rows(5, 3, 2);
  gappy.as_array()[1].as_array()[0] = json::Value();
  gappy.as_array()[3].as_array()[2] = json::Value();
  EXPECT_EQ(call_ok(e, "anomaly.score", obj({{"model", model}, {"rows", gappy}})).find("filled")->as_int(), 2);
  err = call_err(e, "anomaly.score", obj({{"model", model}, {"rows", rows(5, 4, 2)}}));
  EXPECT_EQ(err.code, "bad_length");
  EXPECT_EQ(err.path, "$.rows[0]");
  json::Value names = json::Value::array();
  for (const char* n : {"a", "b", "c"}) names.push(n);
  err = call_err(e, "anomaly.score", obj({{"model", model}, {"rows", gappy}, {"columns", names}}));
  EXPECT_EQ(err.code, "conflicting_fields");
}

TEST(AnomalyFacade, TamperedModelsAreRejected) {
  Engine e;
  json::Value model =
      *call_ok(e, "anomaly.fit", obj({{"rows", rows(100, 3, 1)}, {"detector", "iforest"}, {"trees", 3}})).find("model");
  json::Value bad = model;
  for (auto& m : bad.as_object())
    if (m.first == "forest")
      for (auto& t : m.second.as_object())
        if (t.first == "trees")
          for (auto& f : t.second.as_array()[0].as_object())
            if (f.first == "left") f.second.as_array()[0] = json::Value(0);  // a cycle at the root
  Error err = call_err(e, "anomaly.score", obj({{"model", bad}, {"rows", rows(2, 3, 1)}}));
  EXPECT_EQ(err.code, "out_of_range");
  EXPECT_EQ(err.path, "$.model.forest.trees[0].left[0]");

  json::Value ae = *call_ok(e, "anomaly.fit", obj({{"rows", rows(100, 3, 1)}, {"epochs", 1}})).find("model");
  for (auto& m : ae.as_object())
    if (m.first == "scaler")
      for (auto& f : m.second.as_object())
        if (f.first == "scale") f.second.as_array()[1] = json::Value(0.0);
  err = call_err(e, "anomaly.score", obj({{"model", ae}, {"rows", rows(2, 3, 1)}}));
  EXPECT_EQ(err.code, "out_of_range");
  EXPECT_EQ(err.path, "$.model.scaler.scale[1]");
}

TEST(AnomalyFacade, FeedbackStateRoundTrips) {
  Engine e;
  json::Value items = json::Value::array();
  for (int i = 0; i < 6; ++i)
    items.push(obj({{"id", "e" + std::to_string(i)}, {"score", 0.1 * i + 0.3}, {"label", i >= 4 ? "anomaly" : "normal"}}));
  json::Value first = call_ok(e, "anomaly.feedback", obj({{"items", items}, {"reoptimise_every", 6}, {"min_items", 6},
                                                          {"max_fpr", 0.0}, {"min_tpr", 1.0}}));
  EXPECT_TRUE(first.find("swept")->as_bool());
  EXPECT_EQ(first.find("threshold")->as_double(), 0.7);
  json::Value again = call_ok(e, "anomaly.feedback", obj({{"items", items}, {"state", *first.find("state")}}));
  EXPECT_EQ(again.find("unchanged")->as_int(), 6);
  EXPECT_EQ(json::to_string(*again.find("state")), json::to_string(*first.find("state")));
  Error err = call_err(e, "anomaly.feedback", obj({{"items", items}, {"state", *first.find("state")}, {"threshold", 0.5}}));
  EXPECT_EQ(err.code, "conflicting_fields");
}
