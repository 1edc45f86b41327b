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
    leaf = sidebar.locator("a.oe_menu_leaf", has_text=path[-1]).first
    if not leaf.is_visible():  # folders toggle: open them only when closed
        for folder in path[:-1]:
            sidebar.locator("a.oe_menu_toggler", has_text=folder).click()
    leaf.click()
    page.wait_for_selector(".o_control_panel .breadcrumb li.active:has-text('%s')" % path[-1])


def open_menu_leaf(page, name):
    """Clicks the left menu entry with exactly this name (folders must be open already)."""
    sidebar = page.locator(".oe_secondary_menu:visible")
    sidebar.locator("a.oe_menu_leaf").filter(
        has=page.get_by_text(name, exact=True)).first.click()
    page.wait_for_selector(".o_control_panel .breadcrumb li.active:has-text('%s')" % name)


def form_field(page, name):
    """The input of a field of the form being edited."""
    return page.locator(".o_form_view .o_field_widget[name='%s']" % name).first


def click_button(page, label):
    """Clicks a button of the form (header or sheet) by its label, and waits until done."""
    page.locator(".o_form_view button:visible", has_text=label).first.click()
    wait_idle(page)


def wait_idle(page):
    """Until the web client has no request in flight (its loading indicator is gone)."""
    page.wait_for_timeout(300)
    page.wait_for_selector(".o_loading", state="hidden")
    page.wait_for_selector(".blockUI", state="detached")


def save(page):
    page.click(".o_form_button_save")
    page.wait_for_selector(".o_form_view.o_form_readonly")
    wait_idle(page)
