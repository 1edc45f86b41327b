"""A hotel manager reaches the channel manager from the hotel front desk."""
from odoo_ui import log_in, open_app, open_sidebar_menu, sidebar_section


def test_manager_opens_channel_manager_from_front_desk(page, odoo_server, channel_manager_manager,
                                                       screenshot):
    log_in(page, odoo_server.url, *channel_manager_manager)
    open_app(page, "Hotel Management")
    assert sidebar_section(page, "Front Desk").is_visible()

    open_sidebar_menu(page, "Channel Manager", "Phobs Backends")

    assert page.locator(".o_control_panel .breadcrumb li.active").inner_text().strip() == "Phobs Backends"
    content = page.wait_for_selector(".o_view_manager_content .o_list_view, "
                                     ".o_view_manager_content .oe_view_nocontent")
    assert content.is_visible()
    shot = screenshot("channel-manager-menu")
    assert shot.stat().st_size > 10000
