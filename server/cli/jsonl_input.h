// Reading labelled JSON-lines files for the commands that train or evaluate on them (flk hrs,
// flk ensemble): directories expand to their *.jsonl files, every line is located for errors.
#pragma once
#include <initializer_list>
#include <string>
#include <vector>

#include "flags.h"
#include "json/value.h"
#include "util/result.h"

namespace flk::cli {

// Expands directories to their *.jsonl files, sorted by name.
bool expand_inputs(const std::vector<std::string>& in, std::vector<std::string>& files);

struct Where {
  std::string file;
  size_t line;
};

// Parses every non-empty line of the files into an array of objects; where[i] locates item i.
// On false the typed error (io, or the line's parse error) has been printed.
bool read_jsonl(const std::vector<std::string>& files, json::Value& out, std::vector<Where>& where);
// The labelled examples of --data (files, or directories of *.jsonl files) with the keys the ops
// read; an exit status: kExitOk, a usage error when --data names no .jsonl file, or kExitError
// (printed) when a file does not read or a line is not JSON.
int read_examples(const Parsed& p, json::Value& examples, std::vector<Where>& where);
// Keeps only the keys an op reads from a shared-schema record.
json::Value pick(const json::Value& rec, std::initializer_list<const char*> keys);
// Prints the error (located in its file when its path is inside list_path); returns kExitError.
int report_error(const Error& e, const std::vector<Where>& where, const char* list_path);

}  // namespace flk::cli
