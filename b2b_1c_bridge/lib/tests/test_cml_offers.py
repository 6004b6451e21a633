"""The offers reader record by record, on files shaped like 1C's: what cannot be used is a
located problem and only that part of the offer is left out; an empty price is no price."""
import io
from decimal import Decimal

from b2b_1c_bridge.lib import cml_catalog as cml

# windows-1251, no namespace, comments, a price on request written both ways, numbers with
# spaces and commas, a price type nobody declared, a bad price beside a good one
OFFERS = """<?xml version="1.0" encoding="windows-1251"?>
<!-- выгружено из 1С:Управление торговлей 11 -->
<КоммерческаяИнформация ВерсияСхемы="2.08" ДатаФормирования="2026-11-20T09:00:00">
  <ПакетПредложений СодержитТолькоИзменения="true">
    <Ид>cat#</Ид>
    <ТипыЦен><ТипЦены><Ид>pt-1</Ид><Наименование>Опт</Наименование><Валюта>643</Валюта></ТипЦены></ТипыЦен>
    <Предложения>
      <Предложение><Ид>p-1</Ид><!-- цена по запросу -->
        <Цены>
          <Цена><ИдТипаЦены>pt-1</ИдТипаЦены><ЦенаЗаЕдиницу/><Валюта>руб</Валюта></Цена>
          <Цена><ИдТипаЦены>pt-2</ИдТипаЦены><ЦенаЗаЕдиницу>1 200,50</ЦенаЗаЕдиницу></Цена>
        </Цены>
      </Предложение>
      <Предложение><Ид>p-2</Ид>
        <Цены>
          <Цена><ИдТипаЦены>pt-1</ИдТипаЦены><Представление>по запросу</Представление></Цена>
          <Цена><ИдТипаЦены>pt-2</ИдТипаЦены><ЦенаЗаЕдиницу>12O</ЦенаЗаЕдиницу></Цена>
          <Цена><ЦенаЗаЕдиницу>5</ЦенаЗаЕдиницу></Цена>
          <Цена><ИдТипаЦены>pt-3</ИдТипаЦены><ЦенаЗаЕдиницу>99</ЦенаЗаЕдиницу></Цена>
        </Цены>
        <Количество>0</Количество>
      </Предложение>
      <Предложение><Ид>p-3</Ид><Количество>два</Количество></Предложение>
      <Предложение><Ид>#char-only</Ид></Предложение>
      <Предложение><Ид>p-4</Ид><Количество>1 250,5</Количество></Предложение>
    </Предложения>
  </ПакетПредложений>
</КоммерческаяИнформация>
"""


def read(text, name="prices___1.xml", encoding="windows-1251"):
    items = list(cml.read_offers(io.BytesIO(text.encode(encoding)), name))
    header = items[0]
    assert isinstance(header, cml.FileHeader)
    return header, [i for i in items[1:] if isinstance(i, cml.Offer)], \
        [i for i in items[1:] if isinstance(i, cml.Problem)]


def test_an_empty_or_missing_price_is_no_price_of_that_type():
    header, offers, _problems = read(OFFERS)
    assert header.changes_only is True
    by_id = {o.id: o for o in offers}
    assert by_id["p-1"].prices == (cml.Price("pt-1", None, "руб", 10),
                                   cml.Price("pt-2", Decimal("1200.50"), "", 11))
    assert by_id["p-2"].prices[0] == cml.Price("pt-1", None, "", 16), \
        "a Цена without ЦенаЗаЕдиницу: price on request too"


def test_a_bad_price_leaves_out_that_price_only_and_a_bad_quantity_the_stock_only():
    _header, offers, problems = read(OFFERS)
    by_id = {o.id: o for o in offers}
    assert [str(p) for p in problems] == [
        "prices___1.xml, line 17, Цена/ЦенаЗаЕдиницу: 12O is not a number.",
        "prices___1.xml, line 18, Цена/ИдТипаЦены: the value is missing.",
        "prices___1.xml, line 23, Предложение/Количество: два is not a number.",
        "prices___1.xml, line 24, Предложение/Ид: the value is missing.",
    ]
    assert [p.price_type_id for p in by_id["p-2"].prices] == ["pt-1", "pt-3"], \
        "the other prices of the offer are kept (the price type is checked by the importer)"
    assert by_id["p-2"].quantity == 0, "zero: on order"
    assert (by_id["p-3"].prices, by_id["p-3"].quantity) == ((), None)
    assert by_id["p-4"].quantity == Decimal("1250.5")
    assert by_id["p-1"].quantity is None, "no Количество: the stock stays as it is"
    assert list(by_id) == ["p-1", "p-2", "p-3", "p-4"], "every offer with an Ид comes"


def test_utf8_with_bom_and_namespace_read_alike():
    text = OFFERS.replace('encoding="windows-1251"', 'encoding="UTF-8"').replace(
        "<КоммерческаяИнформация ", '<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" ')
    items = list(cml.read_offers(io.BytesIO(b"\xef\xbb\xbf" + text.encode("utf-8")), "o.xml"))
    assert [o.id for o in items if isinstance(o, cml.Offer)] == ["p-1", "p-2", "p-3", "p-4"]
    assert len([p for p in items if isinstance(p, cml.Problem)]) == 4


# the warehouses of the package, then stock written in each of the ways 1C writes it
STOCK = """<?xml version="1.0" encoding="UTF-8"?>
<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" ВерсияСхемы="2.10">
  <Классификатор><Склады><Склад><Ид>s-cls</Ид><Наименование>Склад классификатора</Наименование></Склад></Склады></Классификатор>
  <ПакетПредложений>
    <Склады>
      <Склад><Ид>s-1</Ид><Наименование>Москва, основной</Наименование><Адрес><Представление>МКАД 1</Представление></Адрес></Склад>
      <Склад><Ид>s-2</Ид><Наименование>Екатеринбург</Наименование></Склад>
      <Склад><Наименование>без Ид</Наименование></Склад>
    </Склады>
    <Предложения>
      <Предложение><Ид>p-1</Ид><Количество>10</Количество>
        <Склад ИдСклада="s-1" КоличествоНаСкладе="4"/><Склад ИдСклада="s-2" КоличествоНаСкладе="2,5"/></Предложение>
      <Предложение><Ид>p-2</Ид><Остатки>
          <Остаток><Склад><Ид>s-1</Ид><Количество>0</Количество></Склад></Остаток>
          <Остаток><Склад><Ид>s-2</Ид></Склад><Количество>3</Количество></Остаток>
          <Остаток><Склад><Ид>s-2</Ид><Количество>1</Количество></Склад></Остаток>
      </Остатки></Предложение>
      <Предложение><Ид>p-3</Ид><Количество>0</Количество></Предложение>
      <Предложение><Ид>p-4</Ид><Склад ИдСклада="s-1" КоличествоНаСкладе="4"/><Склад ИдСклада="s-2" КоличествоНаСкладе="x"/></Предложение>
      <Предложение><Ид>p-5</Ид><Наименование>без остатков</Наименование></Предложение>
    </Предложения>
  </ПакетПредложений>
</КоммерческаяИнформация>
"""


def test_stock_per_warehouse_in_every_form_with_the_warehouses_of_the_package():
    items = list(cml.read_offers(io.BytesIO(STOCK.encode("utf-8")), "rests___1.xml"))
    warehouses = [i for i in items if isinstance(i, cml.Warehouse)]
    assert warehouses == [cml.Warehouse("s-cls", "Склад классификатора", 3),
                          cml.Warehouse("s-1", "Москва, основной", 6),
                          cml.Warehouse("s-2", "Екатеринбург", 7)]
    offers = {o.id: o for o in items if isinstance(o, cml.Offer)}
    assert (offers["p-1"].quantity, offers["p-1"].stocks) == (
        Decimal("6.5"), (("s-1", Decimal(4)), ("s-2", Decimal("2.5")))), \
        "the warehouses are summed; Количество beside them is not counted twice"
    assert (offers["p-2"].quantity, offers["p-2"].stocks) == (
        Decimal(4), (("s-1", Decimal(0)), ("s-2", Decimal(4)))), \
        "Остаток/Склад/Ид with its Количество inside or beside it; one warehouse twice: summed"
    assert (offers["p-3"].quantity, offers["p-3"].stocks) == (Decimal(0), None), "on order"
    assert (offers["p-4"].quantity, offers["p-4"].stocks) == (None, None), \
        "a warehouse quantity that is not a number leaves the offer's stock as it is"
    assert (offers["p-5"].quantity, offers["p-5"].stocks) == (None, None), "no quantity at all"
    assert [str(p) for p in items if isinstance(p, cml.Problem)] == [
        "rests___1.xml, line 8, Склад/Ид: the value is missing.",
        "rests___1.xml, line 19, Склад/КоличествоНаСкладе: x is not a number."]
