#include "app/app.h"

#include <unistd.h>

#include <condition_variable>
#include <fstream>
#include <sstream>

#include "app/facade.h"
#include "app/log.h"
#include "json/parse.h"
#include "store/tenants/tenants.h"

namespace flk::server {

Status App::reload_tenants() {
  FLK_ASSIGN(auto records, tenants::all(*store));
  for (const std::string& w : tenants->load(records)) log(LogLevel::warn, w);
  return Ok{};
}

Status import_tenants(App& app) {
  std::vector<TenantRecord> wanted;
  if (!app.config.tenants_file.empty()) {
    std::ifstream f(app.config.tenants_file);
    if (!f) return make_error("bad_config", "cannot read tenants file " + app.config.tenants_file);
    std::stringstream ss;
    ss << f.rdbuf();
    auto parsed = parse_tenants_json(ss.str());
    if (!parsed.ok()) {
      Error e = parsed.error();
      e.message = app.config.tenants_file + ": " + e.message;
      return e;
    }
    wanted = std::move(parsed.value());
  }
  if (!app.config.tenants.empty()) {
    FLK_ASSIGN(auto more, parse_tenants_text(app.config.tenants));
    for (auto& t : more) wanted.push_back(std::move(t));
  }
  if (wanted.empty()) return Ok{};
  FLK_ASSIGN(auto have, tenants::all(*app.store));
  auto find = [&](const std::string& id) -> const TenantRecord* {
    for (const auto& t : have)
      if (t.id == id) return &t;
    return nullptr;
  };
  std::vector<std::unique_ptr<Write>> writes;
  const int64_t now = now_ms();
  for (TenantRecord& t : wanted) {
    const TenantRecord* old = find(t.id);
    // A configured tenant without a budget keeps the one set through the admin API.
    if (old && t.budget_json.empty()) t.budget_json = old->budget_json;
    if (!old || old->rate_per_sec != t.rate_per_sec || old->burst != t.burst || old->budget_json != t.budget_json) {
      auto w = std::make_unique<TenantWrite>();
      w->tenant = t.id;
      w->rate_per_sec = t.rate_per_sec;
      w->burst = t.burst;
      w->budget_json = t.budget_json;
      json::Value data = json::Value::object();
      data.set("rate_per_sec", t.rate_per_sec).set("burst", t.burst).set("source", "config");
      if (!t.budget_json.empty()) data.set("budget", json::parse(t.budget_json).value());
      w->audit = AuditDraft{"tenant.updated", t.id, std::move(data), now};
      writes.push_back(std::move(w));
    }
    for (const KeyRecord& k : t.keys) {
      const KeyRecord* existing = nullptr;
      if (old)
        for (const auto& ok : old->keys)
          if (ok.kid == k.kid) existing = &ok;
      if (existing) {
        if (existing->key_json != k.key_json)
          log(LogLevel::warn, "a configured key differs from the stored key of the same kid; the stored one stays",
              json::Value::object().set("tenant", t.id).set("kid", k.kid));
        continue;
      }
      auto w = std::make_unique<KeyWrite>();
      w->key = k;
      if (!w->key.not_before_ms) w->key.not_before_ms = now;
      json::Value data = json::Value::object();
      data.set("kid", k.kid).set("alg", k.alg).set("not_before", rfc3339_ms(w->key.not_before_ms)).set("source", "config");
      if (k.not_after_ms) data.set("not_after", rfc3339_ms(*k.not_after_ms));
      w->audit = AuditDraft{"key.added", t.id, std::move(data), now};
      writes.push_back(std::move(w));
    }
  }
  if (writes.empty()) return Ok{};
  std::vector<Write*> batch;
  for (auto& w : writes) batch.push_back(w.get());
  return app.store->apply(batch, facade_audit_linker());
}

Result<size_t> replay_wal(App& app, const WalContents& contents) {
  const std::string dir = app.config.data + "/wal";
  for (const WalDamage& d : contents.damage) {
    app.metrics.wal_damaged.inc();
    log(d.tail ? LogLevel::warn : LogLevel::error, "WAL damage found",
        json::Value::object()
            .set("segment", d.file)
            .set("offset", static_cast<int64_t>(d.offset))
            .set("bytes", static_cast<int64_t>(d.bytes))
            .set("records_after_recovered", !d.tail));
    app.wal_notices.push_back("wal_damage: " + describe(d));
  }
  std::mutex mu;
  std::condition_variable cv;
  size_t pending = 0;
  bool unavailable = false;
  std::vector<WalRecord> refused;
  for (const WalRecord& rec : contents.records) {
    if (rec.kind != kPcsSubmit && rec.kind != kUsage) continue;
    {
      std::lock_guard<std::mutex> l(mu);
      ++pending;
    }
    Reply done = [&](Response r) {
      std::lock_guard<std::mutex> l(mu);
      if (r.status == 503) unavailable = true;
      else if (r.status >= 500) refused.push_back(rec);
      if (--pending == 0) cv.notify_all();
    };
    if (rec.kind == kPcsSubmit)
      app.pipeline->process_pcs(rec.tenant, rec.body, rec.received_ms, WalTicket{}, done);
    else
      app.pipeline->process_usage(rec.tenant, rec.auth, rec.body, rec.received_ms, WalTicket{}, done);
  }
  std::unique_lock<std::mutex> l(mu);
  cv.wait(l, [&] { return pending == 0; });
  if (unavailable) return make_error("store_unavailable", "the store is unreachable; the WAL is kept for the next start");
  FLK_TRY(app.store->checkpoint());
  if (!refused.empty()) {
    // The store refuses these on their own (a retry would too): kept aside, not replayed again.
    FLK_ASSIGN(std::string kept, quarantine_records(dir, "unreplayable-" + std::to_string(now_ms()) + ".log", refused));
    app.metrics.wal_unreplayable.inc(refused.size());
    for (const WalRecord& r : refused)
      log(LogLevel::error, "a WAL record could not be replayed",
          json::Value::object().set("seq", static_cast<int64_t>(r.seq)).set("tenant", r.tenant).set("kept_in", kept));
    app.wal_notices.push_back("wal_unreplayable: " + std::to_string(refused.size()) + " records kept in " + kept);
  }
  FLK_ASSIGN(auto moved, retire_replayed(dir, contents));
  for (const std::string& m : moved) log(LogLevel::warn, "a damaged WAL segment was kept", json::Value::object().set("path", m));
  app.metrics.wal_replayed.inc(contents.records.size());
  return contents.records.size();
}

}  // namespace flk::server
