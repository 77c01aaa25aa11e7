// ASCII case folding for identifiers, column names and words (bytes >= 0x80 pass unchanged).
#pragma once
#include <string>
#include <string_view>

namespace flk {

inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace flk
