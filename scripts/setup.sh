#!/usr/bin/env bash
# One command from a fresh machine to every artefact: system packages, wasm dependency
# builds (cached outside the clone), npm install, native + Emscripten + WASI builds.
# Idempotent: each step is skipped when its result is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

apt_packages=(
  build-essential cmake ninja-build pkg-config dpkg-dev autoconf automake libtool
  libsodium-dev zlib1g-dev libeigen3-dev rapidjson-dev googletest libgtest-dev libbenchmark-dev
  emscripten binaryen
  clang-19 lld-19 llvm-19 wasi-libc libc++-19-dev-wasm32 libc++abi-19-dev-wasm32 libclang-rt-19-dev-wasm32
  chromium
  libboost-dev libsqlite3-dev libpq-dev postgresql wrk libcpp-httplib-dev
)

missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "apt: installing ${missing[*]}"
  src=/etc/apt/sources.list.d/debian-src.sources
  [ -f $src ] || sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources > $src
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  log "apt: all packages present"
fi

export NODE_PATH=/usr/share/nodejs
DEPS_ROOT=$(scripts/deps-dir.sh)
scripts/build-deps.sh "$DEPS_ROOT"

if [ ! -d node_modules ] || [ package.json -nt node_modules/.package-lock.json ]; then
  log "npm install"
  npm install --no-audit --no-fund
else
  log "npm: node_modules up to date"
fi

scripts/build.sh
log "done"
