#include "cost/ledger.h"

#include <algorithm>
#include <map>

#include "util/civil_time.h"

namespace flk::cost {
namespace {

// FNV-1a over the event's content, to tell a repeated delivery from a different event that
// reuses an id.
struct Fnv {
  uint64_t h = 1469598103934665603ull;
  void bytes(const void* p, size_t n) {
    const auto* b = static_cast<const unsigned char*>(p);
    for (size_t i = 0; i < n; ++i) h = (h ^ b[i]) * 1099511628211ull;
  }
  void str(const std::string& s) {
    uint64_t n = s.size();
    bytes(&n, sizeof n);
    bytes(s.data(), s.size());
  }
  void i64(int64_t v) { bytes(&v, sizeof v); }
};

uint64_t fingerprint(const LedgerEvent& e, const Labels& sorted) {
  Fnv f;
  f.i64(e.timestamp_ms);
  f.str(e.tenant);
  f.str(e.provider);
  f.str(e.model);
  f.str(e.task);
  for (const auto& kv : sorted) {
    f.str(kv.first);
    f.str(kv.second);
  }
  f.i64(e.verified);
  for (Nanos c : e.cost) f.i64(c);
  for (int64_t q : e.quantity) f.i64(q);
  return f.h;
}

std::string labels_key(const Labels& sorted) {
  std::string k;
  for (const auto& kv : sorted) {
    k += kv.first;
    k += '\x1f';
    k += kv.second;
    k += '\x1e';
  }
  return k;
}

}  // namespace

const char* ledger_dim_name(int i) {
  static const char* const kResource[] = {"compute", "storage", "network", "anchoring"};
  return i < kDimCount ? dim_name(static_cast<Dim>(i)) : kResource[i - kDimCount];
}

Nanos Totals::total() const {
  Nanos t = 0;
  for (Nanos c : cost) t += c;  // bounded: add() refuses sums that overflow any component
  return t;
}

bool Totals::add(const Totals& o) {
  Totals next = *this;
  for (int i = 0; i < kLedgerDims; ++i)
    if (__builtin_add_overflow(next.cost[i], o.cost[i], &next.cost[i])) return false;
  for (int i = 0; i < kDimCount; ++i)
    if (__builtin_add_overflow(next.quantity[i], o.quantity[i], &next.quantity[i])) return false;
  next.events += o.events;
  next.trusted += o.trusted;
  Nanos t = 0;
  for (Nanos c : next.cost)
    if (__builtin_add_overflow(t, c, &t)) return false;
  *this = next;
  return true;
}

const char* recorded_name(Recorded r) {
  switch (r) {
    case Recorded::recorded: return "recorded";
    case Recorded::duplicate: return "duplicate";
    case Recorded::conflict: return "conflict";
  }
  return "recorded";
}

std::optional<GroupKey> group_key_from_name(const std::string& name) {
  static const std::pair<const char*, GroupBy> kNames[] = {{"tenant", GroupBy::tenant}, {"provider", GroupBy::provider},
                                                           {"model", GroupBy::model},   {"task", GroupBy::task},
                                                           {"day", GroupBy::day},       {"month", GroupBy::month}};
  for (const auto& n : kNames)
    if (name == n.first) return GroupKey{n.second, {}};
  if (name.rfind("label:", 0) == 0 && name.size() > 6) return GroupKey{GroupBy::label, name.substr(6)};
  return std::nullopt;
}

size_t Ledger::CellHash::operator()(const CellKey& k) const {
  uint64_t h = k.tenant;
  h = h * 0x9E3779B97F4A7C15ull + k.provider;
  h = h * 0x9E3779B97F4A7C15ull + k.model;
  h = h * 0x9E3779B97F4A7C15ull + k.task;
  h = h * 0x9E3779B97F4A7C15ull + k.labels;
  h = h * 0x9E3779B97F4A7C15ull + static_cast<uint32_t>(k.day);
  return static_cast<size_t>(h ^ (h >> 29));
}

uint32_t Ledger::Interner::id(const std::string& s) {
  auto it = ids.find(s);
  if (it != ids.end()) return it->second;
  uint32_t id = static_cast<uint32_t>(names.size());
  ids.emplace(s, id);
  names.push_back(s);
  return id;
}

std::optional<uint32_t> Ledger::Interner::find(const std::string& s) const {
  auto it = ids.find(s);
  if (it == ids.end()) return std::nullopt;
  return it->second;
}

Result<Recorded> Ledger::record(const LedgerEvent& e) {
  Labels sorted = e.labels;
  std::sort(sorted.begin(), sorted.end());
  uint64_t fp = fingerprint(e, sorted);
  auto ins = seen_.emplace(e.event_id, fp);
  if (!ins.second) return ins.first->second == fp ? Recorded::duplicate : Recorded::conflict;
  Totals t;
  t.cost = e.cost;
  t.quantity = e.quantity;
  t.events = 1;
  t.trusted = e.verified ? 1 : 0;
  std::string lk = labels_key(sorted);
  uint32_t lid = label_sets_.id(lk);
  if (lid == label_values_.size()) label_values_.push_back(sorted);
  CellKey k{tenants_.id(e.tenant), providers_.id(e.provider), models_.id(e.model), tasks_.id(e.task), lid,
            static_cast<int32_t>(floor_div(e.timestamp_ms, kMsPerDay))};
  Totals& cell = cells_[k];
  if (!cell.add(t)) {
    seen_.erase(ins.first);
    return make_error("out_of_range", "ledger totals exceed the money range");
  }
  return Recorded::recorded;
}

bool Ledger::matches(const CellKey& k, const Filter& f) const {
  if (k.day < f.from_day || k.day >= f.to_day) return false;
  if (f.tenant && tenants_.names[k.tenant] != *f.tenant) return false;
  if (f.provider && providers_.names[k.provider] != *f.provider) return false;
  if (f.model && models_.names[k.model] != *f.model) return false;
  if (f.task && tasks_.names[k.task] != *f.task) return false;
  const Labels& have = label_values_[k.labels];
  for (const auto& want : f.labels)
    if (std::find(have.begin(), have.end(), want) == have.end()) return false;
  return true;
}

std::vector<Row> Ledger::query(const std::vector<GroupKey>& group_by, const Filter& f) const {
  std::map<std::vector<std::string>, Totals> groups;
  for (const auto& kv : cells_) {
    const CellKey& k = kv.first;
    if (!matches(k, f)) continue;
    std::vector<std::string> key;
    key.reserve(group_by.size());
    for (const GroupKey& g : group_by) {
      switch (g.by) {
        case GroupBy::tenant: key.push_back(tenants_.names[k.tenant]); break;
        case GroupBy::provider: key.push_back(providers_.names[k.provider]); break;
        case GroupBy::model: key.push_back(models_.names[k.model]); break;
        case GroupBy::task: key.push_back(tasks_.names[k.task]); break;
        case GroupBy::day: key.push_back(format_date(k.day)); break;
        case GroupBy::month: key.push_back(format_month(k.day)); break;
        case GroupBy::label: {
          std::string v;
          for (const auto& l : label_values_[k.labels])
            if (l.first == g.label) v = l.second;
          key.push_back(v);
          break;
        }
      }
    }
    groups[key].add(kv.second);  // cannot overflow: each cell was checked and groups sum fewer events
  }
  std::vector<Row> rows;
  rows.reserve(groups.size());
  for (auto& g : groups) rows.push_back({g.first, g.second});
  return rows;
}

Totals Ledger::total(const Filter& f) const {
  Totals t;
  for (const auto& kv : cells_)
    if (matches(kv.first, f)) t.add(kv.second);
  return t;
}

std::vector<Nanos> Ledger::daily(const Filter& f, int32_t from_day, int32_t to_day) const {
  std::vector<Nanos> out(to_day > from_day ? static_cast<size_t>(to_day - from_day) : 0, 0);
  for (const auto& kv : cells_) {
    const CellKey& k = kv.first;
    if (k.day < from_day || k.day >= to_day || !matches(k, f)) continue;
    out[static_cast<size_t>(k.day - from_day)] += kv.second.total();
  }
  return out;
}

std::optional<std::pair<int32_t, int32_t>> Ledger::day_span(const Filter& f) const {
  std::optional<std::pair<int32_t, int32_t>> span;
  for (const auto& kv : cells_) {
    if (!matches(kv.first, f)) continue;
    int32_t d = kv.first.day;
    if (!span) span = std::make_pair(d, d);
    span->first = std::min(span->first, d);
    span->second = std::max(span->second, d);
  }
  return span;
}

void Ledger::clear() { *this = Ledger(); }

void add_resource_cost(LedgerEvent& e, const ResourceCost& c) {
  e.cost[static_cast<int>(ResourceDim::compute)] += c.compute;
  e.cost[static_cast<int>(ResourceDim::storage)] += c.storage;
  e.cost[static_cast<int>(ResourceDim::network)] += c.network;
  e.cost[static_cast<int>(ResourceDim::anchoring)] += c.anchoring;
}

}  // namespace flk::cost
