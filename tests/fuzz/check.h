// What the fuzz harnesses share: a property check that aborts (libFuzzer saves the input that
// broke it) and the entry point each harness defines. The harnesses also build without
// libFuzzer, with replay_main.cc, so ctest replays every corpus file in the ordinary and the
// sanitizer builds.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(cond)                                                      \
  do {                                                                        \
    if (!(cond)) {                                                            \
      std::fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                           \
    }                                                                         \
  } while (0)

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
// Optional: run once before the first input (and outside the per-input timeout).
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);
