// Subcommands of the native CLI dist/native/flk. Each runs on its parsed flags and returns the
// process exit status (0 ok, 1 usage, 2 typed error; 3 and 4 where a command says).
#pragma once
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "facade/batch.h"
#include "flags.h"

namespace flk::cli {

// Every subcommand's spec (flags.h), in the order flk --help lists them; main.cc parses a command
// line by its spec and runs it.
const std::vector<Spec>& specs();
std::vector<Spec> call_specs();        // call, batch, ops (cmd_call.cc)
std::vector<Spec> pcs_specs();         // pcs build | verify, keygen (cmd_pcs.cc)
std::vector<Spec> audit_specs();       // audit verify | cloudevents (cmd_audit.cc)
std::vector<Spec> anomaly_specs();     // anomaly fit | score | eval (cmd_anomaly.cc)
std::vector<Spec> hrs_specs();         // hrs train | eval | score (cmd_hrs.cc)
std::vector<Spec> ensemble_specs();    // ensemble eval, verify (cmd_ensemble.cc)
std::vector<Spec> cost_specs();        // cost import-billing | report | reconcile | forecast | advise (cmd_cost.cc)
std::vector<Spec> compliance_specs();  // compliance report (cmd_compliance.cc)
std::vector<Spec> pii_specs();         // pii scan | redact | eval (cmd_pii.cc)
std::vector<Spec> policy_specs();      // policy …, canary gate | step | cohort (cmd_policy.cc)
Spec canary_status_spec();             // canary status (cmd_canary_status.cc)

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
// Reads the file of --flag into `in` at `key`; a YAML file goes as its text at `key`_yaml, so that
// the core's errors in the document say where in the text they are. The document also lands in
// `parsed` when given.
Status read_policy(const Parsed& p, json::Value& in, const char* flag, const char* key, json::Value* parsed = nullptr);
// The JSON or YAML file of --flag, when given, into `in` at `key`.
Status read_optional_file(const Parsed& p, const char* flag, json::Value& in, const char* key);
// Prints the result (or its error) as one JSON line; returns the exit status.
int print_result(const Result<json::Value>& r);
// A typed error that a line of an input file gives: the line named on stderr ("flk: FILE:LINE: "),
// the error on stdout; returns kExitError.
int line_error(const std::string& file, size_t line, const Error& e);

}  // namespace flk::cli
