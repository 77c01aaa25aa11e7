#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <sys/stat.h>

#include "commands.h"
#include "json/parse.h"
#include "json/write.h"
#include "yaml/parse.h"

namespace flk::cli {

std::string read_all_stdin() {
  return std::string((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
}

bool is_dir(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool open_input(const std::string& path, std::ifstream& f) {
  if (is_dir(path)) return false;  // it would open, and read as empty
  f.open(path, std::ios::binary);
  return static_cast<bool>(f);
}

bool read_file(const std::string& path, std::string& out) {
  std::ifstream f;
  if (!open_input(path, f)) return false;
  std::ostringstream ss;
  ss << f.rdbuf();
  out = ss.str();
  return true;
}

bool write_file(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary);
  f << text;
  f.close();
  return !f.fail();
}

Error io_error(const char* verb, const std::string& path) {
  return make_error("io", std::string("cannot ") + verb + " " + path, path);
}

int io_failure(const char* verb, const std::string& path) { return print_result(io_error(verb, path)); }

Result<json::Value> read_json_file(const std::string& path) {
  std::string text;
  if (!read_file(path, text)) return io_error("read", path);
  auto v = yaml::parse_by_name(path, text);
  if (!v.ok()) return make_error(v.error().code, path + ": " + v.error().message, v.error().path);
  return v;
}

namespace {
// Plain decimal only: strtoll and strtod would also take leading spaces, a '+', hex ("0x1p3"),
// "inf" and "nan", none of which a flag's help promises.
bool plain_decimal(const std::string& text) {
  if (text.empty() || !(std::isdigit(static_cast<unsigned char>(text[0])) || text[0] == '-' || text[0] == '.')) return false;
  return text.find_first_not_of("0123456789.eE+-") == std::string::npos;
}
}  // namespace

Status read_policy(const Parsed& p, json::Value& in, const char* flag, const char* key, json::Value* parsed) {
  const std::string file = p.get(flag);
  FLK_ASSIGN(json::Value doc, read_json_file(file));  // a file that does not read fails here, named
  std::string text;
  if (yaml::is_yaml_name(file) && read_file(file, text)) in.set(std::string(key) + "_yaml", std::move(text));
  else in.set(key, doc);
  if (parsed) *parsed = std::move(doc);
  return Ok{};
}

Status read_optional_file(const Parsed& p, const char* flag, json::Value& in, const char* key) {
  if (!p.has(flag)) return Ok{};
  FLK_ASSIGN(json::Value v, read_json_file(p.get(flag)));
  in.set(key, std::move(v));
  return Ok{};
}

std::optional<int64_t> whole_integer(const std::string& text) {
  if (!plain_decimal(text)) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  const long long v = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno == ERANGE) return std::nullopt;
  return static_cast<int64_t>(v);
}
std::optional<double> whole_number(const std::string& text) {
  if (!plain_decimal(text)) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || errno == ERANGE || !std::isfinite(v)) return std::nullopt;
  return v;
}

int usage_error(const std::string& message) {
  std::fprintf(stderr, "flk: %s (see flk --help)\n", message.c_str());
  return 1;
}

int line_error(const std::string& file, size_t line, const Error& e) {
  std::fprintf(stderr, "flk: %s:%zu: ", file.c_str(), line);
  std::cout << error_json(e) << '\n';
  return kExitError;
}

int print_result(const Result<json::Value>& r) {
  if (!r.ok()) {
    std::cout << error_json(r.error()) << '\n';
    return kExitError;
  }
  std::cout << json::to_string(*r) << '\n';
  return kExitOk;
}

}  // namespace flk::cli
