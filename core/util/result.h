// Errors as values: the core is built with -fno-exceptions (the WASI toolchain has none),
// so every fallible function returns Result<T> or Status.
#pragma once
#include <string>
#include <utility>
#include <variant>

namespace flk {

// code: stable snake_case identifier (see docs/errors.md); path: where in the input, e.g. "$.N_j.8".
struct Error {
  std::string code;
  std::string message;
  std::string path;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error error) : v_(std::move(error)) {}
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

struct Ok {};
using Status = Result<Ok>;

inline Error make_error(std::string code, std::string message, std::string path = {}) {
  return Error{std::move(code), std::move(message), std::move(path)};
}

}  // namespace flk

// Propagate an error from an expression returning Result/Status.
#define FLK_TRY(expr)                                   \
  do {                                                  \
    auto flk_try_r_ = (expr);                           \
    if (!flk_try_r_.ok()) return flk_try_r_.error();    \
  } while (0)

#define FLK_CONCAT_INNER(a, b) a##b
#define FLK_CONCAT(a, b) FLK_CONCAT_INNER(a, b)
// Bind the value of a Result to `decl` or propagate its error.
#define FLK_ASSIGN(decl, expr) FLK_ASSIGN_IMPL(FLK_CONCAT(flk_assign_r_, __LINE__), decl, expr)
#define FLK_ASSIGN_IMPL(tmp, decl, expr)        \
  auto tmp = (expr);                            \
  if (!tmp.ok()) return tmp.error();            \
  decl = std::move(tmp.value())
