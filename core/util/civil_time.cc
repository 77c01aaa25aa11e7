#include "util/civil_time.h"

#include "util/int_text.h"

namespace flk {
namespace {

Error bad(std::string_view text, const char* why) {
  return make_error("bad_timestamp", "\"" + std::string(text.substr(0, 40)) + "\" is not a timestamp (" + why + ")");
}

// Reads min_w..max_w decimal digits at text[*i].
bool digits(std::string_view text, size_t* i, int min_w, int max_w, int64_t* out) {
  int64_t v = 0;
  int w = 0;
  while (*i < text.size() && w < max_w && text[*i] >= '0' && text[*i] <= '9') {
    v = v * 10 + (text[*i] - '0');
    ++*i;
    ++w;
  }
  *out = v;
  return w >= min_w;
}

bool expect(std::string_view text, size_t* i, char c) {
  if (*i < text.size() && text[*i] == c) {
    ++*i;
    return true;
  }
  return false;
}

}  // namespace

int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

int64_t days_from_civil(int64_t y, int m, int d) {
  // Shift the year to start in March so the leap day is the last day of the year.
  y -= m <= 2;
  int64_t era = floor_div(y, 400);
  int64_t yoe = y - era * 400;
  int64_t mp = (m + 9) % 12;
  int64_t doy = (153 * mp + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void civil_from_days(int64_t z, int64_t* y, int* m, int* d) {
  z += 719468;
  int64_t era = floor_div(z, 146097);
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  *d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2);
}

int weekday(int64_t days) { return static_cast<int>(((days % 7) + 7 + 3) % 7); }

int days_in_month(int64_t y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

Result<int64_t> parse_timestamp_ms(std::string_view text) {
  size_t i = 0;
  int64_t y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, ms = 0;
  if (text.size() >= 4 && text.find('/') != std::string_view::npos) {
    // M/D/YY or M/D/YYYY
    if (!digits(text, &i, 1, 2, &mo) || !expect(text, &i, '/') || !digits(text, &i, 1, 2, &d) ||
        !expect(text, &i, '/'))
      return bad(text, "expected M/D/YYYY");
    size_t start = i;
    if (!digits(text, &i, 2, 4, &y) || (i - start != 2 && i - start != 4)) return bad(text, "expected M/D/YYYY");
    if (i - start == 2) y += 2000;
  } else {
    if (!digits(text, &i, 4, 4, &y) || !expect(text, &i, '-') || !digits(text, &i, 2, 2, &mo) ||
        !expect(text, &i, '-') || !digits(text, &i, 2, 2, &d))
      return bad(text, "expected YYYY-MM-DD");
  }
  if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, static_cast<int>(mo))) return bad(text, "no such date");
  int64_t offset_min = 0;
  if (i < text.size()) {
    if (text[i] != 'T' && text[i] != 't' && text[i] != ' ') return bad(text, "unexpected text after the date");
    ++i;
    if (!digits(text, &i, 2, 2, &h) || !expect(text, &i, ':') || !digits(text, &i, 2, 2, &mi))
      return bad(text, "expected HH:MM");
    if (expect(text, &i, ':')) {
      if (!digits(text, &i, 2, 2, &s)) return bad(text, "expected seconds");
      if (expect(text, &i, '.')) {
        size_t start = i;
        int64_t frac = 0;
        if (!digits(text, &i, 1, 9, &frac)) return bad(text, "expected fractional seconds");
        for (size_t w = i - start; w < 3; ++w) frac *= 10;
        for (size_t w = i - start; w > 3; --w) frac /= 10;
        ms = frac;
      }
    }
    if (h > 23 || mi > 59 || s > 60) return bad(text, "no such time");
    if (i < text.size()) {
      char z = text[i];
      if (z == 'Z' || z == 'z') {
        ++i;
      } else if (z == '+' || z == '-') {
        ++i;
        int64_t oh = 0, om = 0;
        if (!digits(text, &i, 2, 2, &oh)) return bad(text, "expected a UTC offset");
        expect(text, &i, ':');
        if (!digits(text, &i, 2, 2, &om) || oh > 23 || om > 59) return bad(text, "expected a UTC offset");
        offset_min = (z == '-' ? -1 : 1) * (oh * 60 + om);
      }
    }
    if (i != text.size()) return bad(text, "unexpected trailing text");
  }
  int64_t days = days_from_civil(y, static_cast<int>(mo), static_cast<int>(d));
  return days * kMsPerDay + ((h * 60 + mi - offset_min) * 60 + s) * 1000 + ms;
}

std::string format_date(int64_t days) {
  int64_t y;
  int m, d;
  civil_from_days(days, &y, &m, &d);
  std::string out;
  append_padded(out, y, 4);
  out += '-';
  append_padded(out, m, 2);
  out += '-';
  append_padded(out, d, 2);
  return out;
}

std::string format_month(int64_t days) { return format_date(days).substr(0, 7); }

std::string format_timestamp(int64_t ms) {
  int64_t days = floor_div(ms, kMsPerDay);
  int64_t rest = ms - days * kMsPerDay;
  int64_t sec = rest / 1000, milli = rest % 1000;
  std::string out = format_date(days);
  out += 'T';
  append_padded(out, sec / 3600, 2);
  out += ':';
  append_padded(out, sec / 60 % 60, 2);
  out += ':';
  append_padded(out, sec % 60, 2);
  if (milli) {
    out += '.';
    append_padded(out, milli, 3);
  }
  return out + "Z";
}

}  // namespace flk
