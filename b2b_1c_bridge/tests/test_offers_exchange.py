"""Offers, prices and rests over real HTTP with the 1C stand-in, as real 1C configurations send
them: offers of goods the catalog does not know, unknown price types and currencies, numbers that
are not numbers and prices left empty ("price on request") are each skipped or applied on their
own, with a located warning, and the rest of the file lands."""
from .test_catalog_exchange import LARGE, NEW_TYPE, P_MIX, P_PIPE, P_SINK, RRP, CatalogCase

YUAN_TYPE = "9e0f0000-0000-4000-8000-0000000000cc"
FILTERED = "prod-0099-filtered-out"      # goods 1C left out of the catalog it sent


def price(type_id, value, currency="руб"):
    """A Цена; ``value`` None: written as 1C writes an empty price, <ЦенаЗаЕдиницу/>."""
    amount = "<ЦенаЗаЕдиницу/>" if value is None else "<ЦенаЗаЕдиницу>%s</ЦенаЗаЕдиницу>" % value
    return "<Цена><ИдТипаЦены>%s</ИдТипаЦены>%s<Валюта>%s</Валюта></Цена>" % (
        type_id, amount, currency)


def offer(product_id, prices=(), extra=""):
    return "<Предложение><Ид>%s</Ид><Цены>%s</Цены>%s</Предложение>" % (
        product_id, "".join(prices), extra)


def document(offers, types="", changes_only=True):
    """An offers file, one offer a line (the tests find their lines by their text)."""
    return ("""<?xml version="1.0" encoding="UTF-8"?>
<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" ВерсияСхемы="2.08">
  <ПакетПредложений СодержитТолькоИзменения="%s"><Ид>cat-1#</Ид>
    <ТипыЦен>%s</ТипыЦен>
    <Предложения>
%s
    </Предложения>
  </ПакетПредложений>
</КоммерческаяИнформация>
""" % ("true" if changes_only else "false", types, "\n".join(offers))).encode("utf-8")


def line_of(data, text):
    return data.decode("utf-8").split(text)[0].count("\n") + 1


class OffersCase(CatalogCase):

    def setUp(self):
        super().setUp()
        self.client().exchange(self.package)
        self.commit()

    def prices(self):
        return {(goods, kind): value for goods, kind, value, _date in self.price_rows()}

    def warnings(self, exchange_file):
        return [(w.line, w.element, w.message) for w in self.xenv["b2b.onec.exchange.warning"]
                .search([("file_id", "=", exchange_file.id)], order="line, id")]

    def import_answer(self, answers, name):
        return [a for a in answers if a.mode == "import" and a.filename == name][-1]


class TestOffersRecordByRecord(OffersCase):

    def test_unknown_goods_types_and_currencies_are_skipped_and_warned_the_rest_lands(self):
        before = self.prices()
        yuan = ("<ТипЦены><Ид>%s</Ид><Наименование>Юани</Наименование><Валюта>ЮАНЬ</Валюта>"
                "</ТипЦены>" % YUAN_TYPE)
        data = document(types=yuan, offers=[
            offer(FILTERED, [price(LARGE, "500")], "<Количество>3</Количество>"),
            offer(P_MIX, [price(LARGE, "1 050,00"), price(YUAN_TYPE, "77")],
                  "<Количество>0</Количество>"),
            offer(P_SINK, [price("type-nobody-knows", "5"), price(RRP, "2 950", "XYZ"),
                           price(LARGE, "2100")]),
            offer(P_PIPE, [price(LARGE, "не число"), price(RRP, "210")],
                  "<Количество>много</Количество>"),
        ])
        answers = self.client().exchange([("prices___1.xml", data)])
        answer = self.import_answer(answers, "prices___1.xml")
        self.assertEqual(answer.verdict, "success", "never a refusal of the file")
        exchange_file = self.imported("prices___1.xml")
        self.assertEqual(exchange_file.state, "imported")
        self.assertEqual(self.warnings(exchange_file), [
            (line_of(data, "ЮАНЬ"), "ТипЦены/Валюта",
             "prices___1.xml, line %d, ТипЦены/Валюта: the currency ЮАНЬ is not known."
             % line_of(data, "ЮАНЬ")),
            (line_of(data, FILTERED), "Предложение/Ид",
             "prices___1.xml, line %d, Предложение/Ид: the product %s is not in the catalog; "
             "import its goods file first." % (line_of(data, FILTERED), FILTERED)),
            (line_of(data, "type-nobody-knows"), "Цена/ИдТипаЦены",
             "prices___1.xml, line %d, Цена/ИдТипаЦены: the price type type-nobody-knows is "
             "neither in this file nor imported before." % line_of(data, "type-nobody-knows")),
            (line_of(data, "XYZ"), "Цена/Валюта",
             "prices___1.xml, line %d, Цена/Валюта: the currency XYZ is not known."
             % line_of(data, "XYZ")),
            (line_of(data, "не число"), "Цена/ЦенаЗаЕдиницу",
             "prices___1.xml, line %d, Цена/ЦенаЗаЕдиницу: не число is not a number."
             % line_of(data, "не число")),
            (line_of(data, "много"), "Предложение/Количество",
             "prices___1.xml, line %d, Предложение/Количество: много is not a number."
             % line_of(data, "много")),
        ], "the yuan type's own prices are not warned again: its type's warning says why")
        self.assertEqual(exchange_file.records_skipped, 6)
        self.assertIn("6 records skipped", answer.lines[0])
        ru = self.xenv["b2b.onec.exchange.warning"].search(
            [("file_id", "=", exchange_file.id), ("element", "=", "Предложение/Ид")]).message_ru
        self.assertEqual(ru, "prices___1.xml, строка %d, Предложение/Ид: товара %s нет в "
                         "каталоге; сначала загрузите файл с товарами."
                         % (line_of(data, FILTERED), FILTERED))

        # what was usable landed; what was not left everything as it was
        now = self.prices()
        self.assertEqual(now[(P_MIX, LARGE)], 1050.0)
        self.assertEqual(now[(P_SINK, LARGE)], 2100.0)
        self.assertEqual(now[(P_SINK, RRP)], before[(P_SINK, RRP)], "the XYZ price is skipped")
        self.assertEqual(now[(P_PIPE, LARGE)], before[(P_PIPE, LARGE)])
        self.assertEqual(now[(P_PIPE, RRP)], 210.0, "the offer's good price is imported")
        self.assertEqual(len(now), len(before), "no price of the skipped yuan type, none of "
                         "the filtered goods")
        self.assertFalse(self.xenv["b2b.price.type"].search([("b2b_onec_id", "=", YUAN_TYPE)]))
        self.assertFalse(self.xenv["product.template"].search([("b2b_onec_id", "=", FILTERED)]))
        goods = self.by_id()
        self.assertEqual(goods[P_MIX].b2b_availability, "on_order", "Количество 0")
        self.assertEqual(goods[P_PIPE].b2b_availability, "in_stock",
                         "a quantity that is not a number leaves the stock as it was")
        self.assertEqual((exchange_file.records_created, exchange_file.records_updated),
                         (0, 2 + 1 + 1), "the mixer's, the sink's and the pipe's offers, the "
                         "mixer's stock flag")

    def test_an_empty_price_removes_the_price_of_that_type_and_creates_none(self):
        before = self.prices()
        self.assertIn((P_MIX, LARGE), before)
        self.assertNotIn((P_SINK, NEW_TYPE), before)
        data = document([
            offer(P_MIX, [price(LARGE, None), price(RRP, "1500")]),
            offer(P_SINK, [price(NEW_TYPE, None),
                           "<Цена><ИдТипаЦены>%s</ИдТипаЦены><Валюта>руб</Валюта></Цена>" % RRP]),
        ])
        answers = self.client().exchange([("offers.xml", data)])
        self.assertEqual(self.import_answer(answers, "offers.xml").verdict, "success")
        exchange_file = self.imported("offers.xml")
        self.assertEqual(self.warnings(exchange_file), [], "a price on request is no problem")
        now = self.prices()
        self.assertNotIn((P_MIX, LARGE), now, "never 0: the price of that type is gone")
        self.assertEqual(now[(P_MIX, RRP)], 1500.0)
        self.assertNotIn((P_SINK, NEW_TYPE), now, "none is created")
        self.assertNotIn((P_SINK, RRP), now, "a Цена without ЦенаЗаЕдиницу: on request too")
        self.assertEqual(now[(P_SINK, LARGE)], before[(P_SINK, LARGE)])
        self.assertEqual({k: v for k, v in now.items() if k[0] == P_PIPE},
                         {k: v for k, v in before.items() if k[0] == P_PIPE},
                         "goods the changes-only file does not name are untouched")
        self.assertEqual((exchange_file.records_created, exchange_file.records_updated,
                          exchange_file.records_unchanged), (0, 2, 0))

        # what Альфа (Крупный опт) sees: the mixer without a price, the RRP still there
        contract = self.xenv.ref("b2b_base.demo_contract_alfa_main")
        goods = self.by_id()
        mixer = contract._b2b_offers([goods[P_MIX].product_variant_id.id])[
            goods[P_MIX].product_variant_id.id]
        self.assertEqual((mixer.price, mixer.rrp), (None, 1500.0))

        # 1C gives the price again: it comes back; the same file twice changes nothing
        again = document([offer(P_MIX, [price(LARGE, "990")])])
        self.client().exchange([("offers.xml", again)])
        self.assertEqual(self.prices()[(P_MIX, LARGE)], 990.0)
        self.client().exchange([("offers.xml", data)])
        self.client().exchange([("offers.xml", data)])
        repeated = self.imported("offers.xml")
        self.assertEqual((repeated.records_created, repeated.records_updated,
                          repeated.records_unchanged), (0, 0, 2))
        self.assertNotIn((P_MIX, LARGE), self.prices())


def stores(*pairs):
    return "".join('<Склад ИдСклада="%s" КоличествоНаСкладе="%s"/>' % pair for pair in pairs)


WAREHOUSES = ("<Склады><Склад><Ид>s-msk</Ид><Наименование>Москва</Наименование></Склад>"
              "<Склад><Ид>s-ekb</Ид><Наименование>Екатеринбург</Наименование></Склад></Склады>")


class TestOffersStock(OffersCase):

    def stock(self):
        """{(product 1C id, warehouse name or None): quantity} of the package's goods."""
        self.xenv.cr.execute("""SELECT t.b2b_onec_id, w.name, s.quantity::float8
                                  FROM b2b_product_stock s
                                  JOIN product_product pp ON pp.id = s.product_id
                                  JOIN product_template t ON t.id = pp.product_tmpl_id
                             LEFT JOIN b2b_warehouse w ON w.id = s.warehouse_id
                                 WHERE t.b2b_onec_id IS NOT NULL""")
        return {(row[0], row[1]): row[2] for row in self.xenv.cr.fetchall()}

    def availability(self):
        goods = self.by_id()
        return {key: goods[key].b2b_availability for key in (P_MIX, P_SINK, P_PIPE)}

    def test_stock_per_warehouse_lands_and_sums_into_the_availability(self):
        self.assertEqual(self.stock(), {(P_MIX, None): 12.0, (P_SINK, None): 0.0,
                                        (P_PIPE, None): 40.0},
                         "a plain Количество is the product's total, without a warehouse")
        rests = ("""<?xml version="1.0" encoding="UTF-8"?>
<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" ВерсияСхемы="2.10">
  <ПакетПредложений СодержитТолькоИзменения="true"><Ид>cat-1#</Ид>
    %s
    <Предложения>
      <Предложение><Ид>%s</Ид>%s</Предложение>
      <Предложение><Ид>%s</Ид><Остатки><Остаток><Склад><Ид>s-ekb</Ид><Количество>7</Количество></Склад></Остаток></Остатки></Предложение>
      <Предложение><Ид>%s</Ид><Количество>0</Количество></Предложение>
      <Предложение><Ид>%s</Ид>%s</Предложение>
    </Предложения>
  </ПакетПредложений>
</КоммерческаяИнформация>
""" % (WAREHOUSES, P_MIX, stores(("s-msk", "3"), ("s-ekb", "0")), P_SINK, P_PIPE, FILTERED,
       stores(("s-msk", "5")))).encode("utf-8")
        answers = self.client().exchange([("rests___1.xml", rests)])
        self.assertEqual(self.import_answer(answers, "rests___1.xml").verdict, "success")
        exchange_file = self.imported("rests___1.xml")
        self.assertEqual(self.warnings(exchange_file), [
            (line_of(rests, FILTERED), "Предложение/Ид",
             "rests___1.xml, line %d, Предложение/Ид: the product %s is not in the catalog; "
             "import its goods file first." % (line_of(rests, FILTERED), FILTERED))])
        Warehouse = self.xenv["b2b.warehouse"]
        self.assertEqual(sorted(Warehouse.search([]).mapped(lambda w: (w.b2b_onec_id, w.name))),
                         [("s-ekb", "Екатеринбург"), ("s-msk", "Москва")])
        self.assertEqual(self.stock(), {
            (P_MIX, "Москва"): 3.0, (P_MIX, "Екатеринбург"): 0.0,
            (P_SINK, "Екатеринбург"): 7.0, (P_PIPE, None): 0.0})
        self.assertEqual(self.availability(),
                         {P_MIX: "in_stock", P_SINK: "in_stock", P_PIPE: "on_order"},
                         "summed over the warehouses; Количество 0 is on order")
        self.assertEqual((exchange_file.records_created, exchange_file.records_updated,
                          exchange_file.records_unchanged), (2, 2, 3 + 1),
                         "two warehouses; the sink's and the pipe's flags; three offers without "
                         "prices and the mixer's flag as they were")

        # no quantity at all: the stock stays; a warehouse only named by its id is created
        # under it, and Склады later gives its name; the mixer is out of stock everywhere
        later = document([
            offer(P_PIPE, [price(LARGE, "151")]),
            offer(P_MIX, extra=stores(("s-msk", "0"), ("s-spb", "0"))),
            offer(P_SINK, extra="<Количество>2</Количество>"),
        ])
        self.client().exchange([("offers.xml", later)])
        self.assertEqual(self.stock(), {
            (P_MIX, "Москва"): 0.0, (P_MIX, "s-spb"): 0.0, (P_SINK, None): 2.0,
            (P_PIPE, None): 0.0}, "the offer's warehouses replace the product's stock")
        self.assertEqual(self.availability(),
                         {P_MIX: "on_order", P_SINK: "in_stock", P_PIPE: "on_order"})
        named = document([], types="").replace(
            "<ТипыЦен></ТипыЦен>".encode(), ("<Склады><Склад><Ид>s-spb</Ид><Наименование>"
                                              "Санкт-Петербург</Наименование></Склад></Склады>")
            .encode())
        self.client().exchange([("offers.xml", named)])
        self.assertEqual(Warehouse.search([("b2b_onec_id", "=", "s-spb")]).name,
                         "Санкт-Петербург")
        self.assertEqual(self.imported("offers.xml").records_updated, 1)

        # the same rests twice: nothing changes
        self.client().exchange([("rests___1.xml", rests)])
        self.commit()
        self.xenv.cr.execute("SELECT max(write_date) FROM b2b_product_stock")
        stamp = self.xenv.cr.fetchone()[0]
        self.client().exchange([("rests___1.xml", rests)])
        again = self.imported("rests___1.xml")
        self.assertEqual((again.records_created, again.records_updated), (0, 0))
        self.xenv.cr.execute("SELECT max(write_date) FROM b2b_product_stock")
        self.assertEqual(self.xenv.cr.fetchone()[0], stamp)
