// Double-double arithmetic (a value as the unevaluated sum hi + lo, about 106 bits) from
// error-free transformations: Knuth's two-sum and Dekker's split product. They use + - * only and
// are exact under round-to-nearest without contraction (-ffp-contract=off), so every build gets
// the same bits. Used where a double result must come out of a longer computation rounded once
// (dm::pow, dm::tanh).
#pragma once

namespace flk::dm::dd {

struct DD {
  double hi = 0, lo = 0;
};

// a + b exactly, for any a, b.
inline DD two_sum(double a, double b) {
  const double s = a + b;
  const double bb = s - a;
  return {s, (a - (s - bb)) + (b - bb)};
}

// a + b exactly when |a| >= |b| (or a == 0).
inline DD fast_two_sum(double a, double b) {
  const double s = a + b;
  return {s, b - (s - a)};
}

// a * b exactly (barring overflow and underflow): Dekker's product of 26-bit halves.
inline DD two_prod(double a, double b) {
  constexpr double kSplit = 134217729.0;  // 2^27 + 1
  const double p = a * b;
  const double ca = kSplit * a, cb = kSplit * b;
  const double ah = ca - (ca - a), al = a - ah;
  const double bh = cb - (cb - b), bl = b - bh;
  return {p, ((ah * bh - p) + ah * bl + al * bh) + al * bl};
}

inline DD add(DD a, DD b) {
  DD s = two_sum(a.hi, b.hi);
  DD t = two_sum(a.lo, b.lo);
  s = fast_two_sum(s.hi, s.lo + t.hi);
  return fast_two_sum(s.hi, s.lo + t.lo);
}

inline DD add(DD a, double b) {
  DD s = two_sum(a.hi, b);
  return fast_two_sum(s.hi, s.lo + a.lo);
}

inline DD mul(DD a, DD b) {
  DD p = two_prod(a.hi, b.hi);
  return fast_two_sum(p.hi, p.lo + (a.hi * b.lo + a.lo * b.hi));
}

inline DD mul(DD a, double b) {
  DD p = two_prod(a.hi, b);
  return fast_two_sum(p.hi, p.lo + a.lo * b);
}

// a / b: the quotient of the high parts, then one correction from the exact remainder.
inline DD div(DD a, DD b) {
  const double q = a.hi / b.hi;
  DD r = add(a, mul(b, -q));
  return fast_two_sum(q, r.hi / b.hi);
}

inline double value(DD a) { return a.hi + a.lo; }

}  // namespace flk::dm::dd
