// The bounds of docs/limits.md that need inputs too large for a golden vector: the parser's value
// budget, the compact value, the total-work checks of anomaly scoring, features and coh*, and the
// output check that keeps non-finite numbers out of every answer. (Bounds a small input reaches
// are golden vectors, so every build is seen to refuse them identically.)
#include <gtest/gtest.h>

#include <fstream>
#include <limits>
#include <sstream>
#include <string>

#include "facade/anomaly_work.h"
#include "facade/engine.h"
#include "facade/hrs_model_json.h"
#include "facade/hrs_registry.h"
#include "json/parse.h"
#include "json/write.h"

using namespace flk;

namespace {

std::string zeros(size_t n) {
  std::string s = "[";
  for (size_t i = 0; i < n; ++i) s += i ? ",0" : "0";
  return s + "]";
}

json::Value matrix(size_t rows, size_t cols) {
  json::Value a = json::Value::array();
  for (size_t i = 0; i < rows; ++i) {
    json::Value r = json::Value::array();
    for (size_t j = 0; j < cols; ++j) r.push(static_cast<double>((i * 7 + j * 3) % 11));
    a.push(std::move(r));
  }
  return a;
}

Error call_err(const char* op, const json::Value& in) {
  Engine e;
  auto r = e.call_value(op, in);
  EXPECT_FALSE(r.ok()) << op << " unexpectedly succeeded";
  return r.ok() ? Error{} : r.error();
}

TEST(Limits, TheParserCountsValues) {
  const size_t max = json::ParseLimits{}.max_values;
  // The array itself is one value: max - 1 elements fit (shown on a small bound), one more does not.
  json::ParseLimits three;
  three.max_values = 3;
  EXPECT_TRUE(json::parse("[0,0]", three).ok());
  EXPECT_EQ(json::parse("[0,0,0]", three).error().path, "$[2]");
  auto over = json::parse(zeros(max));
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, "too_large");
  EXPECT_EQ(over.error().path, "$[" + std::to_string(max - 1) + "]");
  json::ParseLimits small;
  small.max_values = 3;  // object, array, 1
  auto nested = json::parse("{\"a\":[1,2]}", small);
  ASSERT_FALSE(nested.ok());
  EXPECT_EQ(nested.error().path, "$.a[1]");
  small.max_values = 2;  // containers count too
  auto inner = json::parse("{\"a\":[{}]}", small);
  ASSERT_FALSE(inner.ok());
  EXPECT_EQ(inner.error().path, "$.a[0]");
}

TEST(Limits, TheFacadeRefusesAnInputOverTheValueBudget) {
  Engine e;
  const std::string in = "{\"value\":" + zeros(json::ParseLimits{}.max_values) + "}";
  CallOutput out = e.call("json.canonicalize", in);
  EXPECT_FALSE(out.ok);
  EXPECT_NE(out.json.find("\"too_large\""), std::string::npos) << out.json.substr(0, 200);
}

TEST(Limits, AValueIsOnePayloadWide) {
  if (sizeof(void*) == 8) EXPECT_LE(sizeof(json::Value), 40u);
  // Copies are deep; a value assigned from inside itself keeps the inner value.
  json::Value v = json::Value::object();
  v.set("a", json::Value::array().push(1).push("x"));
  json::Value copy = v;
  v.set("a", 2);
  EXPECT_EQ(json::to_string(copy), "{\"a\":[1,\"x\"]}");
  json::Value nest = json::Value::array().push(json::Value::array().push(3));
  nest = nest.as_array()[0];
  EXPECT_EQ(json::to_string(nest), "[3]");
  // Readers of another type answer that type's empty value; writers convert.
  json::Value n;
  EXPECT_TRUE(n.as_array().empty());
  EXPECT_EQ(n.find("k"), nullptr);
  EXPECT_EQ(json::Value(1.5).as_string(), "");
  json::Value s("text");
  s.push(1);
  EXPECT_EQ(json::to_string(s), "[1]");
}

TEST(Limits, ScoringWorkIsBounded) {
  anomaly_json::DetectorShape ae;
  ae.kind = anomaly::DetectorKind::Autoencoder;
  ae.weights = 1u << 20;
  ae.columns = ae.features = 4;
  const uint64_t per_row = anomaly_json::row_work(ae);
  EXPECT_EQ(per_row, (1u << 20) + 4);
  EXPECT_TRUE(anomaly_json::check_scoring(ae, anomaly_json::kMaxWork / per_row, false, "$.rows").ok());
  auto over = anomaly_json::check_scoring(ae, anomaly_json::kMaxWork / per_row + 1, false, "$.rows");
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, "too_large");
  EXPECT_EQ(over.error().path, "$.rows");
  // The vae decodes 1 + vae_samples times per row; a forest walks at most log2(psi) + 1 nodes.
  anomaly_json::DetectorShape vae = ae;
  vae.kind = anomaly::DetectorKind::Vae;
  vae.vae_samples = 7;
  EXPECT_EQ(anomaly_json::row_work(vae), 8 * (uint64_t{1} << 20) + 4);
  anomaly_json::DetectorShape forest;
  forest.kind = anomaly::DetectorKind::IsolationForest;
  forest.trees = 100;
  forest.sample_size = 256;
  EXPECT_EQ(anomaly_json::row_work(forest), 100u * 9);
}

TEST(Limits, FeaturesWrittenAreBounded) {
  // 1025 rows of 1024 columns, 4 features each (value, window deviation and spread, delta):
  // 4,198,400 values out, over 2^22; 1024 rows are exactly 2^22.
  json::Value in = json::Value::object();
  in.set("rows", matrix(1025, 1024)).set("window", 2).set("deltas", true);
  Error e = call_err("anomaly.features", in);
  EXPECT_EQ(e.code, "too_large") << e.message;
  EXPECT_EQ(e.path, "$.rows");
  json::Value fewer = json::Value::object();
  fewer.set("rows", matrix(1024, 1024)).set("window", 2).set("deltas", true);
  Engine eng;
  EXPECT_TRUE(eng.call_value("anomaly.features", fewer).ok());
}

TEST(Limits, ProjectionsOfCoherenceAreBounded) {
  json::Value in = json::Value::object();
  in.set("points", matrix(1000, 100)).set("seed", 1).set("directions", 100000);
  Error e = call_err("signals.coherence", in);
  EXPECT_EQ(e.code, "too_large");
  EXPECT_EQ(e.path, "$.directions");
}

TEST(Limits, HrsModelWeightsAreBounded) {
  std::ifstream f(std::string(FLK_SOURCE_DIR) + "/core/hrs/default_model.json");
  std::stringstream ss;
  ss << f.rdbuf();
  auto model = json::parse(ss.str());
  ASSERT_TRUE(model.ok());
  ASSERT_TRUE(hrs_io::load_model(*model, "$.model", false).ok());  // the shipped model is within
  json::Value bad = *model;
  for (auto& m : bad.as_object())
    if (m.first == "lexical")
      for (auto& l : m.second.as_object())
        if (l.first == "bias") l.second = 1e308;
  auto r = hrs_io::load_model(bad, "$.model", false);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "out_of_range");
  EXPECT_EQ(r.error().path, "$.model.lexical.bias");
}

// The TreeSHAP tables (at most kMaxShapBytes per member) are memory only an explanation needs:
// the first explained score makes them, a score without reasons does not.
TEST(Limits, HrsShapTablesWaitForTheFirstExplainedScore) {
  Engine e;
  auto score = [&e](int reasons) {
    json::Value in = json::Value::object();
    in.set("question", "What is the capital of France?").set("answer", "Paris.").set("reasons", int64_t(reasons));
    return e.call_value("hrs.score", in);
  };
  auto table_bytes = [&e] {
    size_t bytes = 0;
    for (const auto& g : hrs_io::default_model(e).value()->model.gbt) bytes += hrs::shap_table_bytes(g);
    return bytes;
  };
  ASSERT_TRUE(score(0).ok());
  EXPECT_EQ(table_bytes(), 0u);
  auto explained = score(3);
  ASSERT_TRUE(explained.ok());
  EXPECT_EQ(explained->find("reasons")->as_array().size(), 3u);
  const size_t made = table_bytes();
  EXPECT_GT(made, 0u);
  EXPECT_LE(made, hrs_io::default_model(e).value()->model.gbt.size() * hrs::kMaxShapBytes);
  ASSERT_TRUE(score(3).ok());
  EXPECT_EQ(table_bytes(), made) << "made once";
}

TEST(Limits, HrsPrunedBagOfWordsIsStoredAsGapsAndChecked) {
  hrs::Model m;
  m.lexical_bits = 6;
  m.lexical.weight.assign(64, 0);
  m.lexical.weight[3] = 0.5;
  m.lexical.weight[10] = -0.25;
  m.lexical.weight[63] = 1;
  json::Value written = hrs_io::model_json(m, {}, json::Value::object());
  ASSERT_NE(written.find("lexical"), nullptr);
  std::string text;
  ASSERT_TRUE(json::write(*written.find("lexical"), text));
  EXPECT_EQ(text, R"({"bias":0.0,"bits":6,"gaps":[3,7,53],"weights":[0.5,-0.25,1.0]})");

  std::ifstream f(std::string(FLK_SOURCE_DIR) + "/core/hrs/default_model.json");
  std::stringstream ss;
  ss << f.rdbuf();
  auto model = json::parse(ss.str());
  ASSERT_TRUE(model.ok());
  auto loaded = hrs_io::load_model(*model, "$.model", false);
  ASSERT_TRUE(loaded.ok());
  // Written back, the pruned weights give the file's bag of words again.
  json::Value again = hrs_io::model_json(loaded->model, {}, json::Value::object());
  std::string a, b;
  ASSERT_TRUE(json::write(*again.find("lexical"), a));
  ASSERT_TRUE(json::write(*model->find("lexical"), b));
  EXPECT_EQ(a, b);
  auto with_gaps = [&](json::Value gaps) {
    json::Value bad = *model;
    for (auto& e : bad.as_object())
      if (e.first == "lexical")
        for (auto& l : e.second.as_object())
          if (l.first == "gaps") l.second = gaps;
    return hrs_io::load_model(bad, "$.model", false);
  };
  size_t kept = model->find("lexical")->find("weights")->as_array().size();
  json::Value repeat = json::Value::array(), beyond = json::Value::array();
  for (size_t k = 0; k < kept; ++k) {
    repeat.push(k == 1 ? 0 : 1);  // the second bucket repeats the first
    beyond.push(k == 0 ? (1 << 17) - 1 : 1);  // the second bucket is past 2^bits
  }
  auto r = with_gaps(repeat);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "out_of_range");
  EXPECT_EQ(r.error().path, "$.model.lexical.gaps[1]");
  r = with_gaps(beyond);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().path, "$.model.lexical.gaps[1]");
}

TEST(Limits, NoAnswerHoldsANonFiniteNumber) {
  // The found path names the first non-finite number of a result.
  json::Value v = json::Value::object();
  v.set("a", json::Value::array().push(1.0).push(std::numeric_limits<double>::infinity()));
  EXPECT_EQ(json::non_finite_path(v), "$.a[1]");
  EXPECT_EQ(json::non_finite_path(json::Value::array().push(0.5)), "");
  json::Value deep = json::Value::array().push(json::Value::object().set("b", 2.0));
  deep.push(json::Value::object().set("b", 1.0).set("c", json::Value::array().push(3.0).push(v)));
  EXPECT_EQ(json::non_finite_path(deep, "$.out"), "$.out[1].c[1].a[1]");
  std::string out;
  EXPECT_FALSE(json::write(v, out));  // the canonical writer refuses
}

}  // namespace
