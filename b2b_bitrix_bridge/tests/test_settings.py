from odoo.exceptions import ValidationError
from odoo.tests.common import TransactionCase


class TestBitrixSettings(TransactionCase):

    def get(self, key):
        return self.env["ir.config_parameter"].sudo().get_param("b2b_bitrix_bridge." + key)

    def test_settings_are_stored_as_parameters(self):
        url = "https://b24.example.ru/rest/7/s3cr3t/"
        settings = self.env["res.config.settings"].create({
            "b2b_bitrix_webhook_url": url + "profile.json",
            "b2b_bitrix_application_token": " tok-42 ",
            "b2b_bitrix_rate": 1.5,
            "b2b_bitrix_burst": 40,
        })
        settings.execute()
        self.assertEqual(self.get("webhook_url"), url)
        self.assertEqual(self.get("application_token"), "tok-42")
        self.assertEqual(float(self.get("rate")), 1.5)
        self.assertEqual(int(self.get("burst")), 40)
        again = self.env["res.config.settings"].create({})
        self.assertEqual(again.b2b_bitrix_webhook_url, url)
        self.assertEqual(again.b2b_bitrix_rate, 1.5)

    def test_defaults_follow_bitrix24_limits(self):
        fresh = self.env["res.config.settings"].create({})
        self.assertEqual((fresh.b2b_bitrix_rate, fresh.b2b_bitrix_burst), (2.0, 50))

    def test_bad_webhook_url_is_refused_and_nothing_changes(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "b2b_bitrix_bridge.webhook_url", "https://b24.example.ru/rest/1/good/")
        with self.assertRaises(ValidationError) as info:
            self.env["res.config.settings"].create({"b2b_bitrix_webhook_url": "b24.example.ru/rest/"})
        self.assertIn("Bitrix24 webhook URL", info.exception.name)
        self.assertEqual(self.get("webhook_url"), "https://b24.example.ru/rest/1/good/")

    def test_rate_must_be_positive(self):
        with self.assertRaises(ValidationError):
            self.env["res.config.settings"].create({"b2b_bitrix_rate": 0})
        with self.assertRaises(ValidationError):
            self.env["res.config.settings"].create({"b2b_bitrix_burst": 0})

    def test_message_in_russian_for_russian_users(self):
        if not self.env["res.lang"].search([("code", "=", "ru_RU")]):
            self.skipTest("Russian is not loaded in this database")
        with self.assertRaises(ValidationError) as info:
            self.env["res.config.settings"].with_context(lang="ru_RU").create(
                {"b2b_bitrix_webhook_url": "portal.bitrix24.ru"})
        self.assertIn("URL вебхука Bitrix24", info.exception.name)
        self.assertIn("portal.bitrix24.ru", info.exception.name)

    def test_nonsense_stored_rate_falls_back_to_default(self):
        self.env["ir.config_parameter"].sudo().set_param("b2b_bitrix_bridge.rate", "fast")
        self.assertEqual(self.env["res.config.settings"].create({}).b2b_bitrix_rate, 2.0)
