// Deterministic elementary functions. The three builds link different libms (glibc natively,
// musl-derived in Emscripten and WASI) that differ in the last bit, and compilers fold calls
// with literal arguments differently. The core therefore never calls std::log/exp/pow/...;
// it calls these, built from +,-,*,/ and exact operations only (with -ffp-contract=off), so
// every build returns the same bits. Accuracy, measured against glibc's long double functions by
// tests/native/dmath_accuracy_test.cc: docs/determinism.md lists the bound of each function.
#pragma once

namespace flk::dm {

double log(double x);
double log2(double x);
double exp(double x);
double log1p_exp(double x);   // log(1 + e^x) without overflow (softplus)
double sigmoid(double x);     // 1 / (1 + e^-x), stable for large |x|
double tanh(double x);
double pow(double x, double y);  // C99 special cases (pow(x, 0) = 1, negative bases with integer y)
double sqrt(double x);        // IEEE correctly rounded everywhere; here for one import point

}  // namespace flk::dm
