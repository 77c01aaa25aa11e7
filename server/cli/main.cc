// dist/native/flk — the native command line. `flk --help` lists the subcommands.
#include <cstdio>
#include <cstring>
#include <iostream>

#include "commands.h"

namespace flk::cli {

const std::vector<Spec>& specs() {
  static const std::vector<Spec> all = [] {
    std::vector<Spec> v;
    for (auto group : {call_specs, pcs_specs, audit_specs, anomaly_specs, hrs_specs, ensemble_specs, cost_specs,
                       compliance_specs, pii_specs, policy_specs})
      for (Spec& s : group()) v.push_back(std::move(s));
    v.push_back(canary_status_spec());
    return v;
  }();
  return all;
}

}  // namespace flk::cli

namespace {

const char* const kExitStatus =
    "\nexit status: 0 ok, 1 usage error, 2 the answer is a typed error {\"error\":{...}} (code io: a file that cannot be\n"
    "read or written); 3 and 4 where a command says\n";

bool is_help(const char* arg) { return !std::strcmp(arg, "--help") || !std::strcmp(arg, "-h"); }

std::string first_word(const char* command) {
  const char* sp = std::strchr(command, ' ');
  return sp ? std::string(command, sp) : command;
}

// On stdout for --help; on stderr for `flk` alone, a usage error, which writes nothing on stdout.
void print_top_help(std::FILE* to) {
  using namespace flk::cli;
  std::fprintf(to, "flk %s — Fractal LBA verification core (native build)\n\nusage:\n", flk::kVersion);
  for (const Spec& s : specs()) {
    std::string head = std::string(s.command) + (*s.positional ? std::string(" ") + s.positional : "");
    std::fprintf(to, "  flk %-34s %s\n", head.c_str(), s.summary);
  }
  std::fprintf(to, "  flk --version                          the version\n"
                   "  flk CMD --help                         that command's usage\n%s", kExitStatus);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace flk::cli;
  if (argc < 2 || is_help(argv[1])) {
    print_top_help(argc < 2 ? stderr : stdout);
    return argc < 2 ? flk::kExitUsage : flk::kExitOk;
  }
  if (!std::strcmp(argv[1], "--version")) {
    std::printf("%s\n", flk::kVersion);
    return 0;
  }
  std::ios::sync_with_stdio(false);
  // The command's specs: one named as the command itself, or one per subcommand ("pcs build").
  const std::string name = argv[1];
  std::vector<const Spec*> group;
  for (const Spec& s : specs())
    if (first_word(s.command) == name) group.push_back(&s);
  if (group.empty()) return usage_error("unknown command \"" + name + "\"");
  const Spec* spec = nullptr;
  int first = 2;  // the first argument after the (sub)command
  for (const Spec* s : group)
    if (s->command == name || (argc > 2 && s->command == name + " " + argv[2])) spec = s, first = s->command == name ? 2 : 3;
  // `flk CMD [SUB] ... --help`: the usage of SUB, or of every subcommand of CMD, whatever else was given.
  for (int i = 2; i < argc; ++i)
    if (is_help(argv[i])) {
      std::printf("usage:\n");
      for (const Spec* s : group)
        if (!spec || s == spec) std::printf("%s", help_text(*s).c_str());
      std::printf("%s", kExitStatus);
      return flk::kExitOk;
    }
  if (!spec) {
    std::string subs;
    for (size_t i = 0; i < group.size(); ++i)
      subs += (i == 0 ? "" : i + 1 == group.size() ? " or " : ", ") + std::string(group[i]->command).substr(name.size() + 1);
    return usage_error(name + " takes " + subs);
  }
  Parsed parsed;
  std::string error;
  if (!parse(*spec, Args(argv + first, argv + argc), parsed, error)) return usage_error(error);
  flk::Engine engine;
  return spec->run(engine, parsed);
}
