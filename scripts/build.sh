#!/usr/bin/env bash
# Configures (once) and builds the three targets; artefacts land in dist/{native,wasm,wasi}/.
# Incremental: ninja rebuilds only what changed.
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=/usr/share/nodejs
DEPS=$(scripts/deps-dir.sh)
targets=${*:-native wasm wasi}
# A build dir is (re)configured when it is new or links a dependency folder other than the
# current one (its name changes with the Debian versions and build-deps.sh).
configured_for() { grep -qxF "FLK_DEPS_DIR:PATH=$DEPS" "$1/CMakeCache.txt" 2>/dev/null; }
for t in $targets; do
  dir=build/$([ $t = wasm ] && echo em || echo $t)
  case $t in
    native) [ -f $dir/build.ninja ] || cmake -S . -B $dir -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null ;;
    wasm) configured_for $dir || emcmake cmake -S . -B $dir -G Ninja -DCMAKE_BUILD_TYPE=Release -DFLK_DEPS_DIR="$DEPS" >/dev/null ;;
    wasi) configured_for $dir || cmake -S . -B $dir -G Ninja -DCMAKE_BUILD_TYPE=Release \
            -DCMAKE_TOOLCHAIN_FILE=cmake/wasi.cmake -DFLK_DEPS_DIR="$DEPS" >/dev/null ;;
    *) echo "unknown target $t (native, wasm, wasi)" >&2; exit 1 ;;
  esac
  echo "[build] $t"
  cmake --build "$dir"
done
