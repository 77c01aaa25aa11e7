#!/usr/bin/env bash
# Configures (once) and builds the three targets; artefacts land in dist/{native,wasm,wasi}/.
# Incremental: ninja rebuilds only what changed.
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=/usr/share/nodejs
DEPS=$(scripts/deps-dir.sh)
targets=${*:-native wasm wasi}
for t in $targets; do
  case $t in
    native) [ -f build/native/build.ninja ] || cmake -S . -B build/native -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null ;;
    wasm) [ -f build/em/build.ninja ] || emcmake cmake -S . -B build/em -G Ninja -DCMAKE_BUILD_TYPE=Release -DFLK_DEPS_DIR="$DEPS" >/dev/null ;;
    wasi) [ -f build/wasi/build.ninja ] || cmake -S . -B build/wasi -G Ninja -DCMAKE_BUILD_TYPE=Release \
            -DCMAKE_TOOLCHAIN_FILE=cmake/wasi.cmake -DFLK_DEPS_DIR="$DEPS" >/dev/null ;;
    *) echo "unknown target $t (native, wasm, wasi)" >&2; exit 1 ;;
  esac
  dir=build/$([ $t = wasm ] && echo em || echo $t)
  echo "[build] $t"
  cmake --build "$dir"
done
