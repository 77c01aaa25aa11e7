#include "http/types.h"

#include "facade/engine.h"

namespace flk::server {

Response error_response(int status, const Error& e) {
  Response r;
  r.status = status;
  r.body = error_json(e);
  return r;
}

Response error_response(int status, const char* code, const std::string& message) {
  return error_response(status, make_error(code, message));
}

std::string query_param(const std::string& query, const std::string& name) {
  size_t i = 0;
  while (i <= query.size()) {
    size_t amp = query.find('&', i);
    if (amp == std::string::npos) amp = query.size();
    std::string part = query.substr(i, amp - i);
    size_t eq = part.find('=');
    if (part.substr(0, eq) == name) {
      std::string raw = eq == std::string::npos ? "" : part.substr(eq + 1), out;
      for (size_t k = 0; k < raw.size(); ++k) {
        if (raw[k] == '+') {
          out += ' ';
        } else if (raw[k] == '%' && k + 2 < raw.size() && std::isxdigit(static_cast<unsigned char>(raw[k + 1])) &&
                   std::isxdigit(static_cast<unsigned char>(raw[k + 2]))) {
          out += static_cast<char>(std::stoi(raw.substr(k + 1, 2), nullptr, 16));
          k += 2;
        } else {
          out += raw[k];
        }
      }
      return out;
    }
    i = amp + 1;
  }
  return "";
}

}  // namespace flk::server
