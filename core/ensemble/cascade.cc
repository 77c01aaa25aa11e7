#include "ensemble/cascade.h"

#include <algorithm>
#include <numeric>

namespace flk::ensemble {

bool settled(const std::vector<Vote>& votes, int remaining, const Policy& p) {
  Policy q = p;
  q.method = Method::kNofM;
  Verdict v = combine(votes, q, Stacker{});
  for (const Failure& f : v.failures)
    if (f.mode == FailMode::kFailClosed) return true;  // reject, whatever comes
  if (v.counted + remaining < p.n) return true;       // the quorum is out of reach: escalate
  if (v.passes >= p.n && v.flags + remaining < p.n) return true;
  return v.flags >= p.n && v.passes + remaining < p.n;
}

std::vector<size_t> cheapest_first(const std::vector<uint64_t>& cost) {
  std::vector<size_t> order(cost.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return cost[a] < cost[b]; });
  return order;
}

}  // namespace flk::ensemble
