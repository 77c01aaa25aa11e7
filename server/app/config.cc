#include "app/config.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "json/parse.h"
#include "json/write.h"

namespace flk::server {
namespace {

enum class Kind { text, integer, number, boolean, json };

struct Option {
  const char* name;  // flag and config-file key; env is FLK_ + upper-case with '-' -> '_'
  Kind kind;
  const char* help;
  void* (*field)(Config&);
};

#define FLK_FIELD(f) [](Config& c) -> void* { return &c.f; }
const std::vector<Option>& options() {
  static const std::vector<Option> list = {
      {"listen", Kind::text, "address:port to listen on (port 0 picks a free one)", FLK_FIELD(listen)},
      {"data", Kind::text, "data directory: the WAL, and the SQLite store unless --store is given", FLK_FIELD(data)},
      {"store", Kind::text, "postgres://user@host:port/db to use PostgreSQL instead of SQLite", FLK_FIELD(store)},
      {"tenants-file", Kind::text, "JSON file of tenants and keys imported at start (see docs/server.md)",
       FLK_FIELD(tenants_file)},
      {"policy-dir", Kind::text, "directory of policy documents, <dir>/<tenant>/*.json|yaml|yml, made active at start (docs/policy.md)",
       FLK_FIELD(policy_dir)},
      {"tenants", Kind::text, "tenants as id:alg:key,... (hmac: the secret text; ed25519: the public key, base64)",
       FLK_FIELD(tenants)},
      {"admin-token", Kind::text, "bearer token for /v1/admin/*; without one the admin endpoints answer 403",
       FLK_FIELD(admin_token)},
      {"threads", Kind::integer, "HTTP worker threads (0: one per core)", FLK_FIELD(threads)},
      {"compute-threads", Kind::integer,
       "threads of the compute pool: hrs.score, audit.verify, reconciliation, billing imports, anomaly, cost "
       "reports (0: one per core)",
       FLK_FIELD(compute_threads)},
      {"compute-queue", Kind::integer, "compute tasks that may wait for a thread (beyond: 503 overloaded, Retry-After)",
       FLK_FIELD(compute_queue)},
      {"store-threads", Kind::integer, "threads of the store pool: blocking store reads and admin writes",
       FLK_FIELD(store_threads)},
      {"store-queue", Kind::integer, "store tasks that may wait for a thread (beyond: 503 overloaded, Retry-After)",
       FLK_FIELD(store_queue)},
      {"max-body", Kind::integer, "largest request body in bytes (larger: 413)", FLK_FIELD(max_body)},
      {"max-connections", Kind::integer,
       "open connections at most; beyond, new ones wait to be accepted (0: RLIMIT_NOFILE less max(32, a quarter))",
       FLK_FIELD(max_connections)},
      {"read-timeout", Kind::integer, "seconds a client may take to send a whole request (slower: 408, closed)",
       FLK_FIELD(read_timeout_s)},
      {"rate-limit", Kind::number, "requests per second per tenant unless the tenant sets its own (429 beyond)",
       FLK_FIELD(rate_limit)},
      {"burst", Kind::number, "token-bucket size per tenant (0: twice the rate)", FLK_FIELD(burst)},
      {"dedup-ttl", Kind::integer, "seconds a verdict answers duplicates (spec: 14 days)", FLK_FIELD(dedup_ttl_s)},
      {"wal-fsync", Kind::boolean, "fdatasync the WAL before answering (false: survives a crash of the process only)",
       FLK_FIELD(wal_fsync)},
      {"wal-segment-mb", Kind::integer, "size of a WAL segment in MiB", FLK_FIELD(wal_segment_mb)},
      {"wal-max-mb", Kind::integer, "MiB the WAL may hold while the store is behind (beyond: 503 wal_full)",
       FLK_FIELD(wal_max_mb)},
      {"drain-timeout", Kind::integer, "seconds SIGTERM waits for in-flight requests", FLK_FIELD(drain_timeout_s)},
      {"key-overlap", Kind::integer, "seconds a retired key stays valid by default", FLK_FIELD(key_overlap_s)},
      {"tenant-refresh", Kind::integer, "seconds between reloads of tenants and keys from the store",
       FLK_FIELD(tenant_refresh_s)},
      {"log-level", Kind::text, "debug | info | warn | error", FLK_FIELD(log_level)},
      {"access-log", Kind::boolean, "log every request (costly at high rates)", FLK_FIELD(access_log)},
      {"reconcile-hour", Kind::integer, "UTC hour (0-23) of the daily reconciliation of stored usage against each "
       "tenant's latest bill (-1: off)", FLK_FIELD(reconcile_hour)},
      {"reconcile-threshold-pct", Kind::number, "drift in percent over which the daily reconciliation alerts",
       FLK_FIELD(reconcile_threshold_pct)},
      {"anomaly-self-ms", Kind::integer, "milliseconds between self-watch samples of the server's own metrics (0: off)",
       FLK_FIELD(anomaly_self_ms)},
      {"anomaly-max-series", Kind::integer, "anomaly streams kept per tenant (the least recently observed is dropped)",
       FLK_FIELD(anomaly_max_series)},
      {"anomaly-reoptimise-every", Kind::integer, "anomaly feedback items between threshold re-optimisations",
       FLK_FIELD(anomaly_reoptimise_every)},
      {"anomaly-event-ttl", Kind::integer, "seconds anomaly events are kept (purged hourly)", FLK_FIELD(anomaly_event_ttl_s)},
      {"port-file", Kind::text, "write the bound port to this file once listening", FLK_FIELD(port_file)},
      {"siem-url", Kind::text, "push the audit chain to this http(s) URL (off when empty; docs/siem.md)", FLK_FIELD(siem_url)},
      {"siem-format", Kind::text, "cloudevents (batch JSON) | hec (Splunk HTTP Event Collector)", FLK_FIELD(siem_format)},
      {"siem-token", Kind::text, "sent as Authorization: Bearer (cloudevents) or Splunk (hec, required)",
       FLK_FIELD(siem_token)},
      {"siem-ca-file", Kind::text, "PEM CA bundle for an https siem-url (empty: the system's CA store)",
       FLK_FIELD(siem_ca_file)},
      {"siem-batch", Kind::integer, "audit entries per SIEM request, 1 to 10000", FLK_FIELD(siem_batch)},
      {"siem-interval-ms", Kind::integer, "milliseconds between SIEM polls of the audit chain once caught up",
       FLK_FIELD(siem_interval_ms)},
      {"siem-max-backoff-ms", Kind::integer, "longest pause between SIEM retries (exponential from 500 ms, jittered)",
       FLK_FIELD(siem_max_backoff_ms)},
      {"siem-timeout", Kind::integer, "seconds to connect, send and read each, per SIEM request", FLK_FIELD(siem_timeout_s)},
      {"pii", Kind::json, "PII policies by tenant, JSON {\"default\": {...}, \"tenants\": {...}} (docs/server.md)",
       FLK_FIELD(pii)},
      {"signing-key", Kind::text,
       "Ed25519 key file that signs POST /v1/verify decisions, created 0600 when absent (empty: <data>/verify-signing.key)",
       FLK_FIELD(signing_key)},
      {"verify", Kind::json, "gate configs by tenant, JSON {\"default\": {...}, \"tenants\": {...}} (docs/server.md)",
       FLK_FIELD(verify)},
  };
  return list;
}
#undef FLK_FIELD

std::string env_name(const char* name) {
  std::string e = "FLK_";
  for (const char* p = name; *p; ++p) e += *p == '-' ? '_' : static_cast<char>(std::toupper(*p));
  return e;
}

std::string default_text(const Option& o) {
  Config c;
  void* f = o.field(c);
  switch (o.kind) {
    case Kind::text:
    case Kind::json:
      return *static_cast<std::string*>(f);
    case Kind::integer:
      return std::to_string(*static_cast<int64_t*>(f));
    case Kind::number: {
      std::ostringstream s;
      s << *static_cast<double*>(f);
      return s.str();
    }
    case Kind::boolean:
      return *static_cast<bool*>(f) ? "true" : "false";
  }
  return "";
}

Status set_value(Config& c, const Option& o, const std::string& v, const std::string& where) {
  void* f = o.field(c);
  auto bad = [&](const char* what) {
    return make_error("bad_config", where + ": " + o.name + " must be " + what + ", got \"" + v + "\"");
  };
  char* end = nullptr;
  switch (o.kind) {
    case Kind::text:
    case Kind::json:
      *static_cast<std::string*>(f) = v;
      return Ok{};
    case Kind::integer: {
      long long n = std::strtoll(v.c_str(), &end, 10);
      if (v.empty() || *end || n < 0) return bad("a non-negative integer");
      *static_cast<int64_t*>(f) = n;
      return Ok{};
    }
    case Kind::number: {
      double d = std::strtod(v.c_str(), &end);
      if (v.empty() || *end || !(d >= 0) || d > 1e12) return bad("a non-negative number");
      *static_cast<double*>(f) = d;
      return Ok{};
    }
    case Kind::boolean:
      if (v == "true" || v == "1") {
        *static_cast<bool*>(f) = true;
      } else if (v == "false" || v == "0") {
        *static_cast<bool*>(f) = false;
      } else {
        return bad("true or false");
      }
      return Ok{};
  }
  return Ok{};
}

const Option* find_option(const std::string& name) {
  for (const Option& o : options())
    if (name == o.name) return &o;
  return nullptr;
}

Status apply_file(Config& c, const std::string& path) {
  std::ifstream f(path);
  if (!f) return make_error("bad_config", "cannot read config file " + path);
  std::stringstream ss;
  ss << f.rdbuf();
  auto v = json::parse(ss.str());
  if (!v.ok()) return make_error("bad_config", path + ": " + v.error().message);
  if (!v->is_object()) return make_error("bad_config", path + ": must hold a JSON object");
  for (const auto& m : v->as_object()) {
    const Option* o = find_option(m.first);
    if (!o) return make_error("bad_config", path + ": unknown setting \"" + m.first + "\"");
    std::string text;
    if (o->kind == Kind::json && m.second.is_object()) {
      text = json::to_string(m.second);
    } else if (m.second.is_string()) {
      text = m.second.as_string();
    } else if (m.second.is_bool()) {
      text = m.second.as_bool() ? "true" : "false";
    } else if (m.second.is_int()) {
      text = std::to_string(m.second.as_int());
    } else if (m.second.is_number()) {
      std::ostringstream s;
      s.precision(17);
      s << m.second.as_double();
      text = s.str();
    } else {
      return make_error("bad_config", path + ": " + m.first + " must be a string, number or boolean");
    }
    FLK_TRY(set_value(c, *o, text, path));
  }
  return Ok{};
}

}  // namespace

Result<ParsedArgs> parse_config(const std::vector<std::string>& args, const char* (*getenv_fn)(const char*)) {
  ParsedArgs out;
  std::vector<std::pair<const Option*, std::string>> flags;
  std::string config_file;
  if (const char* e = getenv_fn("FLK_CONFIG")) config_file = e;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string a = args[i];
    if (a == "--help" || a == "-h") {
      out.help = true;
      continue;
    }
    if (a == "--list-metrics") {
      out.list_metrics = true;
      continue;
    }
    if (a == "--list-routes") {
      out.list_routes = true;
      continue;
    }
    if (a == "--routes") {
      out.route_table = true;
      continue;
    }
    if (a == "--version") {
      out.version = true;
      continue;
    }
    if (a.rfind("--", 0) != 0) return make_error("bad_config", "unexpected argument \"" + a + "\"");
    std::string name = a.substr(2), value;
    size_t eq = name.find('=');
    if (eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    // The name first: a misspelt flag is reported as unknown, not as missing its value.
    const Option* o = find_option(name);
    if (!o && name != "config") return make_error("bad_config", "unknown flag --" + name + " (see --help)");
    if (eq == std::string::npos) {
      if (i + 1 >= args.size()) return make_error("bad_config", "--" + name + " needs a value");
      value = args[++i];
    }
    if (!o) {
      config_file = value;
      continue;
    }
    flags.emplace_back(o, value);
  }
  if (!config_file.empty()) FLK_TRY(apply_file(out.config, config_file));
  for (const Option& o : options())
    if (const char* e = getenv_fn(env_name(o.name).c_str())) FLK_TRY(set_value(out.config, o, e, env_name(o.name)));
  for (const auto& f : flags) FLK_TRY(set_value(out.config, *f.first, f.second, std::string("--") + f.first->name));
  return out;
}

std::string config_help() {
  std::string h;
  for (const Option& o : options()) {
    std::string flag = std::string("  --") + o.name + " " + (o.kind == Kind::boolean ? "BOOL" : "VALUE");
    flag.resize(std::max<size_t>(flag.size() + 1, 30), ' ');
    h += flag + o.help + "\n" + std::string(30, ' ') + "env " + env_name(o.name) + ", default \"" + default_text(o) +
         "\"\n";
  }
  h += "  --config FILE               JSON object of the settings above (keys are the flag names)\n";
  h += std::string(30, ' ') + "env FLK_CONFIG\n";
  return h;
}

}  // namespace flk::server
