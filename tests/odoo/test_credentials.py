"""Credentials are encrypted at rest, write-only in forms, and readable by managers only."""
from odoo.exceptions import AccessError
from odoo.tests.common import TransactionCase


class TestCredentials(TransactionCase):

    def setUp(self):
        super().setUp()
        Users = self.env["res.users"].with_context(no_reset_password=True)
        group = self.env.ref
        self.manager = Users.create({
            "name": "CM Manager", "login": "cm_manager_creds", "email": "cm.manager@example.com",
            "groups_id": [(6, 0, [group("phobs_channel_manager.group_phobs_manager").id])]})
        self.user = Users.create({
            "name": "CM User", "login": "cm_user_creds", "email": "cm.user@example.com",
            "groups_id": [(6, 0, [group("phobs_channel_manager.group_phobs_user").id])]})
        self.backend = self.env["phobs.backend"].sudo(self.manager).create({
            "name": "Creds", "hotel_code": "CREDS1", "auth_mode": "oauth2",
            "client_id": "cid", "client_secret": "top-secret-value",
            "webhook_secret": "hook-secret-value"})

    def test_secret_is_stored_encrypted_and_decrypts_for_the_services(self):
        self.env.cr.execute("SELECT client_secret_encrypted, webhook_secret_encrypted "
                            "FROM phobs_backend WHERE id = %s", (self.backend.id,))
        stored = self.env.cr.fetchone()
        self.assertTrue(all(stored))
        self.assertFalse(any("secret-value" in value for value in stored))
        self.assertEqual(self.backend._phobs_secret("client_secret"), "top-secret-value")

    def test_form_reads_back_nothing_but_the_stored_flag(self):
        values = self.backend.sudo(self.manager).read(["client_secret", "client_secret_set"])[0]
        self.assertFalse(values["client_secret"])
        self.assertTrue(values["client_secret_set"])

    def test_user_without_manager_group_cannot_read_or_write_credentials(self):
        as_user = self.backend.sudo(self.user)
        self.assertEqual(as_user.read(["name"])[0]["name"], "Creds")
        for field in ("client_secret_encrypted", "client_secret", "client_id", "password"):
            with self.assertRaises(AccessError):
                as_user.read([field])
        with self.assertRaises(AccessError):
            as_user.write({"client_secret": "stolen"})

    def test_copy_does_not_carry_credentials(self):
        copy = self.backend.copy({"hotel_code": "CREDS2"})
        self.assertFalse(copy.client_secret_encrypted)
        self.assertFalse(copy.client_id)

    def test_rotation_re_encrypts_with_the_first_key(self):
        from cryptography.fernet import Fernet
        from odoo.tools import config
        old_key = config.options["phobs_encryption_key"]
        new_key = Fernet.generate_key().decode()
        before = self.backend.client_secret_encrypted
        self.patch(config, "options", dict(config.options, phobs_encryption_key="%s,%s" % (new_key, old_key)))
        self.env["phobs.backend"]._phobs_rotate_encryption()
        self.assertNotEqual(self.backend.client_secret_encrypted, before)
        self.patch(config, "options", dict(config.options, phobs_encryption_key=new_key))
        self.assertEqual(self.backend._phobs_secret("client_secret"), "top-secret-value")
