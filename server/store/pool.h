// A small pool of reader connections: a read takes an idle one, or opens one while fewer than
// max are open, or waits for one to come back. A connection that failed is dropped, not reused.
#pragma once
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "util/result.h"

namespace flk::server {

template <typename Conn>
class Pool {
 public:
  using Opener = std::function<Result<std::unique_ptr<Conn>>()>;
  Pool(size_t max, Opener open) : max_(max), open_(std::move(open)) {}

  template <typename F>
  Status with(F fn) {
    std::unique_ptr<Conn> c;
    {
      std::unique_lock<std::mutex> l(mu_);
      cv_.wait(l, [&] { return !idle_.empty() || open_count_ < max_; });
      if (!idle_.empty()) {
        c = std::move(idle_.back());
        idle_.pop_back();
      } else {
        ++open_count_;
      }
    }
    if (!c) {
      auto opened = open_();
      if (!opened.ok()) {
        give_back(nullptr);
        return opened.error();
      }
      c = std::move(opened.value());
    }
    Status s = fn(*c);
    give_back(s.ok() ? std::move(c) : nullptr);
    return s;
  }

 private:
  void give_back(std::unique_ptr<Conn> c) {
    {
      std::lock_guard<std::mutex> l(mu_);
      if (c) {
        idle_.push_back(std::move(c));
      } else {
        --open_count_;
      }
    }
    cv_.notify_one();
  }

  size_t max_;
  Opener open_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Conn>> idle_;
  size_t open_count_ = 0;
};

}  // namespace flk::server
