#!/usr/bin/env bash
# Configures (once) and builds the three release targets; artefacts land in the repository's
# dist/{native,wasm,wasi}/ (FLK_DIST_DIR; other build dirs keep theirs in <build dir>/dist).
# Incremental: ninja rebuilds only what changed.
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=/usr/share/nodejs
DEPS=$(scripts/deps-dir.sh)
targets=${*:-native wasm wasi}
# A build dir is (re)configured when it is new, writes its artefacts elsewhere, or links a
# dependency folder other than the current one (its name changes with the Debian versions and
# build-deps.sh).
configured_for() {
  local cache=$1/CMakeCache.txt line
  shift
  for line in "$@"; do grep -qxF "$line" "$cache" 2>/dev/null || return 1; done
}
for t in $targets; do
  dir=build/$([ $t = wasm ] && echo em || echo $t)
  dist=$PWD/dist/$t
  case $t in
    native) configured_for $dir "FLK_DIST_DIR:PATH=$dist" ||
              cmake -S . -B $dir -G Ninja -DCMAKE_BUILD_TYPE=Release -DFLK_DIST_DIR="$dist" >/dev/null ;;
    wasm) configured_for $dir "FLK_DIST_DIR:PATH=$dist" "FLK_DEPS_DIR:PATH=$DEPS" ||
            emcmake cmake -S . -B $dir -G Ninja -DCMAKE_BUILD_TYPE=Release -DFLK_DIST_DIR="$dist" -DFLK_DEPS_DIR="$DEPS" >/dev/null ;;
    wasi) configured_for $dir "FLK_DIST_DIR:PATH=$dist" "FLK_DEPS_DIR:PATH=$DEPS" ||
            cmake -S . -B $dir -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_TOOLCHAIN_FILE=cmake/wasi.cmake \
              -DFLK_DIST_DIR="$dist" -DFLK_DEPS_DIR="$DEPS" >/dev/null ;;
    *) echo "unknown target $t (native, wasm, wasi)" >&2; exit 1 ;;
  esac
  echo "[build] $t"
  cmake --build "$dir"
done
