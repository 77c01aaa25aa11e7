// Both routes run the facade ops on an Engine of their own, never on the thread's engine, whose
// ledger and billing book would otherwise mix tenants and requests. The reconciliation rebuilds
// that engine's ledger from the stored usage events of the period (app/stored_ledger.h) and its
// billing book from the tenant's stored uploads (cost.billing.import), then calls cost.reconcile.
#include "app/billing_routes.h"

#include "app/facade.h"
#include "app/stored_ledger.h"
#include "app/tenant_access.h"
#include "crypto/hash.h"
#include "json/parse.h"
#include "json/write.h"
#include "store/billing/billing.h"

namespace flk::server {
namespace {

constexpr int64_t kMaxReconcileDays = 366;

json::Value import_input(const std::string& csv, const std::string& format) {
  json::Value in = json::Value::object();
  in.set("csv_text", csv).set("format", format);
  return in;
}

void post_billing(App& app, Request& req, Reply reply) {
  Response err;
  if (!known_params(req.query, {"format"}, &err) || !is_media_type(req, "text/csv", "the billing export", &err))
    return reply(std::move(err));
  auto t = uploader(app, req, named_tenant(req), &err);
  if (!t) return reply(std::move(err));
  std::string format = query_param(req.query, "format");
  if (format.empty()) format = "auto";
  if (format != "auto" && format != "focus" && format != "cur" && format != "azure" && format != "gcp")
    return reply(error_response(422, make_error("out_of_range", "format is auto, focus, cur, azure or gcp", "format")));
  Engine engine;
  auto summary = engine.call_value("cost.billing.import", import_input(req.body, format));
  if (!summary.ok()) return reply(content_error(summary.error()));
  if (summary->find("imported")->as_int() == 0) {
    Error e = make_error("no_billing_rows", "no row of the export could be imported (see the summary's issues)");
    Response r = error_response(422, e);
    json::Value body = json::parse(r.body).value();
    body.set("summary", summary.value());
    r.body = json::to_string(body);
    return reply(std::move(r));
  }
  BillingWrite w;
  BillingUpload& u = w.upload;
  u = BillingUpload{t->id, crypto::sha256_hex(req.body), now_ms(), format, req.body, json::to_string(summary.value())};
  w.tenant = t->id;
  w.id = u.upload_id;
  json::Value data = json::Value::object();
  data.set("upload_id", u.upload_id).set("format", format);
  for (const char* k : {"rows", "imported", "skipped"}) data.set(k, *summary->find(k));
  w.audit = AuditDraft{"billing.uploaded", t->id, std::move(data), u.created_ms};
  std::vector<Write*> one = {&w};
  Status stored = app.store->apply(one, facade_audit_linker());
  if (!stored.ok()) return reply(store_failure(stored, stored.error().message, app.metrics));
  if (w.won) app.metrics.audit_entries.inc();
  json::Value o = json::Value::object();
  o.set("tenant", t->id).set("upload_id", u.upload_id).set("duplicate", !w.won).set("summary", summary.value());
  Response r = json_answer(o);
  r.status = w.won ? 201 : 200;
  reply(std::move(r));
}

// "openai=OpenAI,anthropic=Anthropic" → {"openai": "OpenAI", …}.
bool service_map(const std::string& text, json::Value* out, Response* err) {
  *out = json::Value::object();
  for (size_t i = 0; i < text.size();) {
    size_t end = text.find(',', i);
    if (end == std::string::npos) end = text.size();
    const std::string pair = text.substr(i, end - i);
    i = end + 1;
    const size_t eq = pair.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == pair.size()) {
      *err = error_response(422, make_error("bad_format", "service_map is provider=Service,…", "service_map"));
      return false;
    }
    out->set(pair.substr(0, eq), pair.substr(eq + 1));
  }
  return true;
}

void get_reconcile(App& app, Request& req, Reply reply) {
  Response err;
  if (!known_params(req.query, {"from", "to", "threshold_pct", "cost_column", "service_map", "ts"}, &err))
    return reply(std::move(err));
  auto t = reader(app, req, named_tenant(req), &err);
  int64_t from = 0, to = 0;
  if (!t || !day_range(req, kMaxReconcileDays, &from, &to, &err)) return reply(std::move(err));
  json::Value opts = json::Value::object();
  opts.set("from", query_param(req.query, "from")).set("to", query_param(req.query, "to"));
  const std::string threshold = query_param(req.query, "threshold_pct"), column = query_param(req.query, "cost_column");
  if (!threshold.empty()) {
    char* end = nullptr;
    const double v = std::strtod(threshold.c_str(), &end);
    if (*end || !(v >= 0 && v <= 100))
      return reply(error_response(422, make_error("out_of_range", "threshold_pct is a number in [0, 100]", "threshold_pct")));
    opts.set("threshold_pct", v);
  }
  if (!column.empty()) opts.set("cost_column", column);
  json::Value map;
  if (!service_map(query_param(req.query, "service_map"), &map, &err)) return reply(std::move(err));
  if (!map.as_object().empty()) opts.set("service_map", std::move(map));

  Engine engine;
  auto uploads = billing::uploads(*app.store, t->id);
  if (!uploads.ok()) return reply(store_failure(uploads.error(), uploads.error().message, app.metrics));
  for (const BillingUpload& u : uploads.value()) {
    auto r = engine.call_value("cost.billing.import", import_input(u.csv, u.format));
    if (!r.ok()) return reply(error_response(500, "internal", "a stored billing upload no longer imports: " + r.error().message));
  }
  auto without_input = load_stored_usage(app, engine, t->id, from, to, &err);
  if (!without_input) return reply(std::move(err));
  auto report = engine.call_value("cost.reconcile", opts);
  if (!report.ok()) return reply(content_error(report.error()));
  report->set("tenant", t->id)
      .set("billing_uploads", static_cast<int64_t>(uploads->size()))
      .set("events_without_input", *without_input);
  reply(json_answer(report.value()));
}

}  // namespace

std::vector<Route> billing_routes(App& app) {
  return {
      {"POST", "/v1/cost/billing", [&app](Request& req, Reply reply) { post_billing(app, req, std::move(reply)); }},
      {"GET", "/v1/cost/reconcile", [&app](Request& req, Reply reply) { get_reconcile(app, req, std::move(reply)); }},
  };
}

}  // namespace flk::server
