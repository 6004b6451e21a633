"""The formats 1C really sends, through the check every received file passes (``safexml.scan``)
and the catalog and orders readers: UTF-8 with a BOM, windows-1251, CommerceML 2 and 3 with and
without their namespace, comments anywhere, numbers with spaces and commas, dates with and without
time; refused with a located reason: bytes not in the declared encoding, a document that is not
a CommerceML package, CommerceML 1 (1C 7.7) and versions no reader reads.

The builders below write the files as 1C's modules do; the exchange tests (tests/
test_exchange_formats.py) push the same files through the endpoint."""
import io
from decimal import Decimal

import pytest

from .. import cml_catalog as cml
from .. import orders
from ..safexml import XmlRefused, scan

NS2 = "urn:1C.ru:commerceml_2"
NS3 = "urn:1C.ru:commerceml_3"

# 1C ids of the fixtures
CLASSIFIER = "c3000000-0000-4000-8000-000000000001"
G_TOOLS, G_DRILLS = "c3000000-0000-4000-8000-0000000000g1", "c3000000-0000-4000-8000-0000000000g2"
P_BRAND = "c3000000-0000-4000-8000-0000000000p1"
PT_WHOLESALE = "c3000000-0000-4000-8000-0000000000t1"
STORE_MAIN = "c3000000-0000-4000-8000-0000000000s1"
# a unit the classifier names by a GUID of its own, not by its OKEI code
U_PACK = "c3000000-0000-4000-8000-0000000000u1"
DRILL, BITS, CABLE = ("c3000000-0000-4000-8000-000000000d01", "c3000000-0000-4000-8000-000000000d02",
                      "c3000000-0000-4000-8000-000000000d03")


def root(body, ns=NS3, version="3.1", encoding="UTF-8"):
    """A КоммерческаяИнформация around ``body``, as 1C writes it (declaration, namespace, version,
    generation date), with comments before and after it."""
    xmlns = ' xmlns="%s" xmlns:xs="http://www.w3.org/2001/XMLSchema" ' \
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"' % ns if ns else ""
    version = ' ВерсияСхемы="%s"' % version if version else ""
    return ('<?xml version="1.0" encoding="%s"?>\n<!-- Выгружено из 1С -->'
            '<КоммерческаяИнформация%s%s ДатаФормирования="2026-12-01T09:30:00">\n%s\n'
            '</КоммерческаяИнформация>\n<!-- конец -->\n' % (encoding, xmlns, version, body))


CLASSIFIER_PARTS = ("groups", "properties", "price_types", "stores", "units")


def cml3_classifier(parts=CLASSIFIER_PARTS):
    """The classifier of CommerceML 3.1 (``import___<guid>.xml`` of the newer modules, or one of
    its split parts ``groups___``, ``properties___``, ``priceLists___``, ``storages___``,
    ``units___`` when ``parts`` names one): groups, properties, price types, warehouses and
    units, with comments between and inside records."""
    xml = {
        "groups": """
    <!-- the groups -->
    <Группы>
      <Группа><Ид>%(tools)s</Ид><Наименование>Инструмент (3.1)</Наименование>
        <Группы><Группа><Ид>%(drills)s</Ид><Наименование>Дрели <!-- sic -->и шуруповёрты</Наименование></Группа></Группы>
      </Группа>
    </Группы>""",
        "properties": """
    <Свойства>
      <Свойство><Ид>%(brand)s</Ид><Наименование>Бренд</Наименование><ТипЗначений>Справочник</ТипЗначений>
        <ВариантыЗначений><Справочник><ИдЗначения>brand-bosch</ИдЗначения><Значение>Bosch</Значение></Справочник></ВариантыЗначений>
      </Свойство>
    </Свойства>""",
        "price_types": """
    <ТипыЦен>
      <ТипЦены><Ид>%(price_type)s</Ид><Наименование>Опт (3.1)</Наименование><Валюта>RUB</Валюта>
        <Налог><Наименование>НДС</Наименование><УчтеноВСумме>true</УчтеноВСумме></Налог></ТипЦены>
    </ТипыЦен>""",
        "stores": """
    <Склады><Склад><Ид>%(store)s</Ид><Наименование>Основной склад</Наименование></Склад></Склады>""",
        "units": """
    <ЕдиницыИзмерения>
      <ЕдиницаИзмерения><Ид>796 </Ид><НомерВерсии>AAAAAQAAAAE=</НомерВерсии><ПометкаУдаления>false</ПометкаУдаления>
        <НаименованиеКраткое>шт</НаименованиеКраткое><Код>796 </Код><НаименованиеПолное>Штука</НаименованиеПолное>
        <МеждународноеСокращение>PCE</МеждународноеСокращение></ЕдиницаИзмерения>
      <!-- a unit named by a GUID of its own -->
      <ЕдиницаИзмерения><Ид>%(pack)s</Ид><НаименованиеКраткое>упак</НаименованиеКраткое><Код>778</Код>
        <НаименованиеПолное>Упаковка</НаименованиеПолное></ЕдиницаИзмерения>
      <ЕдиницаИзмерения><Ид>006</Ид><НаименованиеКраткое>м</НаименованиеКраткое><Код>006</Код>
        <НаименованиеПолное>Метр</НаименованиеПолное><МеждународноеСокращение>MTR</МеждународноеСокращение></ЕдиницаИзмерения>
      <!-- a unit the OKEI table of the portal does not list -->
      <ЕдиницаИзмерения><Ид>736</Ид><НаименованиеКраткое>рул</НаименованиеКраткое><Код>736</Код>
        <НаименованиеПолное>Рулон</НаименованиеПолное></ЕдиницаИзмерения>
    </ЕдиницыИзмерения>""",
    }
    body = "".join(xml[part] for part in parts) % {
        "tools": G_TOOLS, "drills": G_DRILLS, "brand": P_BRAND, "price_type": PT_WHOLESALE,
        "store": STORE_MAIN, "pack": U_PACK}
    return root("""<Классификатор СодержитТолькоИзменения="false">
    <Ид>%s</Ид><НомерВерсии>AAAAAQAAAAE=</НомерВерсии><ПометкаУдаления>false</ПометкаУдаления>
    <Наименование>Классификатор (Основной каталог товаров)</Наименование>
    <Владелец><Ид>owner-1</Ид><Наименование>ООО «Поставщик»</Наименование></Владелец>%s
  </Классификатор>""" % (CLASSIFIER, body))


GOODS_UNITS = {DRILL: "796", BITS: U_PACK, CABLE: "006"}


def cml3_goods(units=None):
    """The goods file of CommerceML 3.1: БазоваяЕдиница only names the classifier's unit (by its
    OKEI code, or by the unit's own Ид; ``units``: {product: reference}); comments between and
    inside goods."""
    units = dict(GOODS_UNITS, **(units or {}))
    return root("""<Каталог СодержитТолькоИзменения="false">
    <Ид>%(cls)s</Ид><ИдКлассификатора>%(cls)s</ИдКлассификатора><Наименование>Основной каталог товаров</Наименование>
    <Владелец><Ид>owner-1</Ид><Наименование>ООО «Поставщик»</Наименование></Владелец>
    <Товары>
      <Товар><Ид>%(drill)s</Ид><НомерВерсии>AAAAAQ==</НомерВерсии><ПометкаУдаления>false</ПометкаУдаления>
        <Артикул>DR-31</Артикул><Наименование>Дрель ударная <!-- model -->GSB 13</Наименование>
        <БазоваяЕдиница>%(drill_unit)s</БазоваяЕдиница><Группы><Ид>%(drills)s</Ид></Группы>
        <ЗначенияСвойств><ЗначенияСвойства><Ид>%(brand)s</Ид><Значение>brand-bosch</Значение></ЗначенияСвойства></ЗначенияСвойств>
      </Товар>
      <!-- between two goods -->
      <Товар><Ид>%(bits)s</Ид><Артикул>BT-31</Артикул><Наименование>Набор бит</Наименование>
        <БазоваяЕдиница>%(bits_unit)s</БазоваяЕдиница><Группы><Ид>%(tools)s</Ид></Группы></Товар>
      <Товар><Ид>%(cable)s</Ид><Артикул>CB-31</Артикул><Наименование>Кабель ВВГ</Наименование>
        <БазоваяЕдиница>%(cable_unit)s</БазоваяЕдиница><Группы><Ид>%(tools)s</Ид></Группы></Товар>
    </Товары>
  </Каталог>""" % {"cls": CLASSIFIER, "drill": DRILL, "bits": BITS, "cable": CABLE,
                   "drills": G_DRILLS, "tools": G_TOOLS, "brand": P_BRAND,
                   "drill_unit": units[DRILL], "bits_unit": units[BITS],
                   "cable_unit": units[CABLE]})


def cml3_prices(prices=None):
    """The prices file of CommerceML 3.1 (``prices___<guid>.xml``): numbers with a space, a
    non-breaking space and a decimal comma."""
    prices = prices if prices is not None else [(DRILL, "4 590,00"), (BITS, "1\u00a0250,5"),
                                                (CABLE, "87.40")]
    offers = "".join(
        "<Предложение><Ид>%s</Ид><Цены><Цена><Представление>%s руб. за шт</Представление>"
        "<ИдТипаЦены>%s</ИдТипаЦены><ЦенаЗаЕдиницу>%s</ЦенаЗаЕдиницу><Валюта>RUB</Валюта>"
        "<Единица>796</Единица><Коэффициент>1</Коэффициент></Цена></Цены></Предложение>\n"
        % (product, price, PT_WHOLESALE, price) for product, price in prices)
    return root("""<ПакетПредложений СодержитТолькоИзменения="false">
    <Ид>%(cls)s#</Ид><Наименование>Цены</Наименование><ИдКаталога>%(cls)s</ИдКаталога>
    <ИдКлассификатора>%(cls)s</ИдКлассификатора>
    <Владелец><Ид>owner-1</Ид><Наименование>ООО «Поставщик»</Наименование></Владелец>
    <Предложения>
%(offers)s    </Предложения>
  </ПакетПредложений>""" % {"cls": CLASSIFIER, "offers": offers})


def cml3_rests(rests=None):
    """The rests file of CommerceML 3.1 (``rests___<guid>.xml``): per-warehouse quantities."""
    rests = rests if rests is not None else [(DRILL, "12"), (BITS, "0"), (CABLE, "1 500")]
    offers = "".join(
        "<Предложение><Ид>%s</Ид><Остатки><Остаток><Склад><Ид>%s</Ид><Количество>%s</Количество>"
        "</Склад></Остаток></Остатки></Предложение>\n" % (product, STORE_MAIN, qty)
        for product, qty in rests)
    return root("""<ПакетПредложений СодержитТолькоИзменения="false">
    <Ид>%(cls)s#</Ид><Наименование>Остатки</Наименование><ИдКаталога>%(cls)s</ИдКаталога>
    <ИдКлассификатора>%(cls)s</ИдКлассификатора>
    <Предложения>
%(offers)s    </Предложения>
  </ПакетПредложений>""" % {"cls": CLASSIFIER, "offers": offers})


def cml1_catalog(version="1.021"):
    """A catalog of CommerceML 1 as 1C 7.7 wrote it: records named by attributes."""
    version = ' ВерсияСхемы="%s"' % version if version else ""
    return ("""<?xml version="1.0" encoding="windows-1251"?>
<КоммерческаяИнформация%s ДатаФормирования="2006-03-01">
  <Каталог Идентификатор="cat-77" Наименование="Каталог товаров" Владелец="org-1" Единица="руб">
    <Группа Идентификатор="g-77" Наименование="Инструмент"/>
    <Товар Идентификатор="p-77" Наименование="Дрель" Единица="шт" Родитель="g-77"/>
  </Каталог>
</КоммерческаяИнформация>
""" % version).encode("cp1251")


def goods_205(encoding="UTF-8", ns=NS2, bom=False):
    """A CommerceML 2.05 goods file in ``encoding`` (declared), namespaced or not, with a BOM."""
    text = root("""<Классификатор><Ид>cls-2</Ид><Наименование>Классификатор</Наименование>
    <Группы><!-- one group --><Группа><Ид>grp-enc</Ид><Наименование>Ёмкости</Наименование></Группа></Группы>
  </Классификатор>
  <!-- the catalog -->
  <Каталог СодержитТолькоИзменения="false"><Ид>cat-2</Ид><ИдКлассификатора>cls-2</ИдКлассификатора>
    <Наименование>Каталог</Наименование>
    <Товары>
      <Товар><Ид>enc-0001</Ид><Артикул>ЁМК-1</Артикул><Наименование>Бак «Щука» 50 л</Наименование>
        <БазоваяЕдиница Код="796" НаименованиеПолное="Штука">шт</БазоваяЕдиница><Группы><Ид>grp-enc</Ид></Группы></Товар>
    </Товары>
  </Каталог>""", ns=ns, version="2.05", encoding=encoding)
    data = text.encode("cp1251" if encoding.lower() in ("windows-1251", "cp1251") else "utf-8")
    return (b"\xef\xbb\xbf" + data) if bom else data


def read(reader, data, name):
    items = list(reader(io.BytesIO(data), name))
    return items[0], items[1:]


def of(items, kind):
    return [item for item in items if isinstance(item, kind)]


# ---------------------------------------------------------------------- encodings and shapes
@pytest.mark.parametrize("encoding, ns, bom", [
    ("UTF-8", NS2, False), ("UTF-8", NS2, True), ("windows-1251", NS2, False),
    ("windows-1251", None, False), ("UTF-8", None, True), ("UTF-8", NS3, False),
])
def test_goods_in_every_encoding_and_namespace_read_alike(encoding, ns, bom):
    data = goods_205(encoding, ns, bom)
    info = scan(io.BytesIO(data), "import.xml")
    assert (info.root, info.namespace, info.sections) == (
        "КоммерческаяИнформация", ns or "", ["Классификатор", "Каталог"])
    header, items = read(cml.read_catalog, data, "import.xml")
    assert header.version == "2.05"
    assert [(g.id, g.name) for g in of(items, cml.Group)] == [("grp-enc", "Ёмкости")]
    (product,) = of(items, cml.Product)
    assert (product.sku, product.name, product.group_ids) == ("ЁМК-1", "Бак «Щука» 50 л",
                                                              ("grp-enc",))
    assert product.unit == cml.Unit("796", "шт", "Штука", "")
    assert not of(items, cml.Problem)


def test_comments_between_and_inside_records_are_not_part_of_the_values():
    header, items = read(cml.read_catalog, cml3_classifier().encode("utf-8"), "import___1.xml")
    groups = {g.id: g for g in of(items, cml.Group)}
    assert groups[G_DRILLS].name == "Дрели и шуруповёрты", "a comment inside the name is dropped"
    _header, items = read(cml.read_catalog, cml3_goods().encode("utf-8"), "import___2.xml")
    drill = of(items, cml.Product)[0]
    assert drill.name == "Дрель ударная GSB 13"
    assert len(of(items, cml.Product)) == 3, "a comment between goods is no record"


def test_utf8_bytes_declared_utf8_but_written_in_windows_1251_are_refused_at_their_line():
    data = goods_205("UTF-8").decode("utf-8").encode("cp1251")
    with pytest.raises(XmlRefused) as refused:
        scan(io.BytesIO(data), "import.xml")
    assert refused.value.line == 2, "the first Cyrillic letter (the root's name)"
    assert str(refused.value) == (
        "import.xml, line 2: the bytes of the file are not in UTF-8, the encoding its XML "
        "declaration names (UTF-8 when it names none); save the file in that encoding or declare "
        "the one it is written in. Nothing of the file was imported.")


def test_windows_1251_declared_over_utf8_bytes_is_refused_not_read_as_gibberish():
    data = goods_205("windows-1251").decode("cp1251").encode("utf-8")
    with pytest.raises(XmlRefused) as refused:
        scan(io.BytesIO(data), "import.xml")
    assert refused.value.line == 2, "the root's Cyrillic name"
    assert "names the encoding windows-1251, but the file is written in UTF-8" in str(
        refused.value)
    # a UTF-8 byte order mark before the same declaration: refused too (libxml2 reads nothing)
    with pytest.raises(XmlRefused) as refused:
        scan(io.BytesIO(b"\xef\xbb\xbf" + data), "import.xml")
    assert refused.value.line == 1
    assert "names the encoding windows-1251, but the file is written in UTF-8" in str(
        refused.value)


def test_an_encoding_nobody_knows_is_refused_by_name():
    data = goods_205("UTF-8").replace(b'encoding="UTF-8"', b'encoding="x-mac-1c"')
    with pytest.raises(XmlRefused) as refused:
        scan(io.BytesIO(data), "offers.xml")
    assert str(refused.value).startswith(
        "offers.xml, line 1: the encoding x-mac-1c the XML declaration names is not known")


# ---------------------------------------------------------------------- what is not CommerceML 2/3
def test_a_document_that_is_not_a_commerceml_package_is_refused():
    data = '<?xml version="1.0" encoding="UTF-8"?>\n<Прайс><Позиция Код="1"/></Прайс>'.encode()
    with pytest.raises(XmlRefused) as refused:
        scan(io.BytesIO(data), "price.xml")
    assert str(refused.value) == (
        "price.xml, line 2: the root element Прайс is not that of a CommerceML package "
        "(КоммерческаяИнформация); nothing of the file was imported.")


@pytest.mark.parametrize("version, shown", [("1.021", "1.021"), ("", "1")])
def test_commerceml_1_of_1c_77_is_refused_naming_its_version(version, shown):
    with pytest.raises(XmlRefused) as refused:
        scan(io.BytesIO(cml1_catalog(version)), "import.xml")
    assert str(refused.value) == (
        "import.xml, line 2: the file is CommerceML %s (the attribute style of 1C 7.7), which "
        "the exchange does not read; it reads CommerceML 2 (2.03 to 2.10) and 3 (3.1): choose one "
        "of them in 1C's exchange settings. Nothing of the file was imported." % shown)


def test_a_version_no_reader_reads_is_refused():
    data = goods_205().replace(b'"2.05"', b'"4.0"')
    with pytest.raises(XmlRefused) as refused:
        scan(io.BytesIO(data), "import.xml")
    assert "CommerceML schema version 4.0 is not read" in str(refused.value)
    items = list(cml.read_catalog(io.BytesIO(data), "import.xml"))
    assert [str(i) for i in items] == [
        "import.xml, line 2, ВерсияСхемы: schema version 4.0 is not supported; versions 2.03 to "
        "2.10 and 3.1 are read."], "the reader itself refuses it too, before any record"


# ---------------------------------------------------------------------- CommerceML 3.1
def test_cml3_classifier_yields_groups_properties_price_types_and_units():
    data = cml3_classifier().encode("utf-8")
    info = scan(io.BytesIO(data), "import___c3.xml")
    assert (info.namespace, info.version, info.sections) == (NS3, "3.1", ["Классификатор"])
    header, items = read(cml.read_catalog, data, "import___c3.xml")
    assert (header.version, header.changes_only) == ("3.1", False)
    assert [(g.id, g.parent_id) for g in of(items, cml.Group)] == [
        (G_TOOLS, None), (G_DRILLS, G_TOOLS)]
    assert [(p.id, p.options) for p in of(items, cml.Property)] == [
        (P_BRAND, {"brand-bosch": "Bosch"})]
    assert [(t.id, t.name, t.currency, t.vat_included) for t in of(items, cml.PriceType)] == [
        (PT_WHOLESALE, "Опт (3.1)", "RUB", True)]
    assert of(items, cml.Unit) == [cml.Unit("796", "шт", "Штука", "PCE"),
                                   cml.Unit("778", "упак", "Упаковка", ""),
                                   cml.Unit("006", "м", "Метр", "MTR"),
                                   cml.Unit("736", "рул", "Рулон", "")]
    assert not of(items, cml.Problem)


def test_cml3_goods_get_the_classifier_unit_they_name_by_code_or_by_its_id():
    both = cml3_classifier().replace("</КоммерческаяИнформация>", "") + \
        cml3_goods().split("?>", 1)[1].split(">", 1)[1].split("\n", 1)[1]
    _header, items = read(cml.read_catalog, both.encode("utf-8"), "import___c3.xml")
    units = {p.id: p.unit for p in of(items, cml.Product)}
    assert units == {DRILL: cml.Unit("796", "шт", "Штука", "PCE"),
                     BITS: cml.Unit("778", "упак", "Упаковка", ""),
                     CABLE: cml.Unit("006", "м", "Метр", "MTR")}


def test_cml3_goods_file_alone_names_units_by_their_okei_code():
    _header, items = read(cml.read_catalog, cml3_goods().encode("utf-8"), "goods___c3.xml")
    units = {p.id: p.unit for p in of(items, cml.Product)}
    assert units[DRILL] == cml.Unit("796", "", "", "")
    assert units[CABLE] == cml.Unit("006", "", "", "")
    assert units[BITS] == cml.Unit("", U_PACK, "", ""), \
        "a unit's own GUID without its classifier stays a name (the import makes a unit of it)"
    groups = {p.id: p.group_ids for p in of(items, cml.Product)}
    assert groups[DRILL] == (G_DRILLS,)


def test_cml3_prices_and_rests_read_numbers_with_spaces_and_commas():
    _header, items = read(cml.read_offers, cml3_prices().encode("utf-8"), "prices___c3.xml")
    prices = {o.product_id: [(p.price_type_id, p.price) for p in o.prices]
              for o in of(items, cml.Offer)}
    assert prices == {DRILL: [(PT_WHOLESALE, Decimal("4590.00"))],
                      BITS: [(PT_WHOLESALE, Decimal("1250.5"))],
                      CABLE: [(PT_WHOLESALE, Decimal("87.40"))]}
    _header, items = read(cml.read_offers, cml3_rests().encode("utf-8"), "rests___c3.xml")
    assert {o.product_id: o.quantity for o in of(items, cml.Offer)} == {
        DRILL: Decimal(12), BITS: Decimal(0), CABLE: Decimal(1500)}


# ---------------------------------------------------------------------- orders of CommerceML 3
def cml3_orders(date="2026-11-30", time_="14:05:00"):
    """A documents file of CommerceML 3.1: an order in a Контейнер, a date with or without
    time, amounts with spaces and commas."""
    time_xml = "<Время>%s</Время>" % time_ if time_ else ""
    return root("""<Контейнер>
    <Документ><Ид>ord-31</Ид><Номер>ТД-31</Номер><Дата>%s</Дата><ХозОперация>Заказ товара</ХозОперация>
      <Роль>Продавец</Роль><Валюта>RUB</Валюта><Курс>1</Курс><Сумма>9 180,00</Сумма>
      <Контрагенты><Контрагент><Ид>cp-31</Ид><Наименование>Альфа</Наименование><Роль>Покупатель</Роль></Контрагент></Контрагенты>
      %s
      <!-- the lines -->
      <Товары><Товар><Ид>%s</Ид><Наименование>Дрель</Наименование><ЦенаЗаЕдиницу>4 590,00</ЦенаЗаЕдиницу>
        <Количество>2</Количество><Сумма>9 180,00</Сумма></Товар></Товары>
      <ЗначенияРеквизитов><ЗначениеРеквизита><Наименование>Статус заказа</Наименование><Значение>Согласован</Значение></ЗначениеРеквизита>
        <ЗначениеРеквизита><Наименование>Желаемая дата отгрузки</Наименование><Значение>05.12.2026</Значение></ЗначениеРеквизита></ЗначенияРеквизитов>
    </Документ>
  </Контейнер>""" % (date, time_xml, DRILL))


@pytest.mark.parametrize("date, time_, expected", [
    ("2026-11-30", "14:05:00", "2026-11-30 14:05:00"),
    ("2026-11-30", "", "2026-11-30 00:00:00"),
    ("2026-11-30T14:05:00", "", "2026-11-30 14:05:00"),
    ("30.11.2026", "09:15:00", "2026-11-30 09:15:00"),
])
def test_cml3_orders_read_dates_with_and_without_time_and_spaced_numbers(date, time_, expected):
    data = cml3_orders(date, time_).encode("utf-8")
    assert scan(io.BytesIO(data), "documents___c3.xml").sections == ["Контейнер"]
    (order,) = list(orders.read_orders(io.BytesIO(data), "documents___c3.xml"))
    assert str(order.date) == expected
    assert (order.number, order.amount, order.status) == ("ТД-31", 9180.0, "Согласован")
    assert str(order.desired_date) == "2026-12-05"
    (line,) = order.lines
    assert (line.product_id, line.price, line.qty, line.amount) == (DRILL, 4590.0, 2.0, 9180.0)
