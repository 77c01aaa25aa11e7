// dist/native/flk — the native command line. `flk --help` lists the subcommands.
#include <cstdio>
#include <cstring>
#include <iostream>

#include "commands.h"

namespace flk::cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> list = {
      {"call", "call OP              read one JSON object on stdin, print the op's JSON answer", cmd_call},
      {"batch", "batch                JSON lines {\"op\",\"input\"} on stdin -> one answer line each", cmd_batch},
      {"ops", "ops                  list every op of the facade", cmd_ops},
      {"pcs", "pcs build --csv FILE --shard ID --epoch N [--seed 42] [--scales 2,4,8,16] [--chunk-size 64]\n"
              "                         [--sent-at RFC3339] [--key-file K] [--out F]   build (and sign) a PCS\n"
              "  flk pcs verify PCS_FILE --key-file K [--json]\n"
              "                         verify; exit 0 accepted (200), 3 escalated or rejected (202), 4 bad signature (401)",
       cmd_pcs},
      {"keygen", "keygen ed25519|hmac [--out FILE]   a key file (and FILE.pub for ed25519)", cmd_keygen},
      {"audit", "audit verify FILE [--head-seq N] [--head-hash H]   check a JSONL audit log (exit 3: broken)\n"
                "  flk audit cloudevents FILE --source URI            the log as CloudEvents, one per line",
       cmd_audit},
      {"anomaly", "anomaly fit --in train.csv[.gz] --out model.json [--detector ae|vae|iforest|zscore] [--epochs N]\n"
                  "                         [--seed N] [--order strict|keep] [--options JSON] [--quiet]   fit a detector\n"
                  "  flk anomaly score --model model.json --in test.csv[.gz] --out scores.jsonl [--order strict|keep]\n"
                  "  flk anomaly eval [--data DIR] [--bench nab,smd,asd] [--detectors ae,vae,iforest,zscore,iforest-raw]\n"
                  "                         [--options JSON] [--quantiles Q,...] [--per-series] [--json report.json] [--limit N]\n"
                  "                         [--quiet]   ours against baselines on labelled benchmarks (docs/anomaly.md)",
       cmd_anomaly},
      {"hrs", "hrs train --data DIR|FILES --out model.json [--kind gbt|logistic] [--folds K] [--bags B] [--seed S]\n"
              "  flk hrs eval [--model M] --data FILES [--out metrics.json] [--probes]   per-set metrics (and form probes)\n"
              "  flk hrs score [--model M] --in examples.jsonl --out preds.jsonl",
       cmd_hrs},
      {"ensemble", "ensemble eval --data DIR|FILES [--folds 5] [--budget 0.1] [--out params.json] [--report r.json]\n"
                   "                         scorer alone against the ensemble (grouped CV, docs/ensemble.md)",
       cmd_ensemble},
      {"verify", "verify --in requests.jsonl [--out answers.jsonl] [--policy policy.json]   ensemble.verify per line",
       cmd_verify},
      {"cost", "cost import-billing FILE... [--format auto|focus|cur|azure|gcp] [--strict] [--json] [--no-progress]\n"
               "  flk cost report --usage FILE [--by tenant,model,task,day,month,provider,label:K] [--tenant T] [--from D]\n"
               "                         [--to D] [--json]\n"
               "  flk cost reconcile --usage FILE --billing FILE [--period YYYY-MM | --from D --to D] [--threshold PCT]\n"
               "                         [--column billed|effective|list] [--map provider=BillingService]... [--json]\n"
               "  flk cost forecast (--usage FILE [--tenant T] | --billing FILE [--provider P] [--service S] | --series FILE)\n"
               "                         [--horizon DAYS] [--backtest] [--json]\n"
               "  flk cost advise --usage FILE [--evidence FILE] [--tenant T] [--from D] [--to D] [--lookback DAYS]\n"
               "                         [--cap USD] [--horizon DAYS] [--json]\n"
               "                         usage files: JSON lines, one cost.ledger.record event per line (docs/cost.md)",
       cmd_cost},
      {"compliance", "compliance report AUDIT.jsonl|--store postgres://...|--data DIR --from T --to T\n"
                     "                         --framework soc2|iso27001 [--head-seq N --head-hash H] [--config name=value,...]\n"
                     "                         [--out PREFIX]   evidence report (exit 3: broken chain)",
       cmd_compliance},
      {"pii", "pii scan FILE [--types a,b] [--min-confidence X]   personal data and secrets in a file (- = stdin)\n"
              "  flk pii redact FILE --mode mask|tag|pseudonym [--key KEYFILE]   the file with them replaced\n"
              "  flk pii eval FILE.jsonl [--show-misses 1]  precision/recall per type",
       cmd_pii},
      {"policy", "policy validate|hash|verify --policy FILE [--key-file K.pub]   check a policy document (docs/policy.md;\n"
                 "                         verify exits 3 when the signature is not valid)\n"
                 "  flk policy sign --policy FILE --key-file K [--out FILE]   the document with its Ed25519 signature\n"
                 "  flk policy evaluate --policy FILE --request REQ.json   the decision for one request\n"
                 "  flk policy simulate --policy FILE --against TRACE.jsonl [--baseline FILE]   replay a trace\n"
                 "  flk policy simulate --policy FILE --server URL --tenant T [--baseline FILE] [--limit N] [--admin-token TOKEN]\n"
                 "    replay the tenant's stored decisions on a running flk-server",
       cmd_policy},
      {"canary", "canary gate --policy FILE --baseline B.jsonl --canary C.jsonl   pass, fail (exit 3) or inconclusive\n"
                 "  flk canary step --policy FILE --verdict pass|fail|inconclusive [--state STATE.json]\n"
                 "  flk canary cohort --rollout ID --key KEY --percent P\n"
                 "  flk canary status --server URL --tenant T [--admin-token TOKEN] [--json]",
       cmd_canary},
  };
  return list;
}

}  // namespace flk::cli

namespace {

const char* const kExitStatus =
    "\nexit status: 0 ok, 1 usage error, 2 the answer is a typed error {\"error\":{...}} (code io: a file that cannot be\n"
    "read or written); 3 and 4 where a command says\n";

bool is_help(const char* arg) { return !std::strcmp(arg, "--help") || !std::strcmp(arg, "-h"); }

}  // namespace

int main(int argc, char** argv) {
  using namespace flk::cli;
  if (argc < 2 || is_help(argv[1])) {
    std::printf("flk %s — Fractal LBA verification core (native build)\n\nusage:\n", flk::kVersion);
    for (const Command& c : commands()) std::printf("  flk %s\n", c.usage);
    std::printf("  flk --version            the version\n  flk CMD --help           that command's usage\n%s", kExitStatus);
    return argc < 2 ? flk::kExitUsage : flk::kExitOk;
  }
  if (!std::strcmp(argv[1], "--version")) {
    std::printf("%s\n", flk::kVersion);
    return 0;
  }
  std::ios::sync_with_stdio(false);
  Args args(argv + 2, argv + argc);
  flk::Engine engine;
  for (const Command& c : commands()) {
    if (c.name != std::string(argv[1])) continue;
    // `flk CMD ... --help`: that command's lines of the usage, whatever else was given.
    for (int i = 2; i < argc; ++i)
      if (is_help(argv[i])) {
        std::printf("usage:\n  flk %s\n%s", c.usage, kExitStatus);
        return flk::kExitOk;
      }
    return c.run(engine, args);
  }
  return usage_error(std::string("unknown command \"") + argv[1] + "\"");
}
