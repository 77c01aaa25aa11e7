// flk cost …: cost attribution from files, through the facade (the same ops every build runs).
//   import-billing FILE…   stream FOCUS / CUR / Azure / GCP exports into the billing book, report totals and bad rows
//   report                 ledger totals of usage events (JSON lines), grouped
//   reconcile              usage events vs billing exports
//   forecast               daily spend forecast (+ backtest) of usage, billing or a series
//   advise                 the advisor over usage events and evidence, with budget caps from the forecast
// Human-readable tables by default, the ops' JSON with --json. Long imports draw a progress bar
// on stderr when it is a terminal.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <cstdint>
#include <map>

#include "commands.h"
#include "json/parse.h"
#include "json/write.h"
#include "jsonl_input.h"

namespace flk::cli {
namespace {

constexpr size_t kChunk = 1u << 20;
constexpr size_t kEventsPerCall = 20000;

bool is_tty() { return isatty(STDERR_FILENO) == 1; }

void progress(const std::string& what, int64_t done, int64_t total, int64_t rows) {
  const int width = 30;
  int filled = total > 0 ? static_cast<int>(width * done / total) : 0;
  std::fprintf(stderr, "\r%s [%s%s] %3d%%  %.1f/%.1f MB  %lld rows", what.c_str(), std::string(filled, '#').c_str(),
               std::string(width - filled, '.').c_str(), total > 0 ? static_cast<int>(100 * done / total) : 0,
               done / 1048576.0, total / 1048576.0, static_cast<long long>(rows));
  std::fflush(stderr);
}

// Calls an op; on a typed error prints it (as JSON on stdout, like flk call, naming the flag of
// its field on stderr) and returns false.
bool call(Engine& e, const Parsed& o, const char* op, const json::Value& in, json::Value* out) {
  auto r = e.call_value(op, in);
  if (!r.ok()) {
    print_result(o, r);
    return false;
  }
  *out = std::move(r.value());
  return true;
}

std::string str(const json::Value* v) {
  if (!v) return "";
  if (v->is_string()) return v->as_string();
  if (v->is_null()) return "-";
  return json::to_string(*v);
}

// A plain text table; numeric-looking cells are right-aligned.
void table(const std::vector<std::string>& head, const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> w(head.size());
  for (size_t c = 0; c < head.size(); ++c) w[c] = head[c].size();
  for (const auto& r : rows)
    for (size_t c = 0; c < r.size() && c < w.size(); ++c) w[c] = std::max(w[c], r[c].size());
  auto numeric = [](const std::string& s) {
    return !s.empty() && s.find_first_not_of("0123456789.-+%$,") == std::string::npos;
  };
  auto line = [&](const std::vector<std::string>& r) {
    std::string out;
    for (size_t c = 0; c < w.size(); ++c) {
      std::string cell = c < r.size() ? r[c] : "";
      std::string pad(w[c] - cell.size(), ' ');
      out += (c ? "  " : "") + (numeric(cell) ? pad + cell : cell + pad);
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    std::cout << out << '\n';
  };
  line(head);
  std::string rule;
  for (size_t c = 0; c < w.size(); ++c) rule += (c ? "  " : "") + std::string(w[c], '-');
  std::cout << rule << '\n';
  for (const auto& r : rows) line(r);
}

// Streams one CSV file through cost.billing.begin / chunk / end. Returns an exit status.
int import_file(Engine& e, const std::string& path, const Parsed& o, json::Value* summary) {
  std::ifstream f;
  if (!open_input(path, f)) return io_failure("read", path);
  f.seekg(0, std::ios::end);
  const int64_t size = static_cast<int64_t>(f.tellg());
  f.seekg(0);
  json::Value begin = json::Value::object(), out;
  if (o.has("format")) begin.set("format", o.get("format"));
  if (o.has("strict")) begin.set("strict", true);
  if (!call(e, o, "cost.billing.begin", begin, &out)) return kExitError;
  const bool bar = is_tty() && !o.has("no-progress");
  std::string buf(kChunk, '\0');
  int64_t done = 0;
  while (f) {
    f.read(&buf[0], static_cast<std::streamsize>(buf.size()));
    std::streamsize n = f.gcount();
    if (n <= 0) break;
    done += n;
    json::Value chunk = json::Value::object();
    chunk.set("text", buf.substr(0, static_cast<size_t>(n)));
    if (!call(e, o, "cost.billing.chunk", chunk, &out)) return kExitError;
    if (bar) progress(path, done, size, out.find("rows")->as_int());
  }
  if (bar) std::fprintf(stderr, "\n");
  return call(e, o, "cost.billing.end", json::Value::object(), summary) ? kExitOk : kExitError;
}

// Records usage events (one JSON object per line) in the ledger. Returns an exit status; an event
// the ledger refuses is named by its line (where[i] is the line of the batch's event i).
int record_usage(Engine& e, const std::string& path) {
  std::ifstream f;
  if (!open_input(path, f)) return io_failure("read", path);
  json::Value batch = json::Value::array();
  std::vector<Where> where;
  std::string line;
  size_t lineno = 0;
  auto flush = [&]() {
    if (batch.as_array().empty()) return true;
    json::Value in = json::Value::object();
    in.set("events", std::move(batch)).set("details", false);
    batch = json::Value::array();
    auto r = e.call_value("cost.ledger.record", in);
    if (!r.ok()) report_error(r.error(), where, "$.events");
    where.clear();
    return r.ok();
  };
  while (std::getline(f, line)) {
    ++lineno;
    if (line.empty()) continue;
    auto v = json::parse(line);
    if (!v.ok()) return line_error(path, lineno, v.error());
    batch.push(std::move(v.value()));
    where.push_back({path, lineno});
    if (batch.as_array().size() >= kEventsPerCall && !flush()) return kExitError;
  }
  return flush() ? kExitOk : kExitError;
}

void add_filters(const Parsed& o, json::Value& in) {
  for (const char* k : {"tenant", "provider", "model", "task", "from", "to"})
    if (o.has(k)) in.set(k, o.get(k));
}

int print_json(const json::Value& v) {
  std::cout << json::to_string(v) << '\n';
  return kExitOk;
}

int cost_import(Engine& e, const Parsed& o) {
  json::Value all = json::Value::array();
  for (const std::string& file : o.positional) {
    json::Value s;
    if (int rc = import_file(e, file, o, &s)) return rc;
    s.set("file", file);
    all.push(std::move(s));
  }
  if (o.has("json")) return print_json(o.positional.size() == 1 ? all.as_array()[0] : all);
  std::vector<std::vector<std::string>> files, totals, issues;
  for (const json::Value& s : all.as_array()) {
    std::string fmt = str(s.find("format"));
    if (s.find("focus_version")) fmt += " " + str(s.find("focus_version"));
    files.push_back({str(s.find("file")), fmt, str(s.find("rows")), str(s.find("imported")), str(s.find("skipped")),
                     str(s.find("warning_count")), str(s.find("rounded_values"))});
    for (const json::Value& t : s.find("totals")->as_array())
      totals.push_back({str(t.find("provider")), str(t.find("currency")), str(t.find("month")), str(t.find("billed")),
                        str(t.find("effective")), str(t.find("list")), str(t.find("rows"))});
    for (const json::Value& i : s.find("issues")->as_array())
      if (issues.size() < 20)
        issues.push_back({str(s.find("file")), str(i.find("line")), str(i.find("column")), str(i.find("message"))});
  }
  table({"file", "format", "rows", "imported", "skipped", "warnings", "sub-nano rounded"}, files);
  std::cout << '\n';
  table({"provider", "currency", "month", "billed", "effective", "list", "rows"}, totals);
  if (!issues.empty()) {
    std::cout << '\n';
    table({"file", "line", "column", "problem"}, issues);
  }
  return kExitOk;
}

int cost_report(Engine& e, const Parsed& o) {
  for (const std::string& f : o.all("usage"))
    if (int rc = record_usage(e, f)) return rc;
  std::string by = o.get("by");
  json::Value in = json::Value::object(), groups = json::Value::array(), out;
  std::vector<std::string> keys;
  for (size_t s = 0; s <= by.size();) {
    size_t c = by.find(',', s);
    if (c == std::string::npos) c = by.size();
    if (c > s) {
      keys.push_back(by.substr(s, c - s));
      groups.push(keys.back());
    }
    s = c + 1;
  }
  in.set("group_by", std::move(groups));
  add_filters(o, in);
  if (!call(e, o, "cost.ledger.query", in, &out)) return kExitError;
  if (o.has("json")) return print_json(out);
  std::vector<std::string> head = keys;
  for (const char* h : {"events", "trusted", "total USD", "USD / trusted task"}) head.push_back(h);
  std::vector<std::vector<std::string>> rows;
  auto cells = [&](const json::Value& t, std::vector<std::string> r) {
    r.push_back(str(t.find("events")));
    r.push_back(str(t.find("trusted")));
    r.push_back(str(t.find("total_usd")));
    r.push_back(str(t.find("cost_per_trusted_task_usd")));
    return r;
  };
  for (const json::Value& row : out.find("rows")->as_array()) {
    std::vector<std::string> r;
    for (const std::string& k : keys) r.push_back(str(row.find("key")->find(k)));
    rows.push_back(cells(row, r));
  }
  std::vector<std::string> total(keys.size(), "");
  if (!total.empty()) total[0] = "total";
  rows.push_back(cells(*out.find("totals"), total));
  table(head, rows);
  return kExitOk;
}

int cost_reconcile(Engine& e, const Parsed& o) {
  for (const std::string& f : o.all("usage"))
    if (int rc = record_usage(e, f)) return rc;
  for (const std::string& f : o.all("billing")) {
    json::Value s;
    if (int rc = import_file(e, f, o, &s)) return rc;
  }
  json::Value in = json::Value::object(), out;
  if (o.has("period")) in.set("period", o.get("period"));
  if (o.has("from")) in.set("from", o.get("from"));
  if (o.has("to")) in.set("to", o.get("to"));
  if (o.has("column")) in.set("cost_column", o.get("column"));
  if (o.has("threshold")) in.set("threshold_pct", o.number("threshold"));
  if (o.has("map")) {
    json::Value m = json::Value::object();
    for (const std::string& kv : o.all("map")) {
      size_t eq = kv.find('=');
      if (eq == std::string::npos) return bad_value(o, "map", "provider=Billing Service", kv);
      m.set(kv.substr(0, eq), kv.substr(eq + 1));
    }
    in.set("service_map", std::move(m));
  }
  if (!call(e, o, "cost.reconcile", in, &out)) return kExitError;
  if (o.has("json")) return print_json(out);
  std::cout << "tracked $" << str(out.find("tracked_usd")) << "  billed $" << str(out.find("billed_usd")) << "  delta $"
            << str(out.find("delta_usd")) << " (" << str(out.find("delta_pct")) << " %)  " << str(out.find("status"))
            << (out.find("alert")->as_bool() ? "  ALERT" : "") << "\n\n";
  std::vector<std::vector<std::string>> rows;
  for (const json::Value& s : out.find("services")->as_array())
    rows.push_back({str(s.find("service")), str(s.find("tracked_usd")), str(s.find("billed_usd")), str(s.find("delta_usd")),
                    str(s.find("delta_pct")), str(s.find("status"))});
  const json::Value* un = out.find("unallocated");
  for (const json::Value& s : un->find("services")->as_array())
    rows.push_back({str(s.find("service")) + " (unallocated)", "0.00", str(s.find("billed_usd")), str(s.find("billed_usd")),
                    "", "unallocated"});
  table({"service", "tracked", "billed", "delta", "delta %", "status"}, rows);
  std::cout << '\n';
  for (const json::Value& r : out.find("recommendations")->as_array()) std::cout << "- " << r.as_string() << '\n';
  return kExitOk;
}

// The flags each source of cost forecast reads: any other would be ignored, and the forecast would
// silently cover more than the caller asked for.
const char* forecast_flag_elsewhere(const Parsed& o, const std::string& source) {
  struct ReadBy {
    const char* flag;
    bool usage, billing;
  };
  static const ReadBy kReadBy[] = {{"tenant", true, false},  {"model", true, false},   {"task", true, false},
                                   {"from", true, false},    {"to", true, false},      {"provider", true, true},
                                   {"service", false, true}, {"column", false, true},  {"format", false, true},
                                   {"strict", false, true},  {"no-progress", false, true}};
  for (const ReadBy& r : kReadBy)
    if (o.has(r.flag) && !(source == "usage" ? r.usage : source == "billing" && r.billing)) return r.flag;
  return nullptr;
}

int cost_forecast(Engine& e, const Parsed& o) {
  const int sources = o.has("series") + o.has("usage") + o.has("billing");
  if (sources > 1) return usage_error("cost forecast: takes one of --usage, --billing or --series, not " + std::to_string(sources));
  const std::string source = o.has("series") ? "series" : o.has("usage") ? "usage" : "billing";
  if (const char* flag = sources ? forecast_flag_elsewhere(o, source) : nullptr)
    return usage_error("cost forecast: --" + std::string(flag) + " does not apply to --" + source);
  json::Value in = json::Value::object(), out;
  if (o.has("series")) {
    auto v = read_json_file(o.get("series"));
    if (!v.ok()) return print_result(v);
    in.set("series", std::move(v.value()));
  } else if (o.has("usage")) {
    for (const std::string& f : o.all("usage"))
      if (int rc = record_usage(e, f)) return rc;
    add_filters(o, in);
  } else if (o.has("billing")) {
    for (const std::string& f : o.all("billing")) {
      json::Value s;
      if (int rc = import_file(e, f, o, &s)) return rc;
    }
    // The daily billed series of the imported charges (optionally one provider / service).
    in.set("source", "billing");
    if (o.has("provider")) in.set("provider", o.get("provider"));
    if (o.has("service")) in.set("service", o.get("service"));
    if (o.has("column")) in.set("cost_column", o.get("column"));
  } else {
    return usage_error("cost forecast: needs --usage FILE, --billing FILE or --series FILE");
  }
  in.set("horizon", o.integer("horizon"));
  if (o.has("backtest")) in.set("backtest", true);
  if (!call(e, o, "cost.forecast", in, &out)) return kExitError;
  if (o.has("json")) return print_json(out);
  const json::Value* h = out.find("history");
  std::cout << str(out.find("method")) << " on " << str(h->find("days")) << " days from " << str(h->find("start"))
            << " ($" << str(h->find("total_usd")) << ")\n";
  for (const json::Value& n : out.find("notes")->as_array()) std::cout << "note: " << n.as_string() << '\n';
  std::cout << '\n';
  std::vector<std::vector<std::string>> rows;
  for (const json::Value& p : out.find("points")->as_array())
    rows.push_back({str(p.find("date")), str(p.find("mean_usd")), str(p.find("lower_usd")), str(p.find("upper_usd"))});
  rows.push_back({"total", str(out.find("total_mean_usd")), "", ""});
  table({"date", "mean USD", "95% low", "95% high"}, rows);
  if (const json::Value* b = out.find("backtest"))
    std::cout << "\nbacktest: MAPE " << str(b->find("mape_pct")) << " % over " << str(b->find("origins"))
              << " origins (horizon " << str(b->find("horizon")) << "), 95% interval coverage " << str(b->find("coverage_95"))
              << '\n';
  return kExitOk;
}

// cost.advise over the usage files; --evidence FILE is a JSON object of the op's evidence fields
// (quality, ensemble, latency_tolerant_tasks, storage, …) merged into the call.
int cost_advise(Engine& e, const Parsed& o) {
  json::Value in = json::Value::object(), out;
  if (o.has("evidence")) {
    auto v = read_json_file(o.get("evidence"));
    if (v.ok() && !v->is_object()) v = make_error("wrong_type", o.get("evidence") + ": the evidence is not a JSON object");
    if (!v.ok()) return print_result(v);
    in = std::move(v.value());
  }
  for (const std::string& f : o.all("usage"))
    if (int rc = record_usage(e, f)) return rc;
  o.fill(in);
  if (!call(e, o, "cost.advise", in, &out)) return kExitError;
  if (o.has("json")) return print_json(out);
  std::vector<std::vector<std::string>> rows;
  for (const json::Value& r : out.find("recommendations")->as_array())
    rows.push_back({str(r.find("type")), str(r.find("title")), str(r.find("monthly_savings_usd")), str(r.find("risk"))});
  if (rows.empty()) std::cout << "no recommendation: the evidence given supports none\n";
  else table({"type", "recommendation", "monthly savings", "risk"}, rows);
  std::cout << "\ntotal monthly savings: $" << str(out.find("total_monthly_savings_usd")) << " (from "
            << str(out.find("lookback_days")) << " days)\n";
  const json::Value* b = out.find("budget");
  if (b->find("insufficient_history")) {
    std::cout << "budget: no cap suggested: " << str(b->find("message")) << '\n';
    return kExitOk;
  }
  std::cout << "budget (" << str(b->find("method")) << ", next " << str(b->find("horizon_days")) << " days from "
            << str(b->find("from")) << "): expected $" << str(b->find("forecast_total_usd")) << ", soft cap $"
            << str(b->find("recommended_soft_cap_usd")) << ", hard cap $" << str(b->find("recommended_hard_cap_usd"))
            << " (sum of daily 95% upper bounds)\n";
  if (b->find("status"))
    std::cout << "current cap $" << str(b->find("current_cap_usd")) << ": " << str(b->find("status"))
              << (b->find("cap_crossed_on") ? " (crossed on " + str(b->find("cap_crossed_on")) + ")" : "") << '\n';
  return kExitOk;
}

}  // namespace

std::vector<Spec> cost_specs() {
  const Flag json = {"json", Kind::kSwitch, "", "the op's JSON instead of tables"};
  const Flag usage = Flag{"usage", Kind::kRepeat, "FILE", "usage events, one cost.ledger.record event per line"};
  const Flag billing = Flag{"billing", Kind::kRepeat, "FILE", "a billing export (CSV)"};
  const Flag format =
      Flag{"format", Kind::kEnum, "auto|focus|cur|azure|gcp", "the billing exports' format"}.op("format").or_else("auto");
  const Flag strict = Flag{"strict", Kind::kSwitch, "", "any skipped row, warning or unknown column is an error"}.op("strict");
  const Flag no_progress = {"no-progress", Kind::kSwitch, "", "no progress bar on stderr"};
  const Flag column = Flag{"column", Kind::kEnum, "billed|effective|list", "the billing cost column"}.op("cost_column");
  auto filter = [](const char* name, const char* value, const char* help) { return Flag{name, Kind::kString, value, help}.op(name); };
  const Flag tenant = filter("tenant", "T", "only this tenant"), provider = filter("provider", "P", "only this provider"),
             model = filter("model", "M", "only this model"), task = filter("task", "K", "only this task"),
             from = filter("from", "D", "from this date"), to = filter("to", "D", "to this date");
  return {
      {"cost import-billing", "FILE...", 1, SIZE_MAX, "stream FOCUS / CUR / Azure / GCP exports: totals and bad rows",
       {format, strict, json, no_progress},
       cost_import},
      {"cost report", "", 0, 0, "ledger totals of usage events, grouped",
       {usage.need(), Flag{"by", Kind::kCsv, "tenant,model,task,day,month,provider,label:K", "group by these keys"}
                          .op("group_by").or_else("tenant,model"),
        tenant, provider, model, task, from, to, json},
       cost_report},
      {"cost reconcile", "", 0, 0, "usage events against billing exports",
       {usage.need(), billing.need(), Flag{"period", Kind::kString, "YYYY-MM", "one month"}.op("period"), from, to,
        Flag{"threshold", Kind::kNumber, "PCT", "alert above this delta"}.op("threshold_pct").range(0, 100), column,
        Flag{"map", Kind::kRepeat, "provider=BillingService", "a provider's billing service"}.op("service_map"), format,
        strict, no_progress, json},
       cost_reconcile},
      {"cost forecast", "", 0, 0, "daily spend forecast of --usage, --billing or --series (one of them)",
       {usage, billing, Flag{"series", Kind::kFile, "FILE", "a daily series (JSON)"}.op("series"), tenant, provider, model,
        task, from, to, Flag{"service", Kind::kString, "S", "only this billing service"}.op("service"), column,
        Flag{"horizon", Kind::kInt, "DAYS", "days forecast"}.op("horizon").or_else("7").range(1, 366),
        Flag{"backtest", Kind::kSwitch, "", "also backtest the method"}.op("backtest"), format, strict, no_progress, json},
       cost_forecast},
      {"cost advise", "", 0, 0, "savings recommendations and budget caps from usage events (docs/cost.md)",
       {usage.need(), {"evidence", Kind::kFile, "FILE", "a JSON object of cost.advise's evidence fields"}, tenant, provider,
        model, task, from, to, Flag{"lookback", Kind::kInt, "DAYS", "days of usage read"}.op("lookback_days").range(1, 3660),
        Flag{"cap", Kind::kString, "USD", "the current budget cap"}.op("budget_cap_usd"),
        Flag{"horizon", Kind::kInt, "DAYS", "the budget's days"}.op("budget_horizon_days").range(1, 366), json},
       cost_advise},
  };
}

}  // namespace flk::cli
