#!/usr/bin/env bash
# Builds the libFuzzer harnesses of tests/fuzz/ (clang-19, ASan+UBSan: the sanitizer build in
# build/asan/) and runs each for SECONDS (default 10) from its checked-in corpus
# tests/fuzz/corpus/<name>/.
#   scripts/fuzz.sh [seconds] [harness...]      e.g. scripts/fuzz.sh 60 json wal_record
#   FLK_FUZZ_JOBS=6 scripts/fuzz.sh 1200         all harnesses at once
#   FLK_FUZZ_RUNS=30000 scripts/fuzz.sh           a fixed number of inputs from a fixed seed instead
#                                                 of a time: the same inputs on every machine (npm test)
#   FLK_FUZZ_TIMEOUT=5 scripts/fuzz.sh 1200       the hang limit in seconds (default 1); libFuzzer
#                                                 measures wall time, so a loaded machine needs more
# Inputs that add coverage go to build/asan/fuzz/corpus/<name>/ (docs/fuzzing.md: how to merge
# them into the repository). A crash, a sanitizer report, a failed property or an input that runs
# longer than FLK_FUZZ_TIMEOUT stops the run; the input is left in build/asan/fuzz/artifacts/ and
# the script fails. Each harness's log is build/asan/fuzz/<name>.log.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
shift || true
dir=build/asan
harnesses=${*:-$(ls tests/fuzz/fuzz_*.cc | sed 's|.*/fuzz_||; s|\.cc$||')}
scripts/asan-build.sh $(for h in $harnesses; do echo fuzz_$h; done)
work=$dir/fuzz
limit="-max_total_time=$secs"
[ -n "${FLK_FUZZ_RUNS:-}" ] && limit="-runs=$FLK_FUZZ_RUNS -seed=1"
mkdir -p $work/artifacts
# One harness: its log in $work/<name>.log, a summary line, status 1 on a finding.
run() {
  local h=$1 dict=tests/fuzz/$1.dict log=$work/$1.log
  mkdir -p $work/corpus/$h
  # -timeout: an input that takes longer is a finding (a hang), like a crash.
  if ! $dir/dist/fuzz/fuzz_$h $limit -timeout=${FLK_FUZZ_TIMEOUT:-1} -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix=$work/artifacts/$h- $([ -f $dict ] && echo -dict=$dict) \
      $work/corpus/$h tests/fuzz/corpus/$h >"$log" 2>&1; then
    tail -n 60 "$log" >&2
    echo "[fuzz] $h failed; the input is in $work/artifacts/, the log in $log" >&2
    return 1
  fi
  awk -v h=$h '/^stat::number_of_executed_units/ {n=$2} /^stat::average_exec_per_sec/ {r=$2} /^stat::peak_rss_mb/ {m=$2}
    END {printf "[fuzz] %s: %d executions, %d exec/s, peak RSS %d MB\n", h, n, r, m}' "$log"
}
# FLK_FUZZ_JOBS harnesses at a time (default 1).
jobs=${FLK_FUZZ_JOBS:-1}
failed=0
for h in $harnesses; do
  echo "[fuzz] $h ($limit)"
  run $h &
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || failed=1; done
done
while [ "$(jobs -rp | wc -l)" -gt 0 ]; do wait -n || failed=1; done
exit $failed
