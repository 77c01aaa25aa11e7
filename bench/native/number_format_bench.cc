// Time per double of the one float formatter (json/number_format.h): random bit patterns (mostly
// 16-17 significant digits, where the digit search is hardest) and typical probabilities with a
// few decimals such as ops return.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "json/number_format.h"

namespace {

constexpr int kValues = 4096;

std::vector<double> random_bit_patterns() {
  std::mt19937_64 rng(7);
  std::vector<double> v;
  while (v.size() < kValues) {
    uint64_t u = rng();
    double x;
    std::memcpy(&x, &u, sizeof x);
    if (std::isfinite(x)) v.push_back(x);
  }
  return v;
}

// Probabilities as a model computes them: 53 random bits in [0, 1).
std::vector<double> probabilities() {
  std::mt19937_64 rng(8);
  std::vector<double> v;
  for (int i = 0; i < kValues; ++i) v.push_back(static_cast<double>(rng() >> 11) * 0x1p-53);
  return v;
}

// Probabilities rounded to 4 decimals, like scores printed by many ops.
std::vector<double> rounded_probabilities() {
  std::mt19937_64 rng(9);
  std::vector<double> v;
  for (int i = 0; i < kValues; ++i) v.push_back(static_cast<double>(rng() % 10001) / 10000);
  return v;
}

void run(benchmark::State& st, const std::vector<double>& values) {
  std::string out;
  size_t i = 0;
  for (auto _ : st) {
    out.clear();
    flk::json::append_double(out, values[i++ % values.size()]);
    benchmark::DoNotOptimize(out.data());
  }
}

void BM_FormatDouble_RandomBits(benchmark::State& st) {
  static const auto v = random_bit_patterns();
  run(st, v);
}
void BM_FormatDouble_Probability(benchmark::State& st) {
  static const auto v = probabilities();
  run(st, v);
}
void BM_FormatDouble_FourDecimals(benchmark::State& st) {
  static const auto v = rounded_probabilities();
  run(st, v);
}

BENCHMARK(BM_FormatDouble_RandomBits);
BENCHMARK(BM_FormatDouble_Probability);
BENCHMARK(BM_FormatDouble_FourDecimals);

}  // namespace
