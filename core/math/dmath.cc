#include "math/dmath.h"

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
  double a = std::fabs(x);
  if (a > 22) return x > 0 ? 1.0 : -1.0;
  double e = exp(-2.0 * a);
  double t = (1.0 - e) / (1.0 + e);
  return x < 0 ? -t : t;
}

double pow(double x, double y) {
  if (x == 0) return y > 0 ? 0.0 : std::numeric_limits<double>::infinity();
  return exp(y * log(x));
}

double sqrt(double x) { return std::sqrt(x); }

}  // namespace flk::dm
