#!/usr/bin/env bash
# A private PostgreSQL 15 cluster for the demo and the tests: data under var/pg, reachable only on
# a unix socket in var/pg/run (no TCP), run as a non-root user, with a dedicated `odoo` role
# (Odoo refuses the `postgres` superuser).
#   devenv/postgres.sh start|stop|restart|status
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=devenv/paths.sh
source "$ROOT/devenv/paths.sh"

as_pg() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u "$PGOSUSER" -- "$@"
    else
        "$@"
    fi
}

ensure_os_user() {
    [ "$(id -u)" = 0 ] || return 0
    id "$PGOSUSER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$PGOSUSER"
    mkdir -p "$VAR/pg"
    chown -R "$PGOSUSER" "$VAR/pg"
}

running() {
    as_pg "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1
}

init_cluster() {
    [ -f "$PGDATA/PG_VERSION" ] && return 0
    echo "[postgres] initdb in $PGDATA"
    as_pg mkdir -p "$PGDATA" "$PGSOCKET"
    as_pg "$PGBIN/initdb" -D "$PGDATA" -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    cat >>"$PGDATA/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$PGSOCKET'
unix_socket_permissions = 0777
port = $PGPORT
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
EOF
}

start() {
    ensure_os_user
    init_cluster
    if running; then
        echo "[postgres] running on $PGSOCKET"
    else
        as_pg mkdir -p "$PGSOCKET"
        as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$VAR/pg/server.log" -w -t 60 start >/dev/null
        echo "[postgres] started on $PGSOCKET"
    fi
    local exists
    exists="$(psql_cmd -d postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname='$PGROLE'")"
    [ "$exists" = 1 ] || psql_cmd -d postgres -qc "CREATE ROLE $PGROLE LOGIN CREATEDB"
}

psql_cmd() {
    as_pg "$PGBIN/psql" -h "$PGSOCKET" -p "$PGPORT" -U "$(pg_superuser)" "$@"
}

pg_superuser() {
    if [ "$(id -u)" = 0 ]; then echo "$PGOSUSER"; else id -un; fi
}

stop() {
    if running; then
        as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null
        echo "[postgres] stopped"
    fi
}

case "${1:-start}" in
    start) start ;;
    stop) stop ;;
    restart) stop; start ;;  # the endurance soak's database restart (make soak)
    status) running && echo running || echo stopped ;;
    *) echo "usage: $0 start|stop|restart|status" >&2; exit 2 ;;
esac
