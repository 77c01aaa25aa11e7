#include "ensemble/cascade.h"

#include "util/stable_order.h"

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
  return stable_order(
      cost.size(),
      [](const void* c, size_t a, size_t b) {
        const auto& v = *static_cast<const std::vector<uint64_t>*>(c);
        return v[a] < v[b];
      },
      &cost);
}

}  // namespace flk::ensemble
