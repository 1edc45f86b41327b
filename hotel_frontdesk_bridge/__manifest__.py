{
    "name": "Hotel Front Desk - Phobs Bridge",
    "summary": "Joins the Phobs channel manager to the OCA hotel front desk",
    "version": "11.0.1.1.0",
    "category": "Hotel Management",
    "license": "AGPL-3",
    "author": "Phobs Channel Manager for Odoo contributors",
    "depends": ["phobs_channel_manager", "hotel_reservation"],
    "data": [
        "security/hotel_reservation_rules.xml",
        "views/hotel_room_type_views.xml",
        "views/hotel_reservation_views.xml",
        "views/phobs_rate_plan_views.xml",
        "views/phobs_backend_room_types_views.xml",
        "views/phobs_restriction_wizard_views.xml",
        "views/frontdesk_menus.xml",
    ],
    "demo": [
        "demo/frontdesk_demo.xml",
    ],
    "installable": True,
    "auto_install": True,
}
