// POST /v1/cost/usage: LLM usage events priced by the facade's cost.usage and stored once per
// (tenant, event_id), so a retried event is never charged twice. One event
// {"event_id", ...cost.usage input (attribution included: task, user, labels, verification_id)}
// or a batch {"events": [...]} (at most 1000); the body is
// signed like a PCS (header X-Flk-Signature: base64 HMAC-SHA256 of the body, or Ed25519 of its
// SHA-256) with a key of the tenant, so no one can charge a tenant but its own agents. A tenant
// with a budget (app/budget.h) gets 402 budget_exceeded for an event that its budget denies.
#include <cstring>

#include "app/budget.h"
#include "app/facade.h"
#include "app/pipeline.h"
#include "app/usage_metrics.h"
#include "crypto/hash.h"
#include "json/fields.h"
#include "json/parse.h"
#include "json/write.h"
#include "tenants/directory.h"
#include "util/decimal.h"

namespace flk::server {
namespace {

constexpr size_t kMaxEvents = 1000;
constexpr int64_t kUsageKeepMs = 100LL * 365 * 24 * 3600 * 1000;  // event ids stay taken

// {"duplicate":…,"event_id":…,"usage":<stored>} in canonical key order.
std::string usage_answer(const std::string& event_id, const std::string& stored, bool duplicate) {
  std::string out = duplicate ? "{\"duplicate\":true,\"event_id\":" : "{\"duplicate\":false,\"event_id\":";
  json::append_quoted(out, event_id);
  out += ",\"usage\":" + stored + "}";
  return out;
}

// cost.usage reads one event at "$"; the event sits at `base` ($.events[i] in a batch).
Response unprocessable(const Error& e, const std::string& base) { return content_error(rebase_error(e, "$", base)); }

// Why the store refused an event: a verification_id it does not know (422), or the budget's
// decision (402, with the decision's message).
Error refusal_error(const UsageWrite& w) {
  if (w.unknown_verification)
    return make_error("unknown_verification",
                      "verification_id \"" + w.attribution.verification_id + "\" names no verification of this tenant",
                      "$.verification_id");
  const json::Value* m = w.audit ? w.audit->data.find("message") : nullptr;
  return make_error("budget_exceeded", m && m->is_string() ? m->as_string() : "the tenant's budget denies this event");
}

// {"error":{"code":…,"message":…,"path"?:…},"event_id":…}
std::string refused_answer(const UsageWrite& w) {
  const Error e = refusal_error(w);
  json::Value err = json::Value::object().set("code", e.code).set("message", e.message);
  if (!e.path.empty()) err.set("path", e.path);
  return json::to_string(json::Value::object().set("error", std::move(err)).set("event_id", w.id));
}

std::string text_at(const json::Value& o, const char* key) {
  const json::Value* v = o.find(key);
  return v && v->is_string() ? v->as_string() : "";
}

// The columns a report groups by, from cost.usage's answer (which checked the attribution).
UsageAttribution stored_attribution(const json::Value& priced) {
  UsageAttribution a;
  a.model = text_at(priced, "model");
  a.provider = text_at(priced, "provider");
  if (const json::Value* at = priced.find("attribution")) {
    a.task = text_at(*at, "task");
    a.user = text_at(*at, "user");
    a.verification_id = text_at(*at, "verification_id");
    if (const json::Value* l = at->find("labels"))
      for (const auto& [k, v] : l->as_object()) a.labels.emplace_back(k, v.as_string());
  }
  return a;
}

struct Event {
  std::string id;
  std::string priced;  // canonical cost.usage output
  std::string input;   // the event without event_id
  int64_t cost_nanos = 0;
  UsageLabels labels;
  UsageAttribution attribution;
};

struct Batch {
  std::vector<Event> events;
  bool single = true;
  std::vector<std::string> answers;
  std::optional<Error> refused_single;
  size_t pending = 0;
  std::optional<Status> failed;  // the first store failure among the events
  std::mutex mu;
};

}  // namespace

bool Pipeline::text_signed(const Tenant& t, const std::string& body, const std::string& signature, int64_t now_ms) {
  if (signature.empty()) return false;
  Engine& engine = thread_engine();
  std::optional<std::string> digest_b64;
  for (const TenantKey& k : t.keys) {
    if (!k.live_at(now_ms)) continue;
    json::Value in = json::Value::object();
    for (const auto& m : k.key.as_object())
      if (m.first != "alg") in.set(m.first, m.second);
    if (k.key.find("alg")->as_string() == "hmac") {
      in.set("message_text", body);
      auto mac = engine.call_value("crypto.hmac_sha256", in);
      if (!mac.ok()) continue;
      const std::string& want = mac->find("mac_b64")->as_string();
      if (want.size() == signature.size() &&
          crypto::equal_ct(reinterpret_cast<const uint8_t*>(want.data()), reinterpret_cast<const uint8_t*>(signature.data()),
                           want.size()))
        return true;
    } else {
      if (!digest_b64) {
        json::Value h = json::Value::object();
        h.set("data_text", body);
        auto d = engine.call_value("crypto.sha256", h);
        if (!d.ok()) return false;
        digest_b64 = d->find("digest_b64")->as_string();
      }
      in.set("signature_b64", signature).set("message_b64", *digest_b64);
      auto v = engine.call_value("crypto.ed25519_verify", in);
      if (v.ok() && v->find("valid")->as_bool()) return true;
    }
  }
  return false;
}

void Pipeline::submit_usage(Request& req, Reply reply) {
  Response err;
  if (!is_json_request(req, &err)) return reply(std::move(err));
  auto tenant = authenticate_body(req, &err);
  if (!tenant) return reply(std::move(err));
  auto doc = parse_json_body(req.body, &err);
  if (!doc) return reply(std::move(err));
  auto shared_doc = std::make_shared<json::Value>(std::move(*doc));
  const int64_t received = now_ms();
  // Pricing is compute: off the WAL thread, which only writes and syncs.
  journal(kUsage, tenant->id, req, received, reply, [this, tenant, shared_doc, received, reply](WalTicket ticket) {
    post_([this, tenant, shared_doc, received, reply, ticket] { price_usage(*tenant, *shared_doc, received, ticket, reply); });
  });
}

void Pipeline::process_usage(const std::string& tenant_id, const std::string& signature, std::string body,
                             int64_t received_ms, WalTicket ticket, Reply reply) {
  Response err;
  auto tenant = signer(tenant_id, body, signature, received_ms, "the body", &err);
  auto doc = tenant ? parse_json_body(body, &err) : std::nullopt;
  if (!doc) {
    release(ticket);
    return reply(std::move(err));
  }
  price_usage(*tenant, *doc, received_ms, ticket, std::move(reply));
}

void Pipeline::price_usage(const Tenant& tenant, const json::Value& doc_value, int64_t received_ms, WalTicket ticket,
                           Reply reply) {
  const json::Value* doc = &doc_value;
  auto done = [&](Response r) {
    release(ticket);
    reply(std::move(r));
  };
  if (!doc->is_object()) return done(error_response(422, json::wrong_type("$", "an object", *doc)));
  auto batch = std::make_shared<Batch>();
  std::vector<std::pair<const json::Value*, std::string>> items;  // (event, its path)
  if (const json::Value* events = doc->find("events")) {
    batch->single = false;
    if (doc->as_object().size() != 1)
      return done(error_response(422, make_error("conflicting_fields", "a batch has only \"events\"", "$")));
    if (!events->is_array()) return done(error_response(422, json::wrong_type("$.events", "an array", *events)));
    if (events->as_array().empty() || events->as_array().size() > kMaxEvents)
      return done(error_response(422, make_error("bad_length", "$.events holds 1 to 1000 events", "$.events")));
    for (size_t i = 0; i < events->as_array().size(); ++i)
      items.emplace_back(&events->as_array()[i], json::index_path("$.events", i));
  } else {
    items.emplace_back(doc, "$");
  }
  for (const auto& [ev, path] : items) {
    if (!ev->is_object()) return done(error_response(422, json::wrong_type(path, "an object", *ev)));
    // event_id is the server's; the rest, attribution included, is cost.usage's input.
    const json::Value* idv = ev->find("event_id");
    if (!idv)
      return done(error_response(422, make_error("missing_field", "every usage event needs an event_id",
                                                 json::join_path(path, "event_id"))));
    if (!idv->is_string() || !is_tenant_id(idv->as_string()))
      return done(error_response(422, make_error("bad_format", json::join_path(path, "event_id") + " must be " + kTenantIdRule,
                                                 json::join_path(path, "event_id"))));
    json::Value in = json::Value::object();
    for (const auto& m : ev->as_object())
      if (m.first != "event_id") in.set(m.first, m.second);
    auto priced = thread_engine().call_value("cost.usage", in);
    if (!priced.ok()) return done(unprocessable(priced.error(), path));
    auto cost = parse_decimal(priced->find("total_usd")->as_string(), 9);
    if (!cost.ok()) return done(error_response(500, "internal", "cost.usage returned an unreadable total_usd"));
    UsageAttribution a = stored_attribution(priced.value());
    batch->events.push_back(Event{idv->as_string(), json::to_string(priced.value()), json::to_string(in), cost.value(),
                                  usage_labels(priced.value(), a.task), std::move(a)});
  }
  batch->answers.resize(batch->events.size());
  batch->pending = batch->events.size();
  for (size_t i = 0; i < batch->events.size(); ++i) {
    auto w = std::make_unique<UsageWrite>();
    w->tenant = tenant.id;
    w->id = batch->events[i].id;
    w->status = 200;
    w->body = batch->events[i].priced;
    w->now_ms = received_ms;
    w->expires_ms = received_ms + kUsageKeepMs;
    w->cost_nanos = batch->events[i].cost_nanos;
    w->input = std::move(batch->events[i].input);
    w->attribution = batch->events[i].attribution;
    // The budget's use after this event, and its claim on an audit entry, settled once its
    // transaction committed or finally failed.
    auto judging = std::make_shared<Judging>();
    w->judge = [judging](const StoredBudget& budget, const SpendReader& spent, UsageWrite& w) {
      return judge_usage(budget, spent, w, *judging);
    };
    batcher_.submit(std::move(w), [this, batch, i, ticket, reply, judging](Write& written, const Status& s) {
      auto& w = static_cast<UsageWrite&>(written);
      settle_judging(*judging, w, s);
      std::unique_lock<std::mutex> l(batch->mu);
      if (!s.ok() && !batch->failed) batch->failed = s;
      if (s.ok() && judging->used_fraction >= 0) metrics_.budget_used.set({w.tenant}, judging->used_fraction);
      if (s.ok() && w.audit && w.audit->type == "budget.decision")
        metrics_.budget_decisions.inc({w.tenant, w.audit->data.find("action")->as_string()});
      const UsageLabels& labels = batch->events[i].labels;
      if (s.ok() && w.refused) {
        batch->answers[i] = refused_answer(w);
        if (batch->single) batch->refused_single = refusal_error(w);
        if (!w.unknown_verification) metrics_.budget_refused_by_tenant.inc(w.tenant);
        count_usage(metrics_, w.tenant, labels, "refused", 0);
      } else {
        batch->answers[i] = usage_answer(w.id, w.winner_body, !w.won);
        (w.won ? metrics_.usage_events_by_tenant : metrics_.usage_duplicates_by_tenant).inc(w.tenant);
        if (s.ok() && w.won && w.audit) metrics_.budget_decisions_by_tenant.inc(w.tenant);
        if (s.ok()) count_usage(metrics_, w.tenant, labels, w.won ? "stored" : "duplicate", w.cost_nanos);
      }
      if (--batch->pending > 0) return;
      l.unlock();
      // The last event's write answers, on the batcher thread: the answer goes straight to the
      // connection's strand.
      release(ticket);
      if (batch->failed) return reply(store_failure(*batch->failed, "the usage events could not be stored", metrics_));
      Response r;
      if (batch->refused_single) {
        r = error_response(batch->refused_single->code == "budget_exceeded" ? 402 : 422, *batch->refused_single);
      } else if (batch->single) {
        r.body = std::move(batch->answers[0]);
      } else {
        r.body = "{\"results\":[";
        for (size_t k = 0; k < batch->answers.size(); ++k) r.body += (k ? "," : "") + batch->answers[k];
        r.body += "]}";
      }
      reply(std::move(r));
    });
  }
}

}  // namespace flk::server
