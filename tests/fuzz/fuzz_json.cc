// The JSON parser and the canonical writer. Properties: the parser never crashes; a parsed value
// writes to text that parses back to an equal value (object member order aside) and writes to
// the same bytes again (parse -> write is idempotent on its own output).
#include <string_view>

#include "check.h"
#include "json/parse.h"
#include "json/write.h"
#include "json/value.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto first = flk::json::parse(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!first.ok()) return 0;
  std::string text;
  FUZZ_CHECK(flk::json::write(first.value(), text));  // the parser admits no non-finite number
  auto second = flk::json::parse(text);
  FUZZ_CHECK(second.ok());
  FUZZ_CHECK(flk::json::equal(first.value(), second.value()));
  std::string again;
  FUZZ_CHECK(flk::json::write(second.value(), again));
  FUZZ_CHECK(again == text);
  return 0;
}
