// Google Benchmark entries for the crypto primitives behind the PCS signatures.
#include <benchmark/benchmark.h>

#include <string>

#include "crypto/ed25519.h"
#include "crypto/hash.h"

namespace {

void BM_Sha256(benchmark::State& st) {
  flk::crypto::init();
  std::string data(static_cast<size_t>(st.range(0)), 'x');
  for (auto _ : st) benchmark::DoNotOptimize(flk::crypto::sha256(data));
  st.SetBytesProcessed(static_cast<int64_t>(st.iterations()) * st.range(0));
}
BENCHMARK(BM_Sha256)->Arg(64)->Arg(16384);

void BM_HmacSha256(benchmark::State& st) {
  flk::crypto::init();
  flk::crypto::Bytes key = flk::crypto::bytes_of("testsecret");
  std::string msg(200, 'm');
  for (auto _ : st)
    benchmark::DoNotOptimize(flk::crypto::hmac_sha256(key, reinterpret_cast<const uint8_t*>(msg.data()), msg.size()));
}
BENCHMARK(BM_HmacSha256);

void BM_Ed25519Sign(benchmark::State& st) {
  flk::crypto::init();
  flk::crypto::Seed seed{};
  auto digest = flk::crypto::sha256("payload");
  for (auto _ : st) benchmark::DoNotOptimize(flk::crypto::ed25519_sign(seed, digest.data(), digest.size()));
}
BENCHMARK(BM_Ed25519Sign);

void BM_Ed25519Verify(benchmark::State& st) {
  flk::crypto::init();
  flk::crypto::Seed seed{};
  auto digest = flk::crypto::sha256("payload");
  auto pk = flk::crypto::ed25519_public_key(seed);
  auto sig = flk::crypto::ed25519_sign(seed, digest.data(), digest.size());
  for (auto _ : st) benchmark::DoNotOptimize(flk::crypto::ed25519_verify(pk, sig, digest.data(), digest.size()));
}
BENCHMARK(BM_Ed25519Verify);

}  // namespace

BENCHMARK_MAIN();
