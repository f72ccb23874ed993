#!/usr/bin/env bash
# pair.sh — a PostgreSQL 15 primary and a streaming hot standby on loopback, for the replica tests.
#
#   pair.sh start DIR PORT1 PORT2   initdb a primary in DIR/primary on 127.0.0.1:PORT1 with PostGIS in template1 and
#                                   in a database `ecospatial`, clone it with pg_basebackup -R into DIR/standby, start
#                                   that on PORT2 and wait until it streams. Prints the Npgsql multi-host connection
#                                   string. DIR must not hold a running pair (stop it first).
#   pair.sh stop-primary DIR        stops the primary only (fast shutdown); the standby keeps serving reads.
#   pair.sh stop DIR                stops both (immediate) and deletes DIR.
#
# As root, the servers run as the `postgres` OS user (initdb and postgres refuse root), so DIR must be reachable by it:
# use a folder under /tmp. PGBIN overrides the binaries (default /usr/lib/postgresql/15/bin). With ECO_REPLICA_OWNER set
# to a process id, start records it in DIR/owner, and later starts stop and delete the pairs under
# /tmp/eco-replica-* whose owner is gone (a test run killed before it could clean up).
set -euo pipefail

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}

die() { echo "pair.sh: $*" >&2; exit 1; }
as_pg() { if [[ $(id -u) == 0 ]]; then (cd / && runuser -u postgres -- "$@"); else (cd / && "$@"); fi; }
sql() {  # sql PORT DB SQL
  PGOPTIONS="-c client_min_messages=warning" "$PGBIN/psql" -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$1" -U postgres -d "$2" -c "$3"
}

# settings PORT SOCKETDIR: what both servers share (written to pair.conf, included by postgresql.conf).
settings() {
  local sock=$2
  (( ${#sock} + 16 > 100 )) && sock=""           # a Unix socket path is limited to 107 bytes; TCP is enough
  cat <<EOF
listen_addresses = '127.0.0.1'
port = $1
unix_socket_directories = '$sock'
jit = off
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
wal_level = replica
max_wal_senders = 4
hot_standby = on
wal_receiver_status_interval = 1s
EOF
}

stop_server() {  # stop_server DATA MODE
  [[ -f $1/postmaster.pid ]] || return 0
  as_pg "$PGBIN/pg_ctl" -D "$1" -m "$2" -w -t 30 stop >/dev/null 2>&1 \
    || as_pg "$PGBIN/pg_ctl" -D "$1" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
}

start_server() {  # start_server DATA LOG
  if ! as_pg "$PGBIN/pg_ctl" -D "$1" -l "$2" -w -t 60 start >/dev/null 2>&1; then
    tail -n 20 "$2" >&2 || true
    die "PostgreSQL in $1 did not start (log: $2)"
  fi
}

sweep_orphans() {
  local old owner
  for old in /tmp/eco-replica-*; do
    [[ -f $old/owner ]] || continue
    read -r owner <"$old/owner" || true
    if [[ $owner =~ ^[0-9]+$ ]] && kill -0 "$owner" 2>/dev/null; then continue; fi
    cmd_stop "$old"
  done
}

cmd_start() {
  local dir=$1 p1=$2 p2=$3 i
  [[ $p1 =~ ^[0-9]+$ && $p2 =~ ^[0-9]+$ ]] || die "ports must be numbers"
  sweep_orphans
  [[ -f $dir/primary/postmaster.pid || -f $dir/standby/postmaster.pid ]] && die "$dir holds a running pair; stop it first"
  rm -rf "$dir"
  mkdir -p "$dir"
  if [[ $(id -u) == 0 ]]; then chown postgres:postgres "$dir"; fi
  chmod 700 "$dir"
  if [[ -n ${ECO_REPLICA_OWNER:-} ]]; then echo "$ECO_REPLICA_OWNER" >"$dir/owner"; fi
  as_pg mkdir -p "$dir/sock1" "$dir/sock2"

  as_pg "$PGBIN/initdb" -D "$dir/primary" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
    || { tail -n 20 "$dir/initdb.log" >&2; die "initdb failed"; }
  # initdb's pg_hba.conf trusts replication from 127.0.0.1 already (-A trust); the settings go in an included file.
  settings "$p1" "$dir/sock1" | as_pg tee "$dir/primary/pair.conf" >/dev/null
  echo "include_if_exists = 'pair.conf'" | as_pg tee -a "$dir/primary/postgresql.conf" >/dev/null
  start_server "$dir/primary" "$dir/primary.log"

  # PostGIS on the primary only: the standby gets it, like everything else, by replication.
  sql "$p1" template1 "CREATE EXTENSION IF NOT EXISTS postgis"
  sql "$p1" postgres "CREATE DATABASE ecospatial"

  as_pg "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$p1" -U postgres -D "$dir/standby" -R -X stream -c fast --no-sync \
    >"$dir/basebackup.log" 2>&1 || { tail -n 20 "$dir/basebackup.log" >&2; die "pg_basebackup failed"; }
  settings "$p2" "$dir/sock2" | as_pg tee "$dir/standby/pair.conf" >/dev/null
  start_server "$dir/standby" "$dir/standby.log"

  for ((i = 0; i < 100; i++)); do
    [[ $(sql "$p1" postgres "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'" 2>/dev/null) == 1 ]] && break
    sleep 0.1
  done
  [[ $(sql "$p2" postgres "SELECT pg_is_in_recovery()") == t ]] || die "the server on $p2 is not a standby"
  [[ $(sql "$p1" postgres "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'") == 1 ]] \
    || die "the standby on $p2 does not stream from $p1 (logs: $dir/standby.log)"
  echo "Host=127.0.0.1:$p1,127.0.0.1:$p2;Username=postgres;Database=ecospatial"
}

cmd_stop_primary() {
  stop_server "$1/primary" fast
}

cmd_stop() {
  local dir=$1
  [[ -d $dir ]] || return 0
  stop_server "$dir/standby" immediate
  stop_server "$dir/primary" immediate
  rm -rf "$dir"
}

case ${1:-} in
  start) (( $# == 4 )) || die "usage: pair.sh start DIR PORT1 PORT2"; cmd_start "$2" "$3" "$4" ;;
  stop-primary) (( $# == 2 )) || die "usage: pair.sh stop-primary DIR"; cmd_stop_primary "$2" ;;
  stop) (( $# >= 2 )) || die "usage: pair.sh stop DIR"; cmd_stop "$2" ;;
  *) die "usage: pair.sh start DIR PORT1 PORT2 | stop-primary DIR | stop DIR" ;;
esac
