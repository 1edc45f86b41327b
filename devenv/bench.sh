#!/usr/bin/env bash
# `make bench`: benchmarks that print figures (never pass/fail), one summary line per figure.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=devenv/paths.sh
source "$ROOT/devenv/paths.sh"
cd "$ROOT"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(python --version)"
python bench/ari_refresh.py
devenv/testdb.sh phobs_bench 2>&1 | grep -v "^Running as user 'root'"
python bench/reservation_flows.py phobs_bench
