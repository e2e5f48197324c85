#!/bin/sh
# A throwaway PostgreSQL cluster for the `pg` tests: initdb + pg_ctl on a temporary folder that
# listens on a Unix socket only (no TCP port), password authentication (scram-sha-256) so that the
# tests can check a password never leaks, a database `mc` with PostGIS and a database `plain`
# without it. initdb refuses to run as root, so as root the cluster belongs to the `postgres` user
# (runuser). The tests read the connection from STATE_DIR/env; without PostgreSQL or PostGIS the
# file is not written and every pg test exits 77 (skipped).
#
#   pg_cluster.sh start STATE_DIR   # STATE_DIR/env: the connection, STATE_DIR/root: the cluster
#   pg_cluster.sh stop STATE_DIR
set -eu
action=$1
state=$2
password=mc-pg-test-Secret-7Q
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$action" in
start)
  rm -rf "$state"
  mkdir -p "$state"
  if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
    echo "pg_cluster: no PostgreSQL server (apt-get install postgresql-15-postgis-3); pg tests skip"
    exit 0
  fi
  share=$("$bindir/pg_config" --sharedir 2>/dev/null || echo /usr/share/postgresql/15)
  # Short path: a Unix socket path is limited to 107 bytes.
  root=$(mktemp -d -t mc_pg.XXXXXX)
  echo "$root" > "$state/root"
  chmod 755 "$root"
  [ "$(id -u)" = 0 ] && chown postgres "$root"
  printf '%s\n' "$password" > "$root/pwfile"
  [ "$(id -u)" = 0 ] && chown postgres "$root/pwfile"
  as_owner "$bindir/initdb" -D "$root/data" -U postgres -A scram-sha-256 --pwfile="$root/pwfile" \
    -E UTF8 --locale=C.UTF-8 >"$root/initdb.log" 2>&1
  as_owner "$bindir/pg_ctl" -D "$root/data" -l "$root/server.log" -w \
    -o "-k $root -c listen_addresses= -c fsync=off -c full_page_writes=off" start >/dev/null
  PGPASSWORD=$password psql -h "$root" -U postgres -d postgres -q -v ON_ERROR_STOP=1 \
    -c "CREATE DATABASE mc" -c "CREATE DATABASE plain" >/dev/null
  if [ -f "$share/extension/postgis.control" ] || ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1; then
    PGPASSWORD=$password psql -h "$root" -U postgres -d mc -q -v ON_ERROR_STOP=1 \
      -c "CREATE EXTENSION postgis" >/dev/null
  else
    echo "pg_cluster: PostgreSQL without PostGIS (apt-get install postgresql-15-postgis-3); pg tests skip"
    exit 0
  fi
  {
    echo "host=$root"
    echo "user=postgres"
    echo "password=$password"
  } > "$state/env"
  echo "pg_cluster: started in $root"
  ;;
stop)
  [ -f "$state/root" ] || exit 0
  root=$(cat "$state/root")
  if [ -n "$bindir" ] && [ -d "$root/data" ]; then
    as_owner "$bindir/pg_ctl" -D "$root/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  case "$root" in */mc_pg.*) rm -rf "$root" ;; esac
  rm -rf "$state"
  ;;
*)
  echo "usage: pg_cluster.sh start|stop STATE_DIR" >&2
  exit 2
  ;;
esac
