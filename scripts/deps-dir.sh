#!/usr/bin/env bash
# Prints the cache folder for the wasm dependency builds. The name carries the exact Debian
# versions of libsodium and zlib and a hash of build-deps.sh, so a change to either rebuilds.
set -euo pipefail
here=$(dirname "$0")
v() { dpkg-query -W -f='${Version}' "$1" | tr -c 'A-Za-z0-9.\n' '_'; }
h=$(sha256sum "$here/build-deps.sh" | cut -c1-12)
echo "${FLK_DEPS_CACHE:-$HOME/.cache/fractal-lba/deps}/sodium-$(v libsodium-dev)-zlib-$(v zlib1g-dev)-$h"
