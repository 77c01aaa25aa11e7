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

uint64_t fingerprint(const LedgerEvent& e, const Labels& sorted) {
  uint64_t h = hash_mix(static_cast<uint64_t>(e.timestamp_ms), e.verified);
  for (const std::string* s : {&e.tenant, &e.provider, &e.model, &e.task}) h = hash_mix(h, str_hash(*s));
  h = hash_mix(h, labels_hash(sorted));
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
  label_index_.insert(h, id, [&](uint32_t i) { return labels_hash(label_values_[i]); });
  return id;
}

Result<Recorded> Ledger::record(const LedgerEvent& e) {
  // Labels in any order are the same labels; most events carry none or one, already sorted.
  Labels copy;
  const Labels* sorted = &e.labels;
  if (!std::is_sorted(e.labels.begin(), e.labels.end())) {
    copy = e.labels;
    std::sort(copy.begin(), copy.end());
    sorted = &copy;
  }
  const uint64_t fp = fingerprint(e, *sorted);
  const uint64_t idh = str_hash(e.event_id);
  uint32_t seen = id_index_.find(idh, [&](uint32_t i) {
    const SeenId& s = ids_[i];
    return s.length == e.event_id.size() && ids_text_.compare(s.offset, s.length, e.event_id) == 0;
  });
  if (seen != HashIndex::npos) return ids_[seen].fingerprint == fp ? Recorded::duplicate : Recorded::conflict;
  Totals t;
  t.cost = e.cost;
  t.quantity = e.quantity;
  t.events = 1;
  t.trusted = e.verified ? 1 : 0;
  CellKey k{tenants_.id(e.tenant), providers_.id(e.provider), models_.id(e.model), tasks_.id(e.task), label_set(*sorted),
            static_cast<int32_t>(floor_div(e.timestamp_ms, kMsPerDay))};
  const uint64_t kh = k.hash();
  uint32_t cell = cell_index_.find(kh, [&](uint32_t i) { return cells_[i].key == k; });
  if (cell == HashIndex::npos) {
    cell = static_cast<uint32_t>(cells_.size());
    cells_.push_back({k, {}});
    cell_index_.insert(kh, cell, [&](uint32_t i) { return cells_[i].key.hash(); });
  }
  if (!cells_[cell].totals.add(t)) return make_error("out_of_range", "ledger totals exceed the money range");
  ids_.push_back({ids_text_.size(), static_cast<uint32_t>(e.event_id.size()), fp});
  ids_text_ += e.event_id;
  id_index_.insert(idh, static_cast<uint32_t>(ids_.size() - 1), [&](uint32_t i) {
    return hash_bytes(ids_text_.data() + ids_[i].offset, ids_[i].length);
  });
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
  for (const Cell& cell : cells_) {
    const CellKey& k = cell.key;
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
