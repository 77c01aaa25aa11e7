// The Engine's cost state lives behind a pointer so engine.h stays free of core/cost headers.
#include "cost/state.h"
#include "facade/engine.h"

namespace flk {

void Engine::CostStateDeleter::operator()(cost::State* s) const { delete s; }

cost::State& Engine::cost() {
  if (!cost_) cost_.reset(new cost::State());
  return *cost_;
}

}  // namespace flk
