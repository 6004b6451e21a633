"""The catalog over real HTTP with the 1C stand-in: goods, groups, prices and stock reach the
database and a dealer's offers; the same package twice changes nothing; a changes-only package
changes only what it names; a record that cannot be used is skipped and warned while the rest of
its file is imported, and the supplier's strict setting refuses such a file whole."""
import base64
import io
import os

from odoo.tools import mute_logger

from .common import CONTROLLER_LOGGER, ExchangeCase, onec

RRP = "a1b2c3d4-0000-4000-8000-000000000004"       # the demo price types' 1C ids
LARGE = "a1b2c3d4-0000-4000-8000-000000000002"      # «Крупный опт», Альфа's main contract
NEW_TYPE = "9e0f0000-0000-4000-8000-0000000000aa"

G_ROOT, G_MIX, G_SINK = "grp-plumbing", "grp-mixers", "grp-sinks"
P_MIX, P_SINK, P_PIPE = ("prod-0001-mixer", "prod-0002-sink", "prod-0003-pipe")


def png():
    from PIL import Image
    buf = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()


# the goods' properties, on one line so that the goods keep their line numbers
PROPERTIES = ("<Свойства><Свойство><Ид>colour</Ид><Наименование>Цвет</Наименование>"
              "<ТипЗначений>Справочник</ТипЗначений><ВариантыЗначений><Справочник>"
              "<ИдЗначения>val-chrome</ИдЗначения><Значение>хром</Значение></Справочник>"
              "<Справочник><ИдЗначения>val-white</ИдЗначения><Значение>белый</Значение>"
              "</Справочник></ВариантыЗначений></Свойство><Свойство><Ид>country</Ид>"
              "<Наименование>Страна</Наименование><ТипЗначений>Строка</ТипЗначений></Свойство>"
              "</Свойства>")


# the package's goods: the mixer, the sink, the pipe
GOODS = [
    """<Товар><Ид>%s</Ид><Артикул>CAT-MIX-1</Артикул><Наименование>Смеситель каталожный</Наименование>
             <БазоваяЕдиница Код="796" НаименованиеПолное="Штука" МеждународноеСокращение="PCE">шт</БазоваяЕдиница>
             <Группы><Ид>%s</Ид></Группы><Описание>Для кухни, хром</Описание>
             <Картинка>import_files/mi/mixer.png</Картинка>
             <ЗначенияСвойств><ЗначенияСвойства><Ид>colour</Ид><Значение>val-chrome</Значение></ЗначенияСвойства><ЗначенияСвойства><Ид>country</Ид><Значение>Италия</Значение></ЗначенияСвойства></ЗначенияСвойств>
           </Товар>""" % (P_MIX, G_MIX),
    """<Товар><Ид>%s</Ид><Артикул>CAT-SNK-1</Артикул><Наименование>Раковина каталожная</Наименование>
             <БазоваяЕдиница Код="796">шт</БазоваяЕдиница><Группы><Ид>%s</Ид></Группы></Товар>""" % (P_SINK, G_SINK),
    """<Товар><Ид>%s</Ид><Артикул>CAT-PIPE-1</Артикул><Наименование>Труба каталожная</Наименование>
             <БазоваяЕдиница Код="006" НаименованиеПолное="Метр">м</БазоваяЕдиница><Группы><Ид>%s</Ид></Группы></Товар>""" % (P_PIPE, G_ROOT),
]


def import_xml(goods=None, changes_only=False, version="2.08", properties=None):
    goods = goods if goods is not None else GOODS
    return ("""<?xml version="1.0" encoding="UTF-8"?>
<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" ВерсияСхемы="%s" ДатаФормирования="2024-05-01T10:00:00">
  <Классификатор><Ид>cls-1</Ид><Наименование>Классификатор</Наименование>
    <Группы>
      <Группа><Ид>%s</Ид><Наименование>Сантехника (1С)</Наименование>
        <Группы>
          <Группа><Ид>%s</Ид><Наименование>Смесители (1С)</Наименование></Группа>
          <Группа><Ид>%s</Ид><Наименование>Раковины (1С)</Наименование></Группа>
        </Группы>
      </Группа>
    </Группы>%s
  </Классификатор>
  <Каталог СодержитТолькоИзменения="%s"><Ид>cat-1</Ид><ИдКлассификатора>cls-1</ИдКлассификатора>
    <Товары>%s</Товары>
  </Каталог>
</КоммерческаяИнформация>
""" % (version, G_ROOT, G_MIX, G_SINK, PROPERTIES if properties is None else properties,
       "true" if changes_only else "false", "\n".join(goods))).encode("utf-8")


def line_of(data, text):
    """The line of ``data`` (bytes of a file) where ``text`` first appears."""
    head = data.decode("utf-8").split(text)[0]
    return head.count("\n") + 1


def offer(product_id, prices, quantity=None):
    price_xml = "".join("<Цена><ИдТипаЦены>%s</ИдТипаЦены><ЦенаЗаЕдиницу>%s</ЦенаЗаЕдиницу>"
                        "<Валюта>руб</Валюта></Цена>" % item for item in prices)
    qty = "<Количество>%s</Количество>" % quantity if quantity is not None else ""
    return "<Предложение><Ид>%s</Ид><Цены>%s</Цены>%s</Предложение>" % (product_id, price_xml, qty)


FULL_OFFERS = [
    offer(P_MIX, [(LARGE, "1000.50"), (RRP, "1500"), (NEW_TYPE, "900")], 12),
    offer(P_SINK, [(LARGE, "2000"), (RRP, "2800")], 0),
    offer(P_PIPE, [(LARGE, "150,25"), (RRP, "200")], 40),
]


def offers_xml(offers=None, changes_only=False, version="2.08"):
    return ("""<?xml version="1.0" encoding="UTF-8"?>
<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" ВерсияСхемы="%s">
  <ПакетПредложений СодержитТолькоИзменения="%s"><Ид>cat-1#</Ид>
    <ТипыЦен>
      <ТипЦены><Ид>%s</Ид><Наименование>Крупный опт</Наименование><Валюта>руб</Валюта></ТипЦены>
      <ТипЦены><Ид>%s</Ид><Наименование>РРЦ</Наименование><Валюта>руб</Валюта></ТипЦены>
      <ТипЦены><Ид>%s</Ид><Наименование>Мелкий опт (1С)</Наименование><Валюта>RUB</Валюта></ТипЦены>
    </ТипыЦен>
    <Предложения>%s</Предложения>
  </ПакетПредложений>
</КоммерческаяИнформация>
""" % (version, "true" if changes_only else "false", LARGE, RRP, NEW_TYPE,
       "\n".join(FULL_OFFERS if offers is None else offers))).encode("utf-8")


class CatalogCase(ExchangeCase):

    def setUp(self):
        super().setUp()
        self.image = png()
        self.package = [("import.xml", import_xml()), ("offers.xml", offers_xml()),
                        ("import_files/mi/mixer.png", self.image)]

    def templates(self):
        self.refresh()
        return self.xenv["product.template"].with_context(active_test=False).search(
            [("b2b_onec_id", "in", [P_MIX, P_SINK, P_PIPE])])

    def by_id(self):
        return {t.b2b_onec_id: t for t in self.templates()}

    def imported(self, name):
        """The last imported copy of ``name``."""
        return self.files(name=name).sorted("id")[-1]

    def refused(self, files):
        with mute_logger(CONTROLLER_LOGGER), self.assertRaises(onec.ExchangeStopped) as stop:
            self.client().exchange(files)
        return stop.exception.answer

    def price_rows(self):
        self.xenv.cr.execute("""SELECT t.b2b_onec_id, pt.b2b_onec_id, p.price::float8, p.write_date
                                  FROM b2b_price p JOIN b2b_price_type pt ON pt.id = p.price_type_id
                                  JOIN product_product pp ON pp.id = p.product_id
                                  JOIN product_template t ON t.id = pp.product_tmpl_id
                                 WHERE t.b2b_onec_id IS NOT NULL ORDER BY 1, 2""")
        return self.xenv.cr.fetchall()


class TestCatalogExchange(CatalogCase):

    def test_full_catalog_zipped_in_chunks_reaches_goods_prices_and_dealer_offers(self):
        contract = self.xenv.ref("b2b_base.demo_contract_alfa_main")
        before = contract._b2b_offers()         # the whole-catalog tables are now cached
        self.set_param("file_limit", 1024)
        client = self.client()
        # a picture 1C sends along (not named by any product): it does not compress, so the
        # archive is larger than file_limit whatever the XML compresses to
        answers = client.exchange(self.package + [("import_files/00/extra.jpg", os.urandom(4096))],
                                  zip_name="catalog.zip")
        self.assertTrue(client.zip)
        self.assertGreater(len([a for a in answers if a.mode == "file"]), 1,
                           "the archive travels in chunks below file_limit")
        self.assertEqual([(a.filename, a.verdict) for a in answers if a.mode == "import"],
                         [("import.xml", "success"), ("offers.xml", "success")])

        # groups under the one "1C" category, nested as in 1C
        Category = self.xenv["product.category"]
        root = Category.search([("b2b_onec_id", "=", "1C")])
        plumbing, mixers, sinks = (Category.search([("b2b_onec_id", "=", g)])
                                   for g in (G_ROOT, G_MIX, G_SINK))
        self.assertEqual((plumbing.parent_id, mixers.parent_id, sinks.parent_id),
                         (root, plumbing, plumbing))
        self.assertEqual(mixers.complete_name, "1C / Сантехника (1С) / Смесители (1С)")

        goods = self.by_id()
        mixer, sink, pipe = goods[P_MIX], goods[P_SINK], goods[P_PIPE]
        self.assertEqual((mixer.default_code, mixer.name, mixer.categ_id, mixer.uom_id),
                         ("CAT-MIX-1", "Смеситель каталожный", mixers,
                          self.xenv.ref("product.product_uom_unit")))
        self.assertEqual(mixer.with_context(lang="ru_RU").name, "Смеситель каталожный")
        self.assertEqual(mixer.description, "Для кухни, хром")
        self.assertEqual(pipe.uom_id, self.xenv.ref("product.product_uom_meter"))
        self.assertEqual(pipe.categ_id, plumbing)
        self.assertEqual(len(mixer.product_variant_ids), 1)
        self.assertEqual(mixer.product_variant_ids.default_code, "CAT-MIX-1")
        self.assertTrue(mixer.image, "the picture from the archive")
        self.assertFalse(sink.image)
        self.assertEqual((mixer.b2b_availability, sink.b2b_availability, pipe.b2b_availability),
                         ("in_stock", "on_order", "in_stock"))

        new_type = self.xenv["b2b.price.type"].search([("b2b_onec_id", "=", NEW_TYPE)])
        self.assertEqual((new_type.name, new_type.currency_id.name), ("Мелкий опт (1С)", "RUB"))
        self.assertEqual(sorted(row[:3] for row in self.price_rows()), sorted([
            (P_MIX, LARGE, 1000.5), (P_MIX, RRP, 1500.0), (P_MIX, NEW_TYPE, 900.0),
            (P_SINK, LARGE, 2000.0), (P_SINK, RRP, 2800.0),
            (P_PIPE, LARGE, 150.25), (P_PIPE, RRP, 200.0)]))

        # what Альфа sees: its price type, the RRP, availability, on a page and in the whole
        # catalog (whose cached tables were renewed by the import)
        ids = [goods[p].product_variant_id.id for p in (P_MIX, P_SINK, P_PIPE)]
        for offers in (contract._b2b_offers(ids), contract._b2b_offers()):
            self.assertEqual([(offers[i].sku, offers[i].price, offers[i].rrp, offers[i].availability)
                              for i in ids], [
                ("CAT-MIX-1", 1000.5, 1500.0, "in_stock"), ("CAT-SNK-1", 2000.0, 2800.0, "on_order"),
                ("CAT-PIPE-1", 150.25, 200.0, "in_stock")])
        self.assertEqual(len(contract._b2b_offers()), len(before) + 3)

        catalog, offers_file = self.imported("import.xml"), self.imported("offers.xml")
        self.assertEqual((catalog.state, catalog.records_created, catalog.records_updated),
                         ("imported", 3 + 3 + 2 + 2, 0),
                         "3 groups, 3 goods, 2 properties and the mixer's 2 values")
        self.assertEqual([(v.property_id.name, v.value)
                          for v in goods[P_MIX].b2b_property_value_ids],
                         [("Цвет", "хром"), ("Страна", "Италия")])
        self.assertFalse(goods[P_SINK].b2b_property_value_ids)
        self.assertEqual((offers_file.records_created, offers_file.records_updated,
                          offers_file.records_unchanged), (1 + 3, 1, 2 + 2),
                         "a new price type, three offers; the sink's stock flag; two known price "
                         "types and two stock flags as they were")

    def test_second_run_of_the_same_package_changes_nothing(self):
        self.client().exchange(self.package)
        self.commit()
        self.xenv.cr.execute("SELECT max(write_date) FROM product_template WHERE b2b_onec_id IS NOT NULL")
        stamp = self.xenv.cr.fetchone()[0]
        prices = self.price_rows()
        image = self.by_id()[P_MIX].image

        self.client().exchange(self.package)
        catalog, offers_file = self.imported("import.xml"), self.imported("offers.xml")
        self.assertEqual((catalog.records_created, catalog.records_updated, catalog.records_unchanged),
                         (0, 0, 3 + 3 + 2 + 2))
        self.assertEqual((offers_file.records_created, offers_file.records_updated,
                          offers_file.records_unchanged), (0, 0, 3 + 3 + 3))
        self.xenv.cr.execute("SELECT max(write_date) FROM product_template WHERE b2b_onec_id IS NOT NULL")
        self.assertEqual(self.xenv.cr.fetchone()[0], stamp, "no product written again")
        self.assertEqual(self.price_rows(), prices, "no price written again")
        self.assertEqual(self.by_id()[P_MIX].image, image)
        self.assertEqual(len(self.templates()), 3)

    def test_deactivate_archives_the_goods_a_full_catalog_left_out_when_the_supplier_says_so(self):
        """1C's deactivate call after a full exchange: off by default; when set, the goods from
        1C that no catalog file of the exchange listed are archived (their variants too),
        never after a changes-only exchange, never goods made in Odoo; listed again, a product
        is active again."""
        client = self.client()
        client.exchange(self.package)
        own = self.xenv["product.product"].create({"name": "Товар портала", "default_code": "OWN-1"})
        self.commit()
        self.assertEqual(client.deactivate().verdict, "success")
        self.assertEqual({k: t.active for k, t in self.by_id().items()},
                         {P_MIX: True, P_SINK: True, P_PIPE: True}, "off by default")

        self.set_param("deactivate_missing", "yes")
        # the catalog in two files of one exchange (1C splits big ones): the pipe in neither
        client = self.client()
        client.exchange([("import0_1.xml", import_xml(goods=GOODS[:1])),
                         ("import0_2.xml", import_xml(goods=GOODS[1:2]))])
        self.assertEqual(client.deactivate().verdict, "success")
        goods = self.by_id()
        self.assertEqual({k: t.active for k, t in goods.items()},
                         {P_MIX: True, P_SINK: True, P_PIPE: False})
        self.assertFalse(goods[P_PIPE].with_context(active_test=False).product_variant_ids.active)
        self.assertTrue(own.active, "goods made in Odoo are not 1C's to archive")
        self.assertIn("1 goods the full catalog left out archived", self.sessions().sorted("id")[-1].log)

        # a changes-only exchange archives nothing
        client = self.client()
        client.exchange([("import.xml", import_xml(changes_only=True, goods=GOODS[:1]))])
        client.deactivate()
        self.assertEqual({k: t.active for k, t in self.by_id().items()},
                         {P_MIX: True, P_SINK: True, P_PIPE: False})
        self.assertIn("no full catalog", self.sessions().sorted("id")[-1].log)

        # the full package again: the pipe is back, with its variant, in the dealers' catalog
        client = self.client()
        client.exchange(self.package)
        client.deactivate()
        goods = self.by_id()
        self.assertTrue(all(t.active for t in goods.values()))
        self.assertTrue(goods[P_PIPE].product_variant_ids.active)
        contract = self.xenv.ref("b2b_base.demo_contract_alfa_main")
        self.assertIn(goods[P_PIPE].product_variant_id.id, contract._b2b_offers())

    def test_changes_only_package_changes_only_what_it_names(self):
        self.client().exchange(self.package)
        self.commit()
        prices = {row[:2]: row for row in self.price_rows()}
        sink_stamp = self.by_id()[P_SINK].write_date
        changes = [
            ("import.xml", import_xml(changes_only=True, version="2.10", goods=[
                """<Товар><Ид>%s</Ид><Артикул>CAT-MIX-2</Артикул><Наименование>Смеситель новый</Наименование>
                     <БазоваяЕдиница Код="796">шт</БазоваяЕдиница><Группы><Ид>%s</Ид></Группы>
                     <Описание>Для кухни, хром</Описание></Товар>""" % (P_MIX, G_MIX),
                """<Товар Статус="Удален"><Ид>%s</Ид><Артикул>CAT-PIPE-1</Артикул><Наименование>Труба каталожная</Наименование>
                     <БазоваяЕдиница Код="006">м</БазоваяЕдиница><Группы><Ид>%s</Ид></Группы></Товар>""" % (P_PIPE, G_ROOT),
            ])),
            ("rests.xml", offers_xml(changes_only=True, offers=[offer(P_SINK, [], 5)])),
            ("prices.xml", offers_xml(changes_only=True, offers=[offer(P_MIX, [(LARGE, "1100")])])),
        ]
        answers = self.client().exchange(changes)
        self.assertEqual([(a.filename, a.verdict) for a in answers if a.mode == "import"],
                         [("import.xml", "success"), ("prices.xml", "success"),
                          ("rests.xml", "success")])
        catalog = self.imported("import.xml")
        self.assertEqual((catalog.records_created, catalog.records_updated), (0, 2))
        self.assertIn("changes only", catalog.message)
        goods = self.by_id()
        self.assertEqual((goods[P_MIX].name, goods[P_MIX].product_variant_ids.default_code),
                         ("Смеситель новый", "CAT-MIX-2"))
        self.assertFalse(goods[P_PIPE].active, "marked deleted in 1C: archived")
        self.assertFalse(goods[P_PIPE].product_variant_ids.active)
        self.assertEqual(goods[P_SINK].b2b_availability, "in_stock")
        self.assertEqual(goods[P_SINK].name, "Раковина каталожная")
        rests = self.imported("rests.xml")
        self.assertEqual((rests.records_updated, rests.records_unchanged), (1, 3 + 1),
                         "stock only: the sink's flag changed; price types and the offer's "
                         "(absent) prices did not")
        now = {row[:2]: row for row in self.price_rows()}
        changed = [key for key in now if now[key] != prices[key]]
        self.assertEqual(changed, [(P_MIX, LARGE)])
        self.assertEqual(now[(P_MIX, LARGE)][2], 1100.0)
        contract = self.xenv.ref("b2b_base.demo_contract_alfa_main")
        offers = contract._b2b_offers()
        self.assertNotIn(goods[P_PIPE].with_context(active_test=False).product_variant_ids.id,
                         offers, "archived goods leave the dealers' catalog")
        self.assertEqual(offers[goods[P_SINK].product_variant_id.id].availability, "in_stock")
        self.assertEqual(offers[goods[P_MIX].product_variant_id.id].price, 1100.0)


class TestCatalogRefusals(CatalogCase):

    def warnings(self, exchange_file):
        return [(w.line, w.element, w.message) for w in exchange_file.warning_ids.sorted("id")]

    def test_malformed_prices_are_skipped_and_warned_and_the_rest_of_the_file_lands(self):
        self.client().exchange(self.package)
        self.commit()
        bad = offers_xml(offers=[
            offer(P_MIX, [(LARGE, "1111")], 3),
            offer(P_SINK, [(LARGE, "12,3,4"), (RRP, "2900")], 1),
        ] + ["""<Предложение><Ид>%s</Ид><Цены><Цена><ИдТипаЦены>nobody-knows</ИдТипаЦены>
                <ЦенаЗаЕдиницу>5</ЦенаЗаЕдиницу></Цена></Цены></Предложение>""" % P_PIPE])
        answers = self.client().exchange([("offers.xml", bad)])
        answer = [a for a in answers if a.mode == "import"][-1]
        self.assertEqual(answer.verdict, "success")
        self.assertIn("2 records skipped", answer.lines[0])
        offers = self.imported("offers.xml")
        self.assertEqual(offers.state, "imported")
        self.assertEqual(offers.records_skipped, 2)
        self.assertEqual(self.warnings(offers), [
            (line_of(bad, "12,3,4"), "Цена/ЦенаЗаЕдиницу",
             "offers.xml, line %d, Цена/ЦенаЗаЕдиницу: 12,3,4 is not a number."
             % line_of(bad, "12,3,4")),
            (line_of(bad, "nobody-knows"), "Цена/ИдТипаЦены",
             "offers.xml, line %d, Цена/ИдТипаЦены: the price type nobody-knows is neither in "
             "this file nor imported before." % line_of(bad, "nobody-knows"))])
        self.assertIn("не число", offers.warning_ids[0].message_ru)
        prices = {(goods, kind): value for goods, kind, value, _date in self.price_rows()}
        self.assertEqual(prices[(P_MIX, LARGE)], 1111.0, "the good offer is imported")
        self.assertEqual(prices[(P_SINK, LARGE)], 2000.0, "the bad price is left as it was")
        self.assertEqual(prices[(P_SINK, RRP)], 2900.0, "the offer's other price is imported")
        self.assertEqual(self.by_id()[P_SINK].b2b_availability, "in_stock")
        session = offers.session_id
        self.assertEqual(session.records_skipped, 2)
        download = session.action_download_warnings()
        attachment = self.xenv["ir.attachment"].browse(int(
            download["url"].split("/web/content/")[1].split("?")[0]))
        text = base64.b64decode(attachment.datas).decode("utf-8-sig")
        self.assertIn("offers.xml;%d;Цена/ЦенаЗаЕдиницу;" % line_of(bad, "12,3,4"), text)
        self.assertIn("не число", text)

    def test_strict_setting_refuses_the_file_whole_and_writes_nothing(self):
        self.client().exchange(self.package)
        self.commit()
        prices = self.price_rows()
        self.set_param("strict", "yes")
        bad = offers_xml(offers=[
            offer(P_MIX, [(LARGE, "1111")], 3),
            offer(P_SINK, [(LARGE, "12,3,4")], 1),
        ] + ["""<Предложение><Ид>%s</Ид><Цены><Цена><ИдТипаЦены>nobody-knows</ИдТипаЦены>
                <ЦенаЗаЕдиницу>5</ЦенаЗаЕдиницу></Цена></Цены></Предложение>""" % P_PIPE])
        answer = self.refused([("offers.xml", bad)])
        self.assertEqual(answer.verdict, "failure")
        self.assertEqual(answer.lines[0],
                         "offers.xml, line %d, Цена/ЦенаЗаЕдиницу: 12,3,4 is not a number. "
                         "Other problems in this file: 1. Nothing was imported."
                         % line_of(bad, "12,3,4"))
        self.assertEqual(self.price_rows(), prices, "the good offer before it is not written")
        self.assertEqual(self.by_id()[P_SINK].b2b_availability, "on_order")
        refused = self.imported("offers.xml")
        self.assertEqual(refused.state, "failed")
        self.assertFalse(refused.warning_ids, "a refused file leaves no warnings, its reason says")

    def test_goods_without_name_or_with_unknown_references_and_the_rest_land(self):
        self.client().exchange([("import.xml", import_xml())])
        self.commit()
        goods = import_xml(goods=[
            GOODS[0].replace("<Картинка>import_files/mi/mixer.png</Картинка>",
                             "<Картинка>../../etc/passwd</Картинка>"),
            "<Товар><Ид>prod-noname</Ид><Артикул>NONAME</Артикул><Наименование></Наименование>"
            "</Товар>",
            GOODS[1].replace(G_SINK, "grp-nobody-knows"),
        ])
        self.set_param("deactivate_missing", "yes")
        client = self.client()
        answers = client.exchange([("import.xml", goods)])
        self.assertEqual([(a.filename, a.verdict) for a in answers if a.mode == "import"],
                         [("import.xml", "success")])
        catalog = self.imported("import.xml")
        self.assertEqual(catalog.state, "imported")
        self.assertEqual(catalog.records_skipped, 3)
        self.assertEqual([(w.line, w.element) for w in catalog.warning_ids.sorted("id")], [
            (line_of(goods, "../../etc/passwd"), "Товар/Картинка"),
            (line_of(goods, "prod-noname"), "Товар/Наименование"),
            (line_of(goods, "grp-nobody-knows") - 1, "Товар/Группы/Ид"),
        ])
        self.assertIn("the group grp-nobody-knows is neither in this file nor imported before",
                      catalog.warning_ids.sorted("id")[2].message)
        found = self.by_id()
        self.assertEqual(found[P_SINK].categ_id.b2b_onec_id, "1C",
                         "a product of an unknown group goes to the 1C root category")
        self.assertEqual(found[P_MIX].categ_id.b2b_onec_id, G_MIX,
                         "a product with a bad picture path is imported without the picture")
        self.assertFalse(self.xenv["product.template"].with_context(active_test=False).search(
            [("b2b_onec_id", "=", "prod-noname")]))

        # 1C's deactivate call archives nothing after an exchange that skipped goods: the pipe
        # this full catalog left out stays for sale
        self.assertEqual(client.deactivate().verdict, "success")
        self.refresh()
        self.assertTrue(all(t.active for t in self.templates()))
        self.assertIn("goods of this exchange's catalog were skipped",
                      self.sessions().sorted("id")[-1].log)

    def test_offers_of_unknown_goods_are_skipped_and_the_price_types_land(self):
        answers = self.client().exchange([("offers.xml", offers_xml())])
        self.assertEqual([(a.filename, a.verdict) for a in answers if a.mode == "import"],
                         [("offers.xml", "success")])
        offers = self.imported("offers.xml")
        self.assertEqual(offers.records_skipped, 3)
        self.assertIn("Предложение/Ид: the product %s is not in the catalog" % P_MIX,
                      offers.warning_ids.sorted("id")[0].message)
        self.assertTrue(self.xenv["b2b.price.type"].search([("b2b_onec_id", "=", NEW_TYPE)]),
                        "the file's price types are imported")


    def test_units_are_found_by_okei_code_or_name_or_created_and_never_refuse_the_file(self):
        # the supplier made a unit for coils by hand, under a name of another case
        Uom = self.xenv["product.uom"]
        roll = Uom.create({"name": "Рулон", "uom_type": "bigger", "factor_inv": 1,
                           "category_id": self.xenv.ref("product.product_uom_categ_unit").id})
        self.commit()
        units = {
            "u-piece": '<БазоваяЕдиница Код="796" НаименованиеПолное="Штука" '
                       'МеждународноеСокращение="PCE">шт</БазоваяЕдиница>',
            "u-pair": '<БазоваяЕдиница Код="715" НаименованиеПолное="Пара (2 шт.)" '
                      'МеждународноеСокращение="NPR">пар</БазоваяЕдиница>',
            "u-tile": "<БазоваяЕдиница><Код>055</Код><НаименованиеКраткое>м2</НаименованиеКраткое>"
                      "<НаименованиеПолное>Квадратный метр</НаименованиеПолное>"
                      "<МеждународноеСокращение>MTK</МеждународноеСокращение></БазоваяЕдиница>",
            "u-pack": "<БазоваяЕдиница>упак</БазоваяЕдиница>",
            "u-coil": '<БазоваяЕдиница Код="999" НаименованиеПолное="Бухта">бухта</БазоваяЕдиница>',
            "u-roll": '<БазоваяЕдиница Код="736">рулон</БазоваяЕдиница>',
            "u-pipe": '<БазоваяЕдиница Код="006" НаименованиеПолное="Метр">м</БазоваяЕдиница>',
        }
        goods = import_xml(goods=[
            "<Товар><Ид>%s</Ид><Наименование>Товар %s</Наименование>%s</Товар>" % (key, key, unit)
            for key, unit in units.items()])
        uoms_before = Uom.search_count([])

        answers = self.client().exchange([("import.xml", goods)])
        self.assertEqual([(a.filename, a.verdict) for a in answers if a.mode == "import"],
                         [("import.xml", "success")])
        self.refresh()
        products = {t.b2b_onec_id: t for t in self.xenv["product.template"].search(
            [("b2b_onec_id", "in", list(units))])}
        self.assertEqual(sorted(products), sorted(units), "every product is imported")
        uom = {key: product.uom_id for key, product in products.items()}
        self.assertEqual(uom["u-piece"], self.xenv.ref("product.product_uom_unit"))
        self.assertEqual(uom["u-pipe"], self.xenv.ref("product.product_uom_meter"))
        self.assertEqual(uom["u-roll"], roll, "found by its name, whatever the case")
        self.assertEqual(roll.b2b_onec_okei_code, "736", "and keeps 1C's code from now on")
        pieces = self.xenv.ref("product.product_uom_categ_unit")
        self.assertEqual(
            [(uom[key].name, uom[key].category_id, uom[key].uom_type, uom[key].factor_inv,
              uom[key].b2b_onec_okei_code) for key in ("u-pair", "u-pack", "u-coil")],
            [("пар", pieces, "bigger", 2, "715"), ("упак", pieces, "bigger", 1, "778"),
             ("бухта", pieces, "bigger", 1, "999")])
        tile = uom["u-tile"]
        self.assertEqual((tile.name, tile.b2b_onec_okei_code, tile.factor),
                         ("м2", "055", 1))
        self.assertNotIn(tile.category_id, (pieces, self.xenv.ref("product.uom_categ_length")))
        self.assertEqual(tile.category_id.name, "Surface")
        self.assertEqual(Uom.search_count([]), uoms_before + 4)
        # a pair is two pieces for Odoo too
        self.assertEqual(uom["u-pair"]._compute_quantity(3, uom["u-piece"]), 6)

        # the same file again finds every unit by its code or name: no second unit
        self.commit()
        self.client().exchange([("import.xml", goods)])
        self.refresh()
        self.assertEqual(Uom.search_count([]), uoms_before + 4)
        catalog = self.imported("import.xml")
        self.assertEqual(catalog.state, "imported")
        self.assertEqual(catalog.records_created, 0)
        self.assertEqual(len(Uom.search([("b2b_onec_okei_code", "=", "999")])), 1)


class TestCatalogProperties(CatalogCase):

    def values(self, product_id):
        goods = self.by_id()[product_id]
        goods.invalidate_cache()
        return [(v.property_id.name, v.value) for v in goods.b2b_property_value_ids]

    def test_property_values_follow_onec_and_an_unknown_property_is_left_out(self):
        self.client().exchange(self.package)
        self.commit()
        self.assertEqual(self.values(P_MIX), [("Цвет", "хром"), ("Страна", "Италия")])
        # a changes-only file without the classifier names the value by its id: the list of
        # values came with the property in the first file
        changed = import_xml(changes_only=True, properties="", goods=[
            """<Товар><Ид>%s</Ид><Артикул>CAT-MIX-1</Артикул><Наименование>Смеситель каталожный</Наименование>
                 <БазоваяЕдиница Код="796">шт</БазоваяЕдиница><Группы><Ид>%s</Ид></Группы>
                 <Описание>Для кухни, хром</Описание>
                 <ЗначенияСвойств><ЗначенияСвойства><Ид>colour</Ид><Значение>val-white</Значение></ЗначенияСвойства></ЗначенияСвойств>
               </Товар>""" % (P_MIX, G_MIX)])
        self.client().exchange([("import.xml", changed)])
        catalog = self.imported("import.xml")
        self.assertEqual((catalog.records_created, catalog.records_updated), (0, 2),
                         "the colour changed, the country was taken away")
        self.assertEqual(self.values(P_MIX), [("Цвет", "белый")])
        unknown = changed.replace("<Ид>colour</Ид>".encode(), "<Ид>material</Ид>".encode())
        self.client().exchange([("import.xml", unknown)])
        catalog = self.imported("import.xml")
        self.assertEqual(catalog.state, "imported")
        self.assertIn("Товар/ЗначенияСвойств/ЗначенияСвойства/Ид: the property material is "
                      "neither in this file nor imported before", catalog.warning_ids.message)
        self.assertEqual(self.values(P_MIX), [],
                         "the product is imported without the property 1C did not describe")


def characteristic(product_id, char_id, name, values, sku=None):
    """A good 1C sends one per characteristic (``product#characteristic``)."""
    chars = "".join("<ХарактеристикаТовара><Наименование>%s</Наименование><Значение>%s</Значение>"
                    "</ХарактеристикаТовара>" % pair for pair in values)
    return ("<Товар><Ид>%s#%s</Ид>%s<Наименование>%s</Наименование>"
            "<БазоваяЕдиница Код=\"796\">шт</БазоваяЕдиница><Группы><Ид>%s</Ид></Группы>"
            "<ХарактеристикиТовара>%s</ХарактеристикиТовара></Товар>"
            % (product_id, char_id, "<Артикул>%s</Артикул>" % sku if sku else "", name, G_MIX,
               chars))


class TestCatalogCharacteristics(CatalogCase):

    def test_goods_sent_per_characteristic_are_variants_of_one_product(self):
        goods = import_xml(goods=[
            characteristic("shoe", "c42", "Кроссовки (42, синий)",
                           [("Размер", "42"), ("Цвет", "синий")], sku="SH-42"),
            characteristic("shoe", "c43", "Кроссовки (43, синий)",
                           [("Размер", "43"), ("Цвет", "синий")], sku="SH-43"),
            GOODS[0],
            """<Товар><Ид>jacket</Ид><Артикул>JK</Артикул><Наименование>Куртка</Наименование>
                 <Группы><Ид>%s</Ид></Группы></Товар>""" % G_MIX,
            characteristic("jacket", "s", "Куртка S", [("размер", "S")]),
            characteristic("jacket", "m", "Куртка M", [("РАЗМЕР", "M")]),
        ])
        self.client().exchange([("import.xml", goods)])
        Template = self.xenv["product.template"].with_context(active_test=False)
        self.refresh()
        shoe = Template.search([("b2b_onec_id", "=", "shoe")])
        self.assertEqual(shoe.name, "Кроссовки", "the characteristic's suffix is not in the name")
        self.assertFalse(Template.search([("b2b_onec_id", "like", "#")]),
                         "no product of its own per characteristic")
        variants = shoe.product_variant_ids.filtered("active").sorted("default_code")
        self.assertEqual([(v.default_code, v.b2b_onec_variant_id) for v in variants],
                         [("SH-42", "shoe#c42"), ("SH-43", "shoe#c43")],
                         "the product's own variant is archived; its characteristics are on sale")
        self.assertEqual(
            [sorted((a.attribute_id.name, a.name) for a in v.attribute_value_ids)
             for v in variants],
            [[("Размер", "42"), ("Цвет", "синий")], [("Размер", "43"), ("Цвет", "синий")]])
        self.assertEqual(sorted((line.attribute_id.name, sorted(line.value_ids.mapped("name")))
                                for line in shoe.attribute_line_ids),
                         [("Размер", ["42", "43"]), ("Цвет", ["синий"])])
        self.assertEqual(variants[0].name_get()[0][1], "[SH-42] Кроссовки (42)")
        jacket = Template.search([("b2b_onec_id", "=", "jacket")])
        self.assertEqual(jacket.name, "Куртка")
        self.assertEqual(sorted(jacket.product_variant_ids.filtered("active").mapped(
            "b2b_onec_variant_id")), ["jacket#m", "jacket#s"])
        self.assertEqual(len(self.xenv["product.attribute"].search([("name", "=ilike", "размер")])),
                         1, "an attribute is found by its name whatever the letter case")

        # prices of a characteristic go to its variant
        self.commit()
        self.client().exchange([("offers.xml", offers_xml(offers=[
            offer("shoe#c42", [(LARGE, "3100")], 5)]))])
        self.xenv.cr.execute("SELECT pp.b2b_onec_variant_id, p.price::float8 FROM b2b_price p "
                             "JOIN product_product pp ON pp.id = p.product_id "
                             "JOIN b2b_price_type pt ON pt.id = p.price_type_id "
                             "WHERE pt.b2b_onec_id = %s AND pp.product_tmpl_id = %s",
                             (LARGE, shoe.id))
        self.assertEqual(self.xenv.cr.fetchall(), [("shoe#c42", 3100.0)])

        # the same file again changes nothing
        self.commit()
        self.client().exchange([("import.xml", goods)])
        catalog = self.imported("import.xml")
        self.assertEqual((catalog.records_created, catalog.records_updated), (0, 0))
        self.refresh()
        self.assertEqual(len(shoe.product_variant_ids), 3)
        self.assertEqual(len(shoe.product_variant_ids.filtered("active")), 2)

        # a characteristic 1C marked for deletion is archived, the others stay on sale
        self.commit()
        deleted = characteristic("shoe", "c43", "Кроссовки (43, синий)",
                                 [("Размер", "43"), ("Цвет", "синий")], sku="SH-43").replace(
            "</Наименование>", "</Наименование><ПометкаУдаления>true</ПометкаУдаления>", 1)
        self.client().exchange([("import.xml", import_xml(goods=[deleted], changes_only=True))])
        self.refresh()
        self.assertEqual(shoe.product_variant_ids.filtered("active").mapped("b2b_onec_variant_id"),
                         ["shoe#c42"])


class TestCatalogWarehouses(CatalogCase):

    def test_warehouses_of_the_classifier_name_the_stock_of_later_offers(self):
        warehouses = ("<Склады><Склад><Ид>wh-msk</Ид><Наименование>Склад Москва</Наименование>"
                      "</Склад></Склады>")
        self.client().exchange([("import.xml", import_xml(properties=PROPERTIES + warehouses))])
        self.refresh()
        found = self.xenv["b2b.warehouse"].search([("b2b_onec_id", "=", "wh-msk")])
        self.assertEqual(found.name, "Склад Москва")
        self.commit()
        offers = offers_xml(offers=[
            "<Предложение><Ид>%s</Ид><Цены/><Склад ИдСклада=\"wh-msk\" КоличествоНаСкладе=\"4\"/>"
            "</Предложение>" % P_MIX])
        self.client().exchange([("offers.xml", offers)])
        self.refresh()
        stock = self.xenv["b2b.product.stock"].search(
            [("product_id", "=", self.by_id()[P_MIX].product_variant_id.id)])
        self.assertEqual([(s.warehouse_id.name, s.quantity) for s in stock],
                         [("Склад Москва", 4.0)])
        self.assertEqual(len(self.xenv["b2b.warehouse"].search([("b2b_onec_id", "=", "wh-msk")])),
                         1, "the offers' quantities find the classifier's warehouse")
