#!/usr/bin/env bash
# Writes var/odoo.conf for the private cluster and prints its path. The Fernet key that encrypts
# Phobs credentials lives here (outside the database), generated once for this checkout.
# Ports and the database are given on the command line by whoever starts a server.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=devenv/paths.sh
source "$ROOT/devenv/paths.sh"
mkdir -p "$VAR/odoo-data" "$VAR/log"
KEYFILE="$VAR/phobs_fernet.key"
if [ ! -s "$KEYFILE" ]; then
    (umask 077; "$VENV/bin/python" -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())' > "$KEYFILE")
fi
cat > "$VAR/odoo.conf" <<CONF
[options]
db_host = $PGSOCKET
db_port = $PGPORT
db_user = $PGROLE
db_password = False
data_dir = $VAR/odoo-data
http_interface = 127.0.0.1
http_port = 8069
longpolling_port = 8072
admin_passwd = admin
list_db = True
max_cron_threads = 1
phobs_encryption_key = $(cat "$KEYFILE")
CONF
chmod 600 "$VAR/odoo.conf"
echo "$VAR/odoo.conf"
