#include "wal/wal.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace flk::server {
namespace {

constexpr const char* kSpare = "spare.tmp";

std::string segment_name(uint64_t n) {
  char b[40];
  std::snprintf(b, sizeof b, "wal-%016llu.log", static_cast<unsigned long long>(n));
  return b;
}

bool parse_segment_name(const char* name, uint64_t* n) {
  unsigned long long v = 0;
  char tail[8] = {};
  if (std::strlen(name) != 24 || std::sscanf(name, "wal-%16llu.%3s", &v, tail) != 2 || std::strcmp(tail, "log")) return false;
  *n = v;
  return true;
}

Error sys_error(const std::string& what) { return make_error("wal_error", what + ": " + std::strerror(errno)); }

bool write_all(int fd, const char* p, size_t n, off_t off) {
  while (n > 0) {
    ssize_t w = pwrite(fd, p, n, off);
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += w;
    n -= static_cast<size_t>(w);
    off += w;
  }
  return true;
}

bool sync_dir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return false;
  bool ok = fsync(fd) == 0;
  close(fd);
  return ok;
}

// A file of `bytes` zeros, durable, made under a temporary name and renamed into place.
bool make_zero_file(const std::string& path, size_t bytes) {
  const std::string tmp = path + ".partial";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  std::string zeros(1u << 20, '\0');
  bool ok = true;
  for (size_t off = 0; ok && off < bytes; off += zeros.size())
    ok = write_all(fd, zeros.data(), std::min(zeros.size(), bytes - off), static_cast<off_t>(off));
  ok = ok && fsync(fd) == 0;
  close(fd);
  return ok && rename(tmp.c_str(), path.c_str()) == 0;
}

// The whole file; fails when it cannot be opened, sized or read to its end.
Result<std::string> read_whole(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return sys_error("cannot open " + path);
  struct stat st;
  if (fstat(fd, &st) != 0) {
    Error e = sys_error("cannot stat " + path);
    close(fd);
    return e;
  }
  std::string data(static_cast<size_t>(st.st_size), '\0');
  for (size_t got = 0; got < data.size();) {
    ssize_t r = pread(fd, &data[got], data.size() - got, static_cast<off_t>(got));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) {
      Error e = r < 0 ? sys_error("cannot read " + path)
                      : make_error("wal_error", path + " ended at byte " + std::to_string(got) + " of " +
                                                    std::to_string(data.size()));
      close(fd);
      return e;
    }
    got += static_cast<size_t>(r);
  }
  close(fd);
  return data;
}

// Appends the segment's records to c. Bytes that do not decode are the end when only zeros
// follow (the unused rest of the segment); otherwise they are damage, skipped to the next valid
// record when there is one.
void scan_segment(const std::string& path, std::string_view data, WalContents& c) {
  const size_t last = data.find_last_not_of('\0');
  size_t off = 0, size = 0;
  while (off < data.size()) {
    if (auto rec = decode_record(data.substr(off), &size)) {
      c.last_seq = std::max(c.last_seq, rec->seq);
      c.records.push_back(std::move(*rec));
      off += size;
      continue;
    }
    if (last == std::string_view::npos || last < off) break;
    const size_t next = find_record(data, off, c.last_seq);
    c.damage.push_back(WalDamage{path, off, (next == std::string_view::npos ? last + 1 : next) - off,
                                 next == std::string_view::npos});
    if (next == std::string_view::npos) break;
    off = next;
  }
}

// A path for name in <dir>/quarantine (made if missing), suffixed when the name is taken: segment
// numbers start again at 1 once a run has retired every segment.
Result<std::string> quarantine_path(const std::string& dir, const std::string& name) {
  const std::string q = dir + "/quarantine";
  if (mkdir(q.c_str(), 0755) != 0 && errno != EEXIST) return sys_error("cannot create " + q);
  std::string path = q + "/" + name;
  struct stat st;
  for (int n = 1; stat(path.c_str(), &st) == 0; ++n) path = q + "/" + name + "." + std::to_string(n);
  return path;
}

}  // namespace

Result<WalContents> read_segments(const std::string& dir) {
  WalContents c;
  DIR* d = opendir(dir.c_str());
  if (!d) {
    if (errno == ENOENT) return c;
    return sys_error("cannot list " + dir);
  }
  std::vector<uint64_t> numbers;
  while (dirent* e = readdir(d)) {
    uint64_t n;
    if (parse_segment_name(e->d_name, &n)) numbers.push_back(n);
  }
  closedir(d);
  std::sort(numbers.begin(), numbers.end());
  for (uint64_t n : numbers) {
    const std::string path = dir + "/" + segment_name(n);
    FLK_ASSIGN(std::string data, read_whole(path));
    scan_segment(path, data, c);
    c.files.push_back(path);
    c.last_segment = n;
  }
  return c;
}

std::string describe(const WalDamage& d) {
  return d.file + " at byte " + std::to_string(d.offset) + ": " + std::to_string(d.bytes) + " bytes skipped, " +
         (d.tail ? "no valid record after them (torn tail or damaged last records)" : "the records after them recovered");
}

Result<std::vector<std::string>> retire_replayed(const std::string& dir, const WalContents& c) {
  std::vector<std::string> moved;
  for (const std::string& f : c.files) {
    const bool damaged = std::any_of(c.damage.begin(), c.damage.end(), [&](const WalDamage& d) { return d.file == f; });
    if (!damaged) {
      if (unlink(f.c_str()) != 0 && errno != ENOENT) return sys_error("cannot delete " + f);
      continue;
    }
    FLK_ASSIGN(std::string to, quarantine_path(dir, f.substr(f.rfind('/') + 1)));
    if (rename(f.c_str(), to.c_str()) != 0) return sys_error("cannot move " + f + " to " + to);
    moved.push_back(to);
  }
  if (!c.files.empty() && !sync_dir(dir)) return sys_error("cannot sync " + dir);
  return moved;
}

Result<std::string> quarantine_records(const std::string& dir, const std::string& name,
                                       const std::vector<WalRecord>& records) {
  FLK_ASSIGN(std::string path, quarantine_path(dir, name));
  std::string buf;
  for (const WalRecord& r : records) encode_record(r, buf);
  const std::string tmp = path + ".partial";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return sys_error("cannot create " + tmp);
  const bool ok = write_all(fd, buf.data(), buf.size(), 0) && fsync(fd) == 0;
  Error e = ok ? Error{} : sys_error("cannot write " + tmp);
  close(fd);
  if (!ok) return e;
  if (rename(tmp.c_str(), path.c_str()) != 0 || !sync_dir(dir + "/quarantine")) return sys_error("cannot place " + path);
  return path;
}

Result<std::unique_ptr<Wal>> Wal::open(const WalOptions& options, const WalContents& after, Checkpoint checkpoint) {
  if (mkdir(options.dir.c_str(), 0755) != 0 && errno != EEXIST) return sys_error("cannot create " + options.dir);
  std::unique_ptr<Wal> w(new Wal(options, std::move(checkpoint)));
  w->next_seq_ = after.last_seq + 1;
  struct stat st;
  const std::string spare = options.dir + "/" + kSpare;
  w->spare_ready_ = stat(spare.c_str(), &st) == 0 && static_cast<size_t>(st.st_size) == options.segment_bytes;
  FLK_TRY(w->open_segment(after.last_segment + 1));
  w->thread_ = std::thread([p = w.get()] { p->run(); });
  w->spare_thread_ = std::thread([p = w.get()] { p->prepare_spare(); });
  return w;
}

Wal::~Wal() { stop(); }

Status Wal::open_segment(uint64_t number) {
  const std::string path = opt_.dir + "/" + segment_name(number);
  const std::string spare = opt_.dir + "/" + kSpare;
  {
    std::unique_lock<std::mutex> l(spare_mu_);
    if (spare_ready_ && rename(spare.c_str(), path.c_str()) == 0) {
      spare_ready_ = false;
    } else if (!make_zero_file(path, opt_.segment_bytes)) {
      return sys_error("cannot create segment " + path);
    }
    spare_wanted_ = true;
  }
  spare_cv_.notify_all();
  if (!sync_dir(opt_.dir)) return sys_error("cannot sync " + opt_.dir);
  int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) return sys_error("cannot open " + path);
  if (fd_ >= 0) close(fd_);
  fd_ = fd;
  offset_ = 0;
  segment_ = number;
  std::lock_guard<std::mutex> l(mu_);
  segments_[number] = Segment{path, 0, false};
  return Ok{};
}

void Wal::prepare_spare() {
  const std::string spare = opt_.dir + "/" + kSpare;
  std::unique_lock<std::mutex> l(spare_mu_);
  for (;;) {
    spare_cv_.wait(l, [&] { return stopping_spare_ || (spare_wanted_ && !spare_ready_); });
    if (stopping_spare_) return;
    l.unlock();
    bool ok = make_zero_file(spare, opt_.segment_bytes);
    l.lock();
    spare_ready_ = ok;
    spare_wanted_ = false;
  }
}

void Wal::append(uint8_t kind, int64_t received_ms, std::string tenant, std::string auth, std::string body, Done done) {
  WalResult refused = WalResult::failed;
  {
    std::lock_guard<std::mutex> l(mu_);
    if (full_) {
      ++stats_.full_rejections;
      refused = WalResult::full;
    } else if (!stopping_) {
      Pending p{WalRecord{next_seq_++, kind, received_ms, std::move(tenant), std::move(auth), std::move(body)},
                std::move(done)};
      queue_.push_back(std::move(p));
      cv_.notify_one();
      return;
    }
  }
  done(refused, WalTicket{});
}

bool Wal::room_for_segment() const {
  return opt_.max_bytes == 0 || (segments_.size() + 1) * opt_.segment_bytes <= opt_.max_bytes;
}

void Wal::release(const WalTicket& t) {
  std::lock_guard<std::mutex> l(mu_);
  auto it = segments_.find(t.segment);
  if (it == segments_.end() || it->second.outstanding == 0) return;
  if (--it->second.outstanding == 0 && it->second.closed) cv_.notify_one();
}

void Wal::run() {
  std::vector<Pending> batch;
  std::string buf;
  for (;;) {
    {
      std::unique_lock<std::mutex> l(mu_);
      for (;;) {
        if (stopping_ || !queue_.empty()) break;
        const bool retirable = std::any_of(segments_.begin(), segments_.end(), [](const auto& s) {
          return s.second.closed && s.second.outstanding == 0;
        });
        if (!retirable) {
          cv_.wait(l);
        } else if (std::chrono::steady_clock::now() < retire_after_) {
          cv_.wait_until(l, retire_after_);
        } else {
          break;
        }
      }
      if (queue_.empty() && stopping_) return;
      batch.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.end()));
      queue_.clear();
    }
    retire_closed();
    // Write the batch as runs that fit the current segment, one sync per run.
    size_t i = 0;
    while (i < batch.size()) {
      buf.clear();
      size_t j = i;
      while (j < batch.size()) {
        size_t before = buf.size();
        encode_record(batch[j].rec, buf);
        if (offset_ + buf.size() > opt_.segment_bytes) {
          buf.resize(before);
          break;
        }
        ++j;
      }
      WalResult result = WalResult::ok;
      if (j == i) {
        // The next record does not fit: rotate, or fail it when no segment could hold it, or fail
        // the rest as `full` when another segment would pass the cap.
        buf.clear();
        encode_record(batch[i].rec, buf);
        if (buf.size() > opt_.segment_bytes || offset_ == 0) {
          {
            std::lock_guard<std::mutex> l(mu_);
            ++stats_.errors;
          }
          batch[i].done(WalResult::failed, WalTicket{batch[i].rec.seq, 0});
          ++i;
          continue;
        }
        bool room;
        {
          std::lock_guard<std::mutex> l(mu_);
          room = room_for_segment();
          if (room) {
            segments_[segment_].closed = true;
          } else {
            full_ = true;
            stats_.full_rejections += batch.size() - i;
          }
        }
        if (!room) {
          for (size_t k = i; k < batch.size(); ++k) batch[k].done(WalResult::full, WalTicket{});
          break;
        }
        if (open_segment(segment_ + 1).ok()) continue;
        result = WalResult::failed;
        j = i + 1;
      } else {
        const bool ok =
            write_all(fd_, buf.data(), buf.size(), static_cast<off_t>(offset_)) && (!opt_.fsync || fdatasync(fd_) == 0);
        if (ok) offset_ += buf.size();
        result = ok ? WalResult::ok : WalResult::failed;
      }
      const bool ok = result == WalResult::ok;
      {
        std::lock_guard<std::mutex> l(mu_);
        if (ok) {
          segments_[segment_].outstanding += j - i;
          stats_.appends += j - i;
          ++stats_.syncs;
        } else {
          stats_.errors += j - i;
        }
      }
      for (size_t k = i; k < j; ++k) batch[k].done(result, WalTicket{batch[k].rec.seq, ok ? segment_ : 0});
      i = j;
    }
    batch.clear();
  }
}

void Wal::retire_closed() {
  std::vector<std::pair<uint64_t, std::string>> done;
  {
    std::lock_guard<std::mutex> l(mu_);
    for (auto& s : segments_)
      if (s.second.closed && s.second.outstanding == 0) done.emplace_back(s.first, s.second.path);
  }
  if (done.empty()) return;
  const bool durable = checkpoint_();
  std::lock_guard<std::mutex> l(mu_);
  if (!durable) {
    // The store cannot checkpoint (an outage): try again in a second rather than in a loop.
    retire_after_ = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    return;
  }
  for (auto& d : done) {
    unlink(d.second.c_str());
    segments_.erase(d.first);
    ++stats_.segments_deleted;
  }
  full_ = !room_for_segment();
}

void Wal::stop() {
  {
    std::lock_guard<std::mutex> l(mu_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  {
    std::lock_guard<std::mutex> l(spare_mu_);
    stopping_spare_ = true;
  }
  spare_cv_.notify_all();
  if (spare_thread_.joinable()) spare_thread_.join();
  {
    std::lock_guard<std::mutex> l(mu_);
    auto it = segments_.find(segment_);
    if (it != segments_.end()) it->second.closed = true;
  }
  retire_closed();
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

Wal::Stats Wal::stats() const {
  std::lock_guard<std::mutex> l(mu_);
  Stats s = stats_;
  s.live_bytes = segments_.size() * opt_.segment_bytes;
  return s;
}

}  // namespace flk::server
