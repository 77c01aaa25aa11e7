// Deterministic elementary functions. The three builds link different libms (glibc natively,
// musl-derived in Emscripten and WASI) that differ in the last bit, and compilers fold calls
// with literal arguments differently. The core therefore never calls std::log/exp/pow/...;
// it calls these, built from +,-,*,/ and exact operations only (with -ffp-contract=off), so
// every build returns the same bits. Accuracy: within about 1 ulp on the full double range.
#pragma once

namespace flk::dm {

double log(double x);
double log2(double x);
double exp(double x);
double log1p_exp(double x);   // log(1 + e^x) without overflow (softplus)
double sigmoid(double x);     // 1 / (1 + e^-x), stable for large |x|
double tanh(double x);
double pow(double x, double y);  // exp(y log x) for x > 0; x == 0 → 0 (y > 0)
double sqrt(double x);        // IEEE correctly rounded everywhere; here for one import point

}  // namespace flk::dm
