// Bounded worker pools: the HTTP I/O threads only parse requests and write answers, and hand
// compute (hrs.score, reconciliation, billing imports, anomaly fits, cost reports) and blocking
// store reads to a pool. A pool holds at most threads + max_queue tasks (running or waiting);
// beyond that a request is refused at once with 503 and Retry-After rather than queued behind
// work it would time out waiting for, and counted in flk_worker_rejected_total{pool}.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "http/types.h"
#include "metrics/metrics.h"

namespace flk::server {

class WorkerPool {
 public:
  WorkerPool(std::string name, size_t threads, size_t max_queue, Metrics& metrics);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // A task's hold on its slot: released once, by whoever comes first, the task (when it has
  // answered) or the pool (when the task returns).
  using Hold = std::shared_ptr<std::atomic<bool>>;

  // Queues task; false (and counted) when the pool already holds threads + max_queue tasks.
  bool try_submit(std::function<void()> task, Hold hold = nullptr);
  void release(const Hold& hold);
  // Tasks waiting for a thread, and tasks running.
  size_t depth() const;
  size_t busy() const;
  const std::string& name() const { return name_; }
  // Runs what is queued, then joins the threads; later submissions are refused.
  void stop();

 private:
  void run();
  std::string name_;
  size_t threads_, max_queue_;
  Metrics& metrics_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::pair<std::function<void()>, Hold>> queue_;
  size_t running_ = 0;
  size_t held_ = 0;  // slots taken by queued, running and answered-but-not-returned tasks
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

// A handler that runs h on pool: the request moves to the task, and a full pool answers 503
// overloaded with Retry-After on the I/O thread. The slot is free once the task has answered, so
// a client that retries as soon as it reads the answer finds it free.
Handler on_pool(WorkerPool& pool, Handler h);

}  // namespace flk::server
