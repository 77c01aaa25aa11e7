#!/usr/bin/env bash
# The sanitizer lane: a native clang-19 build with AddressSanitizer and UndefinedBehaviorSanitizer
# (-fno-sanitize-recover=all: the first report stops the process) of the core, the CLI, the
# server, their tests and the fuzzers in build/asan/ (scripts/fuzz.sh runs the fuzzers of the same
# build), then ctest, then the server end-to-end tests (tests/js/server*.test.mjs) against its
# flk and flk-server. Any report fails the lane.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=build/asan
scripts/asan-build.sh
echo "[sanitize] ctest"
ctest --test-dir $dir --output-on-failure -j2
# The servers' reports go to files: a test that only looks at HTTP answers would miss a report
# written by a server at exit (a leak), so the files are checked afterwards.
logs=$PWD/$dir/sanitizer-reports
rm -rf "$logs" && mkdir -p "$logs"
echo "[sanitize] server end-to-end tests"
FLK_SANITIZED=1 FLK_NATIVE_DIR=$dir/dist ASAN_OPTIONS=log_path=$logs/asan UBSAN_OPTIONS=log_path=$logs/ubsan:print_stacktrace=1 \
  node --test --test-concurrency=2 tests/js/server*.test.mjs
if compgen -G "$logs/*" >/dev/null; then
  cat "$logs"/* >&2
  echo "[sanitize] sanitizer reports above" >&2
  exit 1
fi
