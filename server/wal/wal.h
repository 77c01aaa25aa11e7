// The inbound write-ahead log (spec §5.1 step 4, §7): every request body is appended and made
// durable before the server parses it. One thread writes; appends that arrive while it is
// syncing are written and synced together (group commit). Segments are zero-filled ahead of
// use so an fdatasync does not also have to commit a file-size change.
//
// Life of a segment: records are appended until it is full, then the next one is opened. A
// closed segment is deleted once every record in it was released (its effects reached the
// store) and the store has made them durable (the checkpoint hook). At start-up the server
// replays every segment left over (read_segments), checkpoints the store, and retires them
// (retire_replayed): a segment with damage is moved into quarantine/ for inspection, never
// deleted. The live segments (open or awaiting release) may take at most max_bytes; beyond,
// appends fail fast as `full` until released segments are retired.
#pragma once
#include <chrono>
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
  size_t max_bytes = 0;  // cap on the live segments' bytes; 0: none
};

enum class WalResult { ok, failed, full };

struct WalTicket {
  uint64_t seq = 0;
  uint64_t segment = 0;
};

// Bytes of a segment that did not decode as records: [offset, offset + bytes) of file.
struct WalDamage {
  std::string file;
  uint64_t offset = 0;
  uint64_t bytes = 0;
  // No valid record follows: a write torn by a power loss, or damage to the segment's last
  // records. Otherwise the records after the damage were recovered (resync).
  bool tail = false;
};
std::string describe(const WalDamage& d);

// Every valid record of the segments in dir, oldest first, the segment files read, and where
// bytes that are neither records nor the zero-filled rest of a segment were skipped.
struct WalContents {
  std::vector<WalRecord> records;
  std::vector<std::string> files;
  std::vector<WalDamage> damage;
  uint64_t last_segment = 0;
  uint64_t last_seq = 0;
};
// Fails (naming the file) when a segment cannot be opened, sized or read.
Result<WalContents> read_segments(const std::string& dir);

// After replay has put every record of c into the store (and checkpointed it): deletes the
// clean segments and moves those with damage into <dir>/quarantine/. Returns the moved paths.
Result<std::vector<std::string>> retire_replayed(const std::string& dir, const WalContents& c);
// Writes records as a segment file <dir>/quarantine/<name> (made durable), for records that
// could not be replayed; returns its path.
Result<std::string> quarantine_records(const std::string& dir, const std::string& name,
                                       const std::vector<WalRecord>& records);

class Wal {
 public:
  using Done = std::function<void(WalResult r, WalTicket ticket)>;
  using Checkpoint = std::function<bool()>;

  // Starts a fresh segment after `after` (segment number and last seq of what is on disk).
  static Result<std::unique_ptr<Wal>> open(const WalOptions& options, const WalContents& after, Checkpoint checkpoint);
  ~Wal();

  // Queues a record; done runs on the WAL thread after the record is durable (or failed), or at
  // once with `full` while the live segments are at the cap.
  void append(uint8_t kind, int64_t received_ms, std::string tenant, std::string auth, std::string body, Done done);
  // The record's effects are in the store (or it had none); its segment may go once all are.
  void release(const WalTicket& t);
  void stop();

  struct Stats {
    uint64_t appends = 0, syncs = 0, errors = 0, segments_deleted = 0, full_rejections = 0, live_bytes = 0;
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
  // Whether one more segment stays within max_bytes (mu_ held).
  bool room_for_segment() const;

  WalOptions opt_;
  Checkpoint checkpoint_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Pending> queue_;
  bool stopping_ = false;
  bool full_ = false;  // the open segment is full and another would pass max_bytes
  // After a failed checkpoint, retirement waits until then (instead of retrying in a loop).
  std::chrono::steady_clock::time_point retire_after_{};
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
