"""Merchandising requests in the dealer portal, over real HTTP, with the Bitrix24 stand-in working
them: the form, the lead it becomes, the manager's status back on the portal, the refused form,
the photo links, and another dealer's users kept out."""
import requests
from lxml import html

from odoo.tests import common

from odoo.addons.b2b_bitrix_bridge.tests.standin import bitrix24_standin
from odoo.addons.b2b_portal.tests.test_portal_cart import CartPageCase
from odoo.addons.queue_job.job import Job

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x00" * 40
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"


class TestPortalMerch(CartPageCase):

    def setUp(self):
        super(TestPortalMerch, self).setUp()
        self.portal = bitrix24_standin().Bitrix24StandIn(rate=50, burst=1000).start()
        self.addCleanup(self.portal.stop)
        with self.saved():
            self.env["b2b.bitrix.api"]._b2b_configure_for_tests(self.portal)
            self.base = "http://%s:%s" % (common.HOST, common.PORT)
            self.env["ir.config_parameter"].set_param("web.base.url", self.base)
        self.portal.outgoing_webhook(self.base + "/b2b/bitrix/event", ["ONCRMLEADUPDATE"])
        # the dealers' requests before the test (the demo data may hold some)
        self.existing = self.env["b2b.merch.request"].search([])

    # ------------------------------------------------------------------ helpers
    def requests_of(self, dealer):
        """The requests of ``dealer`` the test made."""
        self.settle()
        self.env.cache.invalidate()
        return self.env["b2b.merch.request"].search([("b2b_dealer_id", "=", dealer.id),
                                                     ("id", "not in", self.existing.ids)])

    def file(self, form, files=(), status=303):
        data = {"outlet_id": "", "outlet_name": "", "address": "", "wanted": ""}
        data.update(form)
        answer = self.post("/b2b/merch/new", data, files=[("photos", f) for f in files],
                           csrf_from="/b2b/merch/new", allow_redirects=False)
        self.assertEqual(answer.status_code, status, answer.text[:800])
        return answer

    def run_jobs(self):
        self.settle()
        with self.saved():
            for found in self.env["queue.job"].search([
                    ("model_name", "=", "b2b.merch.request"), ("state", "=", "pending")]):
                Job.load(self.env, found.uuid).perform()

    def run_events(self):
        self.portal.flush_events(timeout=10)
        with self.saved():
            self.env.cache.invalidate()
            self.env["b2b.bitrix.event"].search([("state", "=", "new")], order="id")._b2b_process()

    # ------------------------------------------------------------------ tests
    def test_a_request_from_the_form_to_the_lead_and_its_status_back(self):
        self.login(self.u_alfa_buyer, lang="en_US")
        form = self.page("/b2b/merch/new")
        outlets = form.xpath("//select[@name='outlet_id']/option/@value")
        self.assertIn(str(self.alfa.id), outlets)
        self.assertNotIn(str(self.beta.id), outlets)
        self.assertTrue(form.xpath(
            "//li[contains(@class, 'o_b2b_nav_services') and contains(@class, 'active')]"
            "//li[contains(@class, 'o_b2b_nav_merch')]"), "the entry under Services, shown active")
        for name in ("outlet_name", "address", "wanted", "photos"):
            self.assertEqual(len(form.xpath("//*[@name='%s']" % name)), 1, name)
        answer = self.file({"outlet_id": str(self.alfa.id), "address": "Москва, Тверская, 1",
                            "wanted": "Стойка для смесителей\nи плакаты у кассы"},
                           [("вход.png", PNG, "image/png"), ("касса.jpg", JPEG, "image/jpeg")])
        [request] = self.requests_of(self.alfa)
        self.assertTrue(answer.headers["Location"].endswith("/b2b/merch/%d" % request.id))
        self.assertEqual((request.author_id, request.state, len(request.photo_ids)),
                         (self.u_alfa_buyer, "queued", 2))

        self.run_jobs()
        self.env.cache.invalidate()
        [lead] = self.portal.leads.values()
        self.assertEqual((lead["ORIGINATOR_ID"], lead["ORIGIN_ID"]),
                         ("b2b_portal", "b2b.merch.request:%d" % request.id))
        self.assertEqual(int(lead["ID"]), request.bitrix_id)
        comments = lead["COMMENTS"]
        self.assertIn("Москва, Тверская, 1", comments)
        self.assertIn("Стойка для смесителей\nи плакаты у кассы", comments)
        links = [photo for photo in request.photo_ids.sorted("id")]
        for photo in links:
            link = "%s/b2b/merch/photo/%d?token=%s" % (self.base, photo.id, request.access_token)
            self.assertIn("[url=%s]" % link.replace("&", "&amp;"), comments)
            # a Bitrix24 user opens it from the lead without a login to the portal
            opened = requests.get(link, timeout=30)
            self.assertEqual(opened.status_code, 200)
            self.assertIn(opened.content, (PNG, JPEG))

        # the manager takes it up in Bitrix24: the dealer sees it on the portal
        self.portal.manager_update_lead(request.bitrix_id, {"STATUS_ID": "IN_PROCESS"})
        self.run_events()
        listing = self.page("/b2b/merch")
        [row] = listing.xpath("//tr[contains(@class, 'o_b2b_merch_row')][@data-id='%d']"
                              % request.id)
        state = row.xpath(".//span[contains(@class, 'o_b2b_merch_state')]")[0]
        self.assertEqual((state.get("data-state"), state.text_content().strip()),
                         ("in_progress", "In progress"))
        page = self.page("/b2b/merch/%d" % request.id)
        notes = [n.text_content().strip() for n in page.xpath(
            "//div[contains(@class, 'o_b2b_merch_message')]/div[2]")]
        # told in the language of the dealer's user who filed it
        self.assertEqual(notes, ["Статус: Отправлена поставщику", "Статус: В работе"])
        self.assertEqual(len(page.xpath("//a[contains(@class, 'o_b2b_merch_photo')]")), 2)
        # the photos on the dealer's page are the request's own links
        src = page.xpath("//a[contains(@class, 'o_b2b_merch_photo')]/img/@src")[0]
        self.assertEqual(self.get(src).content, PNG)

    def test_a_refused_form_saves_nothing_and_says_why_beside_each_field(self):
        self.login(self.u_alfa_buyer, lang="en_US")
        photos = [("res_model", "=", "b2b.merch.request")]
        attachments = self.env["ir.attachment"].search_count(photos)
        big = PNG + b"\x00" * (10 * 1024 * 1024)
        answer = self.file({"outlet_name": "Магазин «Уют»", "address": "Пермь, Ленина 5",
                            "wanted": "  "},
                           [("price.pdf", PDF, "image/png"), ("big.png", big, "image/png")],
                           status=400)
        tree = html.fromstring(answer.text)
        beside = {(p.get("data-field"), p.text_content().strip()) for p in tree.xpath(
            "//span[contains(@class, 'o_b2b_merch_field_problem')]")}
        self.assertEqual(beside, {
            ("wanted", "What is wanted: describe what is wanted."),
            ("photos", 'Photos: "price.pdf" is not a picture: attach photos (JPEG, PNG, GIF or '
                       'WebP).'),
            ("photos", 'Photos: "big.png" is 10.1 MB: a photo may be at most 10 MB.'),
        })
        # what the dealer typed is kept in the form
        self.assertEqual(tree.xpath("//input[@name='outlet_name']/@value"), ["Магазин «Уют»"])
        self.assertEqual(tree.xpath("//input[@name='address']/@value"), ["Пермь, Ленина 5"])
        self.assertFalse(self.requests_of(self.alfa))
        self.assertEqual(self.env["ir.attachment"].search_count(photos), attachments)
        self.assertFalse(self.env["queue.job"].search([("model_name", "=", "b2b.merch.request")]))

    def test_the_form_speaks_russian_to_a_russian_dealer(self):
        self.login(self.u_alfa_buyer, lang="ru_RU")
        answer = self.file({"wanted": "Стойка"}, status=400)
        tree = html.fromstring(answer.text)
        self.assertEqual(
            [p.text_content().strip() for p in tree.xpath(
                "//span[contains(@class, 'o_b2b_merch_field_problem')]")],
            ["Торговая точка: выберите торговую точку из списка или напишите её название.",
             "Адрес: укажите адрес торговой точки."])
        self.assertIn("Новая заявка на мерчандайзинг", answer.text)

    def test_another_dealers_users_get_nothing_of_a_request(self):
        self.login(self.u_alfa_admin, lang="en_US")
        self.file({"outlet_id": str(self.alfa.id), "wanted": "Плакаты"},
                  [("вход.png", PNG, "image/png")])
        [request] = self.requests_of(self.alfa)
        photo = request.photo_ids
        self.login(self.u_beta_admin, lang="en_US")
        listing = self.page("/b2b/merch")
        self.assertFalse(listing.xpath("//tr[contains(@class, 'o_b2b_merch_row')]"))
        self.assertEqual(self.get("/b2b/merch/%d" % request.id).status_code, 404)
        for path in ("/b2b/merch/photo/%d" % photo.id,
                     "/b2b/merch/photo/%d?token=%s" % (photo.id, "0" * 48),
                     "/web/content/%d" % photo.id, "/web/image/%d" % photo.id):
            answer = self.get(path)
            self.assertNotEqual(answer.status_code, 200, path)
            self.assertNotIn(PNG, answer.content, path)
        # B naming A's legal entity as its outlet is refused, nothing made
        answer = self.file({"outlet_id": str(self.alfa.id), "wanted": "Стойка"}, status=400)
        self.assertIn("the chosen outlet is not one of your company", answer.text)
        self.assertFalse(self.requests_of(self.beta))
        # the same photo link with another request's key opens nothing
        with self.saved():
            other = self.env["b2b.merch.request"].sudo().create({
                "b2b_dealer_id": self.beta.id, "wanted": "x"})
        answer = requests.get("%s/b2b/merch/photo/%d?token=%s" % (
            self.base, photo.id, other.access_token), timeout=30)
        self.assertEqual(answer.status_code, 404)
