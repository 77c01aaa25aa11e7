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
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return sys_error("cannot open " + path);
    struct stat st;
    fstat(fd, &st);
    std::string data(static_cast<size_t>(st.st_size), '\0');
    size_t got = 0;
    while (got < data.size()) {
      ssize_t r = pread(fd, &data[got], data.size() - got, static_cast<off_t>(got));
      if (r <= 0) break;
      got += static_cast<size_t>(r);
    }
    close(fd);
    std::string_view rest(data.data(), got);
    size_t size = 0;
    while (auto rec = decode_record(rest, &size)) {
      c.last_seq = std::max(c.last_seq, rec->seq);
      c.records.push_back(std::move(*rec));
      rest.remove_prefix(size);
    }
    c.files.push_back(path);
    c.last_segment = n;
  }
  return c;
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
  {
    std::lock_guard<std::mutex> l(mu_);
    if (!stopping_) {
      Pending p{WalRecord{next_seq_++, kind, received_ms, std::move(tenant), std::move(auth), std::move(body)},
                std::move(done)};
      queue_.push_back(std::move(p));
      cv_.notify_one();
      return;
    }
  }
  done(false, WalTicket{});
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
      cv_.wait(l, [&] {
        if (stopping_ || !queue_.empty()) return true;
        for (auto& s : segments_)
          if (s.second.closed && s.second.outstanding == 0) return true;
        return false;
      });
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
      bool ok = true;
      if (j == i) {
        // The next record does not fit: rotate, or fail it when no segment could hold it.
        buf.clear();
        encode_record(batch[i].rec, buf);
        if (buf.size() > opt_.segment_bytes || offset_ == 0) {
          {
            std::lock_guard<std::mutex> l(mu_);
            ++stats_.errors;
          }
          batch[i].done(false, WalTicket{batch[i].rec.seq, 0});
          ++i;
          continue;
        }
        {
          std::lock_guard<std::mutex> l(mu_);
          segments_[segment_].closed = true;
        }
        ok = open_segment(segment_ + 1).ok();
        if (ok) continue;
        j = i + 1;
      } else {
        ok = write_all(fd_, buf.data(), buf.size(), static_cast<off_t>(offset_)) && (!opt_.fsync || fdatasync(fd_) == 0);
        if (ok) offset_ += buf.size();
      }
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
      for (size_t k = i; k < j; ++k) batch[k].done(ok, WalTicket{batch[k].rec.seq, ok ? segment_ : 0});
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
  if (done.empty() || !checkpoint_()) return;
  std::lock_guard<std::mutex> l(mu_);
  for (auto& d : done) {
    unlink(d.second.c_str());
    segments_.erase(d.first);
    ++stats_.segments_deleted;
  }
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
  return stats_;
}

}  // namespace flk::server
