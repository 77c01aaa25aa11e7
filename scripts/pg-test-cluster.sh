#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on a loopback port, for the server's tests and benchmark.
#   scripts/pg-test-cluster.sh start DIR   initdb in DIR, start it, write the URL to DIR/url (and print it)
#   scripts/pg-test-cluster.sh restart DIR stop it (fast: sessions are cut) and start it again on its port
#   scripts/pg-test-cluster.sh stop DIR    stop it and remove DIR
# As root the cluster runs as the `postgres` user (initdb refuses root). FLK_PG_FSYNC=on keeps
# fsync on (the benchmark); tests run with fsync off.
set -euo pipefail
cmd=${1:?start|restart|stop}
dir=${2:?directory}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "pg-test-cluster: PostgreSQL server binaries not found (apt package postgresql)" >&2; exit 1; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case $cmd in
  start)
    if [ -f "$dir/data/postmaster.pid" ]; then as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; fi
    rm -rf "$dir"
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as_pg "$bin/initdb" -D "$dir/data" -U flk --auth=trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1
    for port in $(seq 55432 55531); do
      if as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 30 start \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=${FLK_PG_FSYNC:-off} -c max_connections=200" >/dev/null 2>&1; then
        echo "postgres://flk@127.0.0.1:$port/postgres" | tee "$dir/url"
        [ "$(id -u)" = 0 ] && chmod a+r "$dir/url"
        exit 0
      fi
      grep -q "could not bind\|already in use" "$dir/log" 2>/dev/null || { cat "$dir/log" >&2; exit 1; }
      : >"$dir/log"
    done
    echo "pg-test-cluster: no free port in 55432-55531" >&2
    exit 1
    ;;
  restart)
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -m fast -w -t 30 restart >/dev/null
    ;;
  stop)
    [ -d "$dir/data" ] && as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start|restart|stop DIR" >&2; exit 1 ;;
esac
