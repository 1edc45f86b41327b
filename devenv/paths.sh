# Where the development environment lives; sourced by every devenv script. All under the
# repository, all ignored by git.
ROOT="${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
VENV="$ROOT/.venv"
VAR="$ROOT/var"
PGBIN="${PGBIN:-/usr/lib/postgresql/15/bin}"
PGDATA="$VAR/pg/data"
PGSOCKET="$VAR/pg/run"
PGPORT="${PHOBS_PGPORT:-54315}"
PGROLE=odoo
# PostgreSQL refuses to run as root; when we are root it runs as this system user instead.
PGOSUSER="${PHOBS_PGOSUSER:-phobsdev}"
export PATH="$ROOT/devenv/node_modules/.bin:$VENV/bin:$PATH"
