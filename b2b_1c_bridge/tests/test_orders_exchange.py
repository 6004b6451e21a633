from lxml import etree

from odoo.exceptions import UserError
from odoo.tools import mute_logger

from ..lib import orders as cml
from .common import CONTROLLER_LOGGER, onec
from .orders_common import NS, OrdersCase


class TestOrdersExchange(OrdersCase):

    def test_portal_order_goes_to_onec_once_and_again_when_changed(self):
        p1, p2, _p3 = self.products
        order = self.place([(p1, 2), (p2, 1)])
        docs = self.documents(self.client().orders_exchange().content)
        self.assertIn(order.name, docs)
        doc = docs[order.name]
        self.refresh()
        self.assertTrue(order.b2b_onec_guid)
        self.assertEqual(doc.findtext(NS + "Ид"), order.b2b_onec_guid)
        self.assertEqual(doc.findtext(NS + "ХозОперация"), "Заказ товара")
        self.assertEqual(doc.findtext(NS + "Комментарий"), "к обеду")
        party = doc.find(NS + "Контрагенты/" + NS + "Контрагент")
        self.assertEqual(party.findtext(NS + "Ид"), self.alfa.b2b_onec_id)
        self.assertEqual(party.findtext(NS + "Роль"), "Покупатель")
        self.assertEqual(self.requisites(doc)["Договор"], self.c_alfa.b2b_onec_id)
        goods = [(g.findtext(NS + "Ид"), g.findtext(NS + "Количество"), g.findtext(NS + "Артикул"))
                 for g in doc.findall(NS + "Товары/" + NS + "Товар")]
        self.assertEqual(goods, [(self.onec_id(p1), "2", p1.default_code),
                                 (self.onec_id(p2), "1", p2.default_code)])
        self.assertEqual(float(doc.findtext(NS + "Сумма")), order.amount_total)
        self.xenv["sale.order"].invalidate_cache()
        self.assertTrue(order.b2b_onec_delivered_at, "success marks the order delivered")
        # delivered: the next exchange does not send it
        self.assertNotIn(order.name, self.documents(self.client().orders_exchange().content))
        # the dealer changes the order: it goes again, with the new quantity
        order.order_line.filtered(lambda l: l.product_id == p1).sudo().product_uom_qty = 5
        self.commit()
        again = self.documents(self.client().orders_exchange().content)
        self.assertIn(order.name, again)
        quantities = [g.findtext(NS + "Количество") for g in again[order.name].iter(NS + "Товар")]
        self.assertEqual(quantities, ["5", "1"])

    def test_order_changed_after_the_query_is_sent_again(self):
        p1 = self.products[0]
        order = self.place([(p1, 1)])
        client = self.connected("sale")
        query = client.call("sale", "query")
        self.assertIn(order.name, self.documents(query.content))
        order.sudo().note = "позвоните перед доставкой"
        self.commit()
        self.assertEqual(client.call("sale", "success").verdict, "success")
        again = self.documents(self.client().orders_exchange().content)
        self.assertEqual(again[order.name].findtext(NS + "Комментарий"), "позвоните перед доставкой")
        self.assertNotIn(order.name, self.documents(self.client().orders_exchange().content))

    @staticmethod
    def goods_of(doc):
        return [(g.findtext(NS + "Ид"), g.findtext(NS + "Количество")) for g in doc.iter(NS + "Товар")]

    def test_send_to_onec_again_sends_an_unchanged_order_with_the_next_exchange(self):
        """*Send to 1C again* on the order's 1C Exchange tab (sales managers): an order 1C already
        took goes with the next exchange although nothing changed, as it was, and once 1C
        confirms it, not again."""
        p1, p2, _p3 = self.products
        order = self.place([(p1, 2), (p2, 1)])
        first = self.documents(self.client().orders_exchange().content)[order.name]
        self.assertNotIn(order.name, self.documents(self.client().orders_exchange().content))
        manager = self.xenv["res.users"].with_context(no_reset_password=True).create({
            "name": "Руководитель продаж", "login": "sales-head", "email": "sales-head@example.com",
            "groups_id": [(6, 0, [self.xenv.ref("base.group_user").id,
                                  self.xenv.ref("sales_team.group_sale_manager").id])]})
        self.assertTrue(self.xenv["sale.order"].sudo(manager).browse(order.id).action_b2b_onec_resend())
        self.commit()
        again = self.documents(self.client().orders_exchange().content)
        self.assertIn(order.name, again)
        self.assertEqual(again[order.name].findtext(NS + "Ид"), first.findtext(NS + "Ид"))
        self.assertEqual(self.goods_of(again[order.name]), self.goods_of(first))
        self.assertEqual(self.goods_of(first), [(self.onec_id(p1), "2"), (self.onec_id(p2), "1")])
        self.xenv["sale.order"].invalidate_cache()
        self.assertTrue(order.b2b_onec_delivered_at)
        self.assertNotIn(order.name, self.documents(self.client().orders_exchange().content),
                         "delivered again: not sent a third time")

    def test_statuses_from_onec_update_the_order_and_lock_portal_edits(self):
        p1, p2, p3 = self.products
        order = self.place([(p1, 2), (p2, 1)])
        self.client().orders_exchange()
        self.refresh()
        guid = order.b2b_onec_guid
        data = self.orders_xml(self.document(
            guid, order.name, self.c_alfa.b2b_onec_id, self.alfa.b2b_onec_id, "Согласован",
            [(self.onec_id(p1), 3, 100, 300), (self.onec_id(p3), 1, 50, 50)], "согласовано"))
        self.client().exchange([("orders.xml", data)], exchange_type="sale")
        self.xenv["sale.order"].invalidate_cache()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.b2b_onec_status, "Согласован")
        lines = {l.product_id: (l.product_uom_qty, l.price_unit) for l in order.order_line}
        self.assertEqual(lines[p1], (3.0, 100.0))
        self.assertEqual(lines[p3], (1.0, 50.0))
        self.assertEqual(lines[p2][0], 0.0, "a confirmed order's line 1C dropped goes to 0")
        # 1C's line sums (300 + 50) are the order's sum as its prices count taxes: the total
        # when the taxes are included in the prices (the demo chart's), else the untaxed amount
        included = all(tax.price_include for tax in order.order_line.mapped("tax_id"))
        self.assertAlmostEqual(order.amount_total if included else order.amount_untaxed, 350.0,
                               places=2)
        self.assertEqual(order.note, "согласовано")
        imported = self.files(name="orders.xml")
        self.assertEqual(imported.state, "imported")
        self.assertEqual(imported.records_updated, 1)
        # 1C's version is not sent back to 1C
        self.assertNotIn(order.name, self.documents(self.client().orders_exchange().content))
        if "_b2b_check_editable" in self.xenv["sale.order"]._fields or \
                hasattr(self.xenv["sale.order"], "b2b_update_lines"):
            with self.assertRaises(UserError):
                self.xenv["sale.order"].sudo(self.buyer).b2b_update_lines(order.id, [(p1.id, 4)])
        # the same file again changes nothing
        self.client().exchange([("orders.xml", data)], exchange_type="sale")
        self.assertEqual(self.files(name="orders.xml").sorted("id").mapped("records_unchanged"),
                         [0, 1], "the second import finds the order up to date")
        shipped = self.orders_xml(self.document(
            guid, order.name, self.c_alfa.b2b_onec_id, self.alfa.b2b_onec_id, "Отгружен",
            [(self.onec_id(p1), 3, 100, 300), (self.onec_id(p3), 1, 50, 50)], "согласовано"))
        self.client().exchange([("orders.xml", shipped)], exchange_type="sale")
        self.xenv["sale.order"].invalidate_cache()
        self.assertEqual(order.state, "done")

    def test_phone_order_from_onec_is_created(self):
        p1, p2, _p3 = self.products
        data = self.orders_xml(self.document(
            "1c-phone-0001", "ЗК-000777", self.c_beta.b2b_onec_id, self.beta.b2b_onec_id, "Новый",
            [(self.onec_id(p1), 4, 10, 40), (self.onec_id(p2), 2, 25.5, 51)], "по телефону"))
        self.client().exchange([("orders.xml", data)], exchange_type="sale")
        order = self.xenv["sale.order"].search([("b2b_onec_guid", "=", "1c-phone-0001")])
        self.assertEqual(len(order), 1)
        self.assertEqual(order.b2b_origin, "1c")
        self.assertEqual(order.b2b_contract_id, self.c_beta)
        self.assertEqual(order.partner_id, self.c_beta.partner_id)
        self.assertEqual(order.b2b_onec_number, "ЗК-000777")
        self.assertEqual(order.state, "draft")
        self.assertEqual(sorted((l.product_id.id, l.product_uom_qty, l.price_unit) for l in order.order_line),
                         sorted([(p1.id, 4.0, 10.0), (p2.id, 2.0, 25.5)]))
        self.assertEqual(self.files(name="orders.xml").records_created, 1)
        self.assertNotIn(order.name, self.documents(self.client().orders_exchange().content))

    @mute_logger(CONTROLLER_LOGGER)
    def test_unknown_product_or_status_is_refused_and_nothing_is_written(self):
        p1 = self.products[0]
        order = self.place([(p1, 1)])
        self.client().orders_exchange()
        self.refresh()
        before = (order.state, [(l.product_id.id, l.product_uom_qty) for l in order.order_line])
        count = self.xenv["sale.order"].search_count([])
        good = self.document(order.b2b_onec_guid, order.name, self.c_alfa.b2b_onec_id,
                             self.alfa.b2b_onec_id, "Согласован", [(self.onec_id(p1), 7, 1, 7)])
        phone = self.document("1c-phone-x", "ЗК-1", self.c_alfa.b2b_onec_id, self.alfa.b2b_onec_id,
                              "Новый", [("no-such-product", 1, 1, 1)])
        with self.assertRaises(onec.ExchangeStopped) as stopped:
            self.client().exchange([("orders.xml", self.orders_xml(good, phone))],
                                   exchange_type="sale")
        reason = stopped.exception.answer.text
        self.assertIn("no-such-product", reason)
        self.assertRegex(reason, r"orders\.xml, line \d+")
        self.xenv["sale.order"].invalidate_cache()
        self.assertEqual((order.state, [(l.product_id.id, l.product_uom_qty) for l in order.order_line]),
                         before, "the good document of the refused file is not applied either")
        self.assertEqual(self.xenv["sale.order"].search_count([]), count)
        odd = self.document(order.b2b_onec_guid, order.name, self.c_alfa.b2b_onec_id,
                            self.alfa.b2b_onec_id, "В пути", [(self.onec_id(p1), 1, 1, 1)])
        with self.assertRaises(onec.ExchangeStopped) as stopped:
            self.client().exchange([("orders.xml", self.orders_xml(odd))], exchange_type="sale")
        self.assertIn("В пути", stopped.exception.answer.text)
        self.xenv["sale.order"].invalidate_cache()
        self.assertEqual(order.state, before[0])

    def test_a_query_carries_at_most_the_configured_number_of_orders(self):
        p1 = self.products[0]
        self.client().orders_exchange()  # 1C has every order placed so far
        first = self.place([(p1, 1)])
        second = self.place([(p1, 2)])
        self.set_param("orders_per_query", 1)
        client = self.connected("sale")
        sent = self.documents(client.call("sale", "query").content)
        self.assertIn(first.name, sent, "the oldest waiting order goes first")
        self.assertNotIn(second.name, sent)
        self.assertEqual(len(sent), 1)
        self.assertEqual(client.call("sale", "success").verdict, "success")
        # the order left out goes with the next exchange, the delivered one does not go again
        following = self.documents(self.client().orders_exchange().content)
        self.assertIn(second.name, following)
        self.assertNotIn(first.name, following)

    def test_orders_onec_receives_are_valid_commerceml(self):
        """What 1C receives through type=sale&mode=query validates against 1C's CommerceML 2.10
        schema: a portal order with a comment, a line of a characteristic and lines in pieces, in
        dozens and in boxes 1C named; pieces go out as «шт» with OKEI code 796, a unit with the
        OKEI code 1C gave it, a unit OKEI has no code for by its name alone."""
        p1, p2, p3 = self.products
        p1.b2b_onec_variant_id = "%s#0000000c-char-0000-0000-000000000042" % self.onec_id(p1)
        self.commit()
        order = self.place([(p1, 2), (p2, 1), (p3, 3)], note="Позвоните за час до доставки")
        dozen = self.xenv.ref("product.product_uom_dozen")
        order.order_line.filtered(lambda l: l.product_id == p2).sudo().product_uom = dozen
        # a unit 1C sent with its goods keeps 1C's OKEI code (a box of 1C's «упак» 778)
        box = self.xenv["product.uom"].create({
            "name": "Коробка", "category_id": self.xenv.ref("product.product_uom_categ_unit").id,
            "uom_type": "bigger", "factor_inv": 10.0, "b2b_onec_okei_code": "778"})
        order.order_line.filtered(lambda l: l.product_id == p3).sudo().product_uom = box
        if "b2b_desired_date" in order._fields:
            order.sudo().b2b_desired_date = "2030-03-12"
        self.commit()
        content = self.client().orders_exchange().content
        root = etree.fromstring(content, etree.XMLParser(resolve_entities=False, no_network=True))
        schema = cml.schema("2.10")
        self.assertTrue(schema.validate(root), [str(error) for error in schema.error_log])
        doc = self.documents(content)[order.name]
        self.assertEqual(doc.findtext(NS + "Комментарий"), "Позвоните за час до доставки")
        units = [(g.findtext(NS + "Ид"), g.find(NS + "БазоваяЕдиница").get("Код"),
                  g.findtext(NS + "БазоваяЕдиница")) for g in doc.iter(NS + "Товар")]
        self.assertEqual(units, [(p1.b2b_onec_variant_id, "796", "шт"),
                                 (self.onec_id(p2), None, dozen.name),
                                 (self.onec_id(p3), "778", "упак")])
        if "b2b_desired_date" in order._fields:
            self.assertEqual(self.requisites(doc)["Желаемая дата отгрузки"], "2030-03-12")
