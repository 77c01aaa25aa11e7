#include "json/decimal_field.h"

#include <string>

#include "json/fields.h"
#include "json/number_format.h"
#include "util/decimal.h"

namespace flk::json {

Result<int64_t> read_scaled_decimal(const Value& v, std::string_view path, int scale) {
  std::string text;
  if (v.is_string()) {
    text = v.as_string();
  } else if (v.is_int()) {
    text = std::to_string(v.as_int());
  } else if (v.is_number()) {
    text = format_double(v.as_double());
  } else {
    return wrong_type(path, "a decimal string or a number", v);
  }
  bool rounded = false;
  auto n = parse_decimal(text, scale, &rounded);
  std::string p(path);
  if (!n.ok()) return make_error(n.error().code, p + ": " + n.error().message, p);
  if (rounded) return make_error("out_of_range", p + " = " + text + " has more than " + std::to_string(scale) + " decimals", p);
  return *n;
}

}  // namespace flk::json
