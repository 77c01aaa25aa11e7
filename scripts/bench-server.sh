#!/usr/bin/env bash
# Throughput and latency of flk-server on loopback, measured with wrk: PCS submits signed with
# HMAC-SHA256 and with Ed25519 and signed usage events (POST /v1/cost/usage), on SQLite and on
# PostgreSQL (a throwaway cluster with fsync on), plus HMAC with the WAL's fdatasync off. Every request is a distinct, correctly signed PCS, so
# each one goes through the whole pipeline: WAL append + fdatasync (group commit), signature,
# engine, first-write-wins store transaction (group commit) and audit entry.
#   scripts/bench-server.sh [SECONDS per run, default 5] [CONNECTIONS, default 32]
# Bounded: 10 runs of SECONDS each plus setup (about two minutes with the defaults).
# BENCH_ONLY=<regex> keeps the rows whose "store request" matches (e.g. BENCH_ONLY=usage).
# BENCH_BASE=<git ref> (e.g. HEAD~1) also builds that commit's flk-server (in a temporary worktree,
# with ccache) and runs each row on it right before the current build, so both are measured under
# the same load; the current build's row then shows its CPU per request and requests/s as a ratio
# to the base's. Server CPU per request is the primary number: user + system time of the server
# process during the wrk run over the requests wrk completed (the machine's load moves
# requests/s far more than it moves CPU per request).
# "usage+budget" sends the same usage events to a tenant with a budget far above their cost, so
# every event is decided against its budget (and none is refused).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
secs=${1:-5}
conns=${2:-32}
scripts/build.sh native >/dev/null
command -v wrk >/dev/null || { echo "wrk is missing (apt package wrk; scripts/setup.sh installs it)" >&2; exit 1; }
work=$(mktemp -d /tmp/flk-bench-XXXXXX)
chmod 755 "$work"  # the PostgreSQL cluster below runs as its own user
pgdir=$work/pg
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  scripts/pg-test-cluster.sh stop "$pgdir" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

server_bin=$root/dist/native/flk-server
base_bin=
if [ -n "${BENCH_BASE:-}" ]; then
  # A detached worktree kept in build/ (ignored), so a second run with the same base is incremental.
  base_rev=$(git rev-parse --short "$BENCH_BASE")
  base_dir=$root/build/bench-base
  echo "[bench] building flk-server at $base_rev (the base) in $base_dir" >&2
  [ -d "$base_dir" ] || git worktree add --detach "$base_dir" "$base_rev" >/dev/null 2>&1
  git -C "$base_dir" checkout -q --detach "$base_rev"
  # build/native inside it, as in the repository, so ccache (CCACHE_BASEDIR) finds the objects.
  cmake -S "$base_dir" -B "$base_dir/build/native" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFLK_DIST_DIR="$base_dir/dist" >/dev/null
  cmake --build "$base_dir/build/native" --target flk_server >/dev/null
  base_bin=$base_dir/dist/flk-server
fi

flk=dist/native/flk
hmac='{"alg":"hmac","key_text":"testsecret"}'
ed_seed='{"alg":"ed25519","seed_hex":"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"}'
ed_pub='{"alg":"ed25519","public_key_b64":"11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="}'
# Enough distinct documents for about 45,000 requests/s, so none repeats.
count=$((secs * 45000))
$flk call pcs.build >"$work/base.json" <<<"{\"csv\":$(python3 -c 'import json,sys;print(json.dumps(open(sys.argv[1]).read()))' tests/data/tiny_case_1.csv),\"shard_id\":\"bench\",\"epoch\":1,\"sent_at\":\"2025-01-19T12:00:00Z\"}"
only=${BENCH_ONLY:-.}
wanted() { grep -Eq -- "$only" <<<"$1"; }
echo "[bench] signing the request bodies ($count of each kind needed)" >&2
if wanted "sqlite hmac" || wanted "postgres hmac"; then
  python3 bench/server/make_bodies.py "$work/base.json" "$hmac" "$count" | $flk batch >"$work/hmac.jsonl"
fi
if wanted "sqlite ed25519" || wanted "postgres ed25519"; then
  python3 bench/server/make_bodies.py "$work/base.json" "$ed_seed" "$count" | $flk batch >"$work/ed25519.jsonl"
fi
python3 bench/server/make_usage.py testsecret "$count" >"$work/usage.jsonl"
ln -s "$work/usage.jsonl" "$work/usage+budget.jsonl"
cat >"$work/tenants.json" <<JSON
{"tenants":[{"id":"h","keys":[{"kid":"h1","key":$hmac}]},{"id":"e","keys":[{"kid":"e1","key":$ed_pub}]},
 {"id":"hb","budget":{"cap_usd":"1000000","window":"monthly"},"keys":[{"kid":"h1","key":$hmac}]}]}
JSON

pg_url= need_pg=
for a in hmac ed25519 usage usage+budget; do wanted "postgres $a" && need_pg=1; done
if [ -n "$need_pg" ]; then
  FLK_PG_FSYNC=on scripts/pg-test-cluster.sh start "$pgdir" >/dev/null
  pg_url=$(cat "$pgdir/url")
fi
db=0

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }  # user + system clock ticks

# One wrk run against a fresh server; prints "rps p50 p99 errors dups writes_per_commit cpu_us".
measure() {  # binary store alg fsync tenant path store_arg...
  local bin=$1 store=$2 alg=$3 fsync=$4 tenant=$5 path=$6 data=$work/data-$RANDOM
  shift 6
  "$bin" --data "$data" "$@" --listen 127.0.0.1:0 --port-file "$work/port" \
    --tenants-file "$work/tenants.json" --rate-limit 10000000 --wal-fsync "$fsync" --log-level warn &
  server_pid=$!
  for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done
  local port
  port=$(cat "$work/port")
  rm -f "$work/port"
  local out cpu0 cpu1 metrics
  cpu0=$(ticks "$server_pid")
  out=$(wrk -t1 -c"$conns" -d"${secs}s" --latency -s bench/server/submit.lua "http://127.0.0.1:$port" -- \
    "$work/$alg.jsonl" 1 "$tenant" "$path")
  cpu1=$(ticks "$server_pid")
  metrics=$(curl -s "http://127.0.0.1:$port/metrics")
  kill "$server_pid"
  wait "$server_pid" || true
  server_pid=
  local rps p50 p99 errors dups batches writes reqs
  rps=$(awk '/Requests\/sec/ {printf "%d", $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  dups=$(awk '$1 == "flk_dedup_hits" {d += $2} /^flk_usage_duplicates_by_tenant/ {d += $2} END {print d + 0}' <<<"$metrics")
  reqs=$(awk '/requests in/ {print $1}' <<<"$out")
  batches=$(awk '$1 == "flk_store_batches_total" {print $2}' <<<"$metrics")
  writes=$(awk '$1 == "flk_store_writes_total" {print $2}' <<<"$metrics")
  echo "$rps $p50 $p99 ${errors:-0} ${dups:-0}" \
    "$(awk -v w="$writes" -v b="$batches" 'BEGIN {printf "%.1f", b ? w / b : 0}')" \
    "$(awk -v c="$((cpu1 - cpu0))" -v r="$reqs" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.0f", r ? c / hz / r * 1e6 : 0}')"
}

run() {  # store kind(hmac|ed25519|usage|usage+budget) wal_fsync
  local store=$1 alg=$2 fsync=$3 store_arg=() path=/v1/pcs/submit
  wanted "$store $alg" || return 0
  [ "${alg%+budget}" = usage ] && path=/v1/cost/usage
  local tenant=h
  [ "$alg" = ed25519 ] && tenant=e
  [ "$alg" = usage+budget ] && tenant=hb
  local bin label base=() row
  for bin in $base_bin $server_bin; do
    if [ "$store" = postgres ]; then
      db=$((db + 1))
      psql "$pg_url" -qc "CREATE DATABASE bench$db" >/dev/null
      store_arg=(--store "${pg_url%/*}/bench$db")
    fi
    read -r -a row <<<"$(measure "$bin" "$store" "$alg" "$fsync" "$tenant" "$path" "${store_arg[@]}")"
    label=current
    [ "$bin" = "$base_bin" ] && label="base $base_rev"
    local ratio=
    if [ -n "$base_bin" ] && [ "$bin" = "$server_bin" ] && [ ${#base[@]} -gt 0 ]; then
      ratio=$(awk -v c="${row[6]}" -v bc="${base[6]}" -v r="${row[0]}" -v br="${base[0]}" \
        'BEGIN {printf "CPU ×%.2f, req/s ×%.2f", bc ? c / bc : 0, br ? r / br : 0}')
    fi
    [ "$bin" = "$base_bin" ] && base=("${row[@]}")
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$label" "$store" "$alg" "$fsync" \
      "${row[6]}" "${row[0]}" "${row[1]}" "${row[2]}" "${row[3]}" "${row[4]}" "${row[5]}" "$(cut -d' ' -f1 /proc/loadavg)" "$ratio"
  done
}

echo
echo "flk-server, $conns connections, ${secs}s per run, wrk -t1 on the same $(nproc)-core machine ($(date -u +%Y-%m-%d\ %H:%M) UTC)," \
  "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo '| build | store | request | WAL fdatasync | server CPU µs/request | requests/s | p50 | p99 | non-2xx | duplicates | writes per store commit | load (1 min) after | vs base |'
echo '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |'
for store in sqlite postgres; do
  run "$store" hmac true
  run "$store" ed25519 true
  run "$store" usage true
  run "$store" usage+budget true
  run "$store" hmac false
done
