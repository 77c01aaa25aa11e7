#!/usr/bin/env bash
# Builds fe25519_simd.c for wasm32-wasi without and with -msimd128 against the private
# headers of the installed libsodium's Debian source, and runs both under Node's WASI.
# Usage: bash bench/wasm_simd/run.sh [CHECKED_INPUTS]   (default 3,000,000)
# FESIMD_KEEP=DIR keeps the two modules there (e.g. for node --print-wasm-code --no-liftoff).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/flk-fesimd.XXXXXX")
trap 'rm -rf "$work"' EXIT
pkg=$(dpkg-query -W -f='${source:Package}' libsodium-dev)
ver=$(dpkg-query -W -f='${source:Version}' libsodium-dev)
(cd "$work" && apt-get source -qq "$pkg=$ver" >/dev/null 2>&1)
inc=$(ls -d "$work"/libsodium-*/src/libsodium/include/sodium)
for sub in include lib; do
  mkdir -p "$work/sysroot/$sub" && ln -s "/usr/$sub/wasm32-wasi" "$work/sysroot/$sub/wasm32-wasi"
done
for simd in "" -msimd128; do
  clang-19 --target=wasm32-wasi --sysroot="$work/sysroot" -O2 $simd -DCONFIGURED=1 -I"$inc" \
    -Wall -Wno-unused-function "$here/fe25519_simd.c" -o "$work/fe${simd}.wasm"
  node --no-warnings "$here/run-wasi.mjs" "$work/fe${simd}.wasm" "${1:-3000000}"
done
[ -z "${FESIMD_KEEP:-}" ] || { mkdir -p "$FESIMD_KEEP" && cp "$work"/fe*.wasm "$FESIMD_KEEP/"; }
