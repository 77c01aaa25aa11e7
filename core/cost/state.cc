#include "cost/state.h"

#include "cost/default_catalog.h"

namespace flk::cost {

const Catalog& State::catalog() const { return catalog_ ? *catalog_ : default_catalog(); }

}  // namespace flk::cost
