#!/usr/bin/env bash
# npm run bench: benchmarks are measurements, not tests. Native Google Benchmark, then the
# JS runner that times the same calls in the wasm builds next to peer libraries, then the edge
# numbers (artefact sizes, load/instantiate times in Node, workerd and Chromium, per-call costs).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh >/dev/null
dist/native/flk_bench --benchmark_min_time=0.2 --benchmark_filter='^BM_'
node bench/js/run.mjs
node --no-warnings bench/js/edge.mjs
node bench/js/hrs.mjs
node bench/js/pii.mjs
