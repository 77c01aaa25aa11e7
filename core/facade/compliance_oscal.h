// An OSCAL 1.1.2 assessment-results document for a compliance report: one result for the
// period, one observation per control with its evidence, one finding per control whose state is
// "satisfied" only when the control is fully evidenced. UUIDs are derived from the report's
// SHA-256, so the same report gives the same document.
#pragma once
#include "compliance/report.h"
#include "json/value.h"

namespace flk {

json::Value oscal_assessment_results(const compliance::Report& r, const json::Value& report_json);

}  // namespace flk
