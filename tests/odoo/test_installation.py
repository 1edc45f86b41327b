"""Both addons install on a real Odoo 11 database and the menus sit in the hotel front desk."""
from odoo.tests.common import TransactionCase


class TestInstallation(TransactionCase):

    def setUp(self):
        super().setUp()
        Users = self.env["res.users"].with_context(no_reset_password=True)
        self.cm_user = Users.create({
            "name": "Channel Manager User", "login": "cm_user_install",
            "groups_id": [(6, 0, [self.env.ref("phobs_channel_manager.group_phobs_user").id])],
        })
        self.plain_user = Users.create({
            "name": "Plain User", "login": "plain_user_install",
            "groups_id": [(6, 0, [self.env.ref("base.group_user").id])],
        })

    def test_both_addons_are_installed(self):
        modules = self.env["ir.module.module"].search(
            [("name", "in", ["phobs_channel_manager", "hotel_frontdesk_bridge", "hotel_reservation"])])
        self.assertEqual(
            {m.name: m.state for m in modules},
            {"phobs_channel_manager": "installed", "hotel_frontdesk_bridge": "installed",
             "hotel_reservation": "installed"})

    def test_channel_manager_menu_sits_under_hotel_management_front_desk(self):
        menu = self.env.ref("phobs_channel_manager.phobs_root_menu")
        self.assertEqual(menu.complete_name, "Hotel Management/Front Desk/Channel Manager")
        self.assertEqual(menu.parent_id.parent_id, self.env.ref("hotel.hotel_management_menu"))

    def test_menu_is_visible_to_channel_manager_users_only(self):
        menu = self.env.ref("phobs_channel_manager.phobs_root_menu")
        visible = self.env["ir.ui.menu"].sudo(self.cm_user)._visible_menu_ids()
        hidden = self.env["ir.ui.menu"].sudo(self.plain_user)._visible_menu_ids()
        self.assertIn(menu.id, visible)
        self.assertNotIn(menu.id, hidden)

    def test_manager_group_implies_user_group(self):
        manager = self.env.ref("phobs_channel_manager.group_phobs_manager")
        self.assertIn(self.env.ref("phobs_channel_manager.group_phobs_user"), manager.implied_ids)
