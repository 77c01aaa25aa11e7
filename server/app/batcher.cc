#include "app/batcher.h"

#include "app/facade.h"
#include "app/log.h"

namespace flk::server {

Batcher::Batcher(Store& store, Metrics& metrics, size_t max_batch)
    : store_(store), metrics_(metrics), max_batch_(max_batch), thread_([this] { run(); }) {}

Batcher::~Batcher() { stop(); }

void Batcher::submit(std::unique_ptr<Write> w, Done done) {
  {
    std::lock_guard<std::mutex> l(mu_);
    if (!stopping_) {
      queue_.push_back(Item{std::move(w), std::move(done)});
      cv_.notify_one();
      return;
    }
  }
  done(*w, make_error("unavailable", "the server is shutting down"));
}

void Batcher::stop() {
  {
    std::lock_guard<std::mutex> l(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Batcher::run() {
  const AuditLinker link = facade_audit_linker();
  std::vector<Item> items;
  std::vector<Write*> batch;
  for (;;) {
    {
      std::unique_lock<std::mutex> l(mu_);
      cv_.wait(l, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      while (!queue_.empty() && items.size() < max_batch_) {
        items.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    batch.clear();
    for (auto& it : items) batch.push_back(it.w.get());
    Status s = store_.apply(batch, link);
    metrics_.store_batches.inc();
    if (s.ok()) {
      metrics_.store_writes.inc(batch.size());
      for (Write* w : batch)
        if (w->won && w->audit) metrics_.audit_entries.inc();
    } else {
      metrics_.store_errors.inc();
      json::Value f = json::Value::object();
      f.set("error", s.error().message).set("writes", static_cast<int64_t>(batch.size()));
      log(LogLevel::error, "store transaction failed", f);
    }
    for (auto& it : items) it.done(*it.w, s);
    items.clear();
  }
}

}  // namespace flk::server
