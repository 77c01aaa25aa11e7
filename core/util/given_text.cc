#include "util/given_text.h"

namespace flk {

Result<std::string> given_text(std::string_view file, size_t max_bytes) {
  if (file.size() >= 2 && static_cast<unsigned char>(file[0]) == 0x1f && static_cast<unsigned char>(file[1]) == 0x8b)
    return make_error("internal", "the bytes are gzip; the loader inflates the file before it hands it over");
  if (file.size() > max_bytes)
    return make_error("internal", "the text is over " + std::to_string(max_bytes) + " bytes");
  return std::string(file);
}

}  // namespace flk
