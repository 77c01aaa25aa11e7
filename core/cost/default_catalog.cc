#include "cost/default_catalog.h"

#include "cost/catalog_json.h"
#include "json/parse.h"

namespace flk::cost {

const char* default_catalog_json() {
  static const char kText[] =
#include "cost/default_catalog.inc"
      ;
  return kText;
}

const Catalog& default_catalog() {
  static const Catalog c = [] {
    auto doc = json::parse(default_catalog_json());
    auto cat = doc.ok() ? catalog_from_json(*doc, "$default_catalog") : Result<Catalog>(doc.error());
    // The file is generated and checked by the test suite; an invalid one is a build defect.
    return cat.ok() ? std::move(*cat) : Catalog{};
  }();
  return c;
}

}  // namespace flk::cost
