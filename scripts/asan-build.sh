#!/usr/bin/env bash
# Configures (once) and builds build/asan: clang-19 with ASan+UBSan and libFuzzer coverage
# (-DFLK_SANITIZE=ON -DFLK_FUZZ=ON), its binaries in build/asan/dist/. Arguments: targets
# (default all). Shared by scripts/sanitize.sh and scripts/fuzz.sh, so CI compiles the core once
# for both lanes.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=build/asan
[ -f $dir/build.ninja ] || cmake -S . -B $dir -G Ninja -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" -DFLK_SANITIZE=ON -DFLK_FUZZ=ON >/dev/null
echo "[asan] build $dir ${*:-(all)}"
cmake --build $dir ${*:+--target $*}
