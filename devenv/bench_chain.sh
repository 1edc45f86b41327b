#!/usr/bin/env bash
# `make bench-chain`: a hotel chain in one database (bench/chain.py), figures as summary lines.
#   devenv/bench_chain.sh [--properties N] [--pushes N] ...   (make bench-chain ARGS="...")
# The seeded database is kept as a template: a second run with the same parameters skips seeding.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=devenv/paths.sh
source "$ROOT/devenv/paths.sh"
cd "$ROOT"
"$ROOT/devenv/postgres.sh" start >/dev/null
"$ROOT/devenv/write_config.sh" >/dev/null
FIGURES="$VAR/artifacts/bench-chain-$(date -u +%Y%m%dT%H%M%SZ).txt"
mkdir -p "$VAR/artifacts"
exec > >(tee >(grep -E '^[a-z_0-9]+(\.[a-z_0-9]+)?: ' >"$FIGURES")) 2>&1
trap 'echo "figures written to ${FIGURES#"$ROOT"/}"' EXIT
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, load $(cut -d' ' -f1-3 /proc/loadavg)"
python bench/chain.py "$@"
