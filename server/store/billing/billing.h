// The billing area: billing exports (FOCUS / CUR CSV) uploaded per tenant, stored once per
// content digest (billing_uploads).
#pragma once
#include <string>
#include <vector>

#include "store/area.h"
#include "store/store.h"

namespace flk::server {

struct BillingUpload {
  std::string tenant, upload_id;  // upload_id: SHA-256 hex of the CSV
  int64_t created_ms = 0;
  std::string format;  // the import's format option: auto | focus | cur
  std::string csv;
  std::string summary;  // cost.billing.import's summary, JSON
};

// Stores the upload unless the tenant has one with its id (won: stored). Not journaled: commits durably.
class BillingWrite final : public Write {
 public:
  const WriteType& type() const override;
  BillingUpload upload;
};

namespace billing {

extern const Area kArea;

Result<std::vector<BillingUpload>> uploads(Store& store, const std::string& tenant);

}  // namespace billing
}  // namespace flk::server
