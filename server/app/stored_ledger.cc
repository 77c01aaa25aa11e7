#include "app/stored_ledger.h"

#include <algorithm>

#include "app/facade.h"
#include "app/pipeline.h"
#include "json/parse.h"
#include "store/usage/usage.h"

namespace flk::server {

namespace {
constexpr size_t kLedgerChunk = 1000;
}  // namespace

std::optional<int64_t> load_stored_usage(App& app, Engine& engine, const std::string& tenant, int64_t from_ms,
                                         int64_t to_ms, Response* err) {
  auto rows = usage::events(*app.store, tenant, from_ms, to_ms);
  if (!rows.ok()) {
    *err = store_failure(rows.error(), rows.error().message, app.metrics);
    return std::nullopt;
  }
  int64_t without_input = 0;
  for (size_t i = 0; i < rows->size(); i += kLedgerChunk) {
    json::Value events = json::Value::array();
    for (size_t k = i; k < std::min(rows->size(), i + kLedgerChunk); ++k) {
      const UsageRow& row = rows.value()[k];
      if (row.input.empty()) {
        ++without_input;
        continue;
      }
      auto ev = json::parse(row.input);
      if (!ev.ok() || !ev->is_object()) {
        *err = error_response(500, "internal", "a stored usage event is unreadable");
        return std::nullopt;
      }
      ev->set("event_id", row.event_id).set("tenant", tenant).set("timestamp", rfc3339_ms(row.created_ms));
      events.push(std::move(ev.value()));
    }
    if (events.as_array().empty()) continue;
    json::Value in = json::Value::object();
    in.set("events", std::move(events)).set("details", false);
    auto r = engine.call_value("cost.ledger.record", in);
    if (!r.ok()) {
      *err = error_response(500, "internal", "a stored usage event no longer prices: " + r.error().message);
      return std::nullopt;
    }
  }
  return without_input;
}

}  // namespace flk::server
