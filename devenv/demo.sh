#!/usr/bin/env bash
# `make demo`: the product running on this machine. Odoo 11 with the hotel front desk and both
# addons on a demo database (created once, upgraded on later runs), and the Phobs sandbox standing
# in for Phobs on loopback, simulating OTA bookings. Ctrl-C stops both.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=devenv/paths.sh
source "$ROOT/devenv/paths.sh"
cd "$ROOT"

DB="${PHOBS_DEMO_DB:-phobs_demo}"
ODOO_PORT="${PHOBS_DEMO_PORT:-8069}"
SANDBOX_PORT="${PHOBS_SANDBOX_PORT:-8099}"
mkdir -p "$VAR/log" "$VAR/sandbox"

db_exists() {
    [ "$(psql -h "$PGSOCKET" -p "$PGPORT" -U "$PGROLE" -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname='$DB'")" = 1 ]
}

if db_exists; then
    echo "[demo] upgrading our addons in $DB"
    devenv/odoo.sh -d "$DB" -u phobs_channel_manager,hotel_frontdesk_bridge --stop-after-init \
        --log-level=warn 2>&1 | grep -v "^Running as user 'root'" || true
else
    echo "[demo] creating $DB with the hotel front desk, both addons and demo data (about 2 minutes)"
    devenv/odoo.sh -d "$DB" -i hotel_frontdesk_bridge --stop-after-init --log-level=warn \
        2>&1 | grep -v "^Running as user 'root'" || true
fi

echo "[demo] starting the Phobs sandbox on 127.0.0.1:$SANDBOX_PORT"
python -m phobs_sandbox --host 127.0.0.1 --port "$SANDBOX_PORT" --db "$VAR/sandbox/demo.sqlite" \
    --config devenv/demo_hotel.json --simulate-every 30 --seed 11 >"$VAR/log/sandbox.log" 2>&1 &
SANDBOX_PID=$!
trap 'kill "$SANDBOX_PID" 2>/dev/null || true' EXIT INT TERM

cat <<BANNER

  Odoo (hotel front desk + Phobs channel manager)   http://127.0.0.1:$ODOO_PORT/web
  login: admin   password: admin   database: $DB
  Hotel Management > Front Desk > Channel Manager
  Phobs sandbox                                     http://127.0.0.1:$SANDBOX_PORT
  logs: var/log/sandbox.log (Odoo logs below). Ctrl-C stops everything.

BANNER
devenv/odoo.sh -d "$DB" --db-filter "^$DB\$" --http-port "$ODOO_PORT" --max-cron-threads 1
