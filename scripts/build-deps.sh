#!/usr/bin/env bash
# Builds libsodium and zlib from Debian's source packages for wasm32-emscripten and
# wasm32-wasi into DEST/<triple>/{include,lib}. Built once per version and reused by every clone.
set -euo pipefail
DEST=$1
[ -f "$DEST/.complete" ] && { echo "[deps] cached in $DEST"; exit 0; }
export NODE_PATH=/usr/share/nodejs
work=$(mktemp -d "${TMPDIR:-/tmp}/flk-deps.XXXXXX")
jobs=$(nproc)
echo "[deps] building into $DEST (work dir $work)"
rm -rf "$DEST" && mkdir -p "$DEST"
sysroot="$DEST/wasi-sysroot"
for sub in include lib; do
  mkdir -p "$sysroot/$sub" && ln -sfn "/usr/$sub/wasm32-wasi" "$sysroot/$sub/wasm32-wasi"
done

log="$work/build.log"
# Compiler chatter goes to a log; its tail is shown if a step fails.
trap 'rc=$?; [ $rc -ne 0 ] && tail -40 "$log" >&2; rm -rf "$work"; exit $rc' EXIT
exec 3>&1 >"$log" 2>&1
cd "$work"
apt-get source -qq libsodium zlib 
SODIUM=$(ls -d "$work"/libsodium-*/ | head -1)
ZLIB=$(ls -d "$work"/zlib-*/ | head -1)
(cd "$SODIUM" && autoreconf -fi )

wasi_cflags="--target=wasm32-wasi --sysroot=$sysroot -O2"

mkdir -p "$work/sodium-em" && (cd "$work/sodium-em" &&
  emconfigure "$SODIUM/configure" --host=wasm32-unknown-emscripten --prefix="$DEST/wasm32-emscripten" \
    --disable-shared --without-pthreads --disable-ssp --disable-asm --disable-pie CFLAGS=-O2 &&
  emmake make -j"$jobs" install) &
pid_em=$!
mkdir -p "$work/sodium-wasi" && (cd "$work/sodium-wasi" &&
  "$SODIUM/configure" --host=wasm32-wasi --prefix="$DEST/wasm32-wasi" --disable-shared --disable-ssp --without-pthreads \
    CC=clang-19 CFLAGS="$wasi_cflags" CPPFLAGS=-D_WASI_EMULATED_SIGNAL \
    AR=llvm-ar-19 RANLIB=llvm-ranlib-19 NM=llvm-nm-19 STRIP=llvm-strip-19 &&
  make -j"$jobs" install) &
pid_wasi=$!
mkdir -p "$work/zlib-em" && (cd "$work/zlib-em" &&
  CFLAGS=-O2 emconfigure "$ZLIB/configure" --static --prefix="$DEST/wasm32-emscripten" &&
  emmake make -j"$jobs" libz.a && emmake make install)
mkdir -p "$work/zlib-wasi" && (cd "$work/zlib-wasi" &&
  CC=clang-19 CFLAGS="$wasi_cflags" AR=llvm-ar-19 RANLIB=llvm-ranlib-19 \
    "$ZLIB/configure" --static --prefix="$DEST/wasm32-wasi" &&
  make -j"$jobs" libz.a && make install)
wait $pid_em
wait $pid_wasi
for t in wasm32-emscripten wasm32-wasi; do
  for l in libsodium.a libz.a; do [ -f "$DEST/$t/lib/$l" ] || { echo "[deps] missing $t/$l"; exit 1; }; done
done
touch "$DEST/.complete"
echo "[deps] done" >&3
