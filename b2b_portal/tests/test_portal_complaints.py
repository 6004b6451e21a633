"""Complaints in the dealer portal over real HTTP as the demo dealers: filing one from an order
line and on its own, photos kept without their metadata, refused forms saving nothing, the
supplier's steps and replies as the dealer sees them, and other dealers kept out."""
import io
from unittest.mock import patch

from lxml import html
from PIL import Image

import odoo
from odoo.exceptions import UserError
from odoo.sql_db import LazyCursor

from .test_portal_cart import CartPageCase

GPS_IFD = 0x8825
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"


def jpeg_with_gps(color=(200, 30, 30)):
    """A real phone-like JPEG: the camera, a GPS position (Moscow) and a comment in it."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0110] = "Phone X"
    exif[GPS_IFD] = {1: "N", 2: (55.0, 45.0, 21.0), 3: "E", 4: (37.0, 37.0, 4.0)}
    out = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(out, format="JPEG", exif=exif.tobytes(),
                                           comment=b"shot at the warehouse")
    return out.getvalue()


def png(color=(0, 90, 200)):
    out = io.BytesIO()
    Image.new("RGB", (32, 32), color).save(out, format="PNG")
    return out.getvalue()


class SameTransactionLazyCursor(LazyCursor):
    """Odoo reads a decimal precision (the digits of a Float field, e.g. of a product first read
    while a complaint is filed) through a LazyCursor, in production a cursor of its own. Under
    HttpCase it is the one test cursor, whose commit and close release the savepoint the filing
    runs in. This one uses the test cursor as it is (as b2b_1c_bridge's exchange tests do)."""

    def __getattr__(self, name):
        test_cr = odoo.registry(self.dbname).test_cr
        if test_cr is not None:
            return getattr(test_cr, name)
        return super(SameTransactionLazyCursor, self).__getattr__(name)


class ComplaintPageCase(CartPageCase):

    def setUp(self):
        super(ComplaintPageCase, self).setUp()
        lazy = patch("odoo.fields.LazyCursor", SameTransactionLazyCursor)
        lazy.start()
        self.addCleanup(lazy.stop)


class TestPortalComplaints(ComplaintPageCase):

    def setUp(self):
        super(TestPortalComplaints, self).setUp()
        self.u_manager_ivan = self.env.ref("b2b_base.demo_user_manager_ivan")  # «Альфа»'s
        self.existing = self.env["b2b.complaint"].search([])
        with self.saved():
            self.order = self.place(self.u_alfa_buyer, self.c_alfa, [(self.mixer, 5),
                                                                     (self.by_six, 12)])
            self.order.action_confirm()
        self.mixer_line = self.order.order_line.filtered(lambda l: l.product_id == self.mixer)

    # ------------------------------------------------------------------ helpers
    def place(self, user, contract, lines):
        order_id = self.env["sale.order"].sudo(user).b2b_place_order(
            contract.id, [(product.id, qty) for product, qty in lines])
        return self.env["sale.order"].browse(order_id)

    def complaints_of(self, dealer):
        """The complaints of ``dealer`` the test made."""
        self.settle()
        self.env.cache.invalidate()
        return self.env["b2b.complaint"].search([("dealer_id", "=", dealer.id),
                                                 ("id", "not in", self.existing.ids)])

    def file(self, form, files=(), status=303, line=None):
        data = {"sku": "", "qty": "", "description": "", "resolution": "",
                "contract_id": str(self.c_alfa.id)}
        if line:
            data["line_id"] = str(line.id)
        data.update(form)
        answer = self.post("/b2b/complaints/new", data, files=[("photos", f) for f in files],
                           csrf_from="/b2b/complaints/new", allow_redirects=False)
        self.assertEqual(answer.status_code, status, answer.text[:800])
        return answer

    def beside(self, answer):
        tree = html.fromstring(answer.text)
        return {(p.get("data-field"), p.text_content().strip()) for p in tree.xpath(
            "//span[contains(@class, 'o_b2b_complaint_field_problem')]")}

    def photo_count(self):
        self.settle()
        return self.env["b2b.complaint.photo"].search_count([])

    # ------------------------------------------------------------------ filing
    def test_filed_from_an_order_line_with_photos_stripped_of_their_place(self):
        self.login(self.u_alfa_buyer, lang="en_US")
        order_page = self.page("/b2b/orders/%d" % self.order.id)
        links = order_page.xpath("//a[contains(@class, 'o_b2b_complaint_from_line')]/@href")
        self.assertEqual(sorted(links), sorted("/b2b/complaints/new?line_id=%d" % line.id
                                               for line in self.order.order_line),
                         "%s %s" % (self.order.state, html.tostring(order_page.xpath(
                             "//table[contains(@class, 'o_b2b_order_lines')]")[0])[:1500]))
        form = self.page(links[0] if links[0].endswith(str(self.mixer_line.id)) else links[1])
        self.assertIn(self.mixer.default_code, form.xpath(
            "string(//div[contains(@class, 'o_b2b_complaint_line')])"))
        self.assertFalse(form.xpath("//input[@name='sku']"), "the product is the line's")
        self.assertTrue(form.xpath("//li[contains(@class, 'o_b2b_nav_complaints')]"),
                        "the Services menu entry")
        original = jpeg_with_gps()
        self.assertIn(b"PhoneMaker", original)
        answer = self.file({"qty": "2", "description": "Трещина на корпусе\nу двух штук",
                            "resolution": "replace"},
                           [("дефект.jpg", original, "image/jpeg"),
                            ("коробка.png", png(), "image/png")], line=self.mixer_line)
        [complaint] = self.complaints_of(self.alfa)
        self.assertTrue(answer.headers["Location"].endswith("/b2b/complaints/%d" % complaint.id))
        self.assertEqual((complaint.product_id, complaint.qty, complaint.order_id,
                          complaint.contract_id, complaint.user_id, complaint.state,
                          complaint.resolution),
                         (self.mixer, 2.0, self.order, self.c_alfa, self.u_alfa_buyer, "new",
                          "replace"))
        self.assertTrue(complaint.name.startswith("РК-"), complaint.name)
        self.assertEqual(len(complaint.photo_ids), 2)

        page = self.page("/b2b/complaints/%d" % complaint.id)
        self.assertEqual(page.xpath("string(//dd[contains(@class, 'o_b2b_complaint_description')])"),
                         "Трещина на корпусе\nу двух штук")
        srcs = page.xpath("//a[contains(@class, 'o_b2b_complaint_photo')]/img/@src")
        self.assertEqual(len(srcs), 2)
        served = self.get(srcs[0])
        self.assertEqual((served.status_code, served.headers["Content-Type"]),
                         (200, "image/jpeg"))
        # the photo the dealer and the supplier see has no camera, no place, no comment
        kept = Image.open(io.BytesIO(served.content))
        self.assertEqual((kept.format, kept.size), ("JPEG", (64, 48)))
        self.assertFalse(kept.getexif())
        self.assertFalse(kept.getexif().get_ifd(GPS_IFD))
        for secret in (b"PhoneMaker", b"Exif", b"shot at the warehouse"):
            self.assertNotIn(secret, served.content)
        listing = self.page("/b2b/complaints")
        [row] = listing.xpath("//tr[contains(@class, 'o_b2b_complaint_row')][@data-id='%d']"
                              % complaint.id)
        self.assertEqual(row.xpath("string(.//span[contains(@class, 'o_b2b_complaint_state')]"
                                   "/@data-state)"), "new")

    def test_filed_on_its_own_by_sku(self):
        self.login(self.u_alfa_admin, lang="en_US")
        self.file({"sku": " %s " % self.by_six.default_code.lower(), "qty": "1,5",
                   "description": "Не тот цвет", "resolution": "discount"})
        [complaint] = self.complaints_of(self.alfa)
        self.assertEqual((complaint.product_id, complaint.qty, complaint.order_id.id,
                          complaint.resolution, len(complaint.photo_ids)),
                         (self.by_six, 1.5, False, "discount", 0))

    # ------------------------------------------------------------------ refusals
    def test_refused_forms_save_nothing_and_say_why_beside_each_field(self):
        self.login(self.u_alfa_buyer, lang="en_US")
        photos_before = self.photo_count()
        big = jpeg_with_gps() + b"\x00" * (10 * 1024 * 1024)
        answer = self.file({"qty": "6", "description": "Течь", "resolution": "refund"},
                           [("price.pdf", PDF, "image/png"), ("big.jpg", big, "image/jpeg")],
                           line=self.mixer_line, status=400)
        self.assertEqual(self.beside(answer), {
            ("qty", "Quantity: at most 5, the quantity of the order line."),
            ("photos", 'Photos: "price.pdf" is not a picture: attach photos (JPEG, PNG, GIF or '
                       'WebP).'),
            ("photos", 'Photos: "big.jpg" is 10.1 MB: a photo may be at most 10 MB.'),
        })
        # what the dealer typed is kept in the form
        tree = html.fromstring(answer.text)
        self.assertEqual(tree.xpath("//input[@name='qty']/@value"), ["6"])
        self.assertEqual(tree.xpath("//textarea[@name='description']/text()"), ["Течь"])

        answer = self.file({"qty": "1", "description": "Течь", "resolution": "refund"},
                           [("p%d.png" % n, png(), "image/png") for n in range(11)],
                           line=self.mixer_line, status=400)
        self.assertEqual(self.beside(answer), {("photos", "Photos: at most 10 photos (now 11).")})

        answer = self.file({"sku": "NOPE-404", "qty": "1", "description": "Течь",
                            "resolution": "repair"}, status=400)
        self.assertEqual(self.beside(answer), {
            ("product", 'Product: there is no product with the SKU "NOPE-404".')})

        # a file that claims to be a JPEG but cannot be opened
        answer = self.file({"qty": "1", "description": "Течь", "resolution": "repair"},
                           [("cut.jpg", jpeg_with_gps()[:300], "image/jpeg")],
                           line=self.mixer_line, status=400)
        self.assertEqual(self.beside(answer), {
            ("photos", 'Photos: "cut.jpg" cannot be read as a picture: the file is damaged or '
                       'not a photo.')})
        self.assertFalse(self.complaints_of(self.alfa))
        self.assertEqual(self.photo_count(), photos_before)

    def test_the_form_speaks_russian_to_a_russian_dealer(self):
        self.login(self.u_alfa_buyer, lang="ru_RU")
        answer = self.file({"qty": "9", "resolution": "replace"}, line=self.mixer_line,
                           status=400)
        self.assertEqual(self.beside(answer), {
            ("qty", "Количество: не больше 5 — столько в строке заказа."),
            ("description", "Дефект: опишите дефект."),
        })
        self.assertIn("Новая рекламация", answer.text)

    # ------------------------------------------------------------------ the supplier's work
    def test_status_flow_reason_and_replies_as_the_dealer_sees_them(self):
        self.login(self.u_alfa_buyer, lang="en_US")
        self.file({"qty": "1", "description": "Скол", "resolution": "replace"},
                  line=self.mixer_line)
        [complaint] = self.complaints_of(self.alfa)
        manager = complaint.sudo(self.u_manager_ivan).with_context(lang="en_US")
        with self.saved():
            manager.action_review()
            with self.assertRaises(UserError) as refused:
                with self.env.cr.savepoint():
                    manager.action_resolve()
            self.assertIn("cannot become", refused.exception.name)
            with self.assertRaises(UserError) as refused:
                with self.env.cr.savepoint():
                    manager.action_reject()
            self.assertIn("write why the complaint is rejected", refused.exception.name)
            self.env.cache.invalidate()
            self.assertEqual(complaint.state, "in_review")
            manager.message_post(body="Пришлите фото упаковки, пожалуйста.",
                                 message_type="comment", subtype="mail.mt_comment")
            manager.message_post(body="Внутреннее: проверить партию 17", message_type="comment",
                                 subtype="mail.mt_note")
        page = self.page("/b2b/complaints/%d" % complaint.id)
        state = page.xpath("//span[contains(@class, 'o_b2b_complaint_state')]")[0]
        self.assertEqual((state.get("data-state"), state.text_content().strip()),
                         ("in_review", "In review"))
        bodies = [m.text_content().strip() for m in page.xpath(
            "//div[contains(@class, 'o_b2b_complaint_message_body')]")]
        self.assertEqual(bodies, ["Пришлите фото упаковки, пожалуйста."])
        self.assertNotIn("проверить партию", page.text_content())

        # the dealer answers on the page; the supplier reads it in the chatter
        answer = self.post("/b2b/complaints/%d/reply" % complaint.id,
                           {"body": "Фото упаковки не сохранилось."},
                           csrf_from="/b2b/complaints/%d" % complaint.id, allow_redirects=False)
        self.assertEqual(answer.status_code, 303)
        self.settle()
        self.env.cache.invalidate()
        reply = complaint.message_ids.filtered(lambda m: "не сохранилось" in (m.body or ""))
        self.assertEqual(reply.author_id, self.u_alfa_buyer.partner_id)
        page = self.page("/b2b/complaints/%d" % complaint.id)
        dealer = page.xpath("//div[contains(@class, 'o_b2b_from_dealer')]")
        self.assertEqual(len(dealer), 1)
        self.assertIn("Фото упаковки не сохранилось.", dealer[0].text_content())

        with self.saved():
            complaint.sudo(self.u_manager_ivan).write(
                {"reject_reason": "Повреждение при разгрузке у дилера: не гарантийный случай."})
            complaint.sudo(self.u_manager_ivan).action_reject()
        page = self.page("/b2b/complaints/%d" % complaint.id)
        self.assertEqual(page.xpath("string(//span[contains(@class, 'o_b2b_complaint_state')]"
                                    "/@data-state)"), "rejected")
        self.assertEqual(page.xpath("string(//div[contains(@class, 'o_b2b_complaint_reason')])"),
                         "Повреждение при разгрузке у дилера: не гарантийный случай.")
        with self.assertRaises(UserError):
            with self.env.cr.savepoint():
                complaint.sudo(self.u_manager_ivan).action_resolve()

    def test_accepted_then_resolved(self):
        self.login(self.u_alfa_buyer, lang="en_US")
        self.file({"qty": "1", "description": "Скол", "resolution": "repair"},
                  line=self.mixer_line)
        [complaint] = self.complaints_of(self.alfa)
        with self.saved():
            manager = complaint.sudo(self.u_manager_ivan)
            manager.action_review()
            manager.action_accept()
            manager.action_resolve()
        page = self.page("/b2b/complaints/%d" % complaint.id)
        self.assertEqual(page.xpath("string(//span[contains(@class, 'o_b2b_complaint_state')]"
                                    "/@data-state)"), "resolved")
        self.assertFalse(page.xpath("//div[contains(@class, 'o_b2b_complaint_rejected')]"))

    # ------------------------------------------------------------------ who sees what
    def test_other_dealers_and_other_contracts_get_nothing(self):
        self.login(self.u_alfa_buyer, lang="en_US")
        self.file({"qty": "1", "description": "Скол", "resolution": "replace"},
                  [("дефект.jpg", jpeg_with_gps(), "image/jpeg")], line=self.mixer_line)
        [complaint] = self.complaints_of(self.alfa)
        photo = complaint.photo_ids
        # the dealer's administrator sees it; the outlet user, of another contract, does not
        self.login(self.u_alfa_admin, lang="en_US")
        self.assertEqual(self.get("/b2b/complaints/%d" % complaint.id).status_code, 200)
        self.login(self.u_alfa_outlet, lang="en_US")
        self.assertEqual(self.get("/b2b/complaints/%d" % complaint.id).status_code, 404)
        self.assertEqual(self.get("/b2b/complaints/photo/%d" % photo.id).status_code, 404)

        self.login(self.u_beta_admin, lang="en_US")
        listing = self.page("/b2b/complaints")
        self.assertFalse(listing.xpath("//tr[@data-id='%d']" % complaint.id))
        for path in ("/b2b/complaints/%d" % complaint.id,
                     "/b2b/complaints/photo/%d" % photo.id,
                     "/b2b/complaints/photo/%d?token=%s" % (photo.id, "0" * 48),
                     "/b2b/complaints/new?line_id=%d" % self.mixer_line.id):
            answer = self.get(path)
            self.assertEqual(answer.status_code, 404, path)
            self.assertNotIn(b"\xff\xd8\xff", answer.content[:3], path)
        answer = self.post("/b2b/complaints/%d/reply" % complaint.id, {"body": "чужое"},
                           csrf_from="/b2b/complaints", allow_redirects=False)
        self.assertEqual(answer.status_code, 404)
        # filing about A's order line or under A's contract is refused, nothing made
        self.file({"qty": "1", "description": "x", "resolution": "replace"},
                  line=self.mixer_line, status=404)
        self.file({"sku": self.mixer.default_code, "qty": "1", "description": "x",
                   "resolution": "replace", "contract_id": str(self.c_alfa.id)}, status=400)
        self.assertFalse(self.complaints_of(self.beta))
        self.settle()
        self.env.cache.invalidate()
        self.assertFalse(complaint.message_ids.filtered(lambda m: "чужое" in (m.body or "")))
