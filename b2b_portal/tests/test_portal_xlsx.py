import io
import re

import openpyxl
from lxml import html

from .test_portal_cart import CartPageCase

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(*rows, header=("Артикул", "Количество")):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Заказ"
    if header:
        sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class TestPortalXlsx(CartPageCase):
    """Order by xlsx: upload, preview with every kind of refused row, confirm, marked copy."""

    def upload(self, data, name="заказ.xlsx"):
        return self.post("/b2b/cart/upload", files={"order_file": (name, data, XLSX)},
                         allow_redirects=False, csrf_from="/b2b/cart/upload")

    def uploads(self):
        self.settle()
        return self.env["b2b.cart.upload"].search([])

    def preview_id(self, answer):
        self.assertEqual(answer.status_code, 303, answer.text[:800])
        found = re.search(r"/b2b/cart/upload/(\d+)$", answer.headers["Location"])
        self.assertTrue(found, answer.headers["Location"])
        return int(found.group(1))

    def error_of(self, answer):
        self.assertEqual(answer.status_code, 200)
        errors = html.fromstring(answer.text).xpath("//div[contains(@class, 'o_b2b_error')]/text()")
        self.assertTrue(errors, "no error shown")
        return errors[0].strip()

    def test_preview_shows_every_kind_of_refused_row_and_confirm_adds_the_lines(self):
        sink = self.env["product.product"].search([("default_code", "=", "SNK-00001")])
        cart_id = self.cart_id(self.u_beta_buyer, self.c_beta, [(self.mixer, 2)])
        data = workbook(
            ("MIX-00001", 3),           # row 2: matched, added on top of the cart's 2
            ("NOPE-404", 1),            # row 3: unknown SKU
            ("ALF-00001", 2),           # row 4: «Альфа»'s exclusive: not allowed for «Бета»
            ("SNK-00001", "много"),     # row 5: bad quantity
            ("TWR-00001", 1),           # row 6: below the minimum of 2
            ("ACC-00002", 4),           # row 7: not a multiple of 6
            ("SNK-00001", 1),           # rows 8, 9: the same product, merged into one line of 3
            ("snk-00001", 2),
        )
        self.login(self.u_beta_buyer, lang="en_US")
        upload_id = self.preview_id(self.upload(data))
        # nothing goes into the cart before the dealer confirms
        self.assertEqual(self.lines_of(cart_id), {self.mixer: 2})
        self.settle()
        upload = self.env["b2b.cart.upload"].browse(upload_id)
        self.assertEqual((upload.user_id, upload.contract_id, upload.file_name),
                         (self.u_beta_buyer, self.c_beta, "заказ.xlsx"))
        tree = self.page("/b2b/cart/upload/%d" % upload_id)
        refused = {int(row.get("data-row")): (row.get("data-sku"), row.get("data-code"),
                                              row.xpath("./td[contains(@class, 'o_b2b_problem')]/text()")[0])
                   for row in tree.xpath("//tr[contains(@class, 'o_b2b_rejected_row')]")}
        self.assertEqual(refused, {
            3: ("NOPE-404", "unknown_sku", 'unknown SKU "NOPE-404"'),
            4: ("ALF-00001", "not_allowed", 'the product "ALF-00001" is not available to you'),
            5: ("SNK-00001", "bad_qty", 'the quantity "много" is not a number'),
            6: ("TWR-00001", "below_min_qty", "the minimum order quantity is 2 (ordered 1)"),
            7: ("ACC-00002", "not_multiple", "order in multiples of 6 (ordered 4)"),
        })
        matched = {row.get("data-sku"): float(row.get("data-qty"))
                   for row in tree.xpath("//tr[contains(@class, 'o_b2b_matched_line')]")}
        self.assertEqual(matched, {"MIX-00001": 3.0, "SNK-00001": 3.0})
        page = tree.xpath("//div[contains(@class, 'o_b2b_upload_preview')]")[0]
        self.assertEqual((page.get("data-lines"), page.get("data-rejected")), ("2", "5"))
        self.assertTrue(tree.xpath("//button[contains(@class, 'o_b2b_upload_confirm')]"))
        self.assertEqual(self.lines_of(cart_id), {self.mixer: 2})

        # the file back, the refused and merged rows marked in a new last column
        answer = self.get("/b2b/cart/upload/%d/marked.xlsx" % upload_id)
        self.assertEqual(answer.status_code, 200)
        self.assertEqual(answer.headers["Content-Type"], XLSX)
        sheet = openpyxl.load_workbook(io.BytesIO(answer.content)).worksheets[0]
        self.assertEqual(sheet.cell(1, 3).value, "Ошибка / Error")
        marks = {row: sheet.cell(row, 3).value for row in range(2, 10)}
        self.assertIsNone(marks[2])
        self.assertEqual(marks[3], 'unknown SKU "NOPE-404"')
        self.assertEqual(marks[6], "the minimum order quantity is 2 (ordered 1)")
        self.assertTrue(all(marks[row] for row in range(3, 10)), marks)
        self.assertIn("8, 9", marks[8])
        self.assertEqual([sheet.cell(row, 1).value for row in range(2, 10)],
                         ["MIX-00001", "NOPE-404", "ALF-00001", "SNK-00001", "TWR-00001",
                          "ACC-00002", "SNK-00001", "snk-00001"])

        # confirm: the matched lines go into the cart in one step, on top of what it held
        answer = self.post("/b2b/cart/upload/%d/confirm" % upload_id, allow_redirects=False,
                           csrf_from="/b2b/cart/upload")
        self.assertEqual(answer.status_code, 303)
        self.assertTrue(answer.headers["Location"].endswith("/b2b/cart"))
        self.assertEqual(self.lines_of(cart_id), {self.mixer: 5, sink: 3})
        self.assertEqual(upload.state, "done")
        # a second confirm (back button, double click) adds nothing more
        answer = self.post("/b2b/cart/upload/%d/confirm" % upload_id, allow_redirects=False,
                           csrf_from="/b2b/cart/upload")
        self.assertEqual(answer.status_code, 200)
        self.assertIn("заказ.xlsx", self.error_of(answer))
        self.assertEqual(self.lines_of(cart_id), {self.mixer: 5, sink: 3})

    def test_confirming_one_upload_removes_the_users_other_uploads(self):
        """A dealer who uploaded a file, left its preview and uploaded another one confirms the
        second: its lines go into the cart and the forgotten first upload (its stored file too)
        is removed."""
        self.login(self.u_alfa_buyer)
        self.use_contract(self.c_alfa)
        first = self.preview_id(self.upload(workbook(("MIX-00001", 1)), name="first.xlsx"))
        second = self.preview_id(self.upload(workbook(("MIX-00001", 2)), name="second.xlsx"))
        answer = self.post("/b2b/cart/upload/%d/confirm" % second, allow_redirects=False,
                           csrf_from="/b2b/cart/upload")
        self.assertEqual(answer.status_code, 303, answer.text[:500])
        self.settle()
        self.assertFalse(self.env["b2b.cart.upload"].browse(first).exists())
        self.assertFalse(self.env["ir.attachment"].search([
            ("res_model", "=", "b2b.cart.upload"), ("res_id", "=", first)]))
        cart_id = self.cart_id(self.u_alfa_buyer, self.c_alfa)
        self.assertEqual(self.lines_of(cart_id), {self.mixer: 2})

    def test_daily_run_deletes_uploads_left_past_their_day(self):
        """A dealer who uploaded a file and never came back: the daily run deletes it, its stored
        file too, and keeps the uploads still within their day."""
        self.login(self.u_alfa_buyer)
        self.use_contract(self.c_alfa)
        forgotten = self.preview_id(self.upload(workbook(("MIX-00001", 1)), name="old.xlsx"))
        self.login(self.u_beta_buyer)
        recent = self.preview_id(self.upload(workbook(("MIX-00001", 2)), name="new.xlsx"))
        self.settle()
        self.env.cr.execute("UPDATE b2b_cart_upload SET create_date = now() at time zone 'UTC'"
                            " - interval '25 hours' WHERE id = %s", (forgotten,))
        Upload = self.env["b2b.cart.upload"]
        Upload.invalidate_cache()
        self.assertTrue(self.env["ir.attachment"].search([
            ("res_model", "=", "b2b.cart.upload"), ("res_id", "=", forgotten),
            ("res_field", "=", "file_data")]))
        cron = self.env.ref("b2b_portal.ir_cron_b2b_clean_uploads")
        self.assertTrue(cron.active)
        cron.method_direct_trigger()
        self.assertFalse(Upload.browse(forgotten).exists())
        self.assertFalse(self.env["ir.attachment"].search([
            ("res_model", "=", "b2b.cart.upload"), ("res_id", "=", forgotten),
            ("res_field", "=", "file_data")]))
        self.assertTrue(Upload.browse(recent).exists())
        self.assertEqual(Upload.browse(recent).state, "preview")

    def test_broken_files_are_refused_with_a_clear_message_and_nothing_is_stored(self):
        self.login(self.u_alfa_buyer, lang="en_US")
        before = self.uploads()
        answer = self.upload(b"SKU;qty\nMIX-00001;2\n", name="order.csv")
        self.assertEqual(self.error_of(answer),
                         'The file "order.csv" is not an Excel workbook (.xlsx). Save the order as '
                         'an Excel Workbook (.xlsx) and upload it again; CSV, PDF and other formats '
                         'are not read.')
        self.assertEqual(self.error_of(self.upload(b"", name="empty.xlsx")),
                         'The file "empty.xlsx" is empty.')
        message = self.error_of(self.upload(workbook(("Товар", "Сколько"), ("MIX-00001", 2),
                                                     header=("Наименование", "Кол"))))
        self.assertIn("row 1", message)
        self.assertIn("заказ.xlsx", message)
        self.assertTrue(self.error_of(self.upload(b"PK\x03\x04broken", name="broken.xlsx"))
                        .startswith('The file "broken.xlsx" is damaged'))
        answer = self.post("/b2b/cart/upload", {}, allow_redirects=False, csrf_from="/b2b/cart/upload")
        self.assertEqual(self.error_of(answer), "Choose the xlsx file of your order to upload.")
        big = b"PK" + b"\0" * (10 * 1024 * 1024)
        self.assertEqual(self.error_of(self.upload(big, name="big.xlsx")),
                         'The file "big.xlsx" is larger than 10 MB; an order file can be at most 10 MB.')
        self.assertEqual(self.uploads(), before)

    def test_another_dealers_upload_answers_404(self):
        self.login(self.u_alfa_buyer)
        upload_id = self.preview_id(self.upload(workbook(("MIX-00001", 2), ("NOPE", 1))))
        cart_id = self.cart_id(self.u_alfa_buyer, self.c_alfa)
        for user in (self.u_beta_admin, self.u_alfa_admin):   # another dealer; another user
            self.login(user)
            self.assertEqual(self.get("/b2b/cart/upload/%d" % upload_id).status_code, 404)
            self.assertEqual(self.get("/b2b/cart/upload/%d/marked.xlsx" % upload_id).status_code, 404)
            answer = self.post("/b2b/cart/upload/%d/confirm" % upload_id, allow_redirects=False,
                               csrf_from="/b2b/cart/upload")
            self.assertEqual(answer.status_code, 404)
        upload = self.env["b2b.cart.upload"].browse(upload_id)
        self.assertEqual(upload.state, "preview")
        self.assertEqual(self.lines_of(cart_id), {})

    def test_five_thousand_rows_preview(self):
        offers = self.c_beta._b2b_offers()
        skus = sorted(offer.sku for offer in offers.values()
                      if offer.visible and not offer.forbidden and offer.price is not None
                      and offer.sku)
        self.assertGreater(len(skus), 100)
        # quantities of 6 per row meet every minimum (2) and multiple (6) of the demo goods
        rows = [(skus[number % len(skus)], 6) for number in range(5000)]
        self.login(self.u_beta_buyer)
        upload_id = self.preview_id(self.upload(workbook(*rows), name="big-order.xlsx"))
        tree = self.page("/b2b/cart/upload/%d" % upload_id)
        page = tree.xpath("//div[contains(@class, 'o_b2b_upload_preview')]")[0]
        self.assertEqual((page.get("data-lines"), page.get("data-rejected")),
                         (str(len(skus)), "0"))
        self.assertEqual(tree.xpath("//*[contains(@class, 'o_b2b_row_count')]/text()"), ["5000"])
