#include "app/worker_pool.h"

#include <memory>

#include "app/pipeline.h"

namespace flk::server {

WorkerPool::WorkerPool(std::string name, size_t threads, size_t max_queue, Metrics& metrics)
    : name_(std::move(name)), threads_(std::max<size_t>(1, threads)), max_queue_(max_queue), metrics_(metrics) {
  for (size_t i = 0; i < threads_; ++i) workers_.emplace_back([this] { run(); });
}

WorkerPool::~WorkerPool() { stop(); }

bool WorkerPool::try_submit(std::function<void()> task, Hold hold) {
  {
    std::lock_guard<std::mutex> l(mu_);
    if (!stopping_ && held_ < threads_ + max_queue_) {
      ++held_;
      queue_.emplace_back(std::move(task), std::move(hold));
      cv_.notify_one();
      return true;
    }
  }
  metrics_.worker_rejected.inc({name_});
  return false;
}

void WorkerPool::release(const Hold& hold) {
  if (hold && hold->exchange(true)) return;
  std::lock_guard<std::mutex> l(mu_);
  --held_;
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
    auto [task, hold] = std::move(queue_.front());
    queue_.pop_front();
    ++running_;
    l.unlock();
    task();
    task = nullptr;  // the task's captures (the request, the reply) go before the slot is free
    l.lock();
    --running_;
    if (!hold || !hold->exchange(true)) --held_;
  }
}

Handler on_pool(WorkerPool& pool, Handler h) {
  return [&pool, h = std::move(h)](Request& req, Reply reply) {
    auto moved = std::make_shared<Request>(std::move(req));
    auto hold = std::make_shared<std::atomic<bool>>(false);
    Reply releasing = [&pool, hold, reply](Response r) {
      pool.release(hold);
      reply(std::move(r));
    };
    if (pool.try_submit([h, moved, releasing]() { h(*moved, releasing); }, hold)) return;
    reply(try_again("overloaded", "the server's " + pool.name() + " workers are all busy; try again"));
  };
}

}  // namespace flk::server
