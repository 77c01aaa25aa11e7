// The JSON of the scorer's drift checks, shared by hrs.drift (features and logit of examples it
// scores) and hrs.eval_scores (stored scores and their labels).
#pragma once
#include <vector>

#include "hrs/drift.h"
#include "json/value.h"

namespace flk::hrs_io {

// {ks, ks_p, psi, psi_level, drift}
json::Value drift_json(const hrs::DriftStat& d);
// {auroc, baseline_auroc?, drop?, alert?}: the AUROC of these scores against the model's
// cross-validated one (cv_auroc < 0: the model has none).
json::Value auroc_drop_json(double cv_auroc, const std::vector<double>& prob, const std::vector<int>& label);

}  // namespace flk::hrs_io
