#!/usr/bin/env bash
# Why flk-server uses Boost.Beast: the smallest POST handler on each candidate HTTP library
# from Debian (Boost.Beast 1.74, cpp-httplib 0.11), under the same wrk load on loopback.
#   scripts/bench-http-libs.sh [SECONDS per run, default 5]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-5}
work=$(mktemp -d /tmp/flk-httplibs-XXXXXX)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT
g++ -O2 -std=c++17 bench/http_libs/beast_echo.cc -o "$work/beast" -pthread
g++ -O2 -std=c++17 bench/http_libs/httplib_echo.cc -o "$work/httplib" -pthread -lcpp-httplib
cat >"$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = string.rep("x", 700)
wrk.headers["Content-Type"] = "application/json"
LUA
"$work/beast" 18082 & pids+=($!)
"$work/httplib" 18081 & pids+=($!)
sleep 0.5
echo "| library | connections | requests/s | p50 | p99 |"
echo "| --- | --- | --- | --- | --- |"
for c in 16 64; do
  for lib in "Boost.Beast 1.74:18082" "cpp-httplib 0.11:18081"; do
    out=$(wrk -t1 -c$c -d"${secs}s" --latency -s "$work/post.lua" "http://127.0.0.1:${lib##*:}/x")
    printf '| %s | %s | %s | %s | %s |\n' "${lib%:*}" "$c" "$(awk '/Requests\/sec/ {printf "%d", $2}' <<<"$out")" \
      "$(awk '$1 == "50%" {print $2}' <<<"$out")" "$(awk '$1 == "99%" {print $2}' <<<"$out")"
  done
done
