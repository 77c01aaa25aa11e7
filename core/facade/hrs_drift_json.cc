#include "facade/hrs_drift_json.h"

#include "hrs/metrics.h"

namespace flk::hrs_io {

json::Value drift_json(const hrs::DriftStat& d) {
  json::Value o = json::Value::object();
  o.set("ks", d.ks).set("ks_p", d.ks_p).set("psi", d.psi).set("psi_level", d.level).set("drift", d.drift);
  return o;
}

json::Value auroc_drop_json(double cv_auroc, const std::vector<double>& prob, const std::vector<int>& label) {
  json::Value auc = json::Value::object();
  const double now = hrs::auroc(prob, label);
  auc.set("auroc", now);
  if (cv_auroc >= 0) auc.set("baseline_auroc", cv_auroc).set("drop", cv_auroc - now).set("alert", cv_auroc - now > hrs::kAucDropAlert);
  return auc;
}

}  // namespace flk::hrs_io
