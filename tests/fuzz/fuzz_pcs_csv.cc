// The PCS CSV reader (pcs.build's csv input, `flk pcs build --csv`). Properties: no crash; every
// row read has one canonical text and the header's number of coordinates; the limits hold.
#include <string_view>

#include "check.h"
#include "pcs/rows.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  constexpr size_t kMaxRows = 64, kMaxCols = 8;  // small, so inputs can reach both limits
  auto rows = flk::pcs::rows_from_csv(std::string_view(reinterpret_cast<const char*>(data), size), kMaxRows, kMaxCols);
  if (!rows.ok()) {
    FUZZ_CHECK(rows.error().code == "bad_csv");
    return 0;
  }
  const flk::pcs::Rows& r = rows.value();
  FUZZ_CHECK(r.text.size() == r.points.size());
  FUZZ_CHECK(r.text.size() <= kMaxRows);
  for (const auto& p : r.points) {
    FUZZ_CHECK(!p.empty() && p.size() <= kMaxCols);
    FUZZ_CHECK(p.size() == r.points.front().size());
  }
  (void)r.joined();
  return 0;
}
