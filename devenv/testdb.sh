#!/usr/bin/env bash
# (Re)creates a database with the hotel front desk and both addons installed, without demo data:
#   devenv/testdb.sh NAME
# The slow part, installing hotel_reservation and its dependencies (~40 s), is done once into a
# template database (keyed by the environment's stamp) that later runs copy in a second.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=devenv/paths.sh
source "$ROOT/devenv/paths.sh"
NAME="${1:?usage: devenv/testdb.sh NAME}"
TEMPLATE="phobs_tmpl_$(cut -c1-8 "$VENV/.stamp")"
FILESTORE="$VAR/odoo-data/filestore"

psql_q() { psql -h "$PGSOCKET" -p "$PGPORT" -U "$PGROLE" -d postgres -tAc "$1"; }
db_exists() { [ "$(psql_q "SELECT 1 FROM pg_database WHERE datname='$1'")" = 1 ]; }

if ! db_exists "$TEMPLATE"; then
    echo "[testdb] building template $TEMPLATE (hotel_reservation, no demo data)"
    "$ROOT/devenv/odoo.sh" -d "$TEMPLATE" -i hotel_reservation --without-demo=all \
        --stop-after-init --log-level=warn
fi
if db_exists "$NAME"; then
    # Our own leftover sessions only: an autovacuum worker belongs to the superuser, may not be
    # terminated by us, and is stopped by DROP DATABASE itself.
    psql_q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE datname='$NAME' AND usename = current_user AND pid <> pg_backend_pid()" >/dev/null
    dropdb -h "$PGSOCKET" -p "$PGPORT" -U "$PGROLE" "$NAME"
fi
createdb -h "$PGSOCKET" -p "$PGPORT" -U "$PGROLE" -T "$TEMPLATE" "$NAME"
rm -rf "${FILESTORE:?}/$NAME"
[ -d "$FILESTORE/$TEMPLATE" ] && cp -a "$FILESTORE/$TEMPLATE" "$FILESTORE/$NAME"
echo "[testdb] installing our addons into $NAME"
"$ROOT/devenv/odoo.sh" -d "$NAME" -i hotel_frontdesk_bridge --without-demo=all \
    --stop-after-init --log-level=warn
