#include "math/dmath.h"

#include "math/double_double.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

namespace flk::dm {
namespace {

// ln 2 split so that k * kLn2Hi is exact for |k| < 2^20.
constexpr double kLn2Hi = 6.93147180369123816490e-01;
constexpr double kLn2Lo = 1.90821492927058770002e-10;
constexpr double kInvLn2 = 1.44269504088896338700e+00;
constexpr double kSqrt2 = 1.41421356237309514547e+00;

uint64_t bits(double x) {
  uint64_t u;
  std::memcpy(&u, &x, sizeof u);
  return u;
}
double from_bits(uint64_t u) {
  double x;
  std::memcpy(&x, &u, sizeof x);
  return x;
}

// 2^k for k in the normal exponent range.
double pow2i(int k) { return from_bits(static_cast<uint64_t>(k + 1023) << 52); }

// Splits finite x > 0 into m * 2^k with m in [sqrt(2)/2, sqrt(2)).
void split(double x, double& m, int& k) {
  k = 0;
  if (x < std::numeric_limits<double>::min()) {  // subnormal: scale into the normal range
    x *= 18014398509481984.0;                     // 2^54
    k = -54;
  }
  uint64_t u = bits(x);
  k += static_cast<int>((u >> 52) & 0x7FF) - 1023;
  m = from_bits((u & 0x000FFFFFFFFFFFFFull) | 0x3FF0000000000000ull);
  if (m >= kSqrt2) {
    m *= 0.5;
    ++k;
  }
}

// log(1 + f) - f as the pair (hfsq, s*(hfsq + R)): log(1+f) = f - (hfsq - s*(hfsq + R)),
// where s = f/(2+f) and R = 2(z/3 + z^2/5 + ...), z = s^2 (the atanh series).
double log1p_core(double f, double& hfsq) {
  double s = f / (2.0 + f);
  double z = s * s;
  double r = 0;
  for (int n = 12; n >= 1; --n) r = z * (1.0 / (2 * n + 1) + r);
  r *= 2.0;
  hfsq = 0.5 * f * f;
  return s * (hfsq + r);
}

// ln 2 as a double-double (106 bits).
constexpr dd::DD kLn2{6.93147180559945286227e-01, 2.31904681384629955842e-17};

// log x for finite x > 0 as a double-double, relative error below 2^-75: log m = 2 atanh(s),
// s = f / (2 + f), summed as 2s (1 + z/3 + z^2/5 + ...) with z = s^2 <= 0.0295, all in
// double-double; then + k ln 2.
dd::DD log_dd(double x) {
  double m;
  int k;
  split(x, m, k);
  const double f = m - 1.0;  // exact for m in [1/2, 2]
  const dd::DD s = dd::div({f, 0}, dd::two_sum(2.0, f));
  const dd::DD z = dd::mul(s, s);
  dd::DD p{0, 0};
  for (int n = 16; n >= 0; --n) p = dd::add(dd::div({1, 0}, {2.0 * n + 1, 0}), dd::mul(z, p));
  dd::DD log_m = dd::mul(s, p);
  log_m = {2 * log_m.hi, 2 * log_m.lo};
  return dd::add(dd::mul(kLn2, static_cast<double>(k)), log_m);
}

// e^r - 1 for |r| <= ln2/2 (r = hi + lo, |lo| <= ulp(hi)) as a double-double, relative error near
// 2^-59: r and r^2/2 are exact, only the Taylor tail r^3/6 + ... (under 2 % of the result) is
// rounded.
dd::DD expm1_reduced(dd::DD r) {
  double q = 1.0;
  for (int n = 18; n >= 4; --n) q = 1.0 + r.hi * q / n;
  const double tail = r.hi * r.hi * r.hi / 6.0 * q;
  dd::DD sq = dd::two_prod(r.hi, r.hi);
  dd::DD s = dd::add(dd::two_sum(r.hi, 0.5 * sq.hi), 0.5 * sq.lo);
  // expm1(hi + lo) = expm1(hi) + lo e^hi, and e^hi ~ 1 + hi is enough for the tiny lo.
  return dd::add(s, tail + r.lo * (1.0 + r.hi));
}

// e^t = (1 + em) 2^k for |t| < 746 (t a double-double), em as a double-double.
struct Reduced {
  dd::DD em;
  int k;
};
Reduced exp_dd(dd::DD t) {
  const int k = static_cast<int>(std::floor(t.hi * kInvLn2 + 0.5));
  const double dk = k;
  // t.hi - k ln2hi is exact (ln2hi has 32 significant bits, |k| < 2^11, and Sterbenz).
  return {expm1_reduced(dd::two_sum(t.hi - dk * kLn2Hi, t.lo - dk * kLn2Lo)), k};
}

// x 2^k for a double-double x of magnitude in [1/2, 2], rounded once (also to a subnormal).
double scale(dd::DD x, int k) {
  const double v = dd::value(x);
  if (k > 1023) return v * 2.0 * pow2i(k - 1);
  if (k < -1021) return v * pow2i(k + 1000) * pow2i(-1000);
  return v * pow2i(k);
}

bool is_integer(double y) { return std::floor(y) == y; }
bool is_odd_integer(double y) { return std::fabs(y) < 9007199254740992.0 && is_integer(y) && std::fmod(y, 2.0) != 0; }

}  // namespace

double log(double x) {
  if (std::isnan(x) || x < 0) return std::numeric_limits<double>::quiet_NaN();
  if (x == 0) return -std::numeric_limits<double>::infinity();
  if (std::isinf(x)) return x;
  double m;
  int k;
  split(x, m, k);
  double f = m - 1.0;
  double hfsq;
  double t = log1p_core(f, hfsq);
  double dk = k;
  return dk * kLn2Hi - ((hfsq - (t + dk * kLn2Lo)) - f);
}

double log2(double x) {
  if (std::isnan(x) || x < 0) return std::numeric_limits<double>::quiet_NaN();
  if (x == 0) return -std::numeric_limits<double>::infinity();
  if (std::isinf(x)) return x;
  double m;
  int k;
  split(x, m, k);
  double f = m - 1.0;
  double hfsq;
  double t = log1p_core(f, hfsq);
  double lnm = f - (hfsq - t);
  return static_cast<double>(k) + lnm * kInvLn2;
}

double exp(double x) {
  if (std::isnan(x)) return x;
  if (x > 709.782712893383973096) return std::numeric_limits<double>::infinity();
  if (x < -745.133219101941108420) return 0.0;
  int k = static_cast<int>(std::floor(x * kInvLn2 + 0.5));
  double dk = k;
  double hi = x - dk * kLn2Hi;
  double lo = dk * kLn2Lo;
  double r = hi - lo;
  // e^r for |r| <= ln2/2 by its Taylor series (Horner), then scale by 2^k.
  double p = 1.0;
  for (int n = 17; n >= 1; --n) p = 1.0 + p * r / n;
  if (k > 1023) return p * 2.0 * pow2i(k - 1);
  if (k < -1021) return p * pow2i(k + 1000) * pow2i(-1000);
  return p * pow2i(k);
}

double log1p_exp(double x) {
  if (x > 36) return x + exp(-x);
  if (x < -36) return exp(x);
  double e = exp(x);
  // log(1 + e) with the compensated-argument trick for small e.
  double u = 1.0 + e;
  if (u == 1.0) return e;
  return log(u) * (e / (u - 1.0));
}

double sigmoid(double x) {
  if (x >= 0) return 1.0 / (1.0 + exp(-x));
  double e = exp(x);
  return e / (1.0 + e);
}

double tanh(double x) {
  const double a = std::fabs(x);
  if (!(a >= 0x1p-27)) return x;  // +-0, tiny and NaN: tanh x = x (1 - x^2/3 + ...) rounds to x
  if (a > 22) return std::copysign(1.0, x);  // 1 - tanh 22 < 2^-63
  // tanh a = -E / (2 + E) with E = e^(-2a) - 1 in double-double: no cancellation near 0.
  const Reduced e = exp_dd({-2.0 * a, 0});
  dd::DD big_e = e.em;
  if (e.k != 0) {
    const double two_k = pow2i(e.k);
    dd::DD em1 = dd::add(e.em, 1.0);
    big_e = dd::add(dd::DD{em1.hi * two_k, em1.lo * two_k}, -1.0);
  }
  const double t = dd::value(dd::div(big_e, dd::add(big_e, 2.0)));
  return std::copysign(t, x);  // t = -tanh a
}

// C99 Annex F rules for the special cases, then e^(y log|x|) in double-double, rounded once.
double pow(double x, double y) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  if (y == 0 || x == 1) return 1.0;
  if (std::isnan(x) || std::isnan(y)) return std::numeric_limits<double>::quiet_NaN();
  const bool odd = is_odd_integer(y);
  if (x == 0) return y < 0 ? (odd ? std::copysign(kInf, x) : kInf) : (odd ? x : 0.0);
  const double ax = std::fabs(x);
  // |y| > 2^64 overflows or underflows for every |x| != 1 (|log |x|| >= 2^-53) and is even.
  if (std::isinf(y) || std::fabs(y) > 0x1p64) {
    if (ax == 1) return 1.0;
    return (ax < 1) == (y < 0) ? kInf : 0.0;
  }
  if (std::isinf(x)) {
    const double mag = y < 0 ? 0.0 : kInf;
    return x < 0 && odd ? -mag : mag;
  }
  if (x < 0 && !is_integer(y)) return std::numeric_limits<double>::quiet_NaN();
  const double sign = x < 0 && odd ? -1.0 : 1.0;
  if (ax == 1) return sign;
  const dd::DD t = dd::mul(log_dd(ax), y);
  if (t.hi > 710) return sign * kInf;
  if (t.hi < -746) return sign * 0.0;
  const Reduced e = exp_dd(t);
  return sign * scale(dd::add(e.em, 1.0), e.k);
}

double sqrt(double x) { return std::sqrt(x); }

}  // namespace flk::dm
