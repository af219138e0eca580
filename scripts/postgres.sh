#!/usr/bin/env bash
# A throwaway PostgreSQL server (Debian's) for the tests, on a free loopback port, in a temporary folder.
#   scripts/postgres.sh start <dir> [address/prefix]
#                                     starts it and prints the admin connection string (on 127.0.0.1); with an
#                                     address/prefix (e.g. 10.199.7.1/24) it also listens on that address and trusts
#                                     clients of that subnet (the partition tests' network namespaces)
#   scripts/postgres.sh stop <dir>    stops it and removes the folder
#   scripts/postgres.sh pause <dir>   stops it, keeping its data (an outage, for the failure tests)
#   scripts/postgres.sh resume <dir>  starts it again on the same port
set -euo pipefail
action=${1:?start or stop}
dir=${2:?folder}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "PostgreSQL is not installed (scripts/install-test-deps.sh installs it)" >&2; exit 1; }

# The server refuses to run as root: run it as the postgres user when we are root.
as_owner() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$(( 20000 + RANDOM % 40000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo "no free port found" >&2; return 1
}

serve() {
  local listen=127.0.0.1
  [ -s "$dir/listen" ] && listen="127.0.0.1,$(cut -d/ -f1 "$dir/listen")"
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-p $1 -k $dir -c listen_addresses=$listen -c fsync=off -c max_connections=300" start >/dev/null
}

case "$action" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust --no-sync >/dev/null
    if [ -n "${3:-}" ]; then
      [[ "$3" =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+/[0-9]+$ ]] || { echo "not an IPv4 address/prefix: $3" >&2; exit 2; }
      echo "$3" > "$dir/listen"
      # The host bits of the address are masked away when clients are matched.
      echo "host all all $3 trust" | as_owner tee -a "$dir/data/pg_hba.conf" >/dev/null
    fi
    port=$(free_port)
    echo "$port" > "$dir/port"
    serve "$port"
    as_owner "$bin/psql" -h "$dir" -p "$port" -U postgres -q -c "CREATE ROLE kuiper LOGIN SUPERUSER PASSWORD 'kuiper';" >/dev/null
    echo "Host=127.0.0.1;Port=$port;Username=kuiper;Password=kuiper;Database=postgres"
    ;;
  stop)
    [ -d "$dir/data" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  pause)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    ;;
  resume)
    serve "$(cat "$dir/port")"
    ;;
  *) echo "usage: $0 start|stop|pause|resume <dir> [address/prefix]" >&2; exit 2 ;;
esac
