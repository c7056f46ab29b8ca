#!/usr/bin/env bash
# Start a throwaway local PostgreSQL server for the wirewatch PostgreSQL/Dask tests.
#
#   eval "$(bash scripts/start-postgres.sh)"     # exports WIREWATCH_TEST_PG=postgresql://...
#   bash scripts/start-postgres.sh --stop        # stop it again
#
# Installs Debian's `postgresql` package when no server binaries are found (needs root and
# `apt-get`), makes a cluster in $WIREWATCH_PG_DIR (default /tmp/wirewatch-pg) owned by the
# `postgres` user, listens on 127.0.0.1:$WIREWATCH_PG_PORT (default 54329) with trust
# authentication for local connections only, creates the database `wirewatch_test`, and
# prints the `export WIREWATCH_TEST_PG=...` line on stdout (everything else goes to stderr).
# Re-running it while the server is up only prints the line again.
set -euo pipefail

PGDIR="${WIREWATCH_PG_DIR:-/tmp/wirewatch-pg}"
PORT="${WIREWATCH_PG_PORT:-54329}"
DB="${WIREWATCH_PG_DB:-wirewatch_test}"
DSN="postgresql://postgres@127.0.0.1:${PORT}/${DB}"

log() { echo "start-postgres: $*" >&2; }

find_bindir() {
    local d
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$d/pg_ctl" ] && [ -x "$d/initdb" ]; then echo "$d"; return 0; fi
    done
    if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
        dirname "$(command -v pg_ctl)"; return 0
    fi
    return 1
}

BINDIR="$(find_bindir || true)"
if [ -z "$BINDIR" ]; then
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        log "no PostgreSQL server binaries and cannot apt-get install them (need root on Debian/Ubuntu)"
        exit 1
    fi
    log "installing Debian's postgresql package"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
    BINDIR="$(find_bindir)"
fi

# The server refuses to run as root: run it as the `postgres` user when we are root.
if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
    as_pg() { runuser -u postgres -- "$@"; }
    PGUSER_OWNER=postgres
else
    as_pg() { "$@"; }
    PGUSER_OWNER="$(id -un)"
fi

if [ "${1:-}" = "--stop" ]; then
    if [ -f "$PGDIR/data/postmaster.pid" ]; then
        as_pg "$BINDIR/pg_ctl" -D "$PGDIR/data" -m fast -w stop >&2
    fi
    exit 0
fi

mkdir -p "$PGDIR"
chown "$PGUSER_OWNER" "$PGDIR"
if [ ! -f "$PGDIR/data/PG_VERSION" ]; then
    log "initdb in $PGDIR/data"
    as_pg "$BINDIR/initdb" -D "$PGDIR/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >&2 \
        || as_pg "$BINDIR/initdb" -D "$PGDIR/data" -U postgres --auth=trust --encoding=UTF8 --no-locale >&2
fi

if ! as_pg "$BINDIR/pg_ctl" -D "$PGDIR/data" status >/dev/null 2>&1; then
    log "starting the server on 127.0.0.1:$PORT"
    as_pg "$BINDIR/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -k $PGDIR -c max_connections=200 -c fsync=off" start >&2
fi

PSQL="$BINDIR/psql"
[ -x "$PSQL" ] || PSQL="$(command -v psql)"
if ! "$PSQL" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$DB'" | grep -q 1; then
    "$PSQL" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -qc "CREATE DATABASE $DB" >&2
fi
log "ready: $DSN"
echo "export WIREWATCH_TEST_PG=$DSN"
