#!/usr/bin/env bash
# Starts (or reuses) a private PostgreSQL cluster for Whereas and prints its DATABASE_URL.
#
#   scripts/pg.sh start DIR PORT DBNAME [fast] [fresh]
#                                               start the cluster in DIR on 127.0.0.1:PORT,
#                                               create DBNAME (anew with "fresh"), print its URL
#   scripts/pg.sh stop DIR                       stop the cluster in DIR
#   scripts/pg.sh destroy DIR                    stop it and delete its files
#
# It uses the machine's initdb/pg_ctl (on PATH or under /usr/lib/postgresql/*/bin). Where
# there are none and apt-get is usable as root, it installs Debian's postgresql. PostgreSQL
# refuses to run as root, so as root the cluster runs as the unprivileged user postgres.
# "fast" turns off fsync for a throwaway test cluster. Progress goes to stderr; stdout
# carries only the URL, so callers can capture it.
set -euo pipefail

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

start() {
  local dir=$1 port=$2 db=$3 mode=${4:-} fresh=${5:-}
  ensure_installed
  mkdir -p "$(dirname "$dir")"
  # Absolute from here on: initdb and pg_ctl get this path, so every check must see the
  # same path they will (a relative one passes from inside a private home and then fails).
  dir="$(cd "$(dirname "$dir")" && pwd -P)/$(basename "$dir")"
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    # The postgres user must reach the data directory through every folder above it; where
    # the checkout sits under a private home (root's is 0700), keep the cluster in /var/tmp
    # and leave a link under .data/.
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
  dir=$(readlink -f "$dir")
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
  if ! as_owner "$BIN/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    log "starting PostgreSQL on 127.0.0.1:$port"
    as_owner "$BIN/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 start >/dev/null || {
      log "PostgreSQL did not start; its log:"; tail -n 20 "$dir/server.log" >&2; exit 1; }
  fi
  local psql=("$BIN/psql" -h 127.0.0.1 -p "$port" -U whereas -d postgres -v ON_ERROR_STOP=1 -qtA)
  if [ "$db" != postgres ] && [ "$fresh" = fresh ]; then
    "${psql[@]}" -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null
  fi
  if [ "$db" != postgres ] && [ -z "$("${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]; then
    "${psql[@]}" -c "CREATE DATABASE \"$db\"" >/dev/null
  fi
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
  destroy) shift; destroy "$@" ;;
  *) echo "usage: $0 start DIR PORT DBNAME [fast] | stop DIR | destroy DIR" >&2; exit 2 ;;
esac
