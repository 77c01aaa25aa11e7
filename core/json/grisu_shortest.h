// Grisu3 (Loitsch, "Printing floating-point numbers quickly and accurately", PLDI 2010): the
// shortest digits that read back as a double, closest to it among the shortest, from 64-bit
// integer arithmetic and a table of cached powers of ten. It proves its answer or declines
// (about 0.5% of random doubles); the caller then takes an exact slow route.
#pragma once
#include <string>

namespace flk::json {

// Shortest, closest digits of finite x > 0 with x = 0.d1d2... * 10^(exp10 + 1), e.g.
// 0.01234 -> "1234", -2. Returns false (outputs unspecified) when it cannot prove both.
bool grisu_shortest(double x, std::string& digits, int& exp10);

}  // namespace flk::json
