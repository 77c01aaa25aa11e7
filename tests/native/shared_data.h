// Where the real data of the project lives: $FLK_SHARED_DIR, else <repo>/../shared.
#pragma once
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace flk::test {

inline std::string shared_dir() {
  const char* e = std::getenv("FLK_SHARED_DIR");
  return e && *e ? e : std::string(FLK_SOURCE_DIR) + "/../shared";
}

// The file's bytes, or empty (and *found = false) when it is absent.
inline std::string read_shared(const std::string& rel, bool* found) {
  std::ifstream f(shared_dir() + "/" + rel, std::ios::binary);
  *found = static_cast<bool>(f);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace flk::test
