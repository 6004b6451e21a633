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
