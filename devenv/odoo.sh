#!/usr/bin/env bash
# Runs the Odoo 11 server of the development environment with its generated configuration:
#   devenv/odoo.sh [odoo arguments...]     e.g. devenv/odoo.sh -d demo -i hotel_frontdesk_bridge
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=devenv/paths.sh
source "$ROOT/devenv/paths.sh"
"$ROOT/devenv/write_config.sh" >/dev/null
exec "$VENV/bin/python" "$ROOT/devenv/odoo-bin" -c "$VAR/odoo.conf" "$@"
