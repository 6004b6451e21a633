"""The demo exchange package: the demo catalog as 1C would send it (CommerceML 2.08).

``catalog_package(democatalog)`` returns ``[("import.xml", bytes), ("offers.xml", bytes)]`` for the
goods of the demo catalog (``b2b_base.lib.democatalog``, passed in so that this module imports
nothing outside the bridge's ``lib``). Every 1C id is derived from the good's SKU or the group's
name (UUID version 5), so the same catalog always gives the same package, byte for byte, and the
portal matches the goods again on every replay. The price types are the demo price types (their
1C ids are those of the demo data).

Stock is given in total (``Количество``) and per warehouse (``Склады``, ``Склад ИдСклада
КоличествоНаСкладе``), as 1C's exchange with warehouses sends it.

``write_package(folder, files)`` stores a package as files, ``zip_package(files)`` as one archive.
"""
import io
import os
import uuid
import zipfile
from xml.sax.saxutils import escape

NAMESPACE = uuid.UUID("5c4b8a0e-2f1d-4a57-9a3e-6b1c0d2e7f10")  # the demo supplier's 1C base
SCHEMA_VERSION = "2.08"
GENERATED = "2024-01-15T09:00:00"  # fixed, so that the package does not change between runs
CLASSIFIER_ID = str(uuid.uuid5(NAMESPACE, "classifier"))
CATALOG_ID = str(uuid.uuid5(NAMESPACE, "catalog"))
DEFAULT_SIZE = 300  # as many goods as the demo data loads

# the demo price types (b2b_base/demo/b2b_demo.xml): democatalog key -> (1C id, name)
PRICE_TYPES = [
    ("wholesale", "a1b2c3d4-0000-4000-8000-000000000001", "Оптовая"),
    ("large_wholesale", "a1b2c3d4-0000-4000-8000-000000000002", "Крупный опт"),
    ("dealer", "a1b2c3d4-0000-4000-8000-000000000003", "Дилерская"),
    ("rrp", "a1b2c3d4-0000-4000-8000-000000000004", "РРЦ"),
    ("dealer_net", "a1b2c3d4-0000-4000-8000-000000000005", "Дилерская без НДС"),
]
# the price types whose prices leave VAT on top (1C's УчтеноВСумме false); the others include it
VAT_ON_TOP = {"dealer_net"}
CURRENCY = "RUB"
# the demo supplier (its name and logo are those of the demo company, b2b_base/demo): the
# Владелец the schema requires of the classifier, the catalog and the offers package
OWNER = {"id": str(uuid.uuid5(NAMESPACE, "owner")), "name": "СанТехОпт",
         "official_name": "ООО «СанТехОпт»", "inn": "7705123456", "kpp": "770501001"}


# the demo supplier's warehouses: every good's stock is split between them (two thirds in Moscow)
WAREHOUSES = [
    (str(uuid.uuid5(NAMESPACE, "warehouse:msk")), "Склад Москва (Дубининская)"),
    (str(uuid.uuid5(NAMESPACE, "warehouse:nsk")), "Склад Новосибирск"),
]


def good_id(sku):
    """The 1C id of the good with article ``sku``."""
    return str(uuid.uuid5(NAMESPACE, "good:" + sku))


def group_id(name):
    """The 1C id of the goods group ``name``."""
    return str(uuid.uuid5(NAMESPACE, "group:" + name))


def quantity(item):
    """Stock 1C reports for a good: none for goods sold on order."""
    return 0 if item["on_order"] else 10 + item["index"] % 50


def stock_by_warehouse(item):
    """[(warehouse id, quantity)] of a good: its ``quantity`` split between the warehouses."""
    total = quantity(item)
    nsk = total // 3
    return [(WAREHOUSES[0][0], total - nsk), (WAREHOUSES[1][0], nsk)]


def _text(value):
    return escape(str(value))


def _header(out):
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write('<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" '
              'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
              'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
              'ВерсияСхемы="%s" ДатаФормирования="%s">\n' % (SCHEMA_VERSION, GENERATED))


def _requisite(out, name, value):
    out.write("        <ЗначениеРеквизита><Наименование>%s</Наименование>"
              "<Значение>%s</Значение></ЗначениеРеквизита>\n" % (_text(name), _text(value)))


def _owner(out, indent):
    out.write("%s<Владелец><Ид>%s</Ид><Наименование>%s</Наименование>"
              "<ОфициальноеНаименование>%s</ОфициальноеНаименование><ИНН>%s</ИНН><КПП>%s</КПП>"
              "</Владелец>\n" % (" " * indent, OWNER["id"], _text(OWNER["name"]),
                                  _text(OWNER["official_name"]), OWNER["inn"], OWNER["kpp"]))


def import_xml(democatalog, size=DEFAULT_SIZE):
    """import.xml: the groups (one per demo category) and the goods."""
    out = io.StringIO()
    _header(out)
    out.write("  <Классификатор>\n    <Ид>%s</Ид>\n    <Наименование>Классификатор (Каталог товаров)"
              "</Наименование>\n" % CLASSIFIER_ID)
    _owner(out, 4)
    out.write("    <Группы>\n")
    for name, _code, _noun in democatalog.CATEGORIES:
        out.write("      <Группа><Ид>%s</Ид><Наименование>%s</Наименование></Группа>\n"
                  % (group_id(name), _text(name)))
    out.write("    </Группы>\n  </Классификатор>\n")
    out.write('  <Каталог СодержитТолькоИзменения="false">\n    <Ид>%s</Ид>\n'
              "    <ИдКлассификатора>%s</ИдКлассификатора>\n"
              "    <Наименование>Каталог товаров</Наименование>\n"
              % (CATALOG_ID, CLASSIFIER_ID))
    _owner(out, 4)
    out.write("    <Товары>\n")
    for item in democatalog.catalog(size):
        out.write("      <Товар>\n")
        out.write("        <Ид>%s</Ид>\n" % good_id(item["sku"]))
        out.write("        <Артикул>%s</Артикул>\n" % _text(item["sku"]))
        out.write("        <Наименование>%s</Наименование>\n" % _text(item["name"]))
        out.write('        <БазоваяЕдиница Код="796" НаименованиеПолное="Штука" '
                  'МеждународноеСокращение="PCE">шт</БазоваяЕдиница>\n')
        out.write("        <Группы><Ид>%s</Ид></Группы>\n" % group_id(item["category"]))
        out.write("        <СтавкиНалогов><СтавкаНалога><Наименование>НДС</Наименование>"
                  "<Ставка>20</Ставка></СтавкаНалога></СтавкиНалогов>\n")
        out.write("        <ЗначенияРеквизитов>\n")
        _requisite(out, "ВидНоменклатуры", "Товар")
        _requisite(out, "ТипНоменклатуры", "Товар")
        _requisite(out, "Полное наименование", item["name"])
        out.write("        </ЗначенияРеквизитов>\n")
        out.write("      </Товар>\n")
    out.write("    </Товары>\n  </Каталог>\n</КоммерческаяИнформация>\n")
    return out.getvalue().encode("utf-8")


def offers_xml(democatalog, size=DEFAULT_SIZE):
    """offers.xml: the price types, then each good's prices of every type and its stock."""
    out = io.StringIO()
    _header(out)
    out.write('  <ПакетПредложений СодержитТолькоИзменения="false">\n    <Ид>%s#</Ид>\n'
              "    <Наименование>Пакет предложений (Каталог товаров)</Наименование>\n"
              "    <ИдКаталога>%s</ИдКаталога>\n    <ИдКлассификатора>%s</ИдКлассификатора>\n"
              % (CATALOG_ID, CATALOG_ID, CLASSIFIER_ID))
    _owner(out, 4)
    out.write("    <ТипыЦен>\n")
    for key, type_id, name in PRICE_TYPES:
        out.write("      <ТипЦены><Ид>%s</Ид><Наименование>%s</Наименование><Валюта>%s</Валюта>"
                  "<Налог><Наименование>НДС</Наименование><УчтеноВСумме>%s</УчтеноВСумме>"
                  "</Налог></ТипЦены>\n" % (type_id, _text(name), CURRENCY,
                                             "false" if key in VAT_ON_TOP else "true"))
    out.write("    </ТипыЦен>\n    <Склады>\n")
    for store_id, name in WAREHOUSES:
        out.write("      <Склад><Ид>%s</Ид><Наименование>%s</Наименование></Склад>\n"
                  % (store_id, _text(name)))
    out.write("    </Склады>\n    <Предложения>\n")
    for item in democatalog.catalog(size):
        prices = democatalog.prices(item)
        out.write("      <Предложение>\n")
        out.write("        <Ид>%s</Ид>\n" % good_id(item["sku"]))
        out.write("        <Артикул>%s</Артикул>\n" % _text(item["sku"]))
        out.write("        <Наименование>%s</Наименование>\n" % _text(item["name"]))
        out.write('        <БазоваяЕдиница Код="796" НаименованиеПолное="Штука" '
                  'МеждународноеСокращение="PCE">шт</БазоваяЕдиница>\n')
        out.write("        <Цены>\n")
        for key, type_id, _name in PRICE_TYPES:
            out.write("          <Цена><Представление>%.2f RUB за шт</Представление>"
                      "<ИдТипаЦены>%s</ИдТипаЦены><ЦенаЗаЕдиницу>%.2f</ЦенаЗаЕдиницу>"
                      "<Валюта>%s</Валюта><Единица>796</Единица><Коэффициент>1</Коэффициент>"
                      "</Цена>\n" % (prices[key], type_id, prices[key], CURRENCY))
        out.write("        </Цены>\n")
        out.write("        <Количество>%d</Количество>\n" % quantity(item))
        for store_id, qty in stock_by_warehouse(item):
            out.write('        <Склад ИдСклада="%s" КоличествоНаСкладе="%d"/>\n' % (store_id, qty))
        out.write("      </Предложение>\n")
    out.write("    </Предложения>\n  </ПакетПредложений>\n</КоммерческаяИнформация>\n")
    return out.getvalue().encode("utf-8")


def catalog_package(democatalog, size=DEFAULT_SIZE):
    """The catalog exchange of the demo: [(name, bytes)] in the order 1C sends and imports."""
    return [("import.xml", import_xml(democatalog, size)),
            ("offers.xml", offers_xml(democatalog, size))]


def write_package(folder, files):
    """Store ``files`` [(name, bytes)] under ``folder``; returns the folder."""
    for name, data in files:
        path = os.path.join(folder, *name.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as fh:
            fh.write(data)
    return folder


def zip_package(files):
    """One zip archive (bytes) of ``files``, as 1C sends with ``zip=yes``."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 15, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buf.getvalue()
