"""Installs both Odoo addons into the `odoo.addons` namespace, where Odoo 11 finds them without an
addons_path (as the OCA addon wheels do), and the Phobs sandbox as a plain package."""
import pathlib

from setuptools import find_packages, setup

HERE = pathlib.Path(__file__).parent
ADDONS = ["phobs_channel_manager", "hotel_frontdesk_bridge"]
DATA = ["*.xml", "*.csv", "*.png", "*.svg", "*.js", "*.css", "*.less", "*.html", "*.rst", "*.md"]


def addon_packages(addon):
    namespace = "odoo.addons." + addon
    return [namespace] + ["%s.%s" % (namespace, sub) for sub in find_packages(addon)]


def addon_data(addon):
    """Every non-Python file of the addon (views, security, data, icons), at any depth, and the
    Python files Odoo reads outside packages: the manifest and the migration scripts."""
    root = HERE / addon
    return sorted({
        str(path.relative_to(root)) for pattern in DATA for path in root.rglob(pattern)
        if "__pycache__" not in path.parts
    } | {"__manifest__.py"} | {str(path.relative_to(root))
                               for path in root.glob("migrations/*/*.py")})


setup(
    name="phobs-odoo-channel-manager",
    version="11.0.1.0.0",
    description="Phobs channel manager integration for the Odoo 11 hotel front desk",
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    license="AGPL-3",
    python_requires=">=3.9",  # zoneinfo
    packages=[pkg for addon in ADDONS for pkg in addon_packages(addon)]
    + find_packages(include=["phobs_sandbox", "phobs_sandbox.*"]),
    package_dir={"odoo.addons." + addon: addon for addon in ADDONS},
    package_data={"odoo.addons." + addon: addon_data(addon) for addon in ADDONS},
    install_requires=["httpx>=0.27", "tenacity>=8.2", "cryptography>=41", "lxml>=4.9"],
    entry_points={"console_scripts": ["phobs-sandbox=phobs_sandbox.__main__:main"]},
    classifiers=[
        "Framework :: Odoo",
        "Framework :: Odoo :: 11.0",
        "License :: OSI Approved :: GNU Affero General Public License v3",
        "Programming Language :: Python :: 3",
    ],
)
