// The SIEM shipper's cursor: the (seq, hash) of the last audit entry a receiver acknowledged,
// kept in <data>/siem-cursor.json. It is replaced atomically (write a temporary file, fsync,
// rename, fsync the directory), so after a crash it names either the old or the new position,
// never a torn one; entries after it are sent again (at-least-once).
#pragma once
#include <cstdint>
#include <string>

#include "util/result.h"

namespace flk::server {

struct SiemCursor {
  int64_t seq = 0;   // 0: nothing delivered yet
  std::string hash;  // the hash of entry seq, to tell whether the chain is still the one delivered
};

// A missing file is the start of the chain; a malformed one is an error (never silently reset).
Result<SiemCursor> load_siem_cursor(const std::string& path);
Status save_siem_cursor(const std::string& path, const SiemCursor& c);

}  // namespace flk::server
