"""What a person does in the Odoo 11 web client (community layout), in the words of the screen."""


def log_in(page, base_url, login, password):
    page.goto(base_url + "/web/login")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_selector("#oe_main_menu_navbar")


def open_app(page, app_name):
    page.click("#oe_main_menu_navbar a:has-text('%s')" % app_name)
    page.wait_for_selector(".o_sub_menu .oe_secondary_menu:visible")


def sidebar_section(page, name):
    return page.locator(".oe_secondary_menu:visible .oe_secondary_menu_section", has_text=name)


def open_sidebar_menu(page, *path):
    """Clicks through the left menu: folders by name, the last name being the action to open."""
    sidebar = page.locator(".oe_secondary_menu:visible")
    for folder in path[:-1]:
        sidebar.locator("a.oe_menu_toggler", has_text=folder).click()
    sidebar.locator("a.oe_menu_leaf", has_text=path[-1]).click()
    page.wait_for_selector(".o_control_panel .breadcrumb li.active:has-text('%s')" % path[-1])
