#include "facade/routing_cache.h"

#include "facade/policy_input.h"

namespace flk {
namespace {

struct RoutingCache : AreaState {
  std::vector<std::unique_ptr<CompiledRouting>> entries;
  size_t next = 0;  // the entry a miss replaces once the cache is full
};

}  // namespace

Result<const CompiledRouting*> compiled_routing(Engine& e, const json::Value& doc, const std::string& path) {
  RoutingCache& cache = e.area_state<RoutingCache>("routing_cache");
  for (const auto& c : cache.entries)
    if (c->path == path && json::equal(c->bundle.doc, doc)) return static_cast<const CompiledRouting*>(c.get());
  FLK_ASSIGN(policy::Bundle b, policy_io::load(doc, path));
  if (b.kind != "RiskRoutingPolicy")
    return make_error("out_of_range", path + ".kind must be RiskRoutingPolicy", path + ".kind");
  FLK_ASSIGN(policy::Router router, policy::Router::make(b, path));
  auto entry = std::make_unique<CompiledRouting>(CompiledRouting{path, std::move(b), std::move(router)});
  const CompiledRouting* out = entry.get();
  if (cache.entries.size() < kRoutingCacheEntries) {
    cache.entries.push_back(std::move(entry));
  } else {
    cache.entries[cache.next] = std::move(entry);
    cache.next = (cache.next + 1) % kRoutingCacheEntries;
  }
  return out;
}

}  // namespace flk
