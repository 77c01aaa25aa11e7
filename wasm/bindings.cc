// What only the Emscripten build exports beside core/facade/host_abi.cc's C ABI: the scorer's
// data files, which the native and WASI builds embed (docs/edge.md). Plain exports, no Embind:
// its runtime cost the score variant about 6 KB gzip and copied strings without checking malloc.
#ifndef FLK_OPS_VERIFY_ONLY
#include <emscripten/emscripten.h>

#include <cstdint>
#include <string>

#include "facade/host_abi.h"
#include "facade/hrs_registry.h"
#include "hrs/wordnet.h"

// The default HRS model's JSON text (hrs-default-model.json.gz inflated by the loader), or why the
// loader has none.
extern "C" EMSCRIPTEN_KEEPALIVE void flk_set_default_model(const char* text, uint32_t len, const char* why,
                                                           uint32_t why_len) {
  flk::hrs_io::provide_default_model(flk::host_engine(), std::string(text, len), std::string(why, why_len));
}

// The WordNet table's text (hrs-wordnet.txt.gz inflated by the loader), or why the loader has none.
extern "C" EMSCRIPTEN_KEEPALIVE void flk_set_wordnet(const char* text, uint32_t len, const char* why,
                                                     uint32_t why_len) {
  flk::hrs::provide_wordnet(std::string(text, len), std::string(why, why_len));
}
#endif
