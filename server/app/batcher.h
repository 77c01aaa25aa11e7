// Group commit for the store: writes from every request thread queue here, and one thread
// applies whatever has queued as a single transaction (more while the previous one commits),
// then calls each write's completion on that thread (completions just hand off to the
// connection's strand). First-write-wins and the audit chain are decided in that transaction.
// When the transaction fails, each of its writes is tried again in a transaction of its own, so
// one bad write fails alone; a write that fails while the store does not answer a ping fails
// with code store_unavailable (and so do the untried rest), otherwise with the store's error.
#pragma once
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "metrics/metrics.h"
#include "store/store.h"

namespace flk::server {

class Batcher {
 public:
  // Runs on the batcher thread; it may move from w.
  using Done = std::function<void(Write& w, const Status& s)>;
  Batcher(Store& store, Metrics& metrics, size_t max_batch = 1024);
  ~Batcher();
  void submit(std::unique_ptr<Write> w, Done done);
  // Applies what is queued, then stops the thread.
  void stop();

 private:
  struct Item {
    std::unique_ptr<Write> w;
    Done done;
  };
  void run();
  // After the transaction of batch failed with `failed`: fills out[k] for each write.
  void retry_alone(std::vector<Write*>& batch, const AuditLinker& link, const Status& failed, std::vector<Status>& out);
  Store& store_;
  Metrics& metrics_;
  size_t max_batch_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Item> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace flk::server
