#include "store/anomaly/anomaly.h"

namespace flk::server {
namespace anomaly {

const Area kArea{
    "anomaly",
    {{1,
      {"CREATE TABLE IF NOT EXISTS anomaly_events (tenant TEXT NOT NULL, event_id TEXT NOT NULL, status INTEGER NOT NULL, "
       "body TEXT NOT NULL, created_ms BIGINT NOT NULL, expires_ms BIGINT NOT NULL, PRIMARY KEY (tenant, event_id))",
       "CREATE INDEX IF NOT EXISTS anomaly_events_time ON anomaly_events (tenant, created_ms, event_id)",
       "CREATE TABLE IF NOT EXISTS anomaly_state (tenant TEXT NOT NULL, name TEXT NOT NULL, body TEXT NOT NULL, "
       "updated_ms BIGINT NOT NULL, PRIMARY KEY (tenant, name))"}}}};

namespace {

constexpr KeyedTable kTable{"anomaly_events", "event_id"};

Status apply_events(Tx& tx, const std::vector<Write*>& run) { return apply_keyed_run(tx, kTable, run); }

Status apply_states(Tx& tx, const std::vector<Write*>& run) {
  for (Write* w : run) {
    auto& s = static_cast<AnomalyStateWrite&>(*w);
    FLK_TRY(tx.exec("INSERT INTO anomaly_state (tenant, name, body, updated_ms) VALUES (?1, ?2, ?3, ?4) ON CONFLICT "
                    "(tenant, name) DO UPDATE SET body = excluded.body, updated_ms = excluded.updated_ms",
                    {s.tenant, s.id, s.body, s.now_ms}));
    s.won = true;
  }
  return Ok{};
}

const WriteType kEventType{"anomaly_event", true, apply_events};
const WriteType kStateType{"anomaly_state", true, apply_states};

Result<std::optional<std::string>> body_of(Store& store, const char* sql, const std::string& a, const std::string& b) {
  std::optional<std::string> out;
  FLK_TRY(store.read([&](Tx& tx) -> Status {
    FLK_ASSIGN(out, tx.text_of(sql, {a, b}));
    return Ok{};
  }));
  return out;
}

}  // namespace

Result<std::vector<Event>> events(Store& store, const std::string& tenant, int64_t since_ms, const std::string& after_id,
                                  size_t limit) {
  std::vector<Event> out;
  FLK_TRY(store.read([&](Tx& tx) -> Status {
    const std::string c = tx.binary_order();
    const std::string sql = "SELECT event_id, body, created_ms FROM anomaly_events WHERE tenant = ?1 AND (created_ms > ?2 "
                            "OR (created_ms = ?2 AND event_id" + c + " > ?3)) ORDER BY created_ms, event_id" + c +
                            " LIMIT ?4";
    FLK_TRY(tx.exec(sql.c_str(), {tenant, since_ms, after_id, static_cast<int64_t>(limit)},
                    [&](const Row& r) { out.push_back(Event{r.text(0), r.text(1), r.integer(2)}); }));
    return Ok{};
  }));
  return out;
}

Result<std::optional<std::string>> event(Store& store, const std::string& tenant, const std::string& event_id) {
  return body_of(store, "SELECT body FROM anomaly_events WHERE tenant = ?1 AND event_id = ?2", tenant, event_id);
}

Result<std::optional<std::string>> state(Store& store, const std::string& tenant, const std::string& name) {
  return body_of(store, "SELECT body FROM anomaly_state WHERE tenant = ?1 AND name = ?2", tenant, name);
}

Result<int64_t> purge_expired(Store& store, int64_t now_ms) { return flk::server::purge_expired(store, kTable, now_ms); }

}  // namespace anomaly

const WriteType& AnomalyEventWrite::type() const { return anomaly::kEventType; }
const WriteType& AnomalyStateWrite::type() const { return anomaly::kStateType; }

}  // namespace flk::server
