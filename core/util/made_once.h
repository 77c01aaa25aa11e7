// A value derived from a shared, const object and made by its first reader: models are shared
// across threads and most callers never need a given derived table, so it is made on demand.
// std::call_once makes it exactly once and orders every later reader after it (no lock
// afterwards). A copy starts with none (its source may change before it is read); a move takes
// the value along with the object it was made from.
#pragma once
#include <atomic>
#include <memory>
#include <mutex>

namespace flk {

template <class T>
class MadeOnce {
 public:
  MadeOnce() : s_(std::make_unique<State>()) {}
  MadeOnce(const MadeOnce&) : MadeOnce() {}
  MadeOnce& operator=(const MadeOnce&) {
    s_ = std::make_unique<State>();
    return *this;
  }
  MadeOnce(MadeOnce&& o) noexcept : s_(std::move(o.s_)) { o.s_ = std::make_unique<State>(); }
  MadeOnce& operator=(MadeOnce&& o) noexcept {
    s_ = std::move(o.s_);
    o.s_ = std::make_unique<State>();
    return *this;
  }

  // The value, made by make(T&) on the first call.
  template <class Make>
  const T& get(Make make) const {
    State& s = *s_;
    std::call_once(s.once, [&] {
      make(s.value);
      s.made.store(true, std::memory_order_release);
    });
    return s.value;
  }
  // The value if a get() made it, else nullptr (without waiting for one under way).
  const T* made() const { return s_->made.load(std::memory_order_acquire) ? &s_->value : nullptr; }

 private:
  struct State {
    std::once_flag once;
    T value;
    std::atomic<bool> made{false};
  };
  std::unique_ptr<State> s_;
};

}  // namespace flk
