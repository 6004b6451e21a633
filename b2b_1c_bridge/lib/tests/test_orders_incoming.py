"""Reading the orders 1C sends back (changes and statuses of portal orders, orders taken by phone)
as real 1C configurations write them: windows-1251, extra elements, dates with and without time,
numbers with spaces and commas; a document that cannot be used is skipped with its line, the
others are read."""
import datetime
import io

import pytest

from b2b_1c_bridge.lib import orders as cml
from b2b_1c_bridge.lib.protocol import FileRefused

# an export of 1C's site exchange module (УТ 11): requisites the portal does not use, a line of a
# service without a product Ид, units, taxes and discounts on lines, 1C's own number and status
EXPORT = """<?xml version="1.0" encoding="windows-1251"?>
<!-- 1С:Управление торговлей 11.4, обмен с сайтом -->
<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" xmlns:xs="http://www.w3.org/2001/XMLSchema" ВерсияСхемы="2.05" ДатаФормирования="2024-05-02T11:04:10">
<Документ>
  <Ид>5b1e7c1a-2f4d-4c8e-9a61-0d3f8e2b7c45</Ид>
  <Номер>S00042</Номер>
  <Дата>2024-05-01</Дата>
  <ХозОперация>Заказ товара</ХозОперация>
  <Роль>Продавец</Роль>
  <Валюта>руб</Валюта>
  <Курс>1</Курс>
  <Сумма>12 345,50</Сумма>
  <Контрагенты>
    <Контрагент>
      <Ид>cp-alfa</Ид>
      <Наименование>Альфа-Дилер ООО</Наименование>
      <ОфициальноеНаименование>ООО "Альфа-Дилер"</ОфициальноеНаименование>
      <ИНН>7701000000</ИНН>
      <КПП>770101001</КПП>
      <Роль>Покупатель</Роль>
    </Контрагент>
  </Контрагенты>
  <Время>14:07:09</Время>
  <Комментарий>Позвоните за час</Комментарий>
  <Налоги><Налог><Наименование>НДС</Наименование><УчтеноВСумме>true</УчтеноВСумме><Сумма>2 057,58</Сумма></Налог></Налоги>
  <Товары>
    <Товар>
      <Ид>p-1#c-42</Ид>
      <Артикул>BT-42</Артикул>
      <Наименование>Ботинки рабочие, 42</Наименование>
      <БазоваяЕдиница Код="715" НаименованиеПолное="Пара (2 шт.)" МеждународноеСокращение="NPR">пар</БазоваяЕдиница>
      <ЦенаЗаЕдиницу>2 500,00</ЦенаЗаЕдиницу>
      <Количество>4</Количество>
      <Сумма>9 000,00</Сумма>
      <Единица>пар</Единица>
      <Коэффициент>1</Коэффициент>
      <Скидки><Скидка><Наименование>Скидка</Наименование><Сумма>1 000</Сумма><УчтеноВСумме>true</УчтеноВСумме></Скидка></Скидки>
      <ЗначенияРеквизитов>
        <ЗначениеРеквизита><Наименование>ВидНоменклатуры</Наименование><Значение>Товар</Значение></ЗначениеРеквизита>
      </ЗначенияРеквизитов>
    </Товар>
    <Товар>
      <Наименование>Доставка</Наименование>
      <ЦенаЗаЕдиницу>3345,5</ЦенаЗаЕдиницу>
      <Количество>1</Количество>
      <Сумма>3345,5</Сумма>
    </Товар>
  </Товары>
  <ЗначенияРеквизитов>
    <ЗначениеРеквизита><Наименование>Номер по 1С</Наименование><Значение>ЗК-000123</Значение></ЗначениеРеквизита>
    <ЗначениеРеквизита><Наименование>Дата по 1С</Наименование><Значение>2024-05-01T14:07:09</Значение></ЗначениеРеквизита>
    <ЗначениеРеквизита><Наименование>Проведен</Наименование><Значение>true</Значение></ЗначениеРеквизита>
    <ЗначениеРеквизита><Наименование>ПометкаУдаления</Наименование><Значение>false</Значение></ЗначениеРеквизита>
    <ЗначениеРеквизита><Наименование>Договор</Наименование><Значение>ct-alfa</Значение></ЗначениеРеквизита>
    <ЗначениеРеквизита><Наименование>Желаемая дата отгрузки</Наименование><Значение>10.05.2024 0:00:00</Значение></ЗначениеРеквизита>
    <ЗначениеРеквизита><Наименование>Статус заказа</Наименование><Значение>[N]   Принят</Значение></ЗначениеРеквизита>
    <ЗначениеРеквизита><Наименование>Дата изменения статуса</Наименование><Значение>2024-05-01 14:10</Значение></ЗначениеРеквизита>
  </ЗначенияРеквизитов>
</Документ>
<Документ>
  <Ид>1c-phone-7</Ид>
  <Номер>ЗК-000777</Номер>
  <Дата>2024-05-02T09:15:00</Дата>
  <ХозОперация>Заказ товара</ХозОперация>
  <Сумма>много</Сумма>
</Документ>
<Документ>
  <Ид>pay-1</Ид>
  <Номер>ПКО-1</Номер>
  <Дата>2024-05-02</Дата>
  <ХозОперация>Выплата наличных денег</ХозОперация>
  <Сумма>не сумма</Сумма>
</Документ>
<Документ>
  <Номер>ЗК-000778</Номер>
  <Дата>02.05.2024 9:05:00</Дата>
  <ХозОперация>Заказ товара</ХозОперация>
  <Товары><Товар><Ид>p-2</Ид><ЦенаЗаЕдиницу>1 234.5</ЦенаЗаЕдиницу><Количество>0,5</Количество></Товар></Товары>
  <ЗначенияРеквизитов>
    <ЗначениеРеквизита><Наименование>Статус заказа</Наименование><Значение>В пути</Значение></ЗначениеРеквизита>
  </ЗначенияРеквизитов>
</Документ>
</КоммерческаяИнформация>
""".encode("cp1251")


def read(data, name="orders.xml"):
    skipped = []
    orders = list(cml.read_orders(io.BytesIO(data), name, skipped.extend))
    return orders, skipped


def test_a_real_export_in_windows_1251_is_read_and_the_unusable_document_skipped():
    orders, skipped = read(EXPORT)
    assert [o.number for o in orders] == ["S00042", "ЗК-000778"]
    first, second = orders
    assert first.guid == "5b1e7c1a-2f4d-4c8e-9a61-0d3f8e2b7c45"
    assert first.date == datetime.datetime(2024, 5, 1, 14, 7, 9)
    assert first.amount == 12345.5
    assert first.counterparty_id == "cp-alfa" and first.contract_id == "ct-alfa"
    assert first.status == "[N] Принят" and not first.cancelled and not first.deleted
    assert first.onec_number == "ЗК-000123"
    assert first.desired_date == datetime.date(2024, 5, 10)
    assert first.comment == "Позвоните за час"
    assert [(l.product_id, l.characteristic, l.price, l.qty, l.amount) for l in first.lines] == [
        ("p-1", "c-42", 2500.0, 4.0, 9000.0)]
    # the service line without a product Ид is left out, with its line
    (problem,) = first.problems
    assert problem.line == 42 and problem.field == "Документ/Товары/Товар"
    assert "order S00042" in str(problem) and "imported without it" in str(problem)
    # the status and the contract are located for the warnings about them
    assert first.where == {"status": 56, "contract": 54, "counterparty": 15}
    # a date with a time of 1C's own presentation; a number with a space, one with a comma
    assert second.date == datetime.datetime(2024, 5, 2, 9, 5)
    assert second.guid == "" and second.status == "В пути"
    assert [(l.price, l.qty, l.amount) for l in second.lines] == [(1234.5, 0.5, 617.25)]
    # the phone order whose Сумма cannot be read is skipped with its line and element; the
    # payment (another business operation) is passed over, its amount is not read
    (bad,) = skipped
    assert isinstance(bad, FileRefused)
    assert (bad.file, bad.line, bad.field) == ("orders.xml", 65, "Документ/Сумма")
    assert str(bad) == "orders.xml, line 65: Документ/Сумма is not a number: много."


def test_dates_with_and_without_time():
    def when(text):
        return cml.parse_datetime(text, "Дата", "o.xml", 3)

    assert when("2024-05-01") == (datetime.date(2024, 5, 1), None)
    assert when("2024-05-01T09:30:00") == (datetime.date(2024, 5, 1), datetime.time(9, 30))
    assert when("2024-05-01 09:30") == (datetime.date(2024, 5, 1), datetime.time(9, 30))
    assert when("2024-05-01T09:30:15.123+03:00") == (datetime.date(2024, 5, 1),
                                                     datetime.time(9, 30, 15))
    assert when("01.05.2024") == (datetime.date(2024, 5, 1), None)
    assert when("1.5.2024 7:05:00") == (datetime.date(2024, 5, 1), datetime.time(7, 5))
    assert when("") == (None, None)
    assert when("0001-01-01T00:00:00") == (None, None)
    assert when("01.01.0001 0:00:00") == (None, None)
    for wrong in ("2024-13-01", "31.02.2024", "вчера", "2024/05/01"):
        with pytest.raises(FileRefused) as info:
            when(wrong)
        assert str(info.value) == "o.xml, line 3: Дата is not a date (YYYY-MM-DD): %s." % wrong
    assert cml.parse_time("9:30") == datetime.time(9, 30)
    assert cml.parse_time("") is None and cml.parse_time("утро") is None


def test_numbers_with_spaces_and_commas():
    def number(text):
        return cml.parse_number(text, "Количество", "o.xml", 7, default=None)

    assert number("1 234,50") == 1234.5
    assert number("1\u00a0234.5") == 1234.5
    assert number("12\u202f000") == 12000.0
    assert number(" 0,125 ") == 0.125
    assert number("") is None
    with pytest.raises(FileRefused) as info:
        number("-1")
    assert "cannot be negative" in str(info.value) and info.value.line == 7
    for wrong in ("1.234,5", "NaN", "два"):
        with pytest.raises(FileRefused):
            number(wrong)


def test_time_of_the_document_comes_from_its_own_element_else_from_its_date():
    body = ("<?xml version='1.0' encoding='UTF-8'?><КоммерческаяИнформация ВерсияСхемы='2.10'>"
            "<Документ><Ид>a</Ид><Дата>2024-05-01T08:00:00</Дата><Время>9:45</Время></Документ>"
            "<Документ><Ид>b</Ид><Дата>2024-05-01T08:00:00</Дата></Документ>"
            "<Документ><Ид>c</Ид><Дата>2024-05-01</Дата><Время></Время></Документ>"
            "</КоммерческаяИнформация>").encode("utf-8")
    orders, skipped = read(body)
    assert skipped == []
    assert [o.date.time() for o in orders] == [datetime.time(9, 45), datetime.time(8, 0),
                                               datetime.time(0, 0)]


def test_without_a_skip_the_first_unusable_document_is_raised():
    body = ("<?xml version='1.0' encoding='UTF-8'?><КоммерческаяИнформация>\n"
            "<Документ><Дата>2024-05-01</Дата></Документ></КоммерческаяИнформация>").encode()
    with pytest.raises(FileRefused) as info:
        list(cml.read_orders(io.BytesIO(body), "o.xml"))
    assert info.value.line == 2 and info.value.field == "Документ"


def test_the_default_status_map_holds_the_statuses_1c_sends_out_of_the_box():
    shipped = cml.default_statuses()
    mapping = cml.status_map((status.name, status.state) for status in shipped)
    assert len(mapping) == len(shipped), "no status twice (case, spaces and ё aside)"
    expected = {
        "[N] Принят": "draft", "Принят": "draft", "Новый": "draft", "Не согласован": "draft",
        "Согласован": "sale", "В работе": "sale", "К выполнению / В резерве": "sale",
        "К выполнению": "sale", "В резерве": "sale", "Оплачен": "sale", "[P] Оплачен": "sale",
        "Отгружен": "done", "[F] Выполнен": "done", "Выполнен": "done", "Закрыт": "done",
        "Отменён": "cancel",
    }
    for status, state in expected.items():
        assert cml.target_state(status, False, mapping) == state, status
    assert all(status.xmlid.startswith("onec_status_") for status in shipped)
    assert {status.state for status in shipped} <= set(cml.STATES)
