// The number conversions that replaced printf and strtod (json/read_decimal.h, json/fixed_text.h,
// json/number_format.h), checked against glibc's as the oracle, on any text and any double:
// read_decimal reads the prefix strtod reads, to the same bits; append_fixed writes printf's "%.*f";
// the shortest digits read back to the same double.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "check.h"
#include "json/fixed_text.h"
#include "json/number_format.h"
#include "json/read_decimal.h"

namespace {

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

void check_text(const char* data, size_t size) {
  const std::string text(data, size < 512 ? size : 512);
  double mine = 0;
  const size_t n = flk::json::read_decimal(text, &mine);
  if (n == 0) return;
  const std::string prefix = text.substr(0, n);  // strtod on the prefix alone: no hex or "inf" beyond it
  char* end = nullptr;
  const double theirs = std::strtod(prefix.c_str(), &end);
  FUZZ_CHECK(static_cast<size_t>(end - prefix.c_str()) == n);
  FUZZ_CHECK(same_bits(mine, theirs));
}

void check_double(const char* data, size_t size) {
  double x;
  std::memcpy(&x, data, sizeof x);
  const int places = static_cast<unsigned char>(data[8]) % 41;
  std::string mine;
  flk::json::append_fixed(mine, x, places);
  const int len = std::snprintf(nullptr, 0, "%.*f", places, x);
  std::string theirs(static_cast<size_t>(len) + 1, '\0');
  std::snprintf(&theirs[0], theirs.size(), "%.*f", places, x);
  theirs.resize(static_cast<size_t>(len));
  FUZZ_CHECK(mine == theirs);
  if (!std::isfinite(x)) return;
  const std::string repr = flk::json::format_double(x);
  FUZZ_CHECK(same_bits(std::strtod(repr.c_str(), nullptr), x) || (x == 0 && std::strtod(repr.c_str(), nullptr) == 0));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const char* rest = reinterpret_cast<const char*>(data) + 1;
  if (data[0] & 1) check_text(rest, size - 1);
  else if (size >= 10) check_double(rest, size - 1);
  return 0;
}
