// Subcommands of the native CLI dist/native/flk. Each takes the arguments after its name
// and returns the process exit status (0 ok, 1 usage, 2 typed error).
#pragma once
#include <fstream>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "facade/batch.h"

namespace flk::cli {

using Args = std::vector<std::string>;

struct Command {
  const char* name;
  const char* usage;    // shown by flk --help
  int (*run)(Engine& engine, const Args& args);
};

const std::vector<Command>& commands();

// flk call / batch / ops (cmd_call.cc)
int cmd_call(Engine& engine, const Args& args);
int cmd_batch(Engine& engine, const Args& args);
int cmd_ops(Engine& engine, const Args& args);
// flk audit verify / cloudevents (cmd_audit.cc)
int cmd_audit(Engine& engine, const Args& args);

// flk pcs build / verify, flk keygen (cmd_pcs.cc)
int cmd_pcs(Engine& engine, const Args& args);
int cmd_keygen(Engine& engine, const Args& args);

// flk anomaly fit / score / eval (cmd_anomaly.cc)
int cmd_anomaly(Engine& engine, const Args& args);

// flk hrs train | eval | score (cmd_hrs.cc)
int cmd_hrs(Engine& engine, const Args& args);

// flk cost … (cmd_cost.cc)
int cmd_cost(Engine& engine, const Args& args);

// flk compliance report (cmd_compliance.cc)
int cmd_compliance(Engine& engine, const Args& args);

// flk ensemble eval, flk verify (cmd_ensemble.cc)
int cmd_ensemble(Engine& engine, const Args& args);
int cmd_verify(Engine& engine, const Args& args);

// flk pii scan | redact | eval (cmd_pii.cc)
int cmd_pii(Engine& engine, const Args& args);

// flk policy validate | hash | sign | verify | evaluate | simulate, flk canary gate | step | cohort
// (cmd_policy.cc)
int cmd_policy(Engine& engine, const Args& args);
int cmd_canary(Engine& engine, const Args& args);
// flk canary status --server URL --tenant T (cmd_canary_status.cc)
int cmd_canary_status(Engine& engine, const Args& args);

// Shared helpers (io.cc).
std::string read_all_stdin();
bool is_dir(const std::string& path);
// Opens a file to read; false when it does not open or is a directory (which would read as empty).
bool open_input(const std::string& path, std::ifstream& f);
bool read_file(const std::string& path, std::string& out);
// The whole of `text` as the file's content; false when it could not be written (flushed included).
bool write_file(const std::string& path, const std::string& text);
// The one answer to a file the CLI cannot read or write (verb "read" or "write"): the typed error
// io, its path the file's name as given (docs/errors.md). io_failure prints it like every typed
// error (one JSON line on stdout) and returns its exit status, kExitError.
Error io_error(const char* verb, const std::string& path);
int io_failure(const char* verb, const std::string& path);
int usage_error(const std::string& message);
// The whole of `text` as an integer, or as a finite number; nullopt otherwise (flag values).
std::optional<int64_t> whole_integer(const std::string& text);
std::optional<double> whole_number(const std::string& text);
// A whole file parsed as JSON; errors: io, or the parser's (the message names the file).
// JSON, or YAML when the name ends in .yaml or .yml (core/yaml).
Result<json::Value> read_json_file(const std::string& path);
// Parses --name value pairs (--json takes none); every flag must be in `known`. Positional
// arguments are returned.
bool parse_flags(const Args& args, std::initializer_list<const char*> known, std::map<std::string, std::string>& flags,
                 std::vector<std::string>& positional, std::string& error);
// Prints the result (or its error) as one JSON line; returns the exit status.
int print_result(const Result<json::Value>& r);

}  // namespace flk::cli
