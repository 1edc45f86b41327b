#!/usr/bin/env bash
# `make bench`: benchmarks that print figures (never pass/fail), one summary line per figure.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=devenv/paths.sh
source "$ROOT/devenv/paths.sh"
cd "$ROOT"
# The summary lines are also written to a file, next to the other run artifacts.
FIGURES="$VAR/artifacts/bench-$(date -u +%Y%m%dT%H%M%SZ).txt"
mkdir -p "$VAR/artifacts"
exec > >(tee >(grep -E '^[a-z_0-9]+(\.[a-z_0-9]+)?: ' >"$FIGURES")) 2>&1
trap 'echo "figures written to ${FIGURES#"$ROOT"/}"' EXIT
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(python --version)"
python bench/ari_refresh.py
# The development cluster runs with fsync off (speed); a production server flushes the WAL at
# every commit, which this measures for the disk at hand.
fdatasync_us=$("$PGBIN/pg_test_fsync" -s 1 -f "$VAR/pg_test_fsync.tmp" \
    | awk '/^ *fdatasync/ && !seen {print $(NF-1); seen=1}')
rm -f "$VAR/pg_test_fsync.tmp"
echo "postgres.fdatasync_us: ${fdatasync_us} per WAL flush on this disk (the dev cluster runs" \
     "with fsync off; a durable server adds this to every commit, e.g. each push)"
devenv/testdb.sh phobs_bench 2>&1 | grep -v "^Running as user 'root'"
python bench/grid_render.py phobs_bench
python bench/webhook_steps.py phobs_bench
python bench/reservation_flows.py phobs_bench
