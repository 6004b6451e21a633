import lxml.html

from .common import PortalHttpCase


class TestPortalDashboard(PortalHttpCase):
    """The dealer's home page /my: contract, manager card, shortcuts, slots for other addons."""

    def setUp(self):
        super(TestPortalDashboard, self).setUp()
        self.ivan = self.env.ref("b2b_base.demo_user_manager_ivan")   # «Альфа»'s manager
        self.olga = self.env.ref("b2b_base.demo_user_manager_olga")   # «Бета»'s manager
        self.ivan.partner_id.phone = "+7 495 123-45-67"

    def home(self):
        answer = self.get("/my")
        self.assertEqual(answer.status_code, 200, answer.text[:300])
        return answer.text, lxml.html.fromstring(answer.text)

    def one(self, doc, xpath):
        found = doc.xpath(xpath)
        self.assertEqual(len(found), 1, xpath)
        return found[0]

    def test_dealer_sees_contract_manager_and_shortcuts(self):
        self.login(self.u_alfa_buyer)
        self.post("/b2b/contract/switch", {"contract_id": self.c_alfa.id, "redirect": "/my"})
        text, doc = self.home()
        details = self.one(doc, "//*[contains(@class, 'o_b2b_contract_details')]")
        self.assertEqual(int(details.get("data-contract-id")), self.c_alfa.id)
        title = self.one(doc, "//*[contains(@class, 'o_b2b_contract_title')]").text_content()
        self.assertIn(self.c_alfa.name, title)
        self.assertIn(self.c_alfa.partner_id.name, title)
        self.assertEqual(self.one(doc, "//*[contains(@class, 'o_b2b_contract_price_type')]").text_content().strip(),
                         self.c_alfa.price_type_id.name)
        self.assertIn("30", self.one(doc, "//*[contains(@class, 'o_b2b_contract_payment_days')]").text_content())
        card = self.one(doc, "//*[contains(@class, 'o_b2b_manager_card')]")
        self.assertEqual(int(card.get("data-manager-id")), self.ivan.id)
        self.assertEqual(self.one(doc, "//*[contains(@class, 'o_b2b_manager_name')]").text_content().strip(),
                         "Иван Петров")
        self.assertEqual(self.one(doc, "//a[contains(@class, 'o_b2b_manager_phone')]").get("href"),
                         "tel:+7 495 123-45-67")
        self.assertEqual(self.one(doc, "//a[contains(@class, 'o_b2b_manager_email')]").text,
                         "ivan.petrov@supplier.example")
        self.assertIn(self.u_alfa_buyer.name, self.one(doc, "//*[contains(@class, 'o_b2b_user_name')]").text)
        # the slots the finance and bonus addons fill
        self.one(doc, "//div[@id='o_b2b_dashboard_finance']")
        self.one(doc, "//div[@id='o_b2b_dashboard_bonus']")
        hrefs = doc.xpath("//*[@id='o_b2b_shortcuts']/a/@href")
        for path in ("/b2b/catalog", "/b2b/cart", "/b2b/cart/upload", "/b2b/orders"):
            self.assertIn(path, hrefs)
        self.assertNotIn("/b2b/staff", hrefs, "staff management is for dealer administrators")
        self.assertTrue(doc.xpath("//form[contains(@class, 'o_b2b_contract_switch')]"))
        # the switcher names each contract the user acts for, in the dealer's language
        options = {int(o.get("value")): o.text_content().strip()
                   for o in doc.xpath("//select[@id='b2b_contract_select']/option")}
        allowed = self.u_alfa_buyer.b2b_allowed_contract_ids
        self.assertEqual(set(options), set(allowed.ids))
        for contract in allowed:
            self.assertEqual(options[contract.id], "№ %s (%s)" % (contract.name,
                                                               contract.partner_id.name))

        # the manager's photo, served for this dealer's user only
        photo = self.one(doc, "//img[contains(@class, 'o_b2b_manager_photo')]").get("src")
        answer = self.get(photo)
        self.assertEqual(answer.status_code, 200)
        self.assertTrue(answer.headers["Content-Type"].startswith("image/"))
        self.assertEqual(self.get("/b2b/manager/%d/image" % self.olga.id).status_code, 404)
        self.assertEqual(self.get("/b2b/manager/%d/image" % self.u_beta_admin.id).status_code, 404)

    def test_contract_labels_right_after_odoo_clears_its_caches(self):
        """The first page after Odoo's caches were cleared (a change of goods or prices in any
        worker clears them): the switcher still names every contract, the translation of its
        number sign being looked up in the database while the page reads the contracts."""
        self.login(self.u_alfa_buyer)
        self.env["ir.translation"].clear_caches()
        text, doc = self.home()
        options = {int(o.get("value")): o.text_content().strip()
                   for o in doc.xpath("//select[@id='b2b_contract_select']/option")}
        self.assertEqual(options, {
            contract.id: "№ %s (%s)" % (contract.name, contract.partner_id.name)
            for contract in self.u_alfa_buyer.b2b_allowed_contract_ids})

    def test_switching_contract_shows_it_on_the_dashboard(self):
        self.login(self.u_alfa_buyer)
        self.post("/b2b/contract/switch", {"contract_id": self.c_alfa_retail.id, "redirect": "/my"})
        text, doc = self.home()
        details = self.one(doc, "//*[contains(@class, 'o_b2b_contract_details')]")
        self.assertEqual(int(details.get("data-contract-id")), self.c_alfa_retail.id)
        self.assertEqual(self.one(doc, "//*[contains(@class, 'o_b2b_contract_price_type')]").text_content().strip(),
                         self.c_alfa_retail.price_type_id.name)

    def test_administrator_has_staff_shortcut(self):
        self.login(self.u_alfa_admin)
        text, doc = self.home()
        self.assertIn("/b2b/staff", doc.xpath("//*[@id='o_b2b_shortcuts']/a/@href"))

    def test_other_dealer_sees_own_manager(self):
        self.olga.partner_id.mobile = "+7 383 000-11-22"
        self.login(self.u_beta_buyer)
        text, doc = self.home()
        card = self.one(doc, "//*[contains(@class, 'o_b2b_manager_card')]")
        self.assertEqual(int(card.get("data-manager-id")), self.olga.id)
        self.assertIn("+7 383 000-11-22", text)
        self.assertNotIn("Иван Петров", text)
        self.assertNotIn("+7 495 123-45-67", text)
        self.assertEqual(self.get("/b2b/manager/%d/image" % self.olga.id).status_code, 200)
        self.assertEqual(self.get("/b2b/manager/%d/image" % self.ivan.id).status_code, 404)

    def test_outlet_sees_its_contract_and_no_switcher(self):
        self.login(self.u_alfa_outlet)
        text, doc = self.home()
        details = self.one(doc, "//*[contains(@class, 'o_b2b_contract_details')]")
        self.assertEqual(int(details.get("data-contract-id")), self.c_alfa_retail.id)
        self.assertFalse(doc.xpath("//form[contains(@class, 'o_b2b_contract_switch')]"))
        self.assertNotIn('name="contract_id"', text)

    def test_internal_user_keeps_stock_portal_home(self):
        self.authenticate("admin", "admin")
        text, doc = self.home()
        self.assertTrue(doc.xpath("//*[contains(@class, 'o_portal_my_home')]"))
        self.assertFalse(doc.xpath("//*[contains(@class, 'o_b2b_dashboard')]"))
        self.assertEqual(self.get("/b2b/manager/%d/image" % self.ivan.id).status_code, 404)

    def test_portal_user_without_dealer_role_keeps_stock_portal_home(self):
        portal_user = self.env.ref("base.demo_user0")      # a portal user of no dealer
        self.assertFalse(portal_user.b2b_role)
        self.authenticate(portal_user.login, "portal")
        text, doc = self.home()
        self.assertTrue(doc.xpath("//*[contains(@class, 'o_portal_my_home')]"))
        self.assertFalse(doc.xpath("//*[contains(@class, 'o_b2b_dashboard')]"))
        self.assertEqual(self.get("/b2b/catalog").status_code, 404)
