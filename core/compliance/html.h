// The report as one self-contained HTML page (inline CSS, no scripts, no external resources),
// written from the report alone so re-rendering gives the same bytes.
#pragma once
#include <string>

#include "compliance/report.h"

namespace flk::compliance {

std::string to_html(const Report& r);

}  // namespace flk::compliance
