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

void Batcher::retry_alone(std::vector<Write*>& batch, const AuditLinker& link, const Status& failed,
                          std::vector<Status>& out) {
  metrics_.store_retried_batches.inc();
  std::vector<Write*> one(1);
  for (size_t k = 0; k < batch.size(); ++k) {
    batch[k]->clear_results();
    one[0] = batch[k];
    Status s = store_.apply(one, link);
    metrics_.store_batches.inc();
    if (s.ok()) continue;
    if (!store_.ping().ok()) {
      const Status down = make_error("store_unavailable", "the store is unreachable: " + failed.error().message);
      for (; k < batch.size(); ++k) out[k] = down;
      return;
    }
    metrics_.store_rejected_writes.inc();
    json::Value f = json::Value::object();
    f.set("error", s.error().message).set("tenant", batch[k]->tenant).set("id", batch[k]->id);
    log(LogLevel::error, "the store refused a write", f);
    out[k] = s;
  }
}

void Batcher::run() {
  const AuditLinker link = facade_audit_linker();
  std::vector<Item> items;
  std::vector<Write*> batch;
  std::vector<Status> statuses;
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
    statuses.assign(batch.size(), Status(Ok{}));
    Status s = store_.apply(batch, link);
    metrics_.store_batches.inc();
    if (!s.ok()) {
      metrics_.store_errors.inc();
      json::Value f = json::Value::object();
      f.set("error", s.error().message).set("writes", static_cast<int64_t>(batch.size()));
      log(LogLevel::error, "store transaction failed; retrying its writes one by one", f);
      retry_alone(batch, link, s, statuses);
    }
    for (size_t k = 0; k < batch.size(); ++k) {
      if (!statuses[k].ok()) continue;
      metrics_.store_writes.inc();
      if (batch[k]->won && batch[k]->audit) metrics_.audit_entries.inc();
    }
    for (size_t k = 0; k < items.size(); ++k) items[k].done(*items[k].w, statuses[k]);
    items.clear();
  }
}

}  // namespace flk::server
