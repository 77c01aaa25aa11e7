// What the cost ops keep between calls, one per Engine: the active price catalog (the shipped
// default until one is loaded), the ledger, imported billing charges and a billing import in
// progress. Plain data with no clock or randomness, so a sequence of calls gives the same answers
// in every build.
#pragma once
#include <memory>
#include <optional>

#include "cost/billing.h"
#include "cost/catalog.h"
#include "cost/ledger.h"

namespace flk::cost {

class State {
 public:
  const Catalog& catalog() const;
  void set_catalog(Catalog c) { catalog_ = std::move(c); }
  void reset_catalog() { catalog_.reset(); }

  Ledger ledger;
  BillingBook billing;
  std::unique_ptr<BillingImporter> import;  // between cost.billing.begin and .end

 private:
  std::optional<Catalog> catalog_;
};

}  // namespace flk::cost
