#include "cost/money.h"

#include "util/decimal.h"
#include "util/wide_uint.h"

namespace flk::cost {

Result<Nanos> line_cost(int64_t quantity, PricePerM price) {
  if (quantity == 0 || price == 0) return Nanos{0};
  bool neg = (quantity < 0) != (price < 0);
  uint64_t q = quantity < 0 ? uint64_t{0} - static_cast<uint64_t>(quantity) : static_cast<uint64_t>(quantity);
  uint64_t p = price < 0 ? uint64_t{0} - static_cast<uint64_t>(price) : static_cast<uint64_t>(price);
  int64_t out = 0;
  uint64_t prod;
  if (!__builtin_mul_overflow(q, p, &prod)) {
    // Fast path: the product fits 64 bits.
    uint64_t whole = prod / 1000000, rem = prod % 1000000;
    if (rem > 500000 || (rem == 500000 && (whole & 1))) ++whole;
    out = static_cast<int64_t>(whole);  // whole <= 2^64 / 10^6 < INT64_MAX
  } else {
    WideUint w(q);
    w.mul(p);  // 128 bits at most: cannot overflow 256
    if (!div_round_half_even(w, 1000000, 0, &out))
      return make_error("out_of_range", "line item cost exceeds the money range");
  }
  return neg ? -out : out;
}

Nanos divide(Nanos v, int64_t n) {
  Nanos q = v / n, r = v % n;  // truncated toward zero
  Nanos twice = (r < 0 ? -r : r) * 2;
  if (twice > n || (twice == n && (q & 1))) q += v < 0 ? -1 : 1;
  return q;
}

bool add_nanos(Nanos& a, Nanos b) { return !__builtin_add_overflow(a, b, &a); }

std::string usd(Nanos v) { return format_decimal(v, kUsdScale, 2); }
std::string usd_per_m(PricePerM p) { return format_decimal(p, kPriceMScale, 0); }
std::string usd_per_unit(PricePerM p) { return format_decimal(p, kPriceUnitScale, 0); }

}  // namespace flk::cost
