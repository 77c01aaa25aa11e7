#include "facade/fast_path.h"

#include <vector>

#include "math/elementary.h"

namespace flk::fast {
namespace {
std::vector<double>& scratch() {
  static std::vector<double> s;
  return s;
}
}  // namespace

double* f64_scratch(size_t n) {
  if (scratch().size() < n) scratch().resize(n);
  return scratch().data();
}

Status elementary_f64(std::string_view fn, size_t n) {
  dm::UnaryFn f = dm::find_elementary(fn);
  if (!f) return kUnknownFn;
  if (n > dm::kMaxElementaryItems || n > scratch().size()) return kTooLarge;
  dm::apply_in_place(f, scratch().data(), n);
  return kOk;
}

}  // namespace flk::fast
