#!/usr/bin/env bash
# `make soak`: the endurance soak (tests/soak/soak.py) on a fresh database; not part of make test.
#   devenv/soak.sh [--actions N] [--workers N] [--seed N]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=devenv/paths.sh
source "$ROOT/devenv/paths.sh"
cd "$ROOT"
"$ROOT/devenv/postgres.sh" start >/dev/null
devenv/testdb.sh phobs_soak 2>&1 | grep -v "^Running as user 'root'"
python tests/soak/soak.py phobs_soak "$@"
