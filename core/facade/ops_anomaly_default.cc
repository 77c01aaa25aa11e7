// anomaly.default_model: the model of core/facade/anomaly_default_model.cc, so every build and
// host (the server, the npm package, edge modules) scores with the same default.
#include "facade/anomaly_default_model.h"
#include "facade/ops_anomaly.h"
#include "json/fields.h"
#include "json/parse.h"

namespace flk {
namespace {

Result<json::Value> op_default_model(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_TRY(r.finish());
  FLK_ASSIGN(json::Value model, json::parse(anomaly_default_model_json()));
  json::Value out = json::Value::object();
  out.set("model", std::move(model));
  return out;
}

}  // namespace

void add_anomaly_default_ops(std::vector<OpSpec>& t) {
  t.push_back({"anomaly.default_model",
               "The model to score single-value series with until one is fitted on their own data: the rolling "
               "z-score detector fitted on real NAB data (the median calibration of 32 real series).",
               "{}", "{ model: object }", op_default_model});
}

}  // namespace flk
