// The inbound write-ahead log (spec §5.1 step 4, §7): every request body is appended and made
// durable before the server parses it. One thread writes; appends that arrive while it is
// syncing are written and synced together (group commit). Segments are zero-filled ahead of
// use so an fdatasync does not also have to commit a file-size change.
//
// Life of a segment: records are appended until it is full, then the next one is opened. A
// closed segment is deleted once every record in it was released (its effects reached the
// store) and the store has made them durable (the checkpoint hook). At start-up the server
// replays every segment left over (read_segments), checkpoints the store, and deletes them.
#pragma once
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "util/result.h"
#include "wal/record.h"

namespace flk::server {

struct WalOptions {
  std::string dir;
  size_t segment_bytes = 64u << 20;
  bool fsync = true;  // false: write() before the ack (survives a process crash, not an OS crash)
};

struct WalTicket {
  uint64_t seq = 0;
  uint64_t segment = 0;
};

// Every valid record of the segments in dir, oldest first, and the segment files read.
struct WalContents {
  std::vector<WalRecord> records;
  std::vector<std::string> files;
  uint64_t last_segment = 0;
  uint64_t last_seq = 0;
};
Result<WalContents> read_segments(const std::string& dir);

class Wal {
 public:
  using Done = std::function<void(bool ok, WalTicket ticket)>;
  using Checkpoint = std::function<bool()>;

  // Starts a fresh segment after `after` (segment number and last seq of what is on disk).
  static Result<std::unique_ptr<Wal>> open(const WalOptions& options, const WalContents& after, Checkpoint checkpoint);
  ~Wal();

  // Queues a record; done runs on the WAL thread after the record is durable (or failed).
  void append(uint8_t kind, int64_t received_ms, std::string tenant, std::string auth, std::string body, Done done);
  // The record's effects are in the store (or it had none); its segment may go once all are.
  void release(const WalTicket& t);
  void stop();

  struct Stats {
    uint64_t appends = 0, syncs = 0, errors = 0, segments_deleted = 0;
  };
  Stats stats() const;

 private:
  struct Pending {
    WalRecord rec;
    Done done;
  };
  struct Segment {
    std::string path;
    uint64_t outstanding = 0;
    bool closed = false;
  };
  Wal(WalOptions o, Checkpoint c) : opt_(std::move(o)), checkpoint_(std::move(c)) {}
  Status open_segment(uint64_t number);
  void run();
  void prepare_spare();
  void retire_closed();

  WalOptions opt_;
  Checkpoint checkpoint_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Pending> queue_;
  bool stopping_ = false;
  uint64_t next_seq_ = 1;
  // WAL-thread state
  int fd_ = -1;
  size_t offset_ = 0;
  uint64_t segment_ = 0;
  std::map<uint64_t, Segment> segments_;  // guarded by mu_
  Stats stats_;                           // guarded by mu_
  std::thread thread_;
  // The zero-filled spare segment, made by its own thread.
  std::mutex spare_mu_;
  std::condition_variable spare_cv_;
  bool spare_ready_ = false;
  bool spare_wanted_ = false;
  bool stopping_spare_ = false;
  std::thread spare_thread_;
};

}  // namespace flk::server
