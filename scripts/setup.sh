#!/usr/bin/env bash
# One command from a fresh machine to every artefact: system packages, wasm dependency
# builds (cached outside the clone), npm ci, native + Emscripten + WASI builds.
# Idempotent: each step is skipped when its result is already there. A failing step says
# which one it was and why.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
fail() { printf '\033[1;31m[setup] FAILED:\033[0m %s\n' "$*" >&2; exit 1; }

apt_packages=(
  build-essential cmake ninja-build pkg-config dpkg-dev autoconf automake libtool
  libsodium-dev zlib1g-dev libeigen3-dev rapidjson-dev googletest libgtest-dev libbenchmark-dev
  emscripten binaryen
  clang-19 lld-19 llvm-19 wasi-libc libc++-19-dev-wasm32 libc++abi-19-dev-wasm32 libclang-rt-19-dev-wasm32
  libclang-rt-19-dev libfuzzer-19-dev
  chromium
  wordnet-base
  libboost-dev libsqlite3-dev libpq-dev libjemalloc-dev postgresql wrk libcpp-httplib-dev prometheus
)

# apt-get source (scripts/build-deps.sh) needs deb-src entries: add them whether or not a
# package is missing, from whichever form the system's binary sources take.
ensure_deb_src() {
  local deb822=/etc/apt/sources.list.d/debian.sources
  local src822=/etc/apt/sources.list.d/debian-src.sources
  local srclist=/etc/apt/sources.list.d/debian-src.list
  if grep -rqsE '^(Types:.*deb-src|deb-src )' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    return 1
  fi
  if [ -s "$deb822" ]; then
    sed 's/^Types: deb$/Types: deb-src/' "$deb822" > "$src822"
  elif [ -s /etc/apt/sources.list ]; then
    sed -n 's/^deb \(.*\)$/deb-src \1/p' /etc/apt/sources.list > "$srclist"
    [ -s "$srclist" ] || { rm -f "$srclist"; fail "no 'deb' line in /etc/apt/sources.list to derive deb-src from"; }
  else
    fail "no Debian apt sources found (neither $deb822 nor /etc/apt/sources.list)"
  fi
  log "apt: added deb-src entries"
}

missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
src_added=0
ensure_deb_src && src_added=1
if [ ${#missing[@]} -gt 0 ] || [ $src_added = 1 ]; then
  apt-get update -qq || fail "apt-get update"
fi
if [ ${#missing[@]} -gt 0 ]; then
  log "apt: installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    || fail "apt-get install ${missing[*]}"
else
  log "apt: all packages present"
fi

export NODE_PATH=/usr/share/nodejs
DEPS_ROOT=$(scripts/deps-dir.sh)
scripts/build-deps.sh "$DEPS_ROOT" || fail "wasm dependencies (scripts/build-deps.sh $DEPS_ROOT)"

# npm ci installs exactly the lock file; node_modules/.package-lock.json records that it did.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "npm ci"
  npm ci --no-audit --no-fund || fail "npm ci"
else
  log "npm: node_modules up to date"
fi

scripts/build.sh || fail "build (scripts/build.sh)"
log "done"
