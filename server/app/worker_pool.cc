#include "app/worker_pool.h"

#include <memory>

#include "app/pipeline.h"

namespace flk::server {

WorkerPool::WorkerPool(std::string name, size_t threads, size_t max_queue, Metrics& metrics)
    : name_(std::move(name)), threads_(std::max<size_t>(1, threads)), max_queue_(max_queue), metrics_(metrics) {
  for (size_t i = 0; i < threads_; ++i) workers_.emplace_back([this] { run(); });
}

WorkerPool::~WorkerPool() { stop(); }

bool WorkerPool::try_submit(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> l(mu_);
    if (!stopping_ && running_ + queue_.size() < threads_ + max_queue_) {
      queue_.push_back(std::move(task));
      cv_.notify_one();
      return true;
    }
  }
  metrics_.worker_rejected.inc({name_});
  return false;
}

size_t WorkerPool::depth() const {
  std::lock_guard<std::mutex> l(mu_);
  return queue_.size();
}

size_t WorkerPool::busy() const {
  std::lock_guard<std::mutex> l(mu_);
  return running_;
}

void WorkerPool::stop() {
  {
    std::lock_guard<std::mutex> l(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : workers_)
    if (t.joinable()) t.join();
}

void WorkerPool::run() {
  std::unique_lock<std::mutex> l(mu_);
  for (;;) {
    cv_.wait(l, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;
    std::function<void()> task = std::move(queue_.front());
    queue_.pop_front();
    ++running_;
    l.unlock();
    task();
    task = nullptr;  // the task's captures (the request, the reply) go before the slot is free
    l.lock();
    --running_;
  }
}

Handler on_pool(WorkerPool& pool, Handler h) {
  return [&pool, h = std::move(h)](Request& req, Reply reply) {
    auto moved = std::make_shared<Request>(std::move(req));
    if (pool.try_submit([h, moved, reply]() { h(*moved, reply); })) return;
    reply(try_again("overloaded", "the server's " + pool.name() + " workers are all busy; try again"));
  };
}

}  // namespace flk::server
