#include "cost/ledger.h"

#include <algorithm>
#include <map>

#include "util/civil_time.h"

namespace flk::cost {
namespace {

// A hash of the event's content, to tell a repeated delivery from a different event that reuses
// an id.
uint64_t str_hash(const std::string& s) { return hash_bytes(s.data(), s.size()); }

uint64_t labels_hash(const Labels& sorted) {
  uint64_t h = sorted.size();
  for (const auto& kv : sorted) h = hash_mix(hash_mix(h, str_hash(kv.first)), str_hash(kv.second));
  return h;
}

// Over the interned names (the same strings give the same ids within one ledger, which is all a
// fingerprint is compared across) and the amounts.
uint64_t fingerprint(const LedgerEvent& e, const uint32_t* names, size_t n) {
  uint64_t h = hash_mix(static_cast<uint64_t>(e.timestamp_ms), e.verified);
  for (size_t i = 0; i < n; ++i) h = hash_mix(h, names[i]);
  // Most dimensions are zero: mix the others with their position.
  for (int i = 0; i < kLedgerDims; ++i)
    if (e.cost[i]) h = hash_mix(h ^ (static_cast<uint64_t>(i) << 58), static_cast<uint64_t>(e.cost[i]));
  for (int i = 0; i < kDimCount; ++i)
    if (e.quantity[i]) h = hash_mix(h ^ (static_cast<uint64_t>(i + 32) << 58), static_cast<uint64_t>(e.quantity[i]));
  return h;
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
  // Every sum is checked, the running total too, before anything is written.
  std::array<Nanos, kLedgerDims> c;
  std::array<int64_t, kDimCount> q;
  bool overflow = false;
  Nanos t = 0;
  for (int i = 0; i < kLedgerDims; ++i) {
    overflow |= __builtin_add_overflow(cost[i], o.cost[i], &c[i]);
    overflow |= __builtin_add_overflow(t, c[i], &t);
  }
  for (int i = 0; i < kDimCount; ++i) overflow |= __builtin_add_overflow(quantity[i], o.quantity[i], &q[i]);
  if (overflow) return false;
  cost = c;
  quantity = q;
  events += o.events;
  trusted += o.trusted;
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

uint64_t Ledger::CellKey::hash() const {
  uint64_t h = hash_mix(tenant, provider);
  h = hash_mix(h, model);
  h = hash_mix(h, task);
  h = hash_mix(h, labels);
  return hash_mix(h, static_cast<uint32_t>(day));
}

uint32_t Ledger::Interner::id(const std::string& s) {
  auto it = ids.find(s);
  if (it != ids.end()) return it->second;
  uint32_t id = static_cast<uint32_t>(names.size());
  ids.emplace(s, id);
  names.push_back(s);
  return id;
}

uint32_t Ledger::label_set(const Labels& sorted) {
  uint64_t h = labels_hash(sorted);
  uint32_t id = label_index_.find(h, [&](uint32_t i) { return label_values_[i] == sorted; });
  if (id != HashIndex::npos) return id;
  id = static_cast<uint32_t>(label_values_.size());
  label_values_.push_back(sorted);
  label_index_.insert(h, id);
  return id;
}

Ledger::Prepared Ledger::prepare(const LedgerEvent& e) {
  // Labels in any order are the same labels; most events carry none or one, already sorted.
  uint32_t labels;
  if (std::is_sorted(e.labels.begin(), e.labels.end())) {
    labels = label_set(e.labels);
  } else {
    Labels copy = e.labels;
    std::sort(copy.begin(), copy.end());
    labels = label_set(copy);
  }
  Prepared p;
  p.key = {tenants_.id(e.tenant), providers_.id(e.provider), models_.id(e.model), tasks_.id(e.task), labels,
           static_cast<int32_t>(floor_div(e.timestamp_ms, kMsPerDay))};
  const uint32_t names[] = {p.key.tenant, p.key.provider, p.key.model, p.key.task, p.key.labels};
  p.fingerprint = fingerprint(e, names, 5);
  p.id_hash = str_hash(e.event_id);
  p.cell_hash = p.key.hash();
  return p;
}

void Ledger::prefetch_slots(const Prepared& p) const {
  id_index_.prefetch(p.id_hash);
  cell_index_.prefetch(p.cell_hash);
}

void Ledger::prefetch_entries(const Prepared& p) const {
  uint32_t c = cell_index_.candidate(p.cell_hash);
  if (c != HashIndex::npos) __builtin_prefetch(&cells_[c]);
  uint32_t i = id_index_.candidate(p.id_hash);
  if (i != HashIndex::npos) __builtin_prefetch(&ids_[i]);
}

Result<Recorded> Ledger::commit(const LedgerEvent& e, const Prepared& p) {
  uint32_t seen = id_index_.find(p.id_hash, [&](uint32_t i) {
    const SeenId& s = ids_[i];
    return s.length == e.event_id.size() && ids_text_.compare(s.offset, s.length, e.event_id) == 0;
  });
  if (seen != HashIndex::npos) return ids_[seen].fingerprint == p.fingerprint ? Recorded::duplicate : Recorded::conflict;
  Totals t;
  t.cost = e.cost;
  t.quantity = e.quantity;
  t.events = 1;
  t.trusted = e.verified ? 1 : 0;
  uint32_t cell = cell_index_.find(p.cell_hash, [&](uint32_t i) { return cells_[i].key == p.key; });
  if (cell == HashIndex::npos) {
    cell = static_cast<uint32_t>(cells_.size());
    cells_.push_back({p.key, {}});
    cell_index_.insert(p.cell_hash, cell);
  }
  if (!cells_[cell].totals.add(t)) return make_error("out_of_range", "ledger totals exceed the money range");
  ids_.push_back({ids_text_.size(), static_cast<uint32_t>(e.event_id.size()), p.fingerprint});
  ids_text_ += e.event_id;
  id_index_.insert(p.id_hash, static_cast<uint32_t>(ids_.size() - 1));
  return Recorded::recorded;
}

Result<Recorded> Ledger::record(const LedgerEvent& e) { return commit(e, prepare(e)); }

Status Ledger::record_batch(const std::vector<LedgerEvent>& events, std::vector<Recorded>* out) {
  // A software pipeline: event i+kAhead is hashed and its slots fetched, event i+kAhead/2's
  // entries (the cell or id its slot points at) fetched, event i recorded. The prefetches are
  // hints only; every lookup is redone when its event is recorded.
  constexpr size_t kAhead = 32, kRing = 64;  // kRing > kAhead
  std::array<Prepared, kRing> ring;
  const size_t n = events.size();
  for (size_t i = 0; i < n && i < kAhead; ++i) {
    ring[i % kRing] = prepare(events[i]);
    prefetch_slots(ring[i % kRing]);
  }
  for (size_t i = 0; i < n; ++i) {
    if (i + kAhead < n) {
      Prepared& p = ring[(i + kAhead) % kRing];
      p = prepare(events[i + kAhead]);
      prefetch_slots(p);
    }
    if (i + kAhead / 2 < n) prefetch_entries(ring[(i + kAhead / 2) % kRing]);
    FLK_ASSIGN(Recorded r, commit(events[i], ring[i % kRing]));
    out->push_back(r);
  }
  return Ok{};
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
  for (size_t c = 0; c < cells_.size(); ++c) {
    const CellKey& k = cells_[c].key;
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
    groups[key].add(cells_[c].totals);  // cannot overflow: groups sum cells of a ledger that did not
  }
  std::vector<Row> rows;
  rows.reserve(groups.size());
  for (auto& g : groups) rows.push_back({g.first, g.second});
  return rows;
}

Totals Ledger::total(const Filter& f) const {
  Totals t;
  for (size_t c = 0; c < cells_.size(); ++c)
    if (matches(cells_[c].key, f)) t.add(cells_[c].totals);
  return t;
}

std::vector<Nanos> Ledger::daily(const Filter& f, int32_t from_day, int32_t to_day) const {
  std::vector<Nanos> out(to_day > from_day ? static_cast<size_t>(to_day - from_day) : 0, 0);
  for (size_t c = 0; c < cells_.size(); ++c) {
    const CellKey& k = cells_[c].key;
    if (k.day < from_day || k.day >= to_day || !matches(k, f)) continue;
    out[static_cast<size_t>(k.day - from_day)] += cells_[c].totals.total();
  }
  return out;
}

std::optional<std::pair<int32_t, int32_t>> Ledger::day_span(const Filter& f) const {
  std::optional<std::pair<int32_t, int32_t>> span;
  for (size_t c = 0; c < cells_.size(); ++c) {
    const CellKey& k = cells_[c].key;
    if (!matches(k, f)) continue;
    int32_t d = k.day;
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
