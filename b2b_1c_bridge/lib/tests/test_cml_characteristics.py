"""Goods 1C sends one per characteristic: the reader gives their characteristics, and the name
of the product they are variants of."""
import io

from b2b_1c_bridge.lib import cml_catalog as cml

GOODS = """<?xml version="1.0" encoding="UTF-8"?>
<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" ВерсияСхемы="2.08">
  <Каталог><Ид>cat</Ид><Товары>
    <Товар><Ид>shoe#c42</Ид><Наименование>Кроссовки (42, синий)</Наименование>
      <ХарактеристикиТовара>
        <ХарактеристикаТовара><Наименование>Размер</Наименование><Значение>42</Значение></ХарактеристикаТовара>
        <!-- a characteristic without a value says nothing -->
        <ХарактеристикаТовара><Наименование>Рост</Наименование><Значение/></ХарактеристикаТовара>
        <ХарактеристикаТовара><Наименование>Цвет</Наименование><Значение>синий</Значение></ХарактеристикаТовара>
      </ХарактеристикиТовара>
    </Товар>
    <Товар><Ид>pipe</Ид><Наименование>Труба</Наименование></Товар>
  </Товары></Каталог>
</КоммерческаяИнформация>
""".encode("utf-8")


def test_reader_gives_the_characteristics_of_a_good():
    products = [r for r in cml.read_catalog(io.BytesIO(GOODS), "import.xml")
                if isinstance(r, cml.Product)]
    assert [(p.id, p.characteristics) for p in products] == [
        ("shoe#c42", (("Размер", "42"), ("Цвет", "синий"))),
        ("pipe", ()),
    ]


def test_base_name_drops_the_characteristic_suffix_only():
    chars = (("Размер", "42"), ("Цвет", "Синий"))
    assert cml.base_name("Кроссовки (42, синий)", chars) == "Кроссовки"
    assert cml.base_name("Кроссовки (42)", chars) == "Кроссовки"
    assert cml.base_name("Кабель (бухта 100 м)", chars) == "Кабель (бухта 100 м)"
    assert cml.base_name("Кроссовки (42, синий)", ()) == "Кроссовки (42, синий)"
    assert cml.base_name("(42)", chars) == "(42)"
