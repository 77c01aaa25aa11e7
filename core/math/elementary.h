// The deterministic elementary functions by name, shared by the JSON op math.elementary and
// the typed fast paths of the wasm builds (Float64Array in, Float64Array out), so both run
// exactly the same code.
#pragma once
#include <cstddef>
#include <string_view>

namespace flk::dm {

using UnaryFn = double (*)(double);

// The largest array one call takes, in either path.
constexpr size_t kMaxElementaryItems = 1u << 20;

// "log" | "log2" | "exp" | "sigmoid" | "tanh" | "log1p_exp" | "sqrt"; nullptr when unknown.
UnaryFn find_elementary(std::string_view name);

// xs[i] = f(xs[i]) for i < n, in order.
void apply_in_place(UnaryFn f, double* xs, size_t n);

}  // namespace flk::dm
