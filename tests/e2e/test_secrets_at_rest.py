"""After the browser tests (this file runs last): no secret they used is anywhere in plaintext.

The secrets are those the tests typed or generated (the sandbox hotel's API secret, the staff
passwords) and every credential stored in the database, decrypted with the configured key
(the webhook secret the manager generated in the browser included). They are looked for in the
log of the e2e Odoo server, in phobs.message bodies, in phobs.api.call rows and in a pg_dump of
the whole database.
"""
import configparser
import os
import subprocess

import psycopg2
import pytest
from cryptography.fernet import Fernet, MultiFernet

from conftest import MANAGER_PASSWORD, USER_PASSWORD
from harness.processes import ROOT, VAR

PGBIN = os.environ.get("PGBIN", "/usr/lib/postgresql/15/bin")


def _config():
    parser = configparser.ConfigParser()
    parser.read(VAR / "odoo.conf")
    return parser["options"]


@pytest.fixture
def connection(odoo_server):
    options = _config()
    connection = psycopg2.connect(host=options["db_host"], port=options["db_port"],
                                  user=options["db_user"], dbname=odoo_server.database)
    yield connection
    connection.close()


def _rows(connection, sql):
    with connection.cursor() as cr:
        cr.execute(sql)
        return cr.fetchall()


def _stored_secrets(connection):
    """Every credential the database holds, decrypted, and the ciphertexts they came from."""
    keys = [key.strip() for key in _config()["phobs_encryption_key"].split(",") if key.strip()]
    vault = MultiFernet([Fernet(key.encode()) for key in keys])
    ciphertexts = [value for row in _rows(connection, """
        SELECT client_secret_encrypted, password_encrypted, webhook_secret_encrypted
          FROM phobs_backend""") for value in row if value]
    return {vault.decrypt(token.encode()).decode() for token in ciphertexts}, ciphertexts


def test_no_plaintext_secret_in_logs_messages_calls_or_database_dump(
        odoo_server, sandbox_hotel, connection):
    stored, ciphertexts = _stored_secrets(connection)
    secrets = stored | {sandbox_hotel["credentials"]["client_secret"],
                        sandbox_hotel["credentials"]["password"],
                        MANAGER_PASSWORD, USER_PASSWORD}
    assert ciphertexts, "no stored credential: the browser tests did not configure a backend"
    assert sandbox_hotel["credentials"]["client_secret"] in stored
    assert len([s for s in stored if len(s) >= 32]) >= 2   # API secret and webhook secret

    log = odoo_server.log_path.read_text(encoding="utf-8", errors="replace")
    assert "phobs.backend" in log                                  # the log is the right one
    messages = "\n".join(str(row) for row in _rows(
        connection, "SELECT body, error FROM phobs_message"))
    assert "HotelReservation" in messages                          # bookings were stored
    calls = "\n".join(str(row) for row in _rows(connection, "SELECT * FROM phobs_api_call"))
    assert "pull_reservations" in calls
    dump = subprocess.run(
        [os.path.join(PGBIN, "pg_dump"), "-h", _config()["db_host"], "-p", _config()["db_port"],
         "-U", _config()["db_user"], "--no-owner", odoo_server.database],
        cwd=ROOT, check=True, capture_output=True).stdout.decode("utf-8", "replace")
    assert ciphertexts[0] in dump                                  # the dump holds the backends

    places = {"odoo log": log, "phobs.message": messages, "phobs.api.call": calls,
              "pg_dump": dump}
    found = sorted("%s...%s in %s" % (secret[:3], secret[-2:], place)
                   for secret in secrets for place, text in places.items() if secret in text)
    assert found == []
