"""Details dealers hit: the lead-time badge in Russian, xlsx orders whose workbook has several
sheets (an instructions sheet first, the order on another), a totals row at the end."""
import io
import re

import openpyxl
from lxml import html

from .test_portal_cart import CartPageCase

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def badge_texts(tree):
    return [" ".join(badge.text_content().split())
            for badge in tree.xpath("//*[contains(@class, 'o_b2b_badge_order')]")]


class TestLeadTimeBadge(CartPageCase):

    def test_on_order_badge_reads_days_in_russian_in_catalog_and_cart(self):
        with self.saved():
            self.mixer.product_tmpl_id.write({"b2b_availability": "on_order", "b2b_lead_days": 28})
        self.cart_id(self.u_beta_buyer, self.c_beta, [(self.mixer, 2)])
        self.login(self.u_beta_buyer)
        cart = self.page("/ru_RU/b2b/cart")
        line = self.rows(cart)[self.mixer.id]
        self.assertEqual(badge_texts(line), ["Под заказ, 28 дн."])
        catalog = self.page("/ru_RU/b2b/catalog?q=MIX-00001")
        row = catalog.xpath("//tr[contains(@class, 'o_b2b_product')][@data-sku='MIX-00001']")[0]
        self.assertEqual(badge_texts(row), ["Под заказ, 28 дн."])
        product = self.page("/ru_RU/b2b/product/%d" % self.mixer.id)
        self.assertEqual(badge_texts(product), ["Под заказ, 28 дн."])
        # the same badge in English
        self.login(self.u_beta_buyer, lang="en_US")
        english = self.page("/b2b/cart")
        self.assertEqual(badge_texts(self.rows(english)[self.mixer.id]), ["On order, 28 days"])


def dealer_workbook(active=0):
    """As a dealer's own order workbook often is: sheet 1 «Инструкция» (text under a merged
    title), sheet 2 «Заказ» (a merged title, the header on row 4, three goods, a totals row merged
    over A:C with the quantity and the amount, a signature and a note below), sheet 3
    «Order (EN)» (English titles, two goods); ``active`` the sheet Excel opens on."""
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "Инструкция"
    notes["A1"] = "Как заполнить заказ"
    notes.merge_cells("A1:D1")
    notes["A3"] = "1. Впишите коды товаров и количества на листе «Заказ»."
    notes["A4"] = "2. Сохраните книгу и загрузите её на портале."
    order = book.create_sheet("Заказ")
    order["A1"] = "Заказ покупателя ООО «Бета-Трейд»"
    order.merge_cells("A1:E1")
    order["A2"] = "Дата: 07.12.2026"
    for column, title in enumerate(("№", "Артикул", "Наименование", "Кол-во, шт", "Сумма"), 1):
        order.cell(4, column, title)
    for number, (sku, qty) in enumerate((("MIX-00001", 10), ("SNK-00001", 3),
                                          ("TWR-00001", 2)), 1):
        order.append((number, sku, "товар %d" % number, qty, qty * 100))
    order.append(("Итого:", None, None, 15, 1500))                # row 8
    order.merge_cells("A8:C8")
    order["A10"] = "Менеджер: ____________"
    english = book.create_sheet("Order (EN)")
    english.append(("SKU", "Qty"))
    english.append(("MIX-00001", 4))
    english.append(("ACC-00002", 6))
    book.active = active
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class TestPortalXlsxSheets(CartPageCase):
    """An order workbook of several sheets: the preview lets the dealer pick the sheet."""

    def upload(self, data, name="заказ.xlsx"):
        answer = self.post("/b2b/cart/upload", files={"order_file": (name, data, XLSX)},
                           allow_redirects=False, csrf_from="/b2b/cart/upload")
        return answer

    def preview_id(self, answer):
        self.assertEqual(answer.status_code, 303, answer.text[:800])
        return int(re.search(r"/b2b/cart/upload/(\d+)$", answer.headers["Location"]).group(1))

    def shown(self, tree):
        """(chosen sheet, {sheet: option text}, disabled sheets, {sku: qty} to add, refused rows,
        the note on the totals row)."""
        options = tree.xpath("//select[@id='o_b2b_sheet']/option")
        chosen = [option.get("value") for option in options if option.get("selected")]
        return (chosen[0] if chosen else None,
                {option.get("value"): " ".join(option.text_content().split()) for option in options},
                {option.get("value") for option in options if option.get("disabled")},
                {row.get("data-sku"): float(row.get("data-qty"))
                 for row in tree.xpath("//tr[contains(@class, 'o_b2b_matched_line')]")},
                [(int(row.get("data-row")), row.get("data-code"))
                 for row in tree.xpath("//tr[contains(@class, 'o_b2b_rejected_row')]")],
                " ".join(tree.xpath("string(//*[contains(@class, 'o_b2b_total_note')])").split()))

    def test_instructions_first_the_order_sheet_is_chosen_and_another_sheet_re_read(self):
        cart_id = self.cart_id(self.u_beta_buyer, self.c_beta, [])
        self.login(self.u_beta_buyer, lang="en_US")
        upload_id = self.preview_id(self.upload(dealer_workbook(active=0)))
        chosen, options, disabled, lines, refused, note = self.shown(
            self.page("/b2b/cart/upload/%d" % upload_id))
        self.assertEqual(chosen, "Заказ")
        self.assertEqual(list(options), ["Инструкция", "Заказ", "Order (EN)"])
        self.assertEqual(options["Заказ"], "Заказ — rows matching the catalog: 3 of 3")
        self.assertEqual(options["Order (EN)"], "Order (EN) — rows matching the catalog: 2 of 2")
        self.assertIn("Инструкция — ", options["Инструкция"])
        self.assertNotIn("Заказ", disabled)
        # the totals row is no unknown SKU; the signature below it is not read
        self.assertEqual(lines, {"MIX-00001": 10.0, "SNK-00001": 3.0, "TWR-00001": 2.0})
        self.assertEqual(refused, [])
        self.assertEqual(note, "Row 8 is the totals row: the order ends there. "
                               "The rows below it (1) are not read as order lines.")

        # the dealer picks the English sheet: read again from the kept file, no new upload
        answer = self.post("/b2b/cart/upload/%d/sheet" % upload_id, {"sheet": "Order (EN)"},
                           allow_redirects=False, csrf_from="/b2b/cart/upload/%d" % upload_id)
        self.assertEqual(answer.status_code, 303, answer.text[:800])
        self.assertTrue(answer.headers["Location"].endswith("/b2b/cart/upload/%d" % upload_id))
        chosen, options, _disabled, lines, refused, note = self.shown(
            self.page("/b2b/cart/upload/%d" % upload_id))
        self.assertEqual(chosen, "Order (EN)")
        self.assertEqual(lines, {"MIX-00001": 4.0, "ACC-00002": 6.0})
        self.assertEqual((refused, note), ([], ""))
        self.settle()
        self.assertEqual(self.env["b2b.cart.upload"].search([]).ids, [upload_id])
        self.assertEqual(self.lines_of(cart_id), {})

        # a sheet the workbook does not have: told, and the preview stays as it was
        answer = self.post("/b2b/cart/upload/%d/sheet" % upload_id, {"sheet": "Лист9"},
                           csrf_from="/b2b/cart/upload/%d" % upload_id)
        tree = html.fromstring(answer.text)
        self.assertEqual(tree.xpath("string(//div[contains(@class, 'o_b2b_error')])").strip(),
                         'The file "заказ.xlsx" has no sheet "Лист9" holding an order.')
        self.assertEqual(self.shown(tree)[0], "Order (EN)")

        # confirming adds the lines of the sheet shown
        answer = self.post("/b2b/cart/upload/%d/confirm" % upload_id, {}, allow_redirects=False,
                           csrf_from="/b2b/cart/upload/%d" % upload_id)
        self.assertEqual(answer.status_code, 303)
        self.assertEqual(self.lines_of(cart_id), {self.mixer: 4.0, self.by_six: 6.0})

    def test_active_second_sheet_is_the_default_and_the_preview_reads_in_russian(self):
        self.login(self.u_beta_buyer)
        form = self.get("/ru_RU/b2b/cart/upload").text
        self.assertIn("если в книге несколько листов, лист заказа выбирается в предпросмотре", form)
        upload_id = self.preview_id(self.upload(dealer_workbook(active=1)))
        chosen, options, _disabled, lines, refused, note = self.shown(
            self.page("/ru_RU/b2b/cart/upload/%d" % upload_id))
        self.assertEqual(chosen, "Заказ")
        self.assertEqual(options["Заказ"], "Заказ — строк, найденных в каталоге: 3 из 3")
        self.assertEqual(refused, [])
        self.assertEqual(note, "Строка 8 — строка итогов: на ней заказ заканчивается. "
                               "Строки под ней (1) не читаются как строки заказа.")
        self.assertEqual(set(lines), {"MIX-00001", "SNK-00001", "TWR-00001"})

    def test_another_users_upload_cannot_be_re_read(self):
        self.login(self.u_beta_buyer, lang="en_US")
        upload_id = self.preview_id(self.upload(dealer_workbook()))
        self.settle()
        before = self.env["b2b.cart.upload"].browse(upload_id).layout_json
        self.login(self.u_alfa_buyer, lang="en_US")
        answer = self.post("/b2b/cart/upload/%d/sheet" % upload_id, {"sheet": "Order (EN)"},
                           allow_redirects=False, csrf_from="/b2b/cart/upload")
        self.assertEqual(answer.status_code, 404)
        self.settle()
        self.env.cache.invalidate()
        self.assertEqual(self.env["b2b.cart.upload"].browse(upload_id).layout_json, before)

    def test_a_damaged_workbook_is_still_refused_with_its_message(self):
        self.login(self.u_beta_buyer, lang="en_US")
        data = dealer_workbook()
        answer = self.upload(data[:len(data) // 2])
        self.assertEqual(answer.status_code, 200)
        error = html.fromstring(answer.text).xpath(
            "string(//div[contains(@class, 'o_b2b_error')])").strip()
        self.assertTrue(error.startswith('The file "заказ.xlsx" is damaged and cannot be read as '
                                         'an Excel workbook.'), error)
        self.settle()
        self.assertFalse(self.env["b2b.cart.upload"].search([]))
