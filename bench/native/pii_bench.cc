// Throughput of pii::scan (MB/s via SetBytesProcessed) on prose with planted PII, on text with
// none, and on the adversarial shapes the linear-time bounds are about (docs/pii.md).
#include <benchmark/benchmark.h>

#include <string>

#include "crypto/hash.h"
#include "pii/redact.h"
#include "pii/scan.h"

namespace {

std::string repeat(const std::string& unit, size_t bytes) {
  std::string s;
  while (s.size() < bytes) s += unit;
  s.resize(bytes);
  return s;
}

const std::string kProse =
    "Hi team, the customer jane.doe@example.com called from +1 415-555-2671 about order #4839201 "
    "(paid with 4111 1111 1111 1111). Logs show 10.0.0.12 hitting v2.14.3 at 2024-01-15T10:30:00Z. ";
const std::string kClean =
    "The quarterly review covered latency, error budgets and the rollout plan for the new region; "
    "no action items were assigned and the next meeting is scheduled for Thursday afternoon. ";

void run(benchmark::State& st, const std::string& text) {
  for (auto _ : st) benchmark::DoNotOptimize(flk::pii::scan(text, {}));
  st.SetBytesProcessed(static_cast<int64_t>(st.iterations()) * static_cast<int64_t>(text.size()));
}

void BM_PiiScanProse(benchmark::State& st) { run(st, repeat(kProse, 1u << 20)); }
void BM_PiiScanClean(benchmark::State& st) { run(st, repeat(kClean, 1u << 20)); }
void BM_PiiScanAdversarial(benchmark::State& st) {
  static const char* const kUnits[] = {"a@", "1 ", "a=", "+1 ", "-----BEGIN PRIVATE KEY-----\n", "1"};
  run(st, repeat(kUnits[st.range(0)], 1u << 20));
}
BENCHMARK(BM_PiiScanProse)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PiiScanClean)->Unit(benchmark::kMillisecond);
// 0 "a@a@…", 1 "1 1 1 …", 2 "a=a=…", 3 "+1 +1 …", 4 repeated key headers, 5 one long digit run
BENCHMARK(BM_PiiScanAdversarial)->DenseRange(0, 5)->Unit(benchmark::kMillisecond);

void BM_PiiRedactPseudonym(benchmark::State& st) {
  flk::crypto::init();
  std::string text = repeat(kProse, 1u << 20);
  flk::crypto::Bytes key(32, 7);
  auto found = flk::pii::scan(text, {});
  for (auto _ : st) benchmark::DoNotOptimize(flk::pii::redact(text, found, flk::pii::Mode::Pseudonym, key));
  st.SetBytesProcessed(static_cast<int64_t>(st.iterations()) * static_cast<int64_t>(text.size()));
}
BENCHMARK(BM_PiiRedactPseudonym)->Unit(benchmark::kMillisecond);

}  // namespace
