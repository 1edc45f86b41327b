#!/usr/bin/env bash
# Runs the test layers against the development environment (devenv/setup.sh must have run):
#   devenv/test.sh [unit] [odoo] [security] [e2e]   (default: all four, in this order)
# unit: no Odoo and no database (enforced); odoo: pytest-odoo on a fresh real database plus the
# real server on loopback; security: one test per attack class, like odoo; e2e: Playwright driving Chromium against the real server.
# Every layer runs even if an earlier one failed; the exit status says whether all passed.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=devenv/paths.sh
source "$ROOT/devenv/paths.sh"
cd "$ROOT"

RESULTS="$VAR/test-results"
DB="${PHOBS_TEST_DB:-phobs_test}"
LAYERS=("$@")
[ ${#LAYERS[@]} -gt 0 ] || LAYERS=(unit odoo security e2e)
export PHOBS_TEST_DB="$DB"
rm -rf "$RESULTS" "$VAR/artifacts/reliability-soak.json" && mkdir -p "$RESULTS"
status=0
db_ready=no

prepare_db() {
    [ "$db_ready" = yes ] && return
    devenv/testdb.sh "$DB" 2>&1 | grep -v "^Running as user 'root'"
    [ "${PIPESTATUS[0]}" = 0 ] || { echo "could not prepare database $DB" >&2; exit 1; }
    db_ready=yes
}

run_layer() {
    local layer="$1"; shift
    echo "=== test layer: $layer ==="
    python -m pytest "$@" --junitxml="$RESULTS/$layer.xml" || status=1
}

for layer in "${LAYERS[@]}"; do
    case "$layer" in
        unit) run_layer unit -p no:odoo tests/unit ;;
        odoo)
            prepare_db
            run_layer odoo tests/odoo --odoo-config "$VAR/odoo.conf" --odoo-database "$DB" ;;
        security)
            prepare_db
            run_layer security tests/security --odoo-config "$VAR/odoo.conf" --odoo-database "$DB" ;;
        e2e)
            prepare_db
            run_layer e2e -p no:odoo tests/e2e ;;
        *) echo "unknown layer: $layer" >&2; exit 2 ;;
    esac
done

SOAK="$VAR/artifacts/reliability-soak.json"
[ -f "$SOAK" ] && echo "reliability soak: $(python -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1])), sort_keys=True))' "$SOAK")"
python devenv/test_summary.py "$RESULTS"/*.xml || status=1
exit $status
