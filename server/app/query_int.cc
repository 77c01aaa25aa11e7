#include "app/query_int.h"

#include <string>

namespace flk::server {

namespace {

bool int_text(const std::string& v, const char* name, int64_t lo, int64_t hi, int64_t* out, Response* err) {
  // At most 18 digits: no overflow, and every bound a route uses fits.
  const size_t sign = !v.empty() && v[0] == '-' && lo < 0 ? 1 : 0;
  bool digits = v.size() > sign && v.size() - sign <= 18;
  int64_t n = 0;
  for (size_t i = sign; digits && i < v.size(); ++i) {
    digits = v[i] >= '0' && v[i] <= '9';
    n = n * 10 + (v[i] - '0');
  }
  if (sign) n = -n;
  if (!digits || n < lo || n > hi) {
    *err = error_response(422, make_error("out_of_range", std::string(name) + " is a whole number in [" + std::to_string(lo) +
                                                              ", " + std::to_string(hi) + "]", name));
    return false;
  }
  *out = n;
  return true;
}

}  // namespace

bool int_param(const Request& req, const char* name, int64_t lo, int64_t hi, int64_t def, int64_t* out, Response* err) {
  const std::string v = query_param(req.query, name);
  *out = def;
  return v.empty() || int_text(v, name, lo, hi, out, err);
}

bool int_path_param(const Request& req, const char* name, int64_t lo, int64_t hi, int64_t* out, Response* err) {
  const auto it = req.params.find(name);
  return int_text(it == req.params.end() ? std::string() : it->second, name, lo, hi, out, err);
}

}  // namespace flk::server
