#include "json/grisu_shortest.h"

#include <cstdint>
#include <cstring>

#include "json/cached_powers.h"

namespace flk::json {

namespace {

// f * 2^e with a 64-bit significand.
struct Fp {
  uint64_t f;
  int e;
};

// Upper 64 bits of the 128-bit product, rounded half up; error at most half a unit. Built from
// 32-bit halves so every toolchain computes the same bits without 128-bit integer support.
Fp multiply(Fp a, Fp b) {
  constexpr uint64_t kLow = 0xFFFFFFFFull;
  uint64_t ah = a.f >> 32, al = a.f & kLow, bh = b.f >> 32, bl = b.f & kLow;
  uint64_t hh = ah * bh, hl = ah * bl, lh = al * bh, ll = al * bl;
  uint64_t mid = (ll >> 32) + (hl & kLow) + (lh & kLow) + (1ull << 31);
  return {hh + (hl >> 32) + (lh >> 32) + (mid >> 32), a.e + b.e + 64};
}

// Precondition: v.f != 0.
Fp normalized(Fp v) {
  int shift = __builtin_clzll(v.f);
  return {v.f << shift, v.e - shift};
}

// Scaled products land with binary exponent in [kMinExp, kMaxExp]: the integral part of a
// scaled value then fits 32 bits and ten times the fractional part fits 64.
constexpr int kMinExp = -60;
constexpr int kMaxExp = -32;
static_assert(kMaxExp - kMinExp == 28, "the window power_for relies on");

// The cached power c with kMinExp <= e + c.e + 64 <= kMaxExp (table steps are 8 decimal
// digits, about 26.6 binary, narrower than the 28-wide window).
const CachedPower& power_for(int e) {
  int lowest = kMinExp - 64 - e;  // smallest acceptable c.e
  // 10^k ~ 2^(k * log2 10): start near the answer, then step to the exact one.
  int k = (lowest + 63) * 30103 / 100000;
  int i = (k + 348) / 8;
  if (i < 0) i = 0;
  if (i >= kCachedPowerCount) i = kCachedPowerCount - 1;
  while (i + 1 < kCachedPowerCount && kCachedPowers[i].e < lowest) ++i;
  while (i > 0 && kCachedPowers[i - 1].e >= lowest) --i;
  return kCachedPowers[i];
}

// Moves the last digit towards w while that stays inside the unsafe interval and gets closer
// (paper's round_weed), then checks that the result is provably closest and provably inside
// the safe interval. Distances are in units of 2^e of the scaled values; `unit` is their error.
bool round_weed(char& last, uint64_t dist_high_w, uint64_t unsafe, uint64_t rest, uint64_t ten_kappa,
                uint64_t unit) {
  uint64_t small = dist_high_w - unit;  // lower bound of distance from too_high down to w
  uint64_t big = dist_high_w + unit;    // upper bound
  while (rest < small && unsafe - rest >= ten_kappa &&
         (rest + ten_kappa < small || small - rest >= rest + ten_kappa - small)) {
    --last;
    rest += ten_kappa;
  }
  // If the next lower candidate might still be closer to the true w, the answer is unproven.
  if (rest < big && unsafe - rest >= ten_kappa &&
      (rest + ten_kappa < big || big - rest > rest + ten_kappa - big))
    return false;
  return 2 * unit <= rest && rest <= unsafe - 4 * unit;
}

// Generates the digits of too_high until what remains is inside the unsafe interval: the
// first length with any candidate in the widened interval, hence no shorter one exists in the
// true interval. kappa is the decimal exponent of the last digit relative to the scaled value.
// The digits are made in a buffer of their own and assigned once: in the wasm builds each
// push_back was a call into libc++ (docs/edge.md, "Session 14: the WASI small rows"); a digit
// string longer than the buffer, which the 64-bit precision never reaches, is declined.
bool generate(Fp w, Fp low, Fp high, std::string& digits, int& kappa) {
  char buf[32];
  size_t n = 0;
  auto done = [&](bool ok) {
    digits.assign(buf, n);
    return ok;
  };
  uint64_t unit = 1;
  Fp too_low{low.f - unit, low.e};
  Fp too_high{high.f + unit, high.e};
  uint64_t unsafe = too_high.f - too_low.f;
  int shift = -w.e;
  uint64_t one = 1ull << shift;
  uint32_t integrals = static_cast<uint32_t>(too_high.f >> shift);
  uint64_t fractionals = too_high.f & (one - 1);
  uint32_t divisor = 1000000000;
  kappa = 10;
  while (divisor > integrals && kappa > 1) {  // skip leading zeros
    divisor /= 10;
    --kappa;
  }
  while (kappa > 0) {
    buf[n++] = static_cast<char>('0' + integrals / divisor);
    integrals %= divisor;
    --kappa;
    uint64_t rest = (static_cast<uint64_t>(integrals) << shift) + fractionals;
    if (rest < unsafe)
      return done(round_weed(buf[n - 1], too_high.f - w.f, unsafe, rest, static_cast<uint64_t>(divisor) << shift,
                             unit));
    divisor /= 10;
  }
  for (;;) {
    if (n == sizeof buf) return done(false);
    fractionals *= 10;
    unit *= 10;
    unsafe *= 10;
    buf[n++] = static_cast<char>('0' + (fractionals >> shift));
    fractionals &= one - 1;
    --kappa;
    if (fractionals < unsafe)
      return done(round_weed(buf[n - 1], (too_high.f - w.f) * unit, unsafe, fractionals, one, unit));
  }
}

}  // namespace

bool grisu_shortest(double x, std::string& digits, int& exp10) {
  constexpr uint64_t kHidden = 1ull << 52;
  uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  uint64_t frac = bits & (kHidden - 1);
  int biased = static_cast<int>(bits >> 52) & 0x7FF;
  Fp v = biased == 0 ? Fp{frac, -1074} : Fp{frac | kHidden, biased - 1075};
  // Halfway points to the neighbours; below a power of two the neighbour is half as far.
  Fp high = normalized({(v.f << 1) + 1, v.e - 1});
  Fp low = (frac == 0 && biased > 1) ? Fp{(v.f << 2) - 1, v.e - 2} : Fp{(v.f << 1) - 1, v.e - 1};
  low.f <<= low.e - high.e;
  low.e = high.e;
  Fp w = normalized(v);
  const CachedPower& c = power_for(w.e);
  Fp cp{c.f, c.e};
  int kappa;
  if (!generate(multiply(w, cp), multiply(low, cp), multiply(high, cp), digits, kappa))
    return false;
  // x * 10^c.k ~ digits * 10^kappa.
  exp10 = kappa - c.k + static_cast<int>(digits.size()) - 1;
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  return true;
}

}  // namespace flk::json
