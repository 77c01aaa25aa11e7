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
# Compiler chatter goes to a log; on failure its tail goes to the terminal (fd 4, the
# original stderr), before the work dir is removed.
exec 3>&1 4>&2 >"$log" 2>&1
trap 'rc=$?; if [ $rc -ne 0 ]; then echo "[deps] failed (exit $rc); last lines of $log:" >&4; tail -40 "$log" >&4; fi; rm -rf "$work"; exit $rc' EXIT
cd "$work"
# Source versions follow the installed -dev packages, so the wasm builds cannot drift from
# the native ones. A mirror may list a source it does not serve (bookworm-security answers
# 404 for zlib 1:1.2.13.dfsg-1+deb12u1): then the other listed revisions of the same
# upstream version are tried, newest first, and the one used is said and recorded.
fetch_source() {
  local dev=$1 pkg want upstream v
  pkg=$(dpkg-query -W -f='${source:Package}' "$dev")
  want=$(dpkg-query -W -f='${source:Version}' "$dev")
  upstream=${want%-*}
  for v in "$want" $(apt-cache showsrc "$pkg" | sed -n 's/^Version: //p' | sort -u | sort -rV | grep -vxF "$want"); do
    [ "${v%-*}" = "$upstream" ] || continue
    if apt-get source -qq "$pkg=$v"; then
      [ "$v" = "$want" ] || echo "[deps] note: $pkg=$want is listed but not served; built $pkg=$v (same upstream $upstream)" >&3
      echo "$pkg=$v" >> "$DEST/SOURCES"
      return 0
    fi
  done
  echo "[deps] no source of $pkg $upstream could be fetched (tried the installed $want first)" >&4
  return 1
}
fetch_source libsodium-dev
fetch_source zlib1g-dev
echo "[deps] sources: $(tr '\n' ' ' < "$DEST/SOURCES")" >&3
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
