"""The catalog readers on small files of several schema versions, with and without namespace."""
import io
import os
import resource
from decimal import Decimal

import pytest

from b2b_1c_bridge.lib import cml_catalog as cml
from b2b_1c_bridge.lib.safexml import XmlRefused

IMPORT_203 = """<?xml version="1.0" encoding="UTF-8"?>
<КоммерческаяИнформация ВерсияСхемы="2.03" ДатаФормирования="2012-03-01">
  <Классификатор>
    <Ид>cls</Ид><Наименование>Классификатор (Основной каталог товаров)</Наименование>
    <Группы>
      <Группа><Ид>g-1</Ид><Наименование>Сантехника</Наименование>
        <Группы>
          <Группа><Ид>g-1-1</Ид><Наименование>Смесители</Наименование>
            <Группы><Группа><Ид>g-1-1-1</Ид><Наименование>Для кухни</Наименование></Группа></Группы>
          </Группа>
          <Группа><Ид>g-1-2</Ид><Наименование>Раковины</Наименование></Группа>
        </Группы>
      </Группа>
      <Группа><Ид>g-2</Ид><Наименование>Мебель</Наименование></Группа>
    </Группы>
  </Классификатор>
  <Каталог>
    <Ид>cat</Ид><ИдКлассификатора>cls</ИдКлассификатора><Наименование>Каталог</Наименование>
    <СодержитТолькоИзменения>true</СодержитТолькоИзменения>
    <Товары>
      <Товар>
        <Ид>p-1</Ид><Артикул>MIX-1</Артикул><Наименование>Смеситель Комфорт</Наименование>
        <БазоваяЕдиница>шт</БазоваяЕдиница>
        <Группы><Ид>g-1-1-1</Ид></Группы>
        <Описание>Хромированный</Описание>
        <Картинка>import_files/p1/p1.jpg</Картинка>
        <НеизвестныйЭлемент><Глубоко>что-то</Глубоко></НеизвестныйЭлемент>
      </Товар>
    </Товары>
  </Каталог>
</КоммерческаяИнформация>
"""

IMPORT_205 = """<?xml version="1.0" encoding="UTF-8"?>
<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" ВерсияСхемы="2.05">
  <Классификатор><Ид>cls</Ид><Наименование>К</Наименование>
    <Группы><Группа><Ид>g-1</Ид><Наименование>Сантехника</Наименование></Группа></Группы>
  </Классификатор>
  <Каталог СодержитТолькоИзменения="false">
    <Ид>cat</Ид>
    <Товары>
      <Товар>
        <Ид>p-1</Ид><Артикул>MIX-1</Артикул><Наименование>Смеситель</Наименование>
        <БазоваяЕдиница Код="796" НаименованиеПолное="Штука" МеждународноеСокращение="PCE">шт</БазоваяЕдиница>
        <Группы><Ид>g-1</Ид></Группы>
        <ЗначенияСвойств>
          <ЗначенияСвойства><Ид>prop-colour</Ид><Значение>хром</Значение></ЗначенияСвойства>
        </ЗначенияСвойств>
        <ЗначенияРеквизитов>
          <ЗначениеРеквизита><Наименование>ВидНоменклатуры</Наименование><Значение>Товар</Значение></ЗначениеРеквизита>
          <ЗначениеРеквизита><Наименование>Полное наименование</Наименование><Значение>Смеситель для кухни</Значение></ЗначениеРеквизита>
        </ЗначенияРеквизитов>
        <Статус>Удален</Статус>
      </Товар>
      <Товар><Ид>p-2</Ид><Наименование>Раковина</Наименование><ПометкаУдаления>false</ПометкаУдаления></Товар>
    </Товары>
  </Каталог>
</КоммерческаяИнформация>
"""

GOODS_210 = """<?xml version="1.0" encoding="UTF-8"?>
<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" ВерсияСхемы="2.10">
  <Классификатор><Ид>cls</Ид>
    <ТипыЦен><ТипЦены><Ид>pt-1</Ид><Наименование>Оптовая</Наименование><Валюта>RUB</Валюта></ТипЦены></ТипыЦен>
  </Классификатор>
  <Каталог СодержитТолькоИзменения="true">
    <Товары>
      <Товар Статус="Удален"><Ид>p-9</Ид><Наименование>Снят с продажи</Наименование>
        <БазоваяЕдиница Код="166" НаименованиеПолное="Килограмм">кг
          <Пересчет><Единица>796</Единица><Коэффициент>1</Коэффициент></Пересчет>
        </БазоваяЕдиница>
      </Товар>
    </Товары>
  </Каталог>
</КоммерческаяИнформация>
"""

OFFERS_205 = """<?xml version="1.0" encoding="UTF-8"?>
<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" ВерсияСхемы="2.05">
  <ПакетПредложений СодержитТолькоИзменения="false">
    <Ид>cat#</Ид>
    <ТипыЦен>
      <ТипЦены><Ид>pt-1</Ид><Наименование>Оптовая</Наименование><Валюта>руб</Валюта>
        <Налог><Наименование>НДС</Наименование><УчтеноВСумме>true</УчтеноВСумме></Налог></ТипЦены>
      <ТипЦены><Ид>pt-2</Ид><Наименование>РРЦ</Наименование><Валюта>руб</Валюта></ТипЦены>
    </ТипыЦен>
    <Предложения>
      <Предложение>
        <Ид>p-1</Ид><Наименование>Смеситель</Наименование>
        <Цены>
          <Цена><ИдТипаЦены>pt-1</ИдТипаЦены><ЦенаЗаЕдиницу>1 234,50</ЦенаЗаЕдиницу><Валюта>руб</Валюта></Цена>
          <Цена><ИдТипаЦены>pt-2</ИдТипаЦены><ЦенаЗаЕдиницу>2000</ЦенаЗаЕдиницу></Цена>
        </Цены>
        <Количество>5</Количество>
      </Предложение>
      <Предложение>
        <Ид>p-1#ch-red</Ид><Наименование>Смеситель (красный)</Наименование>
        <Цены><Цена><ИдТипаЦены>pt-1</ИдТипаЦены><ЦенаЗаЕдиницу>1300</ЦенаЗаЕдиницу></Цена></Цены>
        <Количество>0</Количество>
      </Предложение>
    </Предложения>
  </ПакетПредложений>
</КоммерческаяИнформация>
"""

RESTS_208 = """<?xml version="1.0" encoding="UTF-8"?>
<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" ВерсияСхемы="2.08">
  <ПакетПредложений СодержитТолькоИзменения="true">
    <Предложения>
      <Предложение><Ид>p-1</Ид>
        <Остатки>
          <Остаток><Склад><Ид>s-1</Ид><Количество>2</Количество></Склад></Остаток>
          <Остаток><Склад><Ид>s-2</Ид><Количество>3</Количество></Склад></Остаток>
        </Остатки>
      </Предложение>
      <Предложение><Ид>p-2</Ид><Остатки><Остаток><Количество>0</Количество></Остаток></Остатки></Предложение>
      <Предложение><Ид>p-3</Ид><Склад ИдСклада="s-1" КоличествоНаСкладе="7"/></Предложение>
      <Предложение><Ид>p-4</Ид><Цены/></Предложение>
    </Предложения>
  </ПакетПредложений>
</КоммерческаяИнформация>
"""

BAD_OFFERS = """<?xml version="1.0" encoding="UTF-8"?>
<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" ВерсияСхемы="2.07">
  <ПакетПредложений>
    <Предложения>
      <Предложение><Ид>p-1</Ид>
        <Цены><Цена><ИдТипаЦены>pt-1</ИдТипаЦены><ЦенаЗаЕдиницу>12O</ЦенаЗаЕдиницу></Цена></Цены>
      </Предложение>
      <Предложение><Наименование>без Ид</Наименование></Предложение>
      <Предложение><Ид>p-3</Ид>
        <Цены><Цена><ИдТипаЦены>pt-1</ИдТипаЦены><ЦенаЗаЕдиницу>-5</ЦенаЗаЕдиницу></Цена></Цены>
        <Количество>много</Количество>
      </Предложение>
      <Предложение><Ид>p-4</Ид></Предложение>
    </Предложения>
  </ПакетПредложений>
</КоммерческаяИнформация>
"""


def read(reader, text, name="file.xml"):
    items = list(reader(io.BytesIO(text.encode("utf-8")), name))
    header = items[0]
    assert isinstance(header, cml.FileHeader)
    return header, items[1:]


def of(items, kind):
    return [item for item in items if isinstance(item, kind)]


def test_nested_groups_of_203_without_namespace_name_their_parent():
    header, items = read(cml.read_catalog, IMPORT_203)
    assert header.version == "2.03"
    assert header.changes_only is True, "2.03 says it in an element"
    groups = {g.id: (g.name, g.parent_id) for g in of(items, cml.Group)}
    assert groups == {
        "g-1": ("Сантехника", None), "g-1-1": ("Смесители", "g-1"),
        "g-1-1-1": ("Для кухни", "g-1-1"), "g-1-2": ("Раковины", "g-1"), "g-2": ("Мебель", None),
    }
    # parents come before their children, so a reader can create them in order
    order = [g.id for g in of(items, cml.Group)]
    assert order.index("g-1") < order.index("g-1-1") < order.index("g-1-1-1")
    (product,) = of(items, cml.Product)
    assert (product.id, product.sku, product.name) == ("p-1", "MIX-1", "Смеситель Комфорт")
    assert product.unit == cml.Unit(code="", name="шт", full_name="", intl="")
    assert product.group_ids == ("g-1-1-1",)
    assert product.description == "Хромированный"
    assert product.images == ("import_files/p1/p1.jpg",)
    assert product.archived is False
    assert product.line == 21
    assert not of(items, cml.Problem)


def test_goods_of_205_with_namespace_unit_properties_requisites_and_deletion():
    header, items = read(cml.read_catalog, IMPORT_205)
    assert (header.version, header.changes_only) == ("2.05", False)
    first, second = of(items, cml.Product)
    assert first.unit == cml.Unit("796", "шт", "Штука", "PCE")
    assert first.properties == {"prop-colour": ["хром"]}
    assert first.requisites["Полное наименование"] == "Смеситель для кухни"
    assert first.archived is True, "Статус Удален"
    assert (second.id, second.sku, second.unit, second.group_ids, second.archived) == (
        "p-2", "", None, (), False)


def test_split_goods_file_of_210_with_price_types_and_status_attribute():
    header, items = read(cml.read_catalog, GOODS_210, "goods___1.xml")
    assert (header.version, header.changes_only) == ("2.10", True)
    assert of(items, cml.PriceType) == [cml.PriceType("pt-1", "Оптовая", "RUB", None, 4)]
    (product,) = of(items, cml.Product)
    assert product.archived is True
    assert product.unit.code == "166" and product.unit.name == "кг", "conversion children ignored"


def test_offers_with_price_types_prices_quantities_and_characteristics():
    header, items = read(cml.read_offers, OFFERS_205)
    assert header.changes_only is False
    types = of(items, cml.PriceType)
    assert [(t.id, t.name, t.currency, t.vat_included) for t in types] == [
        ("pt-1", "Оптовая", "руб", True), ("pt-2", "РРЦ", "руб", None)]
    plain, red = of(items, cml.Offer)
    assert (plain.product_id, plain.characteristic_id, plain.quantity) == ("p-1", "", Decimal(5))
    assert plain.prices == (cml.Price("pt-1", Decimal("1234.50"), "руб", 14),
                            cml.Price("pt-2", Decimal(2000), "", 15))
    assert (red.id, red.product_id, red.characteristic_id) == ("p-1#ch-red", "p-1", "ch-red")
    assert red.quantity == 0


def test_rests_file_of_208_sums_the_stores():
    header, items = read(cml.read_offers, RESTS_208, "rests___1.xml")
    assert header.changes_only is True
    quantities = {o.id: o.quantity for o in of(items, cml.Offer)}
    assert quantities == {"p-1": Decimal(5), "p-2": Decimal(0), "p-3": Decimal(7), "p-4": None}
    assert all(o.prices == () for o in of(items, cml.Offer))


def test_every_bad_record_is_a_located_problem_and_reading_goes_on():
    _header, items = read(cml.read_offers, BAD_OFFERS, "offers.xml")
    problems = of(items, cml.Problem)
    located = [(p.line, p.field) for p in problems]
    assert located == [(6, "Цена/ЦенаЗаЕдиницу"), (8, "Предложение/Ид"),
                       (10, "Цена/ЦенаЗаЕдиницу"), (11, "Предложение/Количество")]
    assert str(problems[0]) == "offers.xml, line 6, Цена/ЦенаЗаЕдиницу: 12O is not a number."
    assert str(problems[2]) == "offers.xml, line 10, Цена/ЦенаЗаЕдиницу: -5 must not be negative."
    offers = {o.id: o for o in of(items, cml.Offer)}
    assert list(offers) == ["p-1", "p-3", "p-4"], "an offer without Ид is the only one left out"
    assert offers["p-1"].prices == () and offers["p-3"].prices == (), "bad prices are left out"
    assert offers["p-3"].quantity is None, "a quantity that is not a number: stock unchanged"


def test_goods_without_id_or_name_and_escaping_pictures_are_problems():
    text = IMPORT_205.replace("<Ид>p-2</Ид>", "").replace(
        "<Наименование>Смеситель</Наименование>",
        "<Наименование></Наименование><Картинка>../../etc/passwd</Картинка>")
    _header, items = read(cml.read_catalog, text, "import.xml")
    messages = [str(p) for p in of(items, cml.Problem)]
    assert messages == [
        "import.xml, line 9, Товар/Наименование: the value is missing.",
        "import.xml, line 10, Товар/Картинка: the picture path ../../etc/passwd leaves the "
        "exchange folder.",
        "import.xml, line 22, Товар/Ид: the value is missing.",
    ]
    assert of(items, cml.Product) == []


def test_wrong_root_and_version_are_refused_before_any_record():
    _header, items = None, list(cml.read_catalog(io.BytesIO(
        "<Документ><Ид>1</Ид></Документ>".encode("utf-8")), "x.xml"))
    assert len(items) == 1 and "root element must be КоммерческаяИнформация" in str(items[0])
    items = list(cml.read_offers(io.BytesIO(OFFERS_205.replace('"2.05"', '"1.021"').encode()),
                                 "offers.xml"))
    assert [str(i) for i in items] == [
        "offers.xml, line 2, ВерсияСхемы: schema version 1.021 is not supported; versions 2.03 "
        "to 2.10 and 3.1 are read."]


def test_hostile_xml_is_refused_by_the_hardened_parser():
    xxe = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
           '<КоммерческаяИнформация><Каталог><Товары><Товар><Ид>&e;</Ид></Товар></Товары>'
           '</Каталог></КоммерческаяИнформация>')
    with pytest.raises(XmlRefused) as caught:
        list(cml.read_catalog(io.BytesIO(xxe.encode()), "import.xml"))
    assert "document type declaration" in str(caught.value)
    broken = IMPORT_205.replace("</Товары>", "</Товар>")
    with pytest.raises(XmlRefused) as caught:
        list(cml.read_catalog(io.BytesIO(broken.encode()), "import.xml"))
    assert "import.xml, line" in str(caught.value) and "not well-formed" in str(caught.value)


def test_memory_stays_bounded_on_a_large_file(tmp_path):
    path = tmp_path / "import.xml"
    good = ("<Товар><Ид>%08d</Ид><Артикул>A-%d</Артикул><Наименование>Товар номер %d с длинным "
            "названием</Наименование><БазоваяЕдиница Код=\"796\">шт</БазоваяЕдиница>"
            "<Группы><Ид>g</Ид></Группы><Описание>" + "описание " * 20 + "</Описание></Товар>\n")
    with open(path, "w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<КоммерческаяИнформация '
                  'xmlns="urn:1C.ru:commerceml_2" ВерсияСхемы="2.08"><Каталог><Товары>\n')
        for i in range(100000):
            out.write(good % (i, i, i))
        out.write("</Товары></Каталог></КоммерческаяИнформация>\n")
    assert os.path.getsize(path) > 40 * 1024 * 1024
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    count = 0
    for item in cml.read_catalog(str(path), "import.xml"):
        count += isinstance(item, cml.Product)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert count == 100000
    assert grown_mb < 40, "the reader kept %.0f MB" % grown_mb


def test_several_problems_are_refused_together_by_the_first_one_and_a_count():
    _header, items = read(cml.read_offers, BAD_OFFERS, "offers.xml")
    problems = of(items, cml.Problem)
    refused = cml.refusal("offers.xml", problems)
    assert refused.render() == ("offers.xml, line 6, Цена/ЦенаЗаЕдиницу: 12O is not a number. "
                                "Other problems in this file: 3. Nothing was imported.")
    # stored and raised again (a refusal of an import job) it still locates the first problem
    again = cml.ExchangeRefused(refused.template, **refused.params)
    assert again.render() == "offers.xml, line 6, Цена/ЦенаЗаЕдиницу: 12O is not a number."
    assert (again.params["file"], again.params["line"]) == ("offers.xml", 6)
    assert cml.refusal("offers.xml", problems[:1]) is problems[0]


PROPERTIES_208 = """<?xml version="1.0" encoding="UTF-8"?>
<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" ВерсияСхемы="2.08">
  <Классификатор><Ид>c</Ид><Наименование>К</Наименование>
    <Свойства>
      <Свойство><Ид>prop-colour</Ид><Наименование>Цвет</Наименование>
        <ТипЗначений>Справочник</ТипЗначений>
        <ВариантыЗначений>
          <Справочник><ИдЗначения>v-1</ИдЗначения><Значение>хром</Значение></Справочник>
          <Справочник><ИдЗначения>v-2</ИдЗначения><Значение>бронза</Значение></Справочник>
        </ВариантыЗначений>
      </Свойство>
      <Свойство><Ид>prop-country</Ид><Наименование>Страна</Наименование></Свойство>
      <Свойство><Ид>prop-nameless</Ид></Свойство>
    </Свойства>
  </Классификатор>
  <Каталог><Товары>
    <Товар><Ид>p-1</Ид><Наименование>Смеситель</Наименование>
      <ЗначенияСвойств>
        <ЗначенияСвойства><Ид>prop-colour</Ид><Значение>v-2</Значение></ЗначенияСвойства>
        <ЗначенияСвойства><Ид>prop-country</Ид><Значение>Италия</Значение></ЗначенияСвойства>
      </ЗначенияСвойств>
    </Товар>
    <Товар><Ид>p-2</Ид><Наименование>Раковина</Наименование><ЗначенияСвойств/></Товар>
    <Товар><Ид>p-3</Ид><Наименование>Труба</Наименование></Товар>
  </Товары></Каталог>
</КоммерческаяИнформация>
"""


def test_classifier_properties_with_their_value_lists_and_the_goods_values():
    _header, items = read(cml.read_catalog, PROPERTIES_208)
    colour, country = of(items, cml.Property)
    assert (colour.id, colour.name, colour.options) == (
        "prop-colour", "Цвет", {"v-1": "хром", "v-2": "бронза"})
    assert (country.id, country.name, country.options) == ("prop-country", "Страна", {})
    (problem,) = of(items, cml.Problem)
    assert str(problem) == "file.xml, line 13, Свойство/Наименование: the value is missing."
    first, second, third = of(items, cml.Product)
    assert first.properties == {"prop-colour": ["v-2"], "prop-country": ["Италия"]}
    assert second.properties == {}, "an empty list: the product has no properties any more"
    assert third.properties is None, "nothing said: the product's properties stay as they are"


UNITS_208 = """<?xml version="1.0" encoding="UTF-8"?>
<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" ВерсияСхемы="2.08">
  <Каталог СодержитТолькоИзменения="false">
    <Ид>cat</Ид><ИдКлассификатора>cls</ИдКлассификатора><Наименование>Каталог</Наименование>
    <Товары>
      <Товар><Ид>p-text</Ид><Наименование>Пробка</Наименование>
        <БазоваяЕдиница>упак</БазоваяЕдиница></Товар>
      <Товар><Ид>p-attr</Ид><Наименование>Перчатки</Наименование>
        <БазоваяЕдиница Код="715" НаименованиеПолное="Пара (2 шт.)" МеждународноеСокращение="NPR">пар</БазоваяЕдиница></Товар>
      <Товар><Ид>p-kids</Ид><Наименование>Плитка</Наименование>
        <БазоваяЕдиница>
          <Код>055</Код>
          <НаименованиеКраткое>м2</НаименованиеКраткое>
          <НаименованиеПолное>Квадратный метр</НаименованиеПолное>
          <МеждународноеСокращение>MTK</МеждународноеСокращение>
        </БазоваяЕдиница></Товар>
      <Товар><Ид>p-none</Ид><Наименование>Кран</Наименование><БазоваяЕдиница/></Товар>
    </Товары>
  </Каталог>
</КоммерческаяИнформация>
"""


def test_units_written_as_text_as_attributes_and_as_child_elements():
    _header, items = read(cml.read_catalog, UNITS_208)
    units = {p.id: p.unit for p in of(items, cml.Product)}
    assert units == {
        "p-text": cml.Unit("", "упак", "", ""),
        "p-attr": cml.Unit("715", "пар", "Пара (2 шт.)", "NPR"),
        "p-kids": cml.Unit("055", "м2", "Квадратный метр", "MTK"),
        "p-none": None,
    }
    assert not of(items, cml.Problem)


VAT_GOODS = """<?xml version="1.0" encoding="UTF-8"?>
<КоммерческаяИнформация ВерсияСхемы="2.05">
  <Каталог СодержитТолькоИзменения="false"><Ид>c</Ид><Наименование>К</Наименование>
    <Товары>
      <Товар><Ид>p-1</Ид><Наименование>Смеситель</Наименование>
        <СтавкиНалогов><СтавкаНалога><Наименование>НДС</Наименование><Ставка>10%</Ставка></СтавкаНалога></СтавкиНалогов>
      </Товар>
      <Товар><Ид>p-2</Ид><Наименование>Книга</Наименование>
        <СтавкиНалогов><СтавкаНалога><Наименование>НДС</Наименование><Ставка>Без НДС</Ставка></СтавкаНалога></СтавкиНалогов>
      </Товар>
      <Товар><Ид>p-3</Ид><Наименование>Раковина</Наименование></Товар>
      <Товар><Ид>p-4</Ид><Наименование>Ванна</Наименование>
        <СтавкиНалогов><СтавкаНалога><Наименование>НДС</Наименование><Ставка>двадцать</Ставка></СтавкаНалога></СтавкиНалогов>
      </Товар>
    </Товары>
  </Каталог>
</КоммерческаяИнформация>
"""


def test_goods_vat_rate_from_their_tax_rates():
    _header, items = read(cml.read_catalog, VAT_GOODS, "import.xml")
    rates = {product.id: product.vat_rate for product in of(items, cml.Product)}
    assert rates == {"p-1": 10.0, "p-2": 0.0, "p-3": None, "p-4": None}
    (problem,) = of(items, cml.Problem)
    assert "import.xml" in str(problem) and "двадцать" in str(problem)
    assert problem.line == 13
    assert cml.vat_rate_value("20") == 20.0 and cml.vat_rate_value("120") is None
