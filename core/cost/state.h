// What the cost ops keep between calls, one per Engine: the active price catalog (the shipped
// default until one is loaded). Plain data with no clock or randomness, so a sequence of calls
// gives the same answers in every build.
#pragma once
#include <optional>

#include "cost/catalog.h"

namespace flk::cost {

class State {
 public:
  const Catalog& catalog() const;
  void set_catalog(Catalog c) { catalog_ = std::move(c); }
  void reset_catalog() { catalog_.reset(); }

 private:
  std::optional<Catalog> catalog_;
};

}  // namespace flk::cost
