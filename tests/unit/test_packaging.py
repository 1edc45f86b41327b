"""setup.py puts both addons where Odoo looks for them, with every data file the manifests load."""
import ast
import pathlib
import subprocess
import sys
import zipfile

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
ADDONS = ["phobs_channel_manager", "hotel_frontdesk_bridge"]


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
         str(ROOT), "-w", str(out)],
        check=True, cwd=tmp_path_factory.mktemp("build"), capture_output=True)
    (wheel,) = out.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def _manifest(addon):
    return ast.literal_eval((ROOT / addon / "__manifest__.py").read_text(encoding="utf-8"))


@pytest.mark.parametrize("addon", ADDONS)
def test_wheel_installs_addon_into_odoo_namespace_with_its_data(wheel_names, addon):
    prefix = "odoo/addons/%s/" % addon
    assert prefix + "__manifest__.py" in wheel_names
    for data_file in _manifest(addon)["data"]:
        assert prefix + data_file in wheel_names


def test_wheel_ships_the_migration_scripts(wheel_names):
    scripts = sorted((ROOT / "hotel_frontdesk_bridge").glob("migrations/*/*.py"))
    assert scripts
    for script in scripts:
        assert "odoo/addons/%s" % script.relative_to(ROOT).as_posix() in wheel_names


def test_wheel_does_not_claim_odoo_namespace_packages(wheel_names):
    assert "odoo/__init__.py" not in wheel_names
    assert "odoo/addons/__init__.py" not in wheel_names


def test_wheel_ships_the_sandbox(wheel_names):
    assert "phobs_sandbox/__main__.py" in wheel_names


def test_external_dependencies_are_install_requirements():
    setup_source = (ROOT / "setup.py").read_text(encoding="utf-8")
    for name in _manifest("phobs_channel_manager")["external_dependencies"]["python"]:
        assert '"%s>=' % name in setup_source
