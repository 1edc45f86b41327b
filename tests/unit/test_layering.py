"""Rules of DESIGN.md §1 that a grep can check: the framework-free parts stay framework-free."""
import ast
import importlib
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
FRAMEWORK_FREE = ["phobs_channel_manager/phobs_api", "phobs_sandbox"]


def _imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


@pytest.mark.parametrize("package", FRAMEWORK_FREE)
def test_no_odoo_import_in_framework_free_code(package):
    files = sorted((ROOT / package).rglob("*.py"))
    assert files, "no python files under %s" % package
    offenders = [
        "%s: %s" % (path.relative_to(ROOT), name)
        for path in files for name in _imported_modules(path)
        if name == "odoo" or name.startswith("odoo.")
    ]
    assert offenders == []


def test_sandbox_shares_no_code_with_the_addon():
    offenders = [
        "%s: %s" % (path.relative_to(ROOT), name)
        for path in sorted((ROOT / "phobs_sandbox").rglob("*.py"))
        for name in _imported_modules(path)
        if name.split(".")[0] in ("phobs_channel_manager", "hotel_frontdesk_bridge")
    ]
    assert offenders == []


def test_protocol_package_imports_with_plain_python():
    module = importlib.import_module("phobs_channel_manager.phobs_api")
    assert module.__name__ == "phobs_channel_manager.phobs_api"


def test_odoo_import_is_blocked_in_this_layer():
    with pytest.raises(ImportError, match="must not import Odoo"):
        importlib.import_module("odoo")
