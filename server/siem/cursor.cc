#include "siem/cursor.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "json/parse.h"
#include "json/write.h"

namespace flk::server {
namespace {

Error io_error(const std::string& what) { return make_error("io_error", what + ": " + std::strerror(errno)); }

std::string parent_dir(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

Result<SiemCursor> load_siem_cursor(const std::string& path) {
  std::ifstream f(path);
  if (!f) {
    if (errno == ENOENT) return SiemCursor{};
    return io_error("cannot read " + path);
  }
  std::stringstream ss;
  ss << f.rdbuf();
  auto v = json::parse(ss.str());
  const json::Value* seq = v.ok() && v->is_object() ? v->find("seq") : nullptr;
  const json::Value* hash = v.ok() && v->is_object() ? v->find("hash") : nullptr;
  if (!seq || !seq->is_int() || seq->as_int() < 0 || !hash || !hash->is_string())
    return make_error("bad_config", path + ": not a SIEM cursor ({\"seq\": n, \"hash\": \"...\"}); delete it to deliver from the start");
  return SiemCursor{seq->as_int(), hash->as_string()};
}

Status save_siem_cursor(const std::string& path, const SiemCursor& c) {
  json::Value o = json::Value::object();
  o.set("hash", c.hash).set("seq", c.seq);
  const std::string text = json::to_string(o) + "\n";
  const std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return io_error("cannot create " + tmp);
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  const bool ok = done == text.size() && fsync(fd) == 0;
  Error e = ok ? Error{} : io_error("cannot write " + tmp);
  close(fd);
  if (!ok) return e;
  if (std::rename(tmp.c_str(), path.c_str()) != 0) return io_error("cannot rename " + tmp);
  int dfd = ::open(parent_dir(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return io_error("cannot open the directory of " + path);
  const bool synced = fsync(dfd) == 0;
  close(dfd);
  if (!synced) return io_error("cannot sync the directory of " + path);
  return Ok{};
}

}  // namespace flk::server
