"""The formats 1C really sends, over real HTTP with the 1C stand-in: the split set of CommerceML
3.1 (classifier parts, goods, offers, prices, rests, documents) lands through the same readers as
2.x; UTF-8 with a BOM, windows-1251 and files with or without namespace land alike; a file whose
bytes are not in the declared encoding, CommerceML 1 of 1C 7.7 and a document that is not a
CommerceML package are refused with a located reason in English and Russian, nothing written.

The files are built by the builders of lib/tests/test_cml_formats.py."""
from odoo.tools import mute_logger

from ..lib.tests.test_cml_formats import (
    BITS, CABLE, DRILL, G_DRILLS, G_TOOLS, PT_WHOLESALE, STORE_MAIN, cml1_catalog,
    cml3_classifier, cml3_goods, cml3_orders, cml3_prices, cml3_rests, goods_205, root)
from .common import CONTROLLER_LOGGER, ExchangeCase, onec
from .orders_common import OrdersCase

GUID = "4d1f0a52-7d3c-4e0b-9c1e-5b2f6a7c8d90"     # the exchange's id in 1C's file names
ENC_PRODUCT = "enc-0001"


def split_set():
    """The files of one CommerceML 3.1 exchange as the newer 1C modules send them, in their
    order: the classifier's parts, the goods, the offers, the prices, the rests."""
    return [
        ("groups___%s.xml" % GUID, cml3_classifier(("groups",))),
        ("propertiesGoods___%s.xml" % GUID, cml3_classifier(("properties",))),
        ("priceLists___%s.xml" % GUID, cml3_classifier(("price_types",))),
        ("units___%s.xml" % GUID, cml3_classifier(("units",))),
        ("storages___%s.xml" % GUID, cml3_classifier(("stores",))),
        ("import___%s.xml" % GUID, cml3_goods({BITS: "778", CABLE: "736"})),
        ("offers___%s.xml" % GUID, root("""<ПакетПредложений СодержитТолькоИзменения="false">
    <Ид>c3#</Ид><Наименование>Предложения</Наименование>
    <Предложения><Предложение><Ид>%s</Ид><Артикул>DR-31</Артикул><Наименование>Дрель</Наименование>
      <БазоваяЕдиница>796</БазоваяЕдиница></Предложение></Предложения>
  </ПакетПредложений>""" % DRILL)),
        ("prices___%s.xml" % GUID, cml3_prices()),
        ("rests___%s.xml" % GUID, cml3_rests()),
    ]


class FormatsCase(ExchangeCase):

    def templates(self, *onec_ids):
        self.refresh()
        found = self.xenv["product.template"].with_context(active_test=False).search(
            [("b2b_onec_id", "in", list(onec_ids))])
        return {t.b2b_onec_id: t for t in found}

    def send(self, files, **kwargs):
        names = [name for name, _data in files]
        return self.client().exchange([(name, data if isinstance(data, bytes)
                                        else data.encode("utf-8")) for name, data in files],
                                      imports=names, **kwargs)

    def refused(self, name, data, exchange_type="catalog"):
        """Send one file 1C's way; the answer refusing it."""
        with mute_logger(CONTROLLER_LOGGER), self.assertRaises(onec.ExchangeStopped) as stop:
            self.client().exchange([(name, data)], exchange_type=exchange_type)
        self.assertEqual(stop.exception.answer.verdict, "failure")
        return stop.exception.answer

    def counts(self):
        """What an import would have written: goods, categories, units, price types, prices."""
        self.refresh()
        cr = self.xenv.cr
        cr.execute("SELECT (SELECT count(*) FROM product_template), "
                   "(SELECT count(*) FROM product_category), (SELECT count(*) FROM product_uom), "
                   "(SELECT count(*) FROM b2b_price_type), (SELECT count(*) FROM b2b_price)")
        return cr.fetchone()


class TestCommerceML3(FormatsCase):

    def test_split_set_of_31_lands_groups_goods_units_properties_prices_and_stock(self):
        units_before = self.xenv["product.uom"].search_count([])
        answers = self.send(split_set())
        self.assertEqual([(a.filename, a.verdict) for a in answers if a.mode == "import"],
                         [(name, "success") for name, _data in split_set()])
        files = {f.name: f for f in self.files() if not f.is_zip}
        self.assertEqual({name: (f.state, f.xml_version, f.importer) for name, f in files.items()}, {
            "groups___%s.xml" % GUID: ("imported", "3.1", "catalog: groups*.xml"),
            "propertiesGoods___%s.xml" % GUID: ("imported", "3.1", "catalog: properties*.xml"),
            "priceLists___%s.xml" % GUID: ("imported", "3.1", "catalog: pricelists*.xml"),
            "units___%s.xml" % GUID: ("imported", "3.1", "catalog: units*.xml"),
            "storages___%s.xml" % GUID: ("imported", "3.1", "offers: storages*.xml"),
            "import___%s.xml" % GUID: ("imported", "3.1", "catalog: import*.xml"),
            "offers___%s.xml" % GUID: ("imported", "3.1", "offers: offers*.xml"),
            "prices___%s.xml" % GUID: ("imported", "3.1", "offers: prices*.xml"),
            "rests___%s.xml" % GUID: ("imported", "3.1", "offers: rests*.xml"),
        })
        self.assertFalse(self.xenv["b2b.onec.exchange.warning"].search(
            [("file_id", "in", [f.id for f in files.values()])]), "nothing skipped")

        Category = self.xenv["product.category"]
        tools, drills = (Category.search([("b2b_onec_id", "=", g)]) for g in (G_TOOLS, G_DRILLS))
        self.assertEqual((drills.parent_id, drills.name), (tools, "Дрели и шуруповёрты"))
        goods = self.templates(DRILL, BITS, CABLE)
        drill, bits, cable = goods[DRILL], goods[BITS], goods[CABLE]
        self.assertEqual((drill.name, drill.default_code, drill.categ_id),
                         ("Дрель ударная GSB 13", "DR-31", drills))
        self.assertEqual((bits.categ_id, cable.categ_id), (tools, tools))
        self.assertEqual([(v.property_id.name, v.value) for v in drill.b2b_property_value_ids],
                         [("Бренд", "Bosch")])

        # units: named by their OKEI code only, found as the classifier file described them
        self.assertEqual(drill.uom_id, self.xenv.ref("product.product_uom_unit"))
        self.assertEqual((bits.uom_id.b2b_onec_okei_code, bits.uom_id.category_id),
                         ("778", self.xenv.ref("product.product_uom_categ_unit")))
        self.assertEqual((cable.uom_id.with_context(lang=None).name,
                          cable.uom_id.b2b_onec_okei_code), ("рул", "736"),
                         "a unit the portal's OKEI table does not list takes the classifier's name")
        self.assertEqual(self.xenv["product.uom"].search_count([]), units_before + 2,
                         "the pack and the roll; pieces and metres were there")

        price_type = self.xenv["b2b.price.type"].search([("b2b_onec_id", "=", PT_WHOLESALE)])
        self.assertEqual((price_type.name, price_type.currency_id.name, price_type.vat_included),
                         ("Опт (3.1)", "RUB", True))
        prices = {p.product_id.product_tmpl_id.b2b_onec_id: p.price
                  for p in self.xenv["b2b.price"].search([("price_type_id", "=", price_type.id)])}
        self.assertEqual(prices, {DRILL: 4590.0, BITS: 1250.5, CABLE: 87.4},
                         "prices written with spaces, a non-breaking space and decimal commas")
        self.assertEqual((drill.b2b_availability, bits.b2b_availability, cable.b2b_availability),
                         ("in_stock", "on_order", "in_stock"))
        store = self.xenv["b2b.warehouse"].search([("b2b_onec_id", "=", STORE_MAIN)])
        self.assertEqual(store.name, "Основной склад", "the warehouse of the storages file")

    def test_classifier_and_goods_in_one_import_file_give_goods_the_units_named_by_their_id(self):
        both = cml3_classifier().replace("</КоммерческаяИнформация>", "") + \
            cml3_goods().split("ДатаФормирования", 1)[1].split(">", 1)[1]
        self.send([("import___%s.xml" % GUID, both)])
        goods = self.templates(DRILL, BITS, CABLE)
        self.assertEqual(goods[BITS].uom_id.b2b_onec_okei_code, "778",
                         "БазоваяЕдиница named the pack by the unit's own Ид")
        self.assertEqual(goods[CABLE].uom_id, self.xenv.ref("product.product_uom_meter"))
        self.assertEqual(goods[DRILL].categ_id.b2b_onec_id, G_DRILLS)


    def test_counterparties_file_of_31_is_read_by_the_counterparties_reader(self):
        """1C's counterparties file of the split set (``contragents___``): its Контрагент
        elements carry more than the portal reads (addresses, contacts, accounts), which is
        ignored."""
        data = root("""<Контрагенты СодержитТолькоИзменения="false">
    <Контрагент><Ид>cp-31-delta</Ид><НомерВерсии>AAAAAQ==</НомерВерсии><ПометкаУдаления>false</ПометкаУдаления>
      <Наименование>Дельта-Строй</Наименование><ПолноеНаименование>ООО «Дельта-Строй»</ПолноеНаименование>
      <ИНН>7701234567</ИНН><КПП>770101001</КПП>
      <ЮридическийАдрес><Представление>г. Москва, ул. Тверская, 1</Представление></ЮридическийАдрес>
      <Контакты><Контакт><Тип>Телефон рабочий</Тип><Значение>+7 495 000-00-00</Значение></Контакт></Контакты>
    </Контрагент>
  </Контрагенты>""")
        self.send([("contragents___%s.xml" % GUID, data)])
        received = self.files(name="contragents___%s.xml" % GUID)
        self.assertEqual((received.state, received.xml_version, received.importer),
                         ("imported", "3.1", "B2B counterparties and contracts"))
        partner = self.xenv["res.partner"].search([("b2b_onec_id", "=", "cp-31-delta")])
        self.assertEqual((partner.name, partner.vat, partner.b2b_kpp),
                         ("Дельта-Строй", "7701234567", "770101001"))


class TestEncodingsAndShapes(FormatsCase):

    def test_utf8_with_bom_windows_1251_and_files_with_or_without_namespace_land_alike(self):
        variants = [("UTF-8", "urn:1C.ru:commerceml_2", True),
                    ("windows-1251", "urn:1C.ru:commerceml_2", False),
                    ("windows-1251", None, False),
                    ("UTF-8", None, True),
                    ("UTF-8", "urn:1C.ru:commerceml_3", False)]
        for number, (encoding, ns, bom) in enumerate(variants):
            data = goods_205(encoding, ns, bom).replace(
                "Бак «Щука» 50 л".encode("cp1251" if encoding == "windows-1251" else "utf-8"),
                ("Бак «Щука» %d л" % number).encode(
                    "cp1251" if encoding == "windows-1251" else "utf-8"))
            self.send([("import.xml", data)])
            imported = self.files(name="import.xml").sorted("id")[-1]
            self.assertEqual((imported.state, imported.records_skipped), ("imported", 0),
                             (encoding, ns, bom))
            product = self.templates(ENC_PRODUCT)[ENC_PRODUCT]
            self.assertEqual((product.name, product.default_code, product.categ_id.name),
                             ("Бак «Щука» %d л" % number, "ЁМК-1", "Ёмкости"), (encoding, ns, bom))

    def test_bytes_not_in_the_declared_encoding_are_refused_with_the_line_nothing_written(self):
        before = self.counts()
        data = goods_205("UTF-8").decode("utf-8").encode("cp1251")
        answer = self.refused("import.xml", data)
        self.assertEqual(answer.lines[0], (
            "import.xml, line 2: the bytes of the file are not in UTF-8, the encoding its XML "
            "declaration names (UTF-8 when it names none); save the file in that encoding or "
            "declare the one it is written in. Nothing of the file was imported."))
        self.assertTrue(answer.lines[1].startswith(
            "import.xml, строка 2: байты файла не в кодировке UTF-8"), answer.lines[1])
        refused = self.files(name="import.xml")
        self.assertEqual((refused.state, refused.error_line), ("failed", 2))
        self.assertEqual(refused.message, answer.lines[0])
        self.assertEqual(self.counts(), before)

        # the other way round: windows-1251 declared over UTF-8 bytes would land as gibberish
        data = goods_205("windows-1251").decode("cp1251").encode("utf-8")
        answer = self.refused("import.xml", data)
        self.assertIn("the XML declaration names the encoding windows-1251, but the file is "
                      "written in UTF-8", answer.lines[0])
        self.assertFalse(self.templates(ENC_PRODUCT))
        self.assertEqual(self.counts(), before)


class TestNotCommerceML2Or3(FormatsCase):

    def test_commerceml_1_of_1c_77_is_refused_naming_its_version_nothing_written(self):
        before = self.counts()
        answer = self.refused("import.xml", cml1_catalog())
        self.assertEqual(answer.lines[0], (
            "import.xml, line 2: the file is CommerceML 1.021 (the attribute style of 1C 7.7), "
            "which the exchange does not read; it reads CommerceML 2 (2.03 to 2.10) and 3 (3.1): "
            "choose one of them in 1C's exchange settings. Nothing of the file was imported."))
        self.assertTrue(answer.lines[1].startswith(
            "import.xml, строка 2: файл в формате CommerceML 1.021"), answer.lines[1])
        refused = self.files(name="import.xml")
        self.assertEqual((refused.state, refused.xml_root), ("failed", False))
        self.assertEqual(self.counts(), before)
        # without a version, known by its attributes
        answer = self.refused("import.xml", cml1_catalog(version=""))
        self.assertIn("the file is CommerceML 1 (the attribute style of 1C 7.7)", answer.lines[0])
        self.assertEqual(self.counts(), before)

    def test_a_document_that_is_not_a_commerceml_package_is_refused(self):
        before = self.counts()
        data = '<?xml version="1.0" encoding="UTF-8"?>\n<Прайс><Позиция Код="1"/></Прайс>'
        answer = self.refused("offers.xml", data.encode("utf-8"))
        self.assertEqual(answer.lines[0], (
            "offers.xml, line 2: the root element Прайс is not that of a CommerceML package "
            "(КоммерческаяИнформация); nothing of the file was imported."))
        self.assertEqual(self.files(name="offers.xml").state, "failed")
        self.assertEqual(self.counts(), before)


class TestOrdersOf31(OrdersCase):

    def test_a_phone_order_of_a_31_documents_file_is_created(self):
        p1 = self.products[0]
        data = cml3_orders(date="2026-11-30", time_="14:05:00").replace(DRILL, self.onec_id(p1))
        data = data.replace("Согласован", "Новый").replace("<Ид>cp-31</Ид>", "<Ид>%s</Ид>" % self.beta.b2b_onec_id).replace(
            "<ЗначенияРеквизитов>", "<ЗначенияРеквизитов><ЗначениеРеквизита><Наименование>"
            "Договор</Наименование><Значение>%s</Значение></ЗначениеРеквизита>"
            % self.c_beta.b2b_onec_id)
        self.client().exchange([("documents___%s.xml" % GUID, data.encode("utf-8"))],
                               exchange_type="sale")
        order = self.xenv["sale.order"].search([("b2b_onec_guid", "=", "ord-31")])
        self.assertEqual((order.b2b_onec_number, order.b2b_contract_id, order.b2b_origin),
                         ("ТД-31", self.c_beta, "1c"))
        self.assertEqual([(l.product_id, l.product_uom_qty, l.price_unit) for l in order.order_line],
                         [(p1, 2.0, 4590.0)], "a price written «4 590,00»")
        documents = self.files(name="documents___%s.xml" % GUID)
        self.assertEqual((documents.state, documents.xml_version, documents.importer),
                         ("imported", "3.1", "orders (containers)"))
