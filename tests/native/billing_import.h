// Imports CSV text through a BillingImporter fed in pieces of `piece` bytes (0: all at once).
#pragma once
#include <string>
#include <string_view>

#include "cost/billing.h"

namespace flk::test {

inline Result<cost::ImportSummary> import_billing(const std::string& text, size_t piece = 0, cost::BillingOptions opt = {}) {
  cost::BillingImporter imp(opt);
  if (piece == 0) piece = text.size() + 1;
  for (size_t i = 0; i < text.size(); i += piece) FLK_TRY(imp.feed(std::string_view(text).substr(i, piece)));
  FLK_TRY(imp.finish());
  return imp.take();
}

}  // namespace flk::test
