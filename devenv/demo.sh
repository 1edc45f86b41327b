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

# The demo backend talks to this run's sandbox and Phobs pushes to this run's Odoo, whatever
# ports were chosen.
psql -h "$PGSOCKET" -p "$PGPORT" -U "$PGROLE" -d "$DB" -qtAc "
    UPDATE phobs_backend SET base_url = 'http://127.0.0.1:$SANDBOX_PORT',
                             public_url = 'http://127.0.0.1:$ODOO_PORT'
     WHERE id = (SELECT res_id FROM ir_model_data
                  WHERE module = 'phobs_channel_manager' AND name = 'phobs_backend_demo')"

echo "[demo] starting the Phobs sandbox on 127.0.0.1:$SANDBOX_PORT"
python -m phobs_sandbox --host 127.0.0.1 --port "$SANDBOX_PORT" --db "$VAR/sandbox/demo.sqlite" \
    --config devenv/demo_hotel.json --simulate-every 30 --seed 11 --push \
    >"$VAR/log/sandbox.log" 2>&1 &
SANDBOX_PID=$!
trap 'kill "$SANDBOX_PID" 2>/dev/null || true' EXIT INT TERM
# A first handful of channel bookings at once, so the first pull (within a minute of Odoo
# starting) already fills the dashboard; the simulator adds more every 30 seconds.
python - "$SANDBOX_PORT" <<'SEED' || echo "[demo] could not seed the sandbox; it books on its own"
import sys, time, httpx
url = "http://127.0.0.1:%s/_control" % sys.argv[1]
for _ in range(100):
    try:
        httpx.post(url + "/simulate", json={"count": 6, "hotel": "DEMOHOTEL",
                                            "mix": {"book": 1.0}}, timeout=10).raise_for_status()
        break
    except httpx.HTTPError:
        time.sleep(0.1)
SEED

cat <<BANNER

  Odoo (hotel front desk + Phobs channel manager)   http://127.0.0.1:$ODOO_PORT/web
  login: admin   password: admin   database: $DB
  Hotel Management > Front Desk > Channel Manager
  Phobs sandbox                                     http://127.0.0.1:$SANDBOX_PORT
  logs: var/log/sandbox.log (Odoo logs below). Ctrl-C stops everything.

BANNER
devenv/odoo.sh -d "$DB" --db-filter "^$DB\$" --http-port "$ODOO_PORT" --max-cron-threads 1
