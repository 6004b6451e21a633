import html
import re

from odoo.exceptions import AccessError, UserError

from .common import PortalHttpCase

# a new organisation with correct requisites (its INN and settlement account made with their
# control digits, at Сбербанк's Moscow BIK)
VALID = {
    "name": "ООО «Альфа-Восток»", "inn": "7701987645", "kpp": "770101001", "ogrn": "",
    "legal_address": "г. Москва, ул. Ленина, д. 1", "postal_address": "",
    "bik": "044525225", "bank_name": "ПАО Сбербанк", "account": "4070 2810 2000 0001 2345",
    "corr_account": "30101810400000000225", "contact_name": "Пётр Сидоров",
    "contact_phone": "+7 495 111-22-33", "contact_email": "sidorov@alfa-vostok.example",
}


class TestPortalLegalEntities(PortalHttpCase):

    def setUp(self):
        super(TestPortalLegalEntities, self).setUp()
        self.u_manager_ivan = self.env.ref("b2b_base.demo_user_manager_ivan")   # «Альфа»
        self.u_manager_olga = self.env.ref("b2b_base.demo_user_manager_olga")   # «Бета»
        self.Request = self.env["b2b.legal.entity.request"]
        self.waiting = self.env.ref("b2b_portal.demo_legal_request_alfa_sever")
        self.rejected = self.env.ref("b2b_portal.demo_legal_request_alfa_ip")
        self.form = dict(VALID)

    # ------------------------------------------------------------------ helpers
    def requests_count(self):
        return self.Request.search_count([])

    def field_error(self, page, field):
        """The message shown beside ``field`` on the form ``page`` (None when there is none)."""
        found = re.search(r'<span class="help-block o_b2b_field_error" data-field="%s">([^<]*)</span>'
                          % field, page)
        return html.unescape(found.group(1)).strip() if found else None

    def submit(self, csrf_from="/b2b/legal-entities/new", **changes):
        data = dict(self.form, **changes)
        return self.post("/b2b/legal-entities/new", data, csrf_from=csrf_from,
                         allow_redirects=False)

    # ------------------------------------------------------------------ the dealer's form
    def test_admin_sends_a_request_and_follows_it(self):
        self.login(self.u_alfa_admin)
        listing = self.get("/b2b/legal-entities")
        self.assertEqual(listing.status_code, 200, listing.text[:500])
        text = html.unescape(listing.text)
        # the dealer's legal entities and its requests with their status and reason
        self.assertIn("ИП Смирнова А. В. («Альфа Розница»)", text)
        self.assertIn("ООО «Альфа-Юг»", text)
        self.assertIn("ООО «Альфа-Север»", text)
        self.assertIn("Ждёт менеджера", text)
        self.assertIn("Отклонена", text)
        self.assertIn("Нет договора поручительства", text)
        self.assertNotIn("ООО «Бета-Трейд»", text)

        before = self.requests_count()
        answer = self.submit()
        self.assertEqual(answer.status_code, 303, answer.text[:1000])
        created = self.Request.search([], order="id desc", limit=1)
        self.assertEqual(self.requests_count(), before + 1)
        self.assertEqual(created.name, "ООО «Альфа-Восток»")
        self.assertEqual(created.dealer_id, self.alfa)
        self.assertEqual(created.author_id, self.u_alfa_admin)
        self.assertEqual(created.state, "submitted")
        self.assertEqual(created.account, "40702810200000012345")   # without the spaces
        self.assertFalse(created.postal_address)
        self.assertIn("/b2b/legal-entities/%d" % created.id, answer.headers["Location"])
        page = html.unescape(self.get("/b2b/legal-entities/%d?sent=1" % created.id).text)
        self.assertIn("Заявка отправлена вашему менеджеру.", page)
        self.assertIn("40702810200000012345", page)
        self.assertIn("Ждёт менеджера", page)

    def test_each_checksum_mistake_is_shown_beside_its_field_and_nothing_is_saved(self):
        self.login(self.u_alfa_admin)
        before = self.requests_count()
        answer = self.submit(inn="7701987653", kpp="77010100", bik="144525225",
                             account="40702810200000012346", corr_account="30101810400000000226",
                             name=" ")
        self.assertEqual(answer.status_code, 200, answer.text[:500])
        page = answer.text
        self.assertEqual(self.field_error(page, "inn"),
                         "Не сходится контрольная цифра: проверьте номер.")
        self.assertEqual(self.field_error(page, "kpp"), "Должен содержать 9 знаков: 4 цифры, 2 "
                         "цифры или заглавные латинские буквы, 3 цифры.")
        self.assertEqual(self.field_error(page, "bik"),
                         "Должен начинаться с 04 (БИК банка в России).")
        # the accounts cannot be checked against a wrong BIK
        self.assertEqual(self.field_error(page, "account"), "Нельзя проверить без правильного БИК.")
        self.assertEqual(self.field_error(page, "name"), "Обязательное поле.")
        self.assertIsNone(self.field_error(page, "legal_address"))
        self.assertIn("Заявка не отправлена: исправьте отмеченные поля.", html.unescape(page))
        # what was typed stays in the form
        self.assertIn('value="7701987653"', page)
        self.assertEqual(self.requests_count(), before)

        page = self.submit(account="40702810200000012346", corr_account="30101810400000000226").text
        key = "Не сходится контрольный ключ с БИК 044525225: проверьте счёт и БИК."
        self.assertEqual(self.field_error(page, "account"), key)
        self.assertEqual(self.field_error(page, "corr_account"), key)
        self.assertIsNone(self.field_error(page, "inn"))
        page = self.submit(corr_account="40702810200000012345").text
        self.assertEqual(self.field_error(page, "corr_account"), "Должен начинаться с 301 "
                         "(корреспондентский счёт в Банке России).")
        page = self.submit(inn="77019876451").text
        self.assertEqual(self.field_error(page, "inn"), "Должен содержать 10 цифр (организация) "
                         "или 12 цифр (индивидуальный предприниматель); введено: 11.")
        # an individual entrepreneur: a 12-digit INN, with a wrong check digit, then with a KPP
        page = self.submit(inn="770198765435", kpp="").text
        self.assertEqual(self.field_error(page, "inn"),
                         "Не сходится контрольная цифра: проверьте номер.")
        page = self.submit(inn="770198765434", kpp="770101001").text
        self.assertEqual(self.field_error(page, "kpp"), "У индивидуального предпринимателя (ИНН "
                         "из 12 цифр) нет КПП: оставьте поле пустым.")
        page = self.submit(kpp="").text
        self.assertEqual(self.field_error(page, "kpp"),
                         "У организации (ИНН из 10 цифр) есть КПП: укажите его.")
        page = self.submit(bik="04452522").text
        self.assertEqual(self.field_error(page, "bik"), "Должен содержать 9 цифр; введено: 8.")
        self.assertEqual(self.requests_count(), before)

    def test_messages_in_english_for_an_english_user(self):
        errors = self.Request.sudo(self.u_alfa_admin).with_context(lang="en_US").b2b_check(
            dict(self.form, inn="7701987653", kpp=""))
        self.assertEqual(errors, {"inn": "The control digit does not match: check the number.",
                                  "kpp": "An organisation (10-digit INN) has a KPP: give it."})
        errors = self.Request.sudo(self.u_alfa_admin).with_context(lang="ru_RU").b2b_check(
            dict(self.form, inn="7701987653", kpp=""))
        self.assertEqual(errors, {"inn": "Не сходится контрольная цифра: проверьте номер.",
                                  "kpp": "У организации (ИНН из 10 цифр) есть КПП: укажите его."})

    def test_an_entity_the_supplier_knows_is_refused(self):
        with self.saved():
            known = self.env["res.partner"].create({
                "name": "ООО «Восток» (уже у поставщика)", "is_company": True,
                "vat": VALID["inn"], "b2b_entity_of_id": self.beta.id})
            if "b2b_kpp" in known._fields:
                known.b2b_kpp = VALID["kpp"]
        self.login(self.u_alfa_admin)
        before = self.requests_count()
        page = self.submit()
        self.assertEqual(page.status_code, 200)
        message = self.field_error(page.text, "inn")
        self.assertTrue(message and message.startswith(
            "Юридическое лицо с этими ИНН и КПП уже зарегистрировано у поставщика."), message)
        # whose it is stays unsaid
        self.assertNotIn("Восток» (уже", html.unescape(page.text))
        self.assertEqual(self.requests_count(), before)

    def test_a_second_request_for_the_same_entity_waits_for_the_first(self):
        self.login(self.u_alfa_admin)
        page = self.submit(inn=self.waiting.inn, kpp=self.waiting.kpp).text
        self.assertEqual(self.field_error(page, "inn"), "Заявка на юридическое лицо с этими ИНН и "
                         "КПП уже ждёт решения менеджера поставщика.")

    # ------------------------------------------------------------------ who may
    def test_only_the_dealers_administrator_has_the_pages(self):
        self.login(self.u_alfa_admin)
        home = html.unescape(self.get("/my").text)
        self.assertIn('href="/b2b/legal-entities"', home)
        for user in (self.u_alfa_buyer, self.u_alfa_outlet):
            self.login(user)
            self.assertNotIn('href="/b2b/legal-entities"', self.get("/my").text)
            for path in ("/b2b/legal-entities", "/b2b/legal-entities/new",
                         "/b2b/legal-entities/%d" % self.waiting.id):
                self.assertEqual(self.get(path).status_code, 403, (user.login, path))
            before = self.requests_count()
            self.assertEqual(self.submit(csrf_from="/my").status_code, 403)
            self.assertEqual(self.requests_count(), before)
        # another dealer's administrator: Альфа's request does not exist for Бета
        self.login(self.u_beta_admin)
        self.assertEqual(self.get("/b2b/legal-entities/%d" % self.waiting.id).status_code, 404)
        listing = html.unescape(self.get("/b2b/legal-entities").text)
        self.assertNotIn("Альфа-Север", listing)
        self.assertIn("ООО «Бета-Трейд»", listing)
        # and Odoo's RPC gives a dealer nothing of the model
        self.assertFalse(self.Request.sudo(self.u_alfa_buyer).search([]))
        with self.assertRaises(AccessError):
            self.Request.sudo(self.u_alfa_buyer).browse(self.waiting.id).read(["name"])

    # ------------------------------------------------------------------ the manager's decision
    def test_approval_creates_the_legal_entity_with_its_bank_account(self):
        as_ivan = self.waiting.sudo(self.u_manager_ivan)
        # another dealer's manager cannot decide
        with self.assertRaises(AccessError):
            self.waiting.sudo(self.u_manager_olga).action_approve()
        bank = self.env["res.bank"].search([("bic", "=", "044525225")])
        with self.saved():
            as_ivan.action_approve()
        self.waiting.invalidate_cache()
        entity = self.waiting.partner_id
        self.assertEqual(self.waiting.state, "approved")
        self.assertEqual(self.waiting.decided_by_id, self.u_manager_ivan)
        self.assertEqual(entity.name, "ООО «Альфа-Север»")
        self.assertEqual(entity.b2b_entity_of_id, self.alfa)
        self.assertEqual(entity.b2b_dealer_id, self.alfa)
        self.assertTrue(entity.is_company)
        self.assertEqual(entity.vat, "7701987652")
        self.assertIn("Тверская", entity.street)
        self.assertIn(entity, self.alfa.b2b_entity_ids)
        account = self.waiting.bank_account_id
        self.assertEqual(account.partner_id, entity)
        self.assertEqual(account.acc_number, "40702810200000012345")
        self.assertEqual(account.bank_id.bic, "044525225")
        if bank:
            self.assertEqual(account.bank_id, bank[:1])   # the bank of this BIK, not a new one
        else:
            self.assertEqual(account.bank_id.name, "ПАО Сбербанк")
        self.assertEqual(entity.child_ids.filtered(lambda c: c.type == "contact").name,
                         "Сергей Воронов")
        self.assertIn("а/я 45", entity.child_ids.filtered(lambda c: c.type == "other").street)
        with self.assertRaises(UserError):
            self.waiting.sudo(self.u_manager_ivan).action_approve()   # decided already
        # the dealer sees it approved and the new entity among its own
        self.login(self.u_alfa_admin)
        listing = html.unescape(self.get("/b2b/legal-entities").text)
        self.assertIn("Одобрена", listing)
        entities = listing.split("o_b2b_legal_requests_table")[0]
        self.assertIn("ООО «Альфа-Север»", entities)
        page = html.unescape(self.get("/b2b/legal-entities/%d" % self.waiting.id).text)
        self.assertIn("Юридическое лицо зарегистрировано у поставщика", page)

    def test_rejection_needs_a_reason_the_dealer_reads(self):
        as_ivan = self.waiting.sudo(self.u_manager_ivan)
        with self.assertRaises(UserError):
            as_ivan.action_reject()
        self.waiting.invalidate_cache()
        self.assertEqual(self.waiting.state, "submitted")
        with self.saved():
            as_ivan.write({"reject_reason": "ИНН принадлежит другой организации: проверьте."})
            as_ivan.action_reject()
        self.waiting.invalidate_cache()
        self.assertEqual(self.waiting.state, "rejected")
        self.assertFalse(self.waiting.partner_id)
        self.assertFalse(self.env["res.partner"].search([("vat", "=", self.waiting.inn)]))
        self.login(self.u_alfa_admin)
        page = html.unescape(self.get("/b2b/legal-entities/%d" % self.waiting.id).text)
        self.assertIn("Отклонена", page)
        self.assertIn("ИНН принадлежит другой организации: проверьте.", page)
