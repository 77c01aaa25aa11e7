#!/usr/bin/env bash
# npm test: the whole suite. Brings the three builds up to date (incremental), then native
# GoogleTest via ctest, then Node's test runner over the JS API, the WASI module, golden
# vectors and cross-build parity.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
echo "[test] ctest"
ctest --test-dir build/native --output-on-failure -j2
echo "[test] node --test"
node --test --test-concurrency=2 tests/js/
