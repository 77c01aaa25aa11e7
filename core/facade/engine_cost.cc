// The Engine's cost state is an area state like any other; only this file sees core/cost.
#include "cost/state.h"
#include "facade/engine.h"

namespace flk {
namespace {

struct CostArea : AreaState {
  cost::State state;
};

}  // namespace

cost::State& Engine::cost() { return area_state<CostArea>("cost").state; }

}  // namespace flk
