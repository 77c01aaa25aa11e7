// Stores for the server's tests: a fresh SQLite file in a temporary directory, or a fresh
// database in the PostgreSQL cluster that the ctest fixture started (FLK_TEST_PG_URL_FILE).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "store/anomaly/anomaly.h"
#include "store/audit/audit.h"
#include "store/billing/billing.h"
#include "store/pcs/pcs.h"
#include "store/store.h"
#include "store/tenants/tenants.h"
#include "store/usage/usage.h"

namespace flk::server::testing {

// A new empty directory under /tmp, removed by the returned guard.
struct TempDir {
  TempDir();
  ~TempDir();
  std::string path;
};

// The URL of a new, empty database in the test cluster ("" with a reason when there is none).
std::string fresh_postgres_url(std::string* why);

// kind: "sqlite" or "postgres". Opens a fresh store; sqlite files go under dir.
std::unique_ptr<Store> fresh_store(const std::string& kind, const TempDir& dir, std::string* url = nullptr);
// A second store instance on the database at url (another server) for PostgreSQL; nullptr for
// SQLite, whose lock file admits one server per file.
std::unique_ptr<Store> second_instance(const std::string& kind, const std::string& url);

// A verdict write with its audit draft, as the PCS pipeline makes one.
VerdictWrite verdict(const std::string& tenant, const std::string& id, int status, const std::string& body,
                     int64_t now = 1000, int64_t ttl = 1000);

// Writes of any types, applied as one batch in the order they were added.
class Batch {
 public:
  template <typename W>
  W& add(W w) {
    auto p = std::make_unique<W>(std::move(w));
    W& ref = *p;
    writes_.push_back(std::move(p));
    return ref;
  }
  Status apply(Store& store);
  size_t size() const { return writes_.size(); }
  Write& operator[](size_t i) { return *writes_[i]; }

 private:
  std::vector<std::unique_ptr<Write>> writes_;
};

// Every audit entry, oldest first.
std::vector<std::string> all_entries(Store& store);

}  // namespace flk::server::testing
