// Cost attribution throughput: usage events → ledger (in memory, with and without pricing, and
// through the JSON facade), billing CSV import in MB/s on the real FOCUS / CUR samples (repeated
// to a few MB), and one forecast fit.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cost/billing.h"
#include "cost/default_catalog.h"
#include "cost/forecast.h"
#include "cost/ledger.h"
#include "cost/pricing.h"
#include "cost/usage.h"
#include "facade/engine.h"
#include "util/civil_time.h"

namespace {

using namespace flk;
using namespace flk::cost;

constexpr int kEvents = 200000;
const char* const kModels[] = {"gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-5-mini", "o3",
                               "claude-sonnet-4-20250514", "claude-3-5-haiku-20241022", "gemini-2.5-flash"};

struct Gen {
  uint64_t s = 88172645463325252ull;
  uint64_t next() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  }
  int pick(int n) { return static_cast<int>(next() % static_cast<uint64_t>(n)); }
};

// Usage as it arrives after parsing: provider counts plus identity. Two shapes of ledger: events
// of one day (a few thousand cells, the steady state of a busy service) and events spread over 30
// days (about 100,000 cells: nearly every event opens a cell, the cache-unfriendly extreme).
struct RawEvent {
  std::string id, tenant, model, task;
  Labels labels;
  Api api;
  ReportedUsage usage;
  int64_t ts;
};

std::vector<RawEvent> make_events(int days) {
  std::vector<RawEvent> v;
  Gen g;
  const int64_t t0 = 20332 * kMsPerDay;  // 2025-09-01
  for (int i = 0; i < kEvents; ++i) {
    RawEvent e;
    e.id = "evt-" + std::to_string(i);
    e.tenant = "tenant-" + std::to_string(g.pick(50));
    int m = g.pick(8);
    e.model = kModels[m];
    e.task = g.pick(2) ? "rag_query" : "pcs_verify";
    e.labels = {{"team", "t" + std::to_string(g.pick(5))}};
    e.api = m >= 5 ? (m == 7 ? Api::gemini : Api::anthropic_messages) : Api::openai_chat;
    e.usage.input = 500 + g.pick(20000);
    e.usage.cache_read = e.api == Api::anthropic_messages ? g.pick(5000) : g.pick(static_cast<int>(e.usage.input / 2));
    e.usage.output = 50 + g.pick(2000);
    e.ts = t0 + static_cast<int64_t>(g.pick(days)) * kMsPerDay + g.pick(86400000);
    v.push_back(std::move(e));
  }
  return v;
}

const std::vector<RawEvent>& raw_events(int days) {
  static const std::vector<RawEvent> one = make_events(1), thirty = make_events(30);
  return days == 1 ? one : thirty;
}

// The whole path minus JSON: rule → catalog lookup → price, then the ledger in batches of 1,000
// events, as cost.ledger.record takes them. The buffers are reused, as a batch ingester would.
constexpr size_t kBatch = 1000;

Status price_event(const Catalog& c, const RawEvent& r, LedgerEvent& e) {
  static const std::string kNoProvider;
  FLK_ASSIGN(Resolved res, resolve(c, kNoProvider, r.model, static_cast<int32_t>(r.ts / kMsPerDay), std::nullopt));
  FLK_ASSIGN(Quantities q, normalize(rule_of(r.api), r.usage));
  FLK_ASSIGN(Priced p, price(*res.entry, q, "standard"));
  e.cost.fill(0);
  e.quantity.fill(0);
  e.event_id = r.id;
  e.timestamp_ms = r.ts;
  e.tenant = r.tenant;
  e.provider = res.entry->provider;
  e.model = res.entry->model;
  e.task = r.task;
  e.labels = r.labels;
  e.verified = true;
  for (const CostLine& line : p.lines) {
    e.cost[static_cast<int>(line.dim)] = line.cost;
    e.quantity[static_cast<int>(line.dim)] = line.quantity;
  }
  return Ok{};
}

void BM_UsageToLedger(benchmark::State& st) {
  const auto& ev = raw_events(static_cast<int>(st.range(0)));
  const Catalog& c = default_catalog();
  std::vector<LedgerEvent> batch;
  std::vector<Recorded> out;
  for (auto _ : st) {
    Ledger l;
    for (size_t i = 0; i < ev.size(); i += kBatch) {
      batch.resize(std::min(kBatch, ev.size() - i));
      for (size_t j = 0; j < batch.size(); ++j) benchmark::DoNotOptimize(price_event(c, ev[i + j], batch[j]));
      out.clear();
      benchmark::DoNotOptimize(l.record_batch(batch, &out));
    }
  }
  st.SetItemsProcessed(st.iterations() * kEvents);
}
BENCHMARK(BM_UsageToLedger)->Arg(1)->Arg(30)->Unit(benchmark::kMillisecond);

void BM_LedgerRecordPriced(benchmark::State& st) {
  const auto& ev = raw_events(static_cast<int>(st.range(0)));
  std::vector<LedgerEvent> priced;
  {
    Ledger scratch;
    for (const RawEvent& r : ev) {
      LedgerEvent e;
      e.event_id = r.id;
      e.timestamp_ms = r.ts;
      e.tenant = r.tenant;
      e.model = r.model;
      e.task = r.task;
      e.labels = r.labels;
      e.cost[0] = r.usage.input * 2500;
      priced.push_back(std::move(e));
    }
  }
  for (auto _ : st) {
    Ledger l;
    for (const LedgerEvent& e : priced) benchmark::DoNotOptimize(l.record(e));
  }
  st.SetItemsProcessed(st.iterations() * kEvents);
}
BENCHMARK(BM_LedgerRecordPriced)->Arg(1)->Arg(30)->Unit(benchmark::kMillisecond);

// The facade: JSON text in (1,000 OpenAI chat usage events per call), JSON out.
void BM_FacadeLedgerRecord(benchmark::State& st) {
  std::string text = "{\"details\":false,\"events\":[";
  for (int i = 0; i < 1000; ++i) {
    if (i) text += ',';
    text += "{\"event_id\":\"e" + std::to_string(i) + "\",\"tenant\":\"t" + std::to_string(i % 7) +
            "\",\"task\":\"rag_query\",\"timestamp\":\"2025-09-0" + std::to_string(1 + i % 9) +
            "T10:00:00Z\",\"model\":\"gpt-4o\",\"usage\":{\"prompt_tokens\":" + std::to_string(1000 + i) +
            ",\"completion_tokens\":200,\"prompt_tokens_details\":{\"cached_tokens\":300}}}";
  }
  text += "]}";
  Engine engine;
  for (auto _ : st) {
    engine.call("cost.ledger.reset", "{}");
    benchmark::DoNotOptimize(engine.call("cost.ledger.record", text));
  }
  st.SetItemsProcessed(st.iterations() * 1000);
}
BENCHMARK(BM_FacadeLedgerRecord)->Unit(benchmark::kMillisecond);

std::string shared_file(const std::string& rel) {
  const char* e = std::getenv("FLK_SHARED_DIR");
  std::string dir = e && *e ? e : std::string(FLK_SOURCE_DIR) + "/../shared";
  std::ifstream f(dir + "/" + rel, std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// The sample's header once, then its data rows repeated to about 16 MB.
std::string repeated(const std::string& file) {
  std::string text = shared_file(file);
  size_t nl = text.find('\n');
  if (text.empty() || nl == std::string::npos) return {};
  std::string header = text.substr(0, nl + 1), body = text.substr(nl + 1);
  if (!body.empty() && body.back() != '\n') body += '\n';
  std::string out = header;
  while (out.size() < (16u << 20)) out += body;
  return out;
}

void import_bench(benchmark::State& st, const std::string& file) {
  std::string text = repeated(file);
  if (text.empty()) {
    st.SkipWithError(("no " + file + " (set FLK_SHARED_DIR)").c_str());
    return;
  }
  for (auto _ : st) {
    BillingImporter imp({});
    for (size_t i = 0; i < text.size(); i += 1u << 20) benchmark::DoNotOptimize(imp.feed(std::string_view(text).substr(i, 1u << 20)));
    benchmark::DoNotOptimize(imp.finish());
  }
  st.SetBytesProcessed(st.iterations() * static_cast<int64_t>(text.size()));
}

void BM_ImportFocus(benchmark::State& st) { import_bench(st, "data/billing/focus/focus-1.0_sample_1000.csv"); }
void BM_ImportCur(benchmark::State& st) { import_bench(st, "data/billing/cur/aws_cur_legacy_anonymized_2023-11.csv"); }
BENCHMARK(BM_ImportFocus)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ImportCur)->Unit(benchmark::kMillisecond);

void BM_Forecast90Days(benchmark::State& st) {
  std::vector<double> y;
  const double week[7] = {1.0, 1.06, 1.1, 1.04, 0.95, 0.45, 0.4};
  Gen g;
  for (int t = 0; t < 90; ++t) y.push_back(200 * week[t % 7] * (1 + 0.05 * (static_cast<double>(g.pick(1000)) / 500 - 1)));
  for (auto _ : st) benchmark::DoNotOptimize(forecast_series(y, 30, 7));
}
BENCHMARK(BM_Forecast90Days)->Unit(benchmark::kMillisecond);

}  // namespace
