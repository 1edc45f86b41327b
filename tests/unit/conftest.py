"""The unit layer proves the framework-free code runs without Odoo: importing it here fails."""
import importlib.abc
import sys

import pytest


class _OdooImportBlocker(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path, target=None):
        if fullname == "odoo" or fullname.startswith("odoo."):
            raise ImportError("tests/unit must not import Odoo (tried %r)" % fullname)
        return None


if "odoo" in sys.modules:
    raise pytest.UsageError("Odoo was imported before the unit layer started: run it with -p no:odoo")
sys.meta_path.insert(0, _OdooImportBlocker())
