import datetime
import io
import os

import pytest
from lxml import etree

from b2b_base.tools import checkout
from b2b_1c_bridge.lib import okei
from b2b_1c_bridge.lib import orders as cml
from b2b_1c_bridge.lib.protocol import ExchangeRefused

NS = "{urn:1C.ru:commerceml_2}"


def sample(**changes):
    order = cml.Order(
        guid="9f0c-guid", number="S00042", date=datetime.datetime(2024, 3, 5, 14, 7, 9),
        currency="RUB", rate=1.0, amount=1180.0, tax_amount=180.0, tax_included=False,
        counterparty_id="cp-1", counterparty_name="ООО Альфа", counterparty_full_name="ООО Альфа",
        inn="7701000000", contract_id="ct-1", contract_number="Д-1", comment="к обеду",
        desired_date=datetime.date(2024, 3, 10), state="draft",
        lines=[cml.Line("p-1", "A-1", "Кран", "796", "шт", 100.0, 10.0, 1000.0)])
    return order._replace(**changes)


def test_order_document_has_what_onec_reads():
    root = etree.fromstring(cml.orders_document(datetime.datetime(2024, 3, 5, 15, 0), [sample()]))
    doc = root.find(NS + "Документ")

    def text(path):
        return doc.findtext("/".join(NS + part for part in path.split("/")))

    assert text("Ид") == "9f0c-guid" and text("Номер") == "S00042"
    assert text("Дата") == "2024-03-05" and text("Время") == "14:07:09"
    assert text("ХозОперация") == "Заказ товара" and text("Роль") == "Продавец"
    assert text("Валюта") == "RUB" and text("Курс") == "1" and text("Сумма") == "1180.00"
    assert text("Контрагенты/Контрагент/Ид") == "cp-1"
    assert text("Контрагенты/Контрагент/Роль") == "Покупатель"
    assert text("Комментарий") == "к обеду"
    item = doc.find(NS + "Товары/" + NS + "Товар")
    assert [item.findtext(NS + t) for t in ("Ид", "Артикул", "ЦенаЗаЕдиницу", "Количество", "Сумма")] \
        == ["p-1", "A-1", "100.00", "10", "1000.00"]
    assert item.find(NS + "БазоваяЕдиница").get("Код") == "796"
    values = {v.findtext(NS + "Наименование"): v.findtext(NS + "Значение")
              for v in doc.iter(NS + "ЗначениеРеквизита")}
    assert values["Договор"] == "ct-1" and values["Номер договора"] == "Д-1"
    assert values["Желаемая дата отгрузки"] == "2024-03-10"
    assert values["Отменен"] == "false"


def test_fingerprint_changes_with_content_only():
    base = cml.fingerprint(sample())
    assert base == cml.fingerprint(sample())
    assert base != cml.fingerprint(sample(comment="иначе"))
    changed = sample().lines[0]._replace(qty=11.0)
    assert base != cml.fingerprint(sample(lines=[changed]))


def test_written_document_reads_back():
    data = cml.orders_document(datetime.datetime(2024, 3, 5), [sample()])
    (order,) = list(cml.read_orders(io.BytesIO(data), "orders.xml"))
    assert order.guid == "9f0c-guid" and order.contract_id == "ct-1"
    assert order.counterparty_id == "cp-1" and order.status == "Новый" and not order.cancelled
    assert order.desired_date == datetime.date(2024, 3, 10)
    assert [(l.product_id, l.qty, l.price, l.amount) for l in order.lines] == [("p-1", 10.0, 100.0, 1000.0)]


def doc(body):
    return ("<?xml version='1.0' encoding='UTF-8'?><КоммерческаяИнформация xmlns='urn:1C.ru:commerceml_2' "
            "ВерсияСхемы='2.10'>%s</КоммерческаяИнформация>" % body).encode("utf-8")


def test_reader_skips_other_operations_reads_containers_and_refuses_bad_numbers():
    data = doc("<Контейнер><Документ><Ид>a</Ид><ХозОперация>Заказ товара</ХозОперация>"
               "<Товары><Товар><Ид>p#c1</Ид><Количество>2,5</Количество><ЦенаЗаЕдиницу>10</ЦенаЗаЕдиницу>"
               "</Товар></Товары></Документ></Контейнер>"
               "<Документ><Ид>b</Ид><ХозОперация>Выплата наличных денег</ХозОперация></Документ>")
    orders = list(cml.read_orders(io.BytesIO(data), "o.xml"))
    assert [o.guid for o in orders] == ["a"]
    assert orders[0].lines[0].characteristic == "c1" and orders[0].lines[0].qty == 2.5
    assert orders[0].lines[0].amount == 25.0
    bad = doc("<Документ><Ид>a</Ид>\n<Товары><Товар><Ид>p</Ид><Количество>много</Количество>"
              "</Товар></Товары></Документ>")
    with pytest.raises(ExchangeRefused) as info:
        list(cml.read_orders(io.BytesIO(bad), "o.xml"))
    assert "o.xml, line 2" in str(info.value) and "много" in str(info.value)
    with pytest.raises(ExchangeRefused):
        list(cml.read_orders(io.BytesIO(doc("<Документ><Сумма>1</Сумма></Документ>")), "o.xml"))


def test_status_map_and_transitions():
    mapping = cml.status_map((status.name, status.state) for status in cml.default_statuses())
    assert cml.target_state("  отменён ", False, mapping) == "cancel"
    assert cml.target_state("Согласован", False, mapping) == "sale"
    assert cml.target_state("", False, mapping) is None
    assert cml.target_state("Новый", True, mapping) == "cancel"
    assert cml.target_state("[F] Выполнен", False, mapping) == "done"
    assert cml.target_state("к выполнению / в резерве", False, mapping) == "sale"
    with pytest.raises(KeyError):
        cml.target_state("В пути", False, mapping)
    assert cml.transition_steps("draft", "sale") == ["confirm"]
    assert cml.transition_steps("draft", "done") == ["confirm", "done"]
    assert cml.transition_steps("done", "cancel") == ["unlock", "cancel"]
    assert cml.transition_steps("sale", "draft") == ["cancel", "draft"]
    assert cml.transition_steps("cancel", "sale") == ["draft", "confirm"]
    assert cml.transition_steps("sent", "sent") == []


def test_line_plan_pairs_by_product_and_keeps_onec_amounts():
    current = [(1, 10, 5.0, 100.0, 0.0), (2, 11, 1.0, 50.0, 0.0)]
    plan = cml.plan_lines(current, [(10, 4.0, 100.0, 360.0), (12, 1.0, 7.0, 7.0)])
    assert plan.update == {1: {"qty": 4.0, "discount": 10.0}}
    assert plan.create == [(12, 1.0, 7.0, 0.0)]
    assert plan.remove == [2]
    assert cml.plan_lines(current, [(10, 5.0, 100.0, 500.0), (11, 1.0, 50.0, 50.0)]) == \
        cml.LinePlan({}, [], [])


def full_order():
    """A bonus order with a comment, a desired date, a line of a characteristic and lines in
    several units (OKEI ones and one 1C has no code for)."""
    return sample(
        guid="5b1e7c1a-2f4d-4c8e-9a61-0d3f8e2b7c45", bonus=True, state="sale",
        comment="Позвоните за час до доставки", desired_date=datetime.date(2024, 3, 12),
        lines=[
            cml.Line("c3a2b1d0-1111-4e5f-8a9b-0c1d2e3f4a5b#7e6d5c4b-2222-4a3b-9c8d-1e2f3a4b5c6d",
                     "BT-42-BL", "Ботинки рабочие, 42, чёрные", "715", "пар", 2500.0, 4.0, 10000.0),
            cml.Line("p-2", "CEM-M500", "Цемент М500", "166", "кг", 12.5, 250.0, 3125.0),
            cml.Line("p-3", "TILE-30", "Плитка 30×30", "055", "м2", 890.0, 12.75, 11347.5),
            cml.Line("p-4", "", "Грунт в мешках", None, "мешок 25 кг", 410.0, 3.0, 1230.0),
        ])


@pytest.mark.parametrize("version", cml.SCHEMA_VERSIONS)
def test_orders_document_is_valid_commerceml(version):
    data = cml.orders_document(datetime.datetime(2024, 3, 5, 15, 0), [full_order(), sample()])
    schema = cml.schema(version)
    assert schema.validate(etree.fromstring(data)), [str(e) for e in schema.error_log]
    # the answer when no order waits for 1C
    empty = cml.orders_document(datetime.datetime(2024, 3, 5, 15, 0))
    assert schema.validate(etree.fromstring(empty)), [str(e) for e in schema.error_log]


def test_units_go_out_with_okei_code_and_russian_name():
    data = cml.orders_document(datetime.datetime(2024, 3, 5), [full_order()])
    root = etree.fromstring(data)
    units = [(u.get("Код"), u.text, u.get("НаименованиеПолное"), u.get("МеждународноеСокращение"))
             for u in root.iter(NS + "БазоваяЕдиница")]
    assert units == [("715", "пар", "Пара (2 шт.)", "NPR"), ("166", "кг", "Килограмм", "KGM"),
                     ("055", "м2", "Квадратный метр", "MTK"),
                     (None, "мешок 25 кг", "мешок 25 кг", None)]
    doc = root.find(NS + "Документ")
    assert [child.tag.replace(NS, "") for child in doc][3:11] == [
        "ХозОперация", "Роль", "Валюта", "Курс", "Сумма", "Контрагенты", "Время", "Комментарий"]
    values = {v.findtext(NS + "Наименование"): v.findtext(NS + "Значение")
              for v in doc.find(NS + "ЗначенияРеквизитов")}
    assert values["Оплата бонусами"] == "true" and values["Желаемая дата отгрузки"] == "2024-03-12"
    assert values["Статус заказа"] == "Согласован"
    (order,) = list(cml.read_orders(io.BytesIO(data), "orders.xml"))
    assert order.lines[0].characteristic == "7e6d5c4b-2222-4a3b-9c8d-1e2f3a4b5c6d"
    assert order.comment == "Позвоните за час до доставки"


def test_odoo_units_map_to_okei():
    assert okei.lookup("", ["Unit(s)"], "product.product_uom_unit").code == "796"
    assert okei.lookup("", ["Единица(ы)"], "product.product_uom_unit").short == "шт"
    assert okei.lookup("", ["Liter(s)"], "product.product_uom_litre").code == "112"
    assert [okei.lookup("", [name]).code for name in ("kg", "g", "m", "m²", "m³", "пара", "упак",
                                                      "компл", "ШТ")] == \
        ["166", "163", "006", "055", "113", "715", "778", "839", "796"]
    # the code 1C gave a unit wins over its name
    assert okei.lookup("778", ["Коробка"]).short == "упак"
    assert okei.lookup("", ["Dozen(s)"], "product.product_uom_dozen") is None
    assert okei.lookup("", ["мешок 25 кг"]) is None
    assert cml.unit_code("6") == "006" and cml.unit_code("") is None and cml.unit_code("12345") is None


def test_a_unit_with_a_code_1c_gave_and_no_russian_name_keeps_its_code():
    line = cml.Line("p-5", "", "Кабель", "616", "бобина", 900.0, 2.0, 1800.0)
    data = cml.orders_document(datetime.datetime(2024, 3, 5), [sample(lines=[line])])
    unit = etree.fromstring(data).find(".//" + NS + "БазоваяЕдиница")
    assert (unit.get("Код"), unit.text, unit.get("МеждународноеСокращение")) == ("616", "бобина", None)
    assert cml.schema("2.10").validate(etree.fromstring(data))


def test_schema_copies_match_the_shared_schemas():
    """doc/commerceml/ holds 1C's schemas unchanged (the shared folder beside the checkout is
    compared when it is there; CI's clean clone has only the copies)."""
    shared = os.path.join(checkout.root(), "..", "shared", "commerceml")
    for version in cml.SCHEMA_VERSIONS:
        name = "commerceml-%s.xsd" % version
        with open(os.path.join(cml.SCHEMA_FOLDER, name), "rb") as copy:
            ours = copy.read()
        assert b'targetNamespace="urn:1C.ru:commerceml_2"' in ours
        if os.path.isfile(os.path.join(shared, name)):
            with open(os.path.join(shared, name), "rb") as source:
                assert source.read() == ours, name
