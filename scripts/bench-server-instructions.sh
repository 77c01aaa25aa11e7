#!/usr/bin/env bash
# User-space instructions per HMAC PCS submit (or signed usage event) of flk-server, counted by
# valgrind's callgrind over every server thread: a number the machine's load does not move, unlike
# requests/s or CPU time (scripts/bench-server.sh). SQLite store, WAL fdatasync on, 8 connections;
# a 3 s warm-up, then the counters are zeroed and SECONDS of wrk are counted. Kernel time (syscalls,
# thread wake-ups) is not included.
#   scripts/bench-server-instructions.sh [BINARY, default dist/native/flk-server] [SECONDS, default 10] [hmac|usage]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${1:-dist/native/flk-server}")
secs=${2:-10}
kind=${3:-hmac}
command -v valgrind >/dev/null || { echo "valgrind is missing (apt package valgrind)" >&2; exit 1; }
work=$(mktemp -d /tmp/flk-instr-XXXXXX)
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
flk=dist/native/flk
hmac='{"alg":"hmac","key_text":"testsecret"}'
n=$((secs * 2000 + 20000))
if [ "$kind" = usage ]; then
  python3 bench/server/make_usage.py testsecret "$n" >"$work/bodies.jsonl"
  route=/v1/cost/usage
else
  $flk call pcs.build >"$work/base.json" <<<"{\"csv\":$(python3 -c 'import json,sys;print(json.dumps(open(sys.argv[1]).read()))' tests/data/tiny_case_1.csv),\"shard_id\":\"bench\",\"epoch\":1,\"sent_at\":\"2025-01-19T12:00:00Z\"}"
  python3 bench/server/make_bodies.py "$work/base.json" "$hmac" "$n" | $flk batch >"$work/bodies.jsonl"
  route=/v1/pcs/submit
fi
echo "{\"tenants\":[{\"id\":\"h\",\"keys\":[{\"kid\":\"h1\",\"key\":$hmac}]}]}" >"$work/tenants.json"
valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" "$bin" --data "$work/data" --listen 127.0.0.1:0 \
  --port-file "$work/port" --tenants-file "$work/tenants.json" --rate-limit 10000000 --log-level warn \
  --anomaly-self-ms 0 2>"$work/valgrind.log" &
pid=$!
for _ in $(seq 600); do [ -s "$work/port" ] && break; sleep 0.1; done
url=http://127.0.0.1:$(cat "$work/port")
wrk -t1 -c8 -d3s -s bench/server/submit.lua "$url" -- "$work/bodies.jsonl" 1 h "$route" >/dev/null
callgrind_control -z "$pid" >/dev/null 2>&1
out=$(wrk -t1 -c8 -d"${secs}s" -s bench/server/submit.lua "$url" -- "$work/bodies.jsonl" 1 h "$route")
callgrind_control -d "$pid" >/dev/null 2>&1
reqs=$(awk '/requests in/ {print $1}' <<<"$out")
errors=$(awk '/Non-2xx/ {print $5}' <<<"$out")
ir=$(awk '/^summary:/ {s += $2} END {print s}' "$work"/cg.out.1)
echo "$kind: $reqs requests, ${errors:-0} non-2xx, $(awk -v i="$ir" -v r="$reqs" 'BEGIN {printf "%.0f", i / r / 1000}')k instructions per request ($bin)"
