#!/usr/bin/env bash
# npm run bench: benchmarks are measurements, not tests. Native Google Benchmark, then the
# JS runner that times the same calls in the wasm builds next to peer libraries, then the edge
# numbers (artefact sizes, load/instantiate times in Node, workerd and Chromium, per-call costs).
# A part that fails is reported and the others still run; the exit status says whether any failed.
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh >/dev/null || exit 1
failed=()
run() {
  "$@" || { failed+=("$* (exit $?)"); echo "[bench] failed: $*" >&2; }
}
run dist/native/flk_bench --benchmark_min_time=0.2 --benchmark_filter='^BM_'
run node bench/js/run.mjs
run node --no-warnings bench/js/edge.mjs
run node bench/js/hrs.mjs
run node bench/js/pii.mjs
run node bench/js/demo-weight.mjs
if ((${#failed[@]})); then
  printf '[bench] %d part(s) failed:\n' "${#failed[@]}" >&2
  printf '  %s\n' "${failed[@]}" >&2
  exit 1
fi
