{
    "name": "Phobs Channel Manager",
    "summary": "Two-way sync of reservations, availability, rates and restrictions with Phobs",
    "version": "11.0.1.0.0",
    "category": "Hotel Management",
    "license": "AGPL-3",
    "author": "Phobs Channel Manager for Odoo contributors",
    "depends": ["mail"],
    "external_dependencies": {"python": ["httpx", "tenacity", "cryptography", "lxml"]},
    "data": [
        "security/phobs_security.xml",
        "security/ir.model.access.csv",
        "views/phobs_backend_views.xml",
        "views/phobs_menus.xml",
    ],
    "demo": [
        "demo/phobs_backend_demo.xml",
    ],
    "installable": True,
    "application": True,
}
