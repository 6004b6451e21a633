"""The connection to Bitrix24: the application's installation, the connection test, the
subscriptions, the dealers' managers from the CRM."""
from urllib.parse import urlencode

import requests

from odoo.tests import common
from odoo.tools import mute_logger

from .test_deals import BitrixCase


class TestConnection(BitrixCase):

    def install_form(self, auth):
        return urlencode([("event", "ONAPPINSTALL")] + [
            ("auth[%s]" % key, str(value)) for key, value in auth.items()])

    def post_install(self, auth):
        with self.unlocked():
            return requests.post(
                "http://%s:%s/b2b/bitrix/install" % (common.HOST, common.PORT),
                data=self.install_form(auth), timeout=30,
                headers={"Content-Type": "application/x-www-form-urlencoded"})

    def test_installation_keeps_the_tokens_and_subscribes(self):
        self.env["b2b.bitrix.token"].search([]).unlink()
        auth = self.portal.install_app()
        response = self.post_install(auth)
        self.assertEqual((response.status_code, response.text), (200, "OK"))
        stored = self.env["b2b.bitrix.token"]._b2b_tokens()
        self.assertEqual(stored["access_token"], auth["access_token"])
        self.assertEqual(stored["application_token"], auth["application_token"])
        events = self.env["b2b.bitrix.api"]._b2b_call("event.get", {}, app=True)
        mine = {str(e["event"]).upper() for e in events if e.get("handler") == self.handler}
        self.assertEqual(mine, {"ONCRMDEALADD", "ONCRMDEALUPDATE", "ONCRMLEADUPDATE",
                                "ONIMCONNECTORMESSAGEADD"})
        # the check says everything works
        checks = self.env["b2b.bitrix.api"]._b2b_check()
        self.assertTrue(all(ok for _what, ok, _detail in checks), checks)

    def test_installation_for_another_portal_or_with_a_forged_token_is_refused(self):
        before = self.env["b2b.bitrix.token"]._b2b_tokens()
        forged = dict(self.portal.install_app(), access_token="forged-token")
        with mute_logger("odoo.addons.b2b_bitrix_bridge.controllers.install"):
            response = self.post_install(dict(forged, client_endpoint="https://evil.example/rest/"))
            self.assertEqual(response.status_code, 403)
            response = self.post_install(forged)
            self.assertEqual(response.status_code, 403)
        self.assertEqual(self.env["b2b.bitrix.token"]._b2b_tokens()["access_token"],
                         before["access_token"])

    def test_the_connection_test_names_what_does_not_work(self):
        self.env["ir.config_parameter"].set_param(
            "b2b_bitrix_bridge.webhook_url", self.portal.webhook_url.replace("k3y8", "wrong"))
        self.env["b2b.bitrix.token"].search([]).unlink()
        checks = {what: (ok, detail) for what, ok, detail in self.env["b2b.bitrix.api"]._b2b_check()}
        self.assertFalse(checks["CRM webhook"][0])
        self.assertIn("INVALID_CREDENTIALS", checks["CRM webhook"][1])
        self.assertFalse(checks["Application"][0])
        self.assertIn("/b2b/bitrix/install", checks["Application"][1])
        action = self.env["b2b.bitrix.api"].action_test_connection()
        result = self.env["b2b.bitrix.check"].browse(action["res_id"])
        self.assertFalse(result.ok)
        self.assertIn("✘ CRM webhook", result.result)

    def test_a_dealers_manager_comes_from_its_crm_company(self):
        olga = self.env.ref("b2b_base.demo_user_manager_olga")
        self.portal.add_user(41, "Ольга", "Продажина", olga.email or olga.login,
                             work_position="Менеджер по работе с дилерами",
                             work_phone="+7 495 555-41-41")
        ids = self.alfa._b2b_bitrix_ensure_companies()
        company = ids[self.alfa.id]
        self.assertEqual(self.alfa._b2b_bitrix_ensure_companies(), ids, "found again, not made twice")
        self.assertEqual(len(self.portal.companies), 1)
        self.portal.companies[company]["ASSIGNED_BY_ID"] = "41"
        problems = self.alfa._b2b_bitrix_sync_managers()
        self.assertEqual(problems, [])
        self.assertEqual(self.alfa.b2b_manager_id, olga)
        self.assertEqual(olga.b2b_bitrix_user_id, 41)
        # the portal's manager card shows what Bitrix24 knows of her
        self.assertEqual((olga.partner_id.phone, olga.partner_id.function),
                         ("+7 495 555-41-41", "Менеджер по работе с дилерами"))
        # a responsible with no Odoo user is reported, the manager kept
        self.portal.add_user(42, "Некто", "Новый", "new.person@standin.test")
        self.portal.companies[company]["ASSIGNED_BY_ID"] = "42"
        problems = self.alfa._b2b_bitrix_sync_managers()
        self.assertEqual(len(problems), 1)
        self.assertIn("42", problems[0][1])
        self.assertEqual(self.alfa.b2b_manager_id, olga)
