#!/usr/bin/env bash
# Starts (or reuses) a private PostgreSQL cluster for Whereas and prints its DATABASE_URL.
#
#   scripts/pg.sh start DIR PORT DBNAME [fast] [fresh]
#                                               start the cluster in DIR on 127.0.0.1:PORT,
#                                               create DBNAME (anew with "fresh"), print its URL
#   scripts/pg.sh replica PRIMARY DIR PORT [DBNAME]
#                                               make (once) and start a streaming replica of
#                                               PRIMARY (a cluster DIR started here, or its
#                                               postgres:// URL) in DIR on 127.0.0.1:PORT, and
#                                               print the URL of DBNAME on it (default postgres)
#   scripts/pg.sh stop DIR                       stop the cluster in DIR (a replica too)
#   scripts/pg.sh destroy DIR                    stop it and delete its files
#
# It uses the machine's initdb/pg_ctl (on PATH or under /usr/lib/postgresql/*/bin). Where
# there are none and apt-get is usable as root, it installs Debian's postgresql. PostgreSQL
# refuses to run as root, so as root the cluster runs as the unprivileged user postgres.
# "fast" turns off fsync for a throwaway test cluster. Progress goes to stderr; stdout
# carries only the URL, so callers can capture it.
set -euo pipefail
shopt -s inherit_errexit

log() { printf 'pg.sh: %s\n' "$*" >&2; }

find_bin() {
  if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v pg_ctl)")"
    return
  fi
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$d" ] && [ -x "$d/pg_ctl" ] && echo "$d"
}

ensure_installed() {
  BIN=$(find_bin || true)
  if [ -z "${BIN:-}" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      log "PostgreSQL not found; installing Debian's postgresql with apt-get"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >&2
      apt-get install -y -qq postgresql postgresql-contrib >&2
      BIN=$(find_bin || true)
    fi
  fi
  if [ -z "${BIN:-}" ]; then
    log "PostgreSQL 15 or newer is needed: install it (Debian: sudo apt-get install postgresql) or set DATABASE_URL"
    exit 1
  fi
}

# as_owner runs a PostgreSQL program as the cluster's owner: ourselves, or postgres when root.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    # from /, since postgres may not be allowed into the checkout (every path here is absolute)
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

# own_dir prepares DIR for a cluster and prints its real, absolute path: as root, a folder
# the postgres user owns and can reach through every folder above it. Where the checkout sits
# under a private home (root's is 0700), the cluster is kept in /var/tmp, with a link at DIR.
own_dir() {
  local dir=$1
  mkdir -p "$(dirname "$dir")"
  # Absolute from here on: initdb and pg_ctl get this path, so every check must see the
  # same path they will (a relative one passes from inside a private home and then fails).
  dir="$(cd "$(dirname "$dir")" && pwd -P)/$(basename "$dir")"
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    if [ -L "$dir" ]; then
      dir=$(readlink -f "$dir") # kept outside the private home by an earlier start
    elif ! runuser -u postgres -- test -x "$(dirname "$dir")" 2>/dev/null; then
      local alt
      alt=/var/tmp/whereas-pg-$(printf '%s' "$dir" | md5sum | cut -c1-12)
      log "postgres cannot reach $(dirname "$dir"); keeping the cluster in $alt"
      mkdir -p "$alt"
      rm -rf "$dir"
      ln -s "$alt" "$dir"
      dir=$alt
    fi
    mkdir -p "$dir"
    chown postgres: "$dir"
  fi
  mkdir -p "$dir"
  chmod 700 "$dir"
  readlink -f "$dir"
}

# run_cluster starts the cluster in DIR unless it runs already.
run_cluster() {
  local dir=$1 port=$2
  if ! as_owner "$BIN/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    log "starting PostgreSQL on 127.0.0.1:$port"
    as_owner "$BIN/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 start >/dev/null || {
      log "PostgreSQL did not start; its log:"; tail -n 20 "$dir/server.log" >&2; exit 1; }
  fi
}

start() {
  local dir=$1 port=$2 db=$3 mode=${4:-} fresh=${5:-}
  ensure_installed
  dir=$(own_dir "$dir")
  if [ ! -f "$dir/PG_VERSION" ]; then
    log "initialising a cluster in $dir"
    as_owner "$BIN/initdb" -D "$dir" -U whereas --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    {
      echo "listen_addresses = '127.0.0.1'"
      echo "port = $port"
      echo "unix_socket_directories = ''"
      echo "max_connections = 200"
      if [ "$mode" = fast ]; then
        echo "fsync = off"
        echo "synchronous_commit = off"
        echo "full_page_writes = off"
      fi
    } | as_owner tee -a "$dir/postgresql.conf" >/dev/null
  fi
  run_cluster "$dir" "$port"
  local psql=("$BIN/psql" -h 127.0.0.1 -p "$port" -U whereas -d postgres -v ON_ERROR_STOP=1 -qtA)
  if [ "$db" != postgres ] && [ "$fresh" = fresh ]; then
    "${psql[@]}" -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null
  fi
  if [ "$db" != postgres ] && [ -z "$("${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]; then
    "${psql[@]}" -c "CREATE DATABASE \"$db\"" >/dev/null
  fi
  echo "postgres://whereas@127.0.0.1:$port/$db?sslmode=disable"
}

# replica: a streaming replica of PRIMARY (a cluster directory this script started, or a
# postgres:// URL of it), copied by pg_basebackup -R into DIR and served on 127.0.0.1:PORT.
# It follows the primary over the replication protocol (the clusters this script makes
# accept replication connections from 127.0.0.1) and answers read-only queries
# (hot_standby_feedback on, so the primary's vacuum does not cancel them).
replica() {
  local primary=$1 dir=$2 port=$3 db=${4:-postgres} conninfo
  ensure_installed
  if [ -d "$primary" ]; then
    local pport
    pport=$(grep -E "^port = " "$(readlink -f "$primary")/postgresql.conf" | tail -n 1 | sed 's/port = //')
    conninfo="host=127.0.0.1 port=$pport user=whereas"
  else
    conninfo=$primary
  fi
  dir=$(own_dir "$dir")
  if [ ! -f "$dir/PG_VERSION" ]; then
    log "copying the primary into $dir (pg_basebackup -R)"
    as_owner "$BIN/pg_basebackup" -d "$conninfo" -D "$dir" -R -X stream -c fast >&2
    {
      echo "port = $port"
      echo "hot_standby = on"
      echo "hot_standby_feedback = on"
    } | as_owner tee -a "$dir/postgresql.auto.conf" >/dev/null
    as_owner rm -f "$dir/server.log" "$dir/postmaster.pid"
  fi
  run_cluster "$dir" "$port"
  echo "postgres://whereas@127.0.0.1:$port/$db?sslmode=disable"
}

stop() {
  local dir=$1
  ensure_installed
  [ -f "$dir/PG_VERSION" ] || return 0
  as_owner "$BIN/pg_ctl" -D "$(readlink -f "$dir")" -m fast -w stop >&2 || true
}

destroy() {
  local dir=$1 real
  real=$(readlink -f "$dir" || true)
  stop "$dir"
  rm -rf "$dir"
  [ -n "$real" ] && [ "$real" != "$dir" ] && rm -rf "$real"
  return 0
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  replica) shift; replica "$@" ;;
  destroy) shift; destroy "$@" ;;
  *) echo "usage: $0 start DIR PORT DBNAME [fast] [fresh] | replica PRIMARY DIR PORT [DBNAME] | stop DIR | destroy DIR" >&2; exit 2 ;;
esac
