import lxml.html
from lxml import etree

import odoo
from odoo.exceptions import UserError
from odoo.tools import mute_logger

from ..lib import orders as cml
from .common import CONTROLLER_LOGGER, onec
from .orders_common import NS, OrdersCase

# an order export of 1C's site exchange module as УТ 11 writes it: windows-1251, a comment
# before the root, elements and requisites the portal does not read
EXPORT_HEAD = ('<?xml version="1.0" encoding="windows-1251"?>\n'
               '<!-- 1С:Управление торговлей 11.4, обмен с сайтом -->\n'
               '<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" '
               'xmlns:xs="http://www.w3.org/2001/XMLSchema" ВерсияСхемы="2.05" '
               'ДатаФормирования="2024-05-02T11:04:10">\n')
PAYMENT = """<Документ>
  <Ид>pay-0001</Ид>
  <Номер>ПКО-0001</Номер>
  <Дата>2024-05-02</Дата>
  <ХозОперация>Выплата наличных денег</ХозОперация>
  <Сумма>не сумма</Сумма>
</Документ>"""


def export_1251(*documents):
    return (EXPORT_HEAD + "\n".join(documents) + "\n</КоммерческаяИнформация>\n").encode("cp1251")


def export_document(guid, number, counterparty_id, contract_id, status, lines, number_1c=None,
                    date="2024-05-01", time="14:07:09"):
    """A ``Документ`` of 1C: ``lines`` [(product Ид or None, quantity, price, amount)] as 1C
    writes them (spaces, decimal commas)."""
    goods = []
    for index, (product_id, qty, price, amount) in enumerate(lines, start=1):
        goods.append("""    <Товар>
%s      <Артикул>A-%d</Артикул>
      <Наименование>%s</Наименование>
      <БазоваяЕдиница Код="796" НаименованиеПолное="Штука" МеждународноеСокращение="PCE">шт</БазоваяЕдиница>
      <ЦенаЗаЕдиницу>%s</ЦенаЗаЕдиницу>
      <Количество>%s</Количество>
      <Сумма>%s</Сумма>
      <Коэффициент>1</Коэффициент>
      <ЗначенияРеквизитов>
        <ЗначениеРеквизита><Наименование>ВидНоменклатуры</Наименование><Значение>Товар</Значение></ЗначениеРеквизита>
      </ЗначенияРеквизитов>
    </Товар>
""" % ("      <Ид>%s</Ид>\n" % product_id if product_id else "", index,
       "Товар %d" % index if product_id else "Доставка", price, qty, amount))
    requisites = [("Проведен", "true"), ("ПометкаУдаления", "false"), ("Договор", contract_id),
                  ("Статус заказа", status), ("Дата изменения статуса", "2024-05-01 14:10")]
    if number_1c:
        requisites.insert(0, ("Номер по 1С", number_1c))
    return """<Документ>
  <Ид>%s</Ид>
  <Номер>%s</Номер>
  <Дата>%s</Дата>
  <ХозОперация>Заказ товара</ХозОперация>
  <Роль>Продавец</Роль>
  <Валюта>руб</Валюта>
  <Курс>1</Курс>
  <Контрагенты>
    <Контрагент>
      <Ид>%s</Ид>
      <Наименование>Контрагент</Наименование>
      <Роль>Покупатель</Роль>
    </Контрагент>
  </Контрагенты>
%s  <Налоги><Налог><Наименование>НДС</Наименование><УчтеноВСумме>true</УчтеноВСумме></Налог></Налоги>
  <Товары>
%s  </Товары>
  <ЗначенияРеквизитов>
%s  </ЗначенияРеквизитов>
</Документ>""" % (guid, number, date, counterparty_id,
                  "  <Время>%s</Время>\n" % time if time else "", "".join(goods),
                  "".join("    <ЗначениеРеквизита><Наименование>%s</Наименование><Значение>%s"
                          "</Значение></ЗначениеРеквизита>\n" % item for item in requisites))


def line_of(data, text):
    """The line of ``data`` (bytes of a windows-1251 file) where ``text`` first appears."""
    return data.decode("cp1251").split(text)[0].count("\n") + 1


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

    @staticmethod
    def warnings(exchange_file):
        return [(w.line, w.element, w.message) for w in exchange_file.warning_ids.sorted("id")]

    def lines_of(self, order):
        self.xenv["sale.order"].invalidate_cache()
        return sorted((l.product_id.id, l.product_uom_qty, l.price_unit) for l in order.order_line)

    def mixed_export(self, order):
        """A 1C export (windows-1251) with a portal order 1C confirmed (and a delivery line 1C
        adds without a product Ид), a phone order of a counterparty the portal does not know
        among known ones, a phone order with a line of a product the portal does not know, one
        with a quantity that is not a number, and a payment (another business operation)."""
        p1, p2, _p3 = self.products
        return export_1251(
            export_document(order.b2b_onec_guid, order.name, self.alfa.b2b_onec_id,
                            self.c_alfa.b2b_onec_id, "К выполнению / В резерве",
                            [(self.onec_id(p1), "3", "1 234,50", "3 703,50"),
                             (None, "1", "500,00", "500,00")],
                            number_1c="ЗК-000123"),
            export_document("1c-phone-unknown", "ЗК-000201", "cp-nobody-knows",
                            self.c_beta.b2b_onec_id, "Не согласован",
                            [(self.onec_id(p2), "2", "25,5", "51")]),
            export_document("1c-phone-beta", "ЗК-000202", self.beta.b2b_onec_id,
                            self.c_beta.b2b_onec_id, "Не согласован",
                            [(self.onec_id(p2), "2", "25,5", "51"),
                             ("no-such-product", "1", "10", "10")],
                            date="02.05.2024 9:05:00", time=None),
            export_document("1c-phone-bad", "ЗК-000203", self.beta.b2b_onec_id,
                            self.c_beta.b2b_onec_id, "Не согласован",
                            [(self.onec_id(p2), "много", "25,5", "51")]),
            PAYMENT)

    def test_unusable_orders_are_skipped_and_warned_and_the_others_land(self):
        p1, p2, _p3 = self.products
        order = self.place([(p1, 1)])
        self.client().orders_exchange()
        self.refresh()
        count = self.xenv["sale.order"].search_count([])
        data = self.mixed_export(order)
        answers = self.client().exchange([("orders.xml", data)], exchange_type="sale")
        answer = [a for a in answers if a.mode == "import"][-1]
        self.assertEqual(answer.verdict, "success")
        self.assertIn("4 records skipped", answer.lines[0])
        imported = self.files(name="orders.xml")
        self.assertEqual((imported.state, imported.records_created, imported.records_updated,
                          imported.records_skipped), ("imported", 1, 1, 4))
        # the portal order: confirmed by 1C with its quantity and price, 1C's number kept; the
        # delivery line without a product is left out
        self.xenv["sale.order"].invalidate_cache()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.b2b_onec_status, "К выполнению / В резерве")
        self.assertFalse(order.b2b_onec_status_unmapped)
        self.assertEqual(order.b2b_onec_number, "ЗК-000123")
        self.assertEqual(self.lines_of(order), [(p1.id, 3.0, 1234.5)])
        # the phone order of a known dealer, without the line of the unknown product; its date
        # (1C's own presentation, with a time and no Время) in the supplier's time
        phone = self.xenv["sale.order"].search([("b2b_onec_guid", "=", "1c-phone-beta")])
        self.assertEqual(len(phone), 1)
        self.assertEqual((phone.state, phone.b2b_contract_id, phone.b2b_onec_status),
                         ("draft", self.c_beta, "Не согласован"))
        self.assertEqual(self.lines_of(phone), [(p2.id, 2.0, 25.5)])
        local = odoo.fields.Datetime.context_timestamp(
            phone.with_context(tz=self.xenv.user.tz or "Europe/Moscow"),
            odoo.fields.Datetime.from_string(phone.date_order))
        self.assertEqual(local.strftime("%Y-%m-%d %H:%M"), "2024-05-02 09:05")
        # the unknown counterparty's and the unreadable order are not created
        self.assertFalse(self.xenv["sale.order"].search(
            [("b2b_onec_guid", "in", ["1c-phone-unknown", "1c-phone-bad"])]))
        self.assertEqual(self.xenv["sale.order"].search_count([]), count + 1)
        # every skipped record with its line, element and reason, in English and Russian
        delivery = line_of(data, "<Наименование>Доставка") - 2   # its Товар
        self.assertEqual(self.warnings(imported), [
            (delivery, "Документ/Товары/Товар",
             "orders.xml, line %d: order %s: a line has no Ид of its product; the order is "
             "imported without it." % (delivery, order.name)),
            (line_of(data, "cp-nobody-knows"), "Документ/Контрагенты/Контрагент/Ид",
             "orders.xml, line %d: order ЗК-000201: no counterparty has the 1C id "
             "cp-nobody-knows." % line_of(data, "cp-nobody-knows")),
            (line_of(data, "<Ид>no-such-product"), "Документ/Товары/Товар/Ид",
             "orders.xml, line %d: order ЗК-000202: no product has the 1C id no-such-product; "
             "the order is imported without this line (import the catalog first)."
             % line_of(data, "<Ид>no-such-product")),
            (line_of(data, "много"), "Документ/Товары/Товар/Количество",
             "orders.xml, line %d: Документ/Товары/Товар/Количество is not a number: много."
             % line_of(data, "много")),
        ])
        self.assertIn("нет контрагента с идентификатором 1С cp-nobody-knows",
                      imported.warning_ids.sorted("id")[1].message_ru)
        # what 1C sent is not sent back; the same file again changes nothing and warns again
        self.assertNotIn(order.name, self.documents(self.client().orders_exchange().content))
        self.client().exchange([("orders.xml", data)], exchange_type="sale")
        again = self.files(name="orders.xml").sorted("id")[-1]
        self.assertEqual((again.records_created, again.records_updated, again.records_unchanged,
                          again.records_skipped), (0, 0, 2, 4))

    def test_unknown_contract_or_none_skips_a_new_order_and_unknown_goods_keep_the_lines(self):
        p1, p2, _p3 = self.products
        order = self.place([(p1, 2), (p2, 1)])
        self.client().orders_exchange()
        self.refresh()
        before = self.lines_of(order)
        data = export_1251(
            # 1C agrees the portal order but lists only goods the portal does not know
            export_document(order.b2b_onec_guid, order.name, self.alfa.b2b_onec_id,
                            self.c_alfa.b2b_onec_id, "Согласован",
                            [("not-in-the-catalog", "1", "10", "10")]),
            export_document("1c-phone-contract", "ЗК-000301", self.beta.b2b_onec_id,
                            "no-such-contract", "Новый", [(self.onec_id(p1), "1", "10", "10")]),
            export_document("1c-phone-nocontract", "ЗК-000302", self.beta.b2b_onec_id, "",
                            "Новый", [(self.onec_id(p1), "1", "10", "10")]))
        self.client().exchange([("orders.xml", data)], exchange_type="sale")
        imported = self.files(name="orders.xml")
        self.assertEqual((imported.records_created, imported.records_updated,
                          imported.records_skipped), (0, 1, 3))
        self.xenv["sale.order"].invalidate_cache()
        self.assertEqual(order.state, "sale")
        self.assertEqual(self.lines_of(order), before, "no known line: the lines stay as they are")
        self.assertFalse(self.xenv["sale.order"].search(
            [("b2b_onec_guid", "in", ["1c-phone-contract", "1c-phone-nocontract"])]))
        contract_line = line_of(data, "<Значение>no-such-contract")
        second = line_of(data, "<Ид>1c-phone-nocontract") - 1   # its Документ
        self.assertEqual(self.warnings(imported), [
            (line_of(data, "<Ид>not-in-the-catalog"), "Документ/Товары/Товар/Ид",
             "orders.xml, line %d: order %s: no product has the 1C id not-in-the-catalog; the "
             "order is imported without this line (import the catalog first)."
             % (line_of(data, "<Ид>not-in-the-catalog"), order.name)),
            (contract_line, "Документ/ЗначенияРеквизитов/Договор",
             "orders.xml, line %d: order ЗК-000301: no contract has the 1C id no-such-contract; "
             "send the counterparties and contracts first." % contract_line),
            (second, "Документ",
             "orders.xml, line %d: order ЗК-000302 is new to the portal and names no contract "
             "(ЗначенияРеквизитов «Договор»)." % second),
        ])

    @mute_logger(CONTROLLER_LOGGER)
    def test_strict_setting_refuses_the_orders_file_whole(self):
        p1 = self.products[0]
        order = self.place([(p1, 1)])
        self.client().orders_exchange()
        self.refresh()
        before = (order.state, self.lines_of(order))
        count = self.xenv["sale.order"].search_count([])
        self.set_param("strict", "yes")
        data = self.mixed_export(order)
        with self.assertRaises(onec.ExchangeStopped) as stopped:
            self.client().exchange([("orders.xml", data)], exchange_type="sale")
        self.assertEqual(stopped.exception.answer.lines[0],
                         "orders.xml, line %d: order %s: a line has no Ид of its product; the "
                         "order is imported without it. Other problems in this file: 3. Nothing "
                         "was imported." % (line_of(data, "<Наименование>Доставка") - 2,
                                            order.name))
        self.xenv["sale.order"].invalidate_cache()
        self.assertEqual((order.state, self.lines_of(order)), before,
                         "the good document of the refused file is not applied either")
        self.assertEqual(self.xenv["sale.order"].search_count([]), count)

    def test_unknown_status_is_stored_and_shown_and_the_order_updated(self):
        p1, p2, _p3 = self.products
        order = self.place([(p1, 1)])
        self.client().orders_exchange()
        self.refresh()
        data = export_1251(export_document(
            order.b2b_onec_guid, order.name, self.alfa.b2b_onec_id, self.c_alfa.b2b_onec_id,
            "В пути", [(self.onec_id(p1), "2", "100", "200"), (self.onec_id(p2), "1", "50", "50")]))
        self.client().exchange([("orders.xml", data)], exchange_type="sale")
        imported = self.files(name="orders.xml")
        self.assertEqual((imported.state, imported.records_updated, imported.records_skipped),
                         ("imported", 1, 1))
        self.xenv["sale.order"].invalidate_cache()
        self.assertEqual(order.state, "draft", "a status the map does not know keeps the state")
        self.assertEqual(self.lines_of(order), sorted([(p1.id, 2.0, 100.0), (p2.id, 1.0, 50.0)]))
        self.assertEqual(order.b2b_onec_status, "В пути")
        self.assertTrue(order.b2b_onec_status_unmapped)
        line = line_of(data, "<Значение>В пути")
        self.assertEqual(self.warnings(imported), [(
            line, "Документ/ЗначенияРеквизитов/Статус заказа",
            "orders.xml, line %d: order %s: the 1C status «В пути» is not in the order status "
            "map (Sales > Configuration > 1C order statuses); the order is updated and shows "
            "1C's status, its state stays as it was." % (line, order.name))])
        # the manager sees it in the order lists and on the order form
        Order = self.xenv["sale.order"]
        for view in ("sale.view_order_tree", "sale.view_quotation_tree", "sale.view_order_form"):
            arch = Order.fields_view_get(self.xenv.ref(view).id)["arch"]
            self.assertIn('name="b2b_onec_status"', arch, view)
        # the dealer sees it on the order's page
        if "b2b_order_detail" in dir(Order):
            self.assertEqual(Order.sudo(self.buyer).b2b_order_detail(order.id)["onec_status"],
                             "В пути")
            self.authenticate(self.buyer.login, self.buyer.login)
            page = self.url_open("/b2b/orders/%d" % order.id, timeout=120)
            self.assertEqual(page.status_code, 200)
            shown = lxml.html.fromstring(page.text).xpath(
                "//dd[contains(@class, 'o_b2b_order_onec_status')]")
            self.assertEqual([dd.text_content().strip() for dd in shown], ["В пути"])
        # once the supplier maps the status, the same file moves the order on, without warning
        self.xenv["b2b.onec.order.status"].create({"name": "в  пути", "state": "sale"})
        self.commit()
        self.client().exchange([("orders.xml", data)], exchange_type="sale")
        again = self.files(name="orders.xml").sorted("id")[-1]
        self.assertEqual((again.records_updated, again.records_skipped), (1, 0))
        self.xenv["sale.order"].invalidate_cache()
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.b2b_onec_status_unmapped)

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
