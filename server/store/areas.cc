// The one registration list of store areas (store/area.h).
#include "store/adaptive/adaptive.h"
#include "store/anomaly/anomaly.h"
#include "store/audit/audit.h"
#include "store/billing/billing.h"
#include "store/canary/canary.h"
#include "store/pcs/pcs.h"
#include "store/policies/policies.h"
#include "store/tenants/tenants.h"
#include "store/usage/usage.h"
#include "store/verify/verify.h"

namespace flk::server {

const std::vector<const Area*>& areas() {
  static const std::vector<const Area*> list = {&audit::kArea, &tenants::kArea,  &pcs::kArea,
                                                &usage::kArea, &billing::kArea, &anomaly::kArea,
                                                &policies::kArea, &verify::kArea, &canary::kArea,
                                                &adaptive::kArea};
  return list;
}

}  // namespace flk::server
