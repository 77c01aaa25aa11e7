#include "jsonl_input.h"

#include <algorithm>
#include <cstdio>
#include <dirent.h>
#include <fstream>
#include <iostream>

#include "commands.h"
#include "facade/batch.h"
#include "json/parse.h"
#include "json/write.h"

namespace flk::cli {

bool expand_inputs(const std::vector<std::string>& in, std::vector<std::string>& files) {
  for (const std::string& p : in) {
    if (!is_dir(p)) {
      files.push_back(p);
      continue;
    }
    DIR* d = opendir(p.c_str());
    if (!d) return false;
    std::vector<std::string> names;
    while (dirent* e = readdir(d)) {
      std::string n = e->d_name;
      if (n.size() > 6 && n.compare(n.size() - 6, 6, ".jsonl") == 0) names.push_back(n);
    }
    closedir(d);
    std::sort(names.begin(), names.end());
    for (const auto& n : names) files.push_back(p + "/" + n);
  }
  return true;
}

bool read_jsonl(const std::vector<std::string>& files, json::Value& out, std::vector<Where>& where) {
  out = json::Value::array();
  for (const std::string& f : files) {
    std::ifstream in;
    if (!open_input(f, in)) {
      io_failure("read", f);
      return false;
    }
    std::string line;
    size_t n = 0;
    while (std::getline(in, line)) {
      ++n;
      if (line.empty() || line == "\r") continue;
      auto v = json::parse(line);
      if (!v.ok()) {
        line_error(f, n, v.error());
        return false;
      }
      out.push(std::move(v.value()));
      where.push_back({f, n});
    }
  }
  return true;
}

int read_examples(const Parsed& p, json::Value& examples, std::vector<Where>& where) {
  std::vector<std::string> files;
  if (!expand_inputs(p.all("data"), files) || files.empty())
    return usage_error(std::string(p.spec->command) + ": no .jsonl files in --data");
  if (!read_jsonl(files, examples, where)) return kExitError;
  for (auto& e : examples.as_array()) e = pick(e, {"id", "source", "task", "question", "context", "answer", "label"});
  return kExitOk;
}

json::Value pick(const json::Value& rec, std::initializer_list<const char*> keys) {
  json::Value o = json::Value::object();
  if (!rec.is_object()) return rec;
  for (const auto& m : rec.as_object())
    for (const char* k : keys)
      if (m.first == k) o.set(m.first, m.second);
  return o;
}

int report_error(const Error& e, const std::vector<Where>& where, const char* list_path) {
  std::string path = e.path;
  std::string prefix = std::string(list_path) + "[";
  if (path.compare(0, prefix.size(), prefix) == 0) {
    size_t i = std::stoul(path.substr(prefix.size()));
    if (i < where.size())
      std::fprintf(stderr, "flk: %s:%zu: ", where[i].file.c_str(), where[i].line);
  }
  std::cout << error_json(e) << '\n';
  return kExitError;
}

}  // namespace flk::cli
