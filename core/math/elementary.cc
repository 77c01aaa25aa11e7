#include "math/elementary.h"

#include "math/dmath.h"

namespace flk::dm {
namespace {

struct Named {
  const char* name;
  UnaryFn f;
};
const Named kFns[] = {{"log", log},         {"log2", log2}, {"exp", exp},  {"sigmoid", sigmoid},
                      {"tanh", tanh},       {"log1p_exp", log1p_exp},      {"sqrt", sqrt}};

}  // namespace

UnaryFn find_elementary(std::string_view name) {
  for (const Named& n : kFns)
    if (name == n.name) return n.f;
  return nullptr;
}

void apply_in_place(UnaryFn f, double* xs, size_t n) {
  for (size_t i = 0; i < n; ++i) xs[i] = f(xs[i]);
}

}  // namespace flk::dm
