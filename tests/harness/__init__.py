"""Test harness shared by the layers that need real processes (Odoo server, sandbox)."""
