// The cost ledger: priced events aggregated by tenant / provider / model / task / day and label
// set, idempotent by event id (a repeated id is never charged twice; a repeated id with different
// content is reported as a conflict and not charged either). Queries group by any of those keys
// (and by any label) over a day range; cost per trusted task is cost / events that passed
// verification.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "cost/catalog.h"
#include "cost/spans.h"
#include "util/chunked_vector.h"
#include "util/hash_index.h"

namespace flk::cost {

// Cost components kept apart: the catalog's token/unit dimensions, then the resource ones.
constexpr int kLedgerDims = kDimCount + 4;
enum class ResourceDim { compute = kDimCount, storage, network, anchoring };
const char* ledger_dim_name(int i);

using Labels = std::vector<std::pair<std::string, std::string>>;

struct LedgerEvent {
  std::string event_id;
  int64_t timestamp_ms = 0;
  std::string tenant, provider, model, task;
  Labels labels;
  bool verified = false;  // passed verification: a trusted task
  std::array<Nanos, kLedgerDims> cost{};
  std::array<int64_t, kDimCount> quantity{};
};

struct Totals {
  std::array<Nanos, kLedgerDims> cost{};
  std::array<int64_t, kDimCount> quantity{};
  int64_t events = 0;
  int64_t trusted = 0;

  Nanos total() const;
  bool add(const Totals& o);  // false on overflow
};

enum class Recorded { recorded, duplicate, conflict };
const char* recorded_name(Recorded r);

enum class GroupBy { tenant, provider, model, task, day, month, label };
struct GroupKey {
  GroupBy by;
  std::string label;  // for GroupBy::label
};
std::optional<GroupKey> group_key_from_name(const std::string& name);  // "tenant", …, "label:team"

struct Filter {
  std::optional<std::string> tenant, provider, model, task;
  Labels labels;                    // all must be present on the event
  int32_t from_day = INT32_MIN;     // inclusive
  int32_t to_day = INT32_MAX;       // exclusive
};

struct Row {
  std::vector<std::string> key;
  Totals totals;
};

class Ledger {
 public:
  // Error out_of_range when a cell's totals would overflow.
  Result<Recorded> record(const LedgerEvent& e);
  // Records events in order, exactly as record() on each would, and stops at the first error (the
  // events before it stay recorded; *out holds their outcomes). Faster on ledgers larger than the
  // cache: the table lookups of the next events are under way while one is recorded.
  Status record_batch(const std::vector<LedgerEvent>& events, std::vector<Recorded>* out);
  // Rows in ascending key order.
  std::vector<Row> query(const std::vector<GroupKey>& group_by, const Filter& f) const;
  Totals total(const Filter& f) const;
  // One total per day in [from_day, to_day) of the events matching f.
  std::vector<Nanos> daily(const Filter& f, int32_t from_day, int32_t to_day) const;
  // First and last day with events matching f; nullopt when none.
  std::optional<std::pair<int32_t, int32_t>> day_span(const Filter& f) const;
  size_t events() const { return ids_.size(); }
  size_t cells() const { return cells_.size(); }
  void clear();

 private:
  struct CellKey {
    uint32_t tenant, provider, model, task, labels;
    int32_t day;
    bool operator==(const CellKey& o) const {
      return tenant == o.tenant && provider == o.provider && model == o.model && task == o.task &&
             labels == o.labels && day == o.day;
    }
    uint64_t hash() const;
  };
  struct Interner {
    std::unordered_map<std::string, uint32_t> ids;
    std::vector<std::string> names;
    uint32_t id(const std::string& s);
  };
  struct SeenId {
    uint64_t offset;  // into ids_text_
    uint32_t length;
    uint64_t fingerprint;  // of the event's content, to tell a repeat from a conflict
  };
  // An event's interned cell key and hashes: everything record() needs before touching the big
  // tables.
  struct Prepared {
    CellKey key;
    uint64_t cell_hash, id_hash, fingerprint;
  };
  Prepared prepare(const LedgerEvent& e);
  void prefetch_slots(const Prepared& p) const;
  void prefetch_entries(const Prepared& p) const;
  Result<Recorded> commit(const LedgerEvent& e, const Prepared& p);
  bool matches(const CellKey& k, const Filter& f) const;
  uint32_t label_set(const Labels& sorted);

  // Flat tables (util/hash_index.h, util/chunked_vector.h): no allocation per event, no copy on growth.
  std::string ids_text_;
  ChunkedVector<SeenId> ids_;
  HashIndex id_index_;
  Interner tenants_, providers_, models_, tasks_;
  std::vector<Labels> label_values_;  // by label set id, sorted by key
  HashIndex label_index_;
  struct Cell {
    CellKey key;
    Totals totals;  // next to its key: one cache miss finds and updates a cell
  };
  ChunkedVector<Cell> cells_;
  HashIndex cell_index_;
};

// The ledger's share of a priced event: token costs by dimension, resource costs by kind.
void add_resource_cost(LedgerEvent& e, const ResourceCost& c);

}  // namespace flk::cost
