#include "store/billing/billing.h"

namespace flk::server {
namespace billing {

const Area kArea{
    "billing",
    {{1,
      {"CREATE TABLE IF NOT EXISTS billing_uploads (tenant TEXT NOT NULL, upload_id TEXT NOT NULL, created_ms BIGINT NOT "
       "NULL, format TEXT NOT NULL, csv TEXT NOT NULL, summary TEXT NOT NULL, PRIMARY KEY (tenant, upload_id))"}}}};

namespace {

Status apply_uploads(Tx& tx, const std::vector<Write*>& run) {
  for (Write* w : run) {
    auto& b = static_cast<BillingWrite&>(*w);
    const BillingUpload& u = b.upload;
    FLK_ASSIGN(int64_t n, tx.exec("INSERT INTO billing_uploads (tenant, upload_id, created_ms, format, csv, summary) "
                                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (tenant, upload_id) DO NOTHING",
                                  {u.tenant, u.upload_id, u.created_ms, u.format, u.csv, u.summary}));
    b.won = n > 0;
  }
  return Ok{};
}

const WriteType kType{"billing_upload", true, apply_uploads};

}  // namespace

Result<std::vector<BillingUpload>> uploads(Store& store, const std::string& tenant) {
  std::vector<BillingUpload> out;
  FLK_TRY(store.read([&](Tx& tx) -> Status {
    const std::string sql = std::string("SELECT upload_id, created_ms, format, csv, summary FROM billing_uploads WHERE "
                                        "tenant = ?1 ORDER BY created_ms, upload_id") + tx.binary_order();
    FLK_TRY(tx.exec(sql.c_str(), {tenant}, [&](const Row& r) {
      out.push_back(BillingUpload{tenant, r.text(0), r.integer(1), r.text(2), r.text(3), r.text(4)});
    }));
    return Ok{};
  }));
  return out;
}

}  // namespace billing

const WriteType& BillingWrite::type() const { return billing::kType; }

}  // namespace flk::server
