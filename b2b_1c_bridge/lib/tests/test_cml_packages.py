import datetime
import io
import os

import pytest

from b2b_1c_bridge.lib import cml_packages as cml
from b2b_1c_bridge.lib.safexml import XmlRefused

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                        "examples")
HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" ВерсияСхемы="2.08">\n'
TAIL = "\n</КоммерческаяИнформация>\n"


def example(name):
    return os.path.join(EXAMPLES, name)


def package(body):
    return io.BytesIO((HEAD + body + TAIL).encode("utf-8"))


def refusal(reader, body, name="pkg.xml"):
    with pytest.raises(cml.PackageProblem) as info:
        list(reader(package(body), name))
    return info.value


# ------------------------------------------------------------------ the example files
def test_counterparties_example():
    parties = list(cml.read_counterparties(example("b2b_counterparties.xml"), "b2b_counterparties.xml"))
    assert [p["id"][:13] for p in parties] == ["5f1c2a10-0005", "5f1c2a10-0006", "5f1c2a10-0004"]
    gamma, entity, beta = parties
    assert (gamma["inn"], gamma["kpp"], gamma["dealer_id"], gamma["manager"]) == \
        ("7812345678", "781201001", None, "manager.olga")
    assert gamma["region"]["name"] == "Санкт-Петербург"
    contract = gamma["contracts"][0]
    assert contract["number"] == "Г-001/2026"
    assert contract["date"] == datetime.date(2026, 11, 1)
    assert (contract["payment_days"], contract["credit_limit"], contract["state"]) == (21, 1200000.0, "active")
    assert contract["special_conditions"] is None, "absent: the stored conditions stay"
    assert entity["dealer_id"] == gamma["id"] and entity["kpp"] is None
    assert entity["contracts"][0]["special_conditions"].startswith("Оплата по факту")
    assert beta["region"] is None


def test_settlements_example():
    docs = list(cml.read_settlements(example("b2b_settlements.xml"), "s.xml"))
    assert [d.get("kind") for d in docs] == ["opening", "shipment", "payment", "return", "adjustment", None]
    shipment = docs[1]
    assert (shipment["debit"], shipment["credit"], shipment["version"]) == (84250.5, 0.0, "3")
    assert shipment["due_date"] == datetime.date(2026, 11, 1)
    assert docs[2]["settles_id"] == shipment["id"]
    assert docs[-1]["posted"] is False and docs[-1]["contract_ref"] is None


def test_overdue_bonuses_plans_consignment_forms_examples():
    overdue = list(cml.read_overdue(example("b2b_overdue.xml"), "o.xml"))
    assert overdue[0]["overdue_4"] == 150000.0 and overdue[0]["overdue_days"] == 80
    assert overdue[1]["balance"] == -890.0 and overdue[1]["not_due"] == 0.0
    bonuses = list(cml.read_bonuses(example("b2b_bonuses.xml"), "b.xml"))
    assert [kind for kind, _v in bonuses] == ["balance", "balance", "price", "price"]
    assert bonuses[1][1]["points"] == 750.5
    assert bonuses[2][1]["bonus_only"] is True and bonuses[3][1]["bonus_only"] is False
    plans = list(cml.read_plans(example("b2b_plans.xml"), "p.xml"))
    assert plans[0]["month"] == datetime.date(2026, 11, 1)
    assert [(l["product_ref"] is not None, l["qty"], l["amount"]) for l in plans[0]["lines"]] == \
        [(True, 40.0, 0.0), (False, 0.0, 250000.0)]
    lists = list(cml.read_consignment(example("b2b_consignment.xml"), "c.xml"))
    assert [(g["qty"], g["price"]) for g in lists[0]["goods"]] == [(24.0, 7450.0), (6.0, 12990.0)]
    assert [(g["qty_handed"], g["qty_sold"], g["qty_returned"]) for g in lists[0]["goods"]] == \
        [(30.0, 5.0, 1.0), (None, None, None)], "the second good sends no movement: none is read"
    forms = list(cml.read_printed_forms(example("b2b_printed_forms.xml"), "b2b_printed_forms.xml"))
    assert [f["kind"] for f in forms] == ["invoice", "upd", "act"]
    assert forms[0]["path"] == "printed_forms/invoice_A-1187.pdf"
    for form in forms:
        assert os.path.exists(os.path.join(EXAMPLES, form["path"]))


# ------------------------------------------------------------------ consignment movement
CONSIGNMENT_HEAD = """<ТоварыНаКомиссии><Список><ИдДоговора>k</ИдДоговора><Дата>2026-11-20</Дата><Товары>
"""
CONSIGNMENT_TAIL = "\n</Товары></Список></ТоварыНаКомиссии>"


def consignment(*goods):
    return CONSIGNMENT_HEAD + "\n".join(goods) + CONSIGNMENT_TAIL


def test_consignment_movement_optional_unknown_elements_and_comma_decimals():
    body = consignment(
        # all three figures, comma decimals, a space between thousands, an element 1C added later
        "<Товар><Ид>p1</Ид><Количество>1 002,5</Количество><Цена>10</Цена><Передано>1 200,5</Передано>"
        "<Продано>190</Продано><Возвращено>8</Возвращено><Склад>Основной</Склад></Товар>",
        # only some figures: no check, the missing ones are not read
        "<Товар><Ид>p2</Ид><Количество>4</Количество><Цена>1</Цена><Передано>9</Передано></Товар>",
        # an empty figure clears it (0) and is not checked against the others
        "<Товар><Ид>p3</Ид><Количество>4</Количество><Цена>1</Цена><Передано>9</Передано>"
        "<Продано></Продано><Возвращено>0</Возвращено></Товар>",
        # 1C's files of before: no figures at all
        "<Товар><Ид>p4</Ид><Количество>3</Количество><Цена>2,50</Цена></Товар>")
    goods = next(cml.read_consignment(package(body), "c.xml"))["goods"]
    assert [(g["product_ref"], g["qty"], g["price"], g["qty_handed"], g["qty_sold"], g["qty_returned"])
            for g in goods] == [("p1", 1002.5, 10.0, 1200.5, 190.0, 8.0),
                                ("p2", 4.0, 1.0, 9.0, None, None),
                                ("p3", 4.0, 1.0, 9.0, 0.0, 0.0),
                                ("p4", 3.0, 2.5, None, None, None)]


def test_consignment_movement_within_the_quantity_precision_is_accepted():
    body = consignment("<Товар><Ид>p1</Ид><Количество>0,3</Количество><Цена>1</Цена>"
                       "<Передано>0,5</Передано><Продано>0,1</Продано><Возвращено>0,1</Возвращено>"
                       "</Товар>")
    assert next(cml.read_consignment(package(body), "c.xml"))["goods"][0]["qty"] == 0.3
    assert next(cml.read_consignment(package(body.replace("0,3<", "0,3004<")), "c.xml"))
    with pytest.raises(cml.PackageProblem):
        next(cml.read_consignment(package(body.replace("0,3<", "0,3004<")), "c.xml", digits=4))


def test_consignment_movement_that_does_not_add_up_is_refused_where_it_is():
    body = consignment(
        "<Товар><Ид>p1</Ид><Количество>24</Количество><Цена>1</Цена><Передано>30</Передано>"
        "<Продано>5</Продано><Возвращено>1</Возвращено></Товар>",
        "<Товар><Ид>p2</Ид>\n<Количество>7</Количество><Цена>1</Цена><Передано>12,5</Передано>"
        "<Продано>5</Продано><Возвращено>1</Возвращено></Товар>")
    problem = refusal(cml.read_consignment, body, name="b2b_consignment.xml")
    assert str(problem) == ("b2b_consignment.xml, line 6, Список/Товары/Товар/Количество: 7 held "
                            "does not match 12.5 handed over less 5 sold and 1 returned (= 6.5).")
    assert (problem.line, problem.field) == (6, "Список/Товары/Товар/Количество")


@pytest.mark.parametrize("element", ["Передано", "Продано", "Возвращено"])
def test_consignment_movement_is_a_number_not_below_zero(element):
    good = "<Товар><Ид>p1</Ид><Количество>1</Количество><Цена>1</Цена><%s>%s</%s></Товар>"
    assert str(refusal(cml.read_consignment, consignment(good % (element, "-1", element)))) == \
        "pkg.xml, line 4, Список/Товары/Товар/%s: -1 cannot be negative." % element
    assert str(refusal(cml.read_consignment, consignment(good % (element, "пять", element)))) == \
        "pkg.xml, line 4, Список/Товары/Товар/%s: «пять» is not a number." % element


# ------------------------------------------------------------------ located problems
def test_bad_number_names_file_line_and_field():
    problem = refusal(cml.read_settlements, """<Взаиморасчеты>
<Документ><Ид>1</Ид><Вид>Оплата</Вид><Дата>2026-10-01</Дата><ИдДоговора>c</ИдДоговора>
<Кредит>12,5</Кредит></Документ>
<Документ><Ид>2</Ид><Вид>Оплата</Вид><Дата>2026-10-01</Дата><ИдДоговора>c</ИдДоговора>
<Кредит>12x</Кредит></Документ></Взаиморасчеты>""", name="settle.xml")
    assert str(problem) == "settle.xml, line 7, Документ/Кредит: «12x» is not a number."
    assert (problem.file, problem.line, problem.field) == ("settle.xml", 7, "Документ/Кредит")


def test_missing_required_field():
    problem = refusal(cml.read_counterparties, """<Контрагенты>
<Контрагент><Ид>p1</Ид><Наименование>ООО</Наименование><Договоры>
<Договор><Ид>k1</Ид><Номер>1</Номер><Дата>2026-01-01</Дата></Договор></Договоры></Контрагент>
</Контрагенты>""")
    assert str(problem) == ("pkg.xml, line 5: Контрагент/Договоры/Договор has no ИдТипаЦены "
                            "(required).")


@pytest.mark.parametrize("body, message", [
    ("<Взаиморасчеты><Документ><Ид>1</Ид><Вид>Подарок</Вид><Дата>2026-10-01</Дата><ИдДоговора>c</ИдДоговора></Документ></Взаиморасчеты>",
     "pkg.xml, line 3, Документ/Вид: unknown value «Подарок»; expected one of: НачальныйОстаток, "
     "ВводОстатков, Отгрузка, Реализация, Оплата, Возврат, Корректировка."),
    ("<Взаиморасчеты><Документ><Ид>1</Ид><Вид>оплата</Вид><Дата>1 октября 2026</Дата><ИдДоговора>c</ИдДоговора></Документ></Взаиморасчеты>",
     "pkg.xml, line 3, Документ/Дата: «1 октября 2026» is not a date (expected YYYY-MM-DD)."),
    ("<Взаиморасчеты><Документ><Ид>1</Ид><Вид>Оплата</Вид><Дата>2026-10-01</Дата><ИдДоговора>c</ИдДоговора><Кредит>-5</Кредит></Документ></Взаиморасчеты>",
     "pkg.xml, line 3, Документ/Кредит: -5 cannot be negative."),
    ("<Взаиморасчеты><Документ><Ид>1</Ид><Вид>Оплата</Вид><Дата>2026-10-01</Дата><ИдДоговора>c</ИдДоговора><Проведен>может</Проведен></Документ></Взаиморасчеты>",
     "pkg.xml, line 3, Документ/Проведен: «может» is not true or false."),
    ("<Взаиморасчеты><Документ><Ид>1</Ид><Вид>Отгрузка</Вид><Дата>2026-10-01</Дата><ИдДоговора>c</ИдДоговора><Дебет>1</Дебет><Кредит>1</Кредит></Документ></Взаиморасчеты>",
     "pkg.xml, line 3: document 1 has both a debit and a credit; send one of them."),
    ("<Взаиморасчеты><Документ><Ид>1</Ид><Проведен>false</Проведен></Документ>\n<Документ><Ид>1</Ид><Проведен>false</Проведен></Документ></Взаиморасчеты>",
     "pkg.xml, line 4, Документ/Ид: 1 appears twice in the file (first at line 3)."),
    ("<Контрагенты><Контрагент><Ид>1</Ид><Наименование>А</Наименование><ИНН>12345</ИНН></Контрагент></Контрагенты>",
     "pkg.xml, line 3, Контрагент/ИНН: «12345» is not an INN (10 or 12 digits)."),
    ("<Контрагенты><Контрагент><Ид>1</Ид><Наименование>А</Наименование><Договоры><Договор><Ид>k</Ид><Номер>1</Номер><Дата>2026-01-01</Дата><ИдТипаЦены>t</ИдТипаЦены><ОтсрочкаДней>1.5</ОтсрочкаДней></Договор></Договоры></Контрагент></Контрагенты>",
     "pkg.xml, line 3, Контрагент/Договоры/Договор/ОтсрочкаДней: «1.5» is not a whole number."),
    ("<Бонусы><БонусныеЦены><Товар><Ид>p</Ид><ЦенаВБаллах>0</ЦенаВБаллах><ТолькоЗаБонусы>да</ТолькоЗаБонусы></Товар></БонусныеЦены></Бонусы>",
     "pkg.xml, line 3: product p is sold only for bonus points, so its ЦенаВБаллах must be above zero."),
    ("<ПланыЗакупок><План><Ид>1</Ид><Месяц>ноябрь</Месяц><ИдКонтрагента>d</ИдКонтрагента></План></ПланыЗакупок>",
     "pkg.xml, line 3, План/Месяц: «ноябрь» is not a month (expected YYYY-MM)."),
    ("<ПланыЗакупок><План><Ид>1</Ид><Месяц>2026-11</Месяц><ИдКонтрагента>d</ИдКонтрагента><Строки><Строка><ИдТовара>p</ИдТовара><ИдГруппы>g</ИдГруппы><КоличествоПлан>1</КоличествоПлан></Строка></Строки></План></ПланыЗакупок>",
     "pkg.xml, line 3: a plan line names either ИдТовара or ИдГруппы (exactly one)."),
    ("<ПечатныеФормы><Документ><Ид>1</Ид><Вид>Счет</Вид><Дата>2026-11-01</Дата><ИдДоговора>c</ИдДоговора><Файл>../etc/passwd</Файл></Документ></ПечатныеФормы>",
     "pkg.xml, line 3, Документ/Файл: «../etc/passwd» is not a relative path inside the exchange."),
    ("<ПечатныеФормы><Документ><Ид>1</Ид><Вид>Счет</Вид><Дата>2026-11-01</Дата><Файл>a.pdf</Файл></Документ></ПечатныеФормы>",
     "pkg.xml, line 3: printed form 1 is linked to nothing; name ИдКонтрагента, ИдДоговора, ИдЗаказа or ИдЗапросаАкта."),
])
def test_bad_values_are_refused_with_their_place(body, message):
    reader = {"Взаиморасчеты": cml.read_settlements, "Контрагенты": cml.read_counterparties,
              "Бонусы": cml.read_bonuses, "ПланыЗакупок": cml.read_plans,
              "ПечатныеФормы": cml.read_printed_forms}[body[1:body.index(">")]]
    assert str(refusal(reader, body)) == message


def test_wrong_root_and_missing_section():
    with pytest.raises(cml.PackageProblem) as info:
        list(cml.read_overdue(io.BytesIO("<Каталог><Товар/></Каталог>".encode()), "x.xml"))
    assert str(info.value) == ("x.xml, line 1: the root element is Каталог; a B2B package starts "
                               "with КоммерческаяИнформация.")
    assert str(refusal(cml.read_overdue, "<Взаиморасчеты/>")) == \
        "pkg.xml: the package has no ПросроченнаяЗадолженность section."


def test_doctype_is_refused_before_reading():
    data = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]>'
            '<КоммерческаяИнформация><Взаиморасчеты/></КоммерческаяИнформация>').encode()
    with pytest.raises(XmlRefused):
        list(cml.read_settlements(io.BytesIO(data), "evil.xml"))


def test_unknown_elements_are_tolerated_and_decimal_comma_read():
    docs = list(cml.read_settlements(package("""<Ещё/><Взаиморасчеты><Неизвестно>x</Неизвестно>
<Документ><Ид>1</Ид><Вид>Отгрузка</Вид><Дата>2026-10-01T12:00:00</Дата><Лишнее><А>1</А></Лишнее>
<ИдДоговора>c</ИдДоговора><Дебет>1 234,50</Дебет></Документ></Взаиморасчеты>"""), "p.xml"))
    assert [(d["id"], d["debit"], d["date"]) for d in docs] == [("1", 1234.5, datetime.date(2026, 10, 1))]


def test_records_are_freed_while_streaming():
    count = 20000
    body = "<Взаиморасчеты>" + "".join(
        "<Документ><Ид>%d</Ид><Вид>Оплата</Вид><Дата>2026-10-01</Дата><ИдДоговора>c</ИдДоговора>"
        "<Кредит>%d</Кредит></Документ>\n" % (i, i) for i in range(count)) + "</Взаиморасчеты>"
    assert sum(1 for _v in cml.read_settlements(package(body), "big.xml")) == count
    retained = seen = 0
    for record in cml.iter_records(package(body), "big.xml", cml.SETTLEMENTS, [("Документ",)]):
        seen += 1
        before, node = 0, record.element.getprevious()
        while node is not None:
            before, node = before + 1, node.getprevious()
        retained = max(retained, before)
    assert seen == count
    assert retained <= 1, "records already read are removed from the tree"


def test_every_package_kind_has_an_example_the_readers_read_whole():
    """The examples of the exchange contract (examples/*.xml): one per package kind, each
    well-formed and read to its last record by the reader of its section."""
    from b2b_1c_bridge.lib import safexml
    readers = {cml.COUNTERPARTIES: cml.read_counterparties, cml.SETTLEMENTS: cml.read_settlements,
               cml.OVERDUE: cml.read_overdue, cml.BONUSES: cml.read_bonuses,
               cml.PLANS: cml.read_plans, cml.CONSIGNMENT: cml.read_consignment,
               cml.PRINTED_FORMS: cml.read_printed_forms,
               cml.COMMISSION_DECISIONS: cml.read_commission_decisions}
    seen = set()
    for name in sorted(os.listdir(EXAMPLES)):
        if not name.endswith(".xml"):
            continue
        with open(example(name), "rb") as fh:
            info = safexml.scan(fh, name)
        assert info.root == cml.ROOT and len(info.sections) == 1, name
        section = info.sections[0]
        records = list(readers[section](example(name), name))
        assert records, name
        seen.add(section)
    assert seen == set(cml.SECTIONS)


# ------------------------------------------------------------------ personal discounts
DISCOUNTS = """<Контрагенты>
  <Контрагент><Ид>d-1</Ид><Наименование>Дилер</Наименование>
    <Скидки>
      <Скидка><Ид>s-1</Ид><ИдГруппы>g-1</ИдГруппы><Процент>5</Процент></Скидка>
      <Скидка><ИдГруппы>g-2</ИдГруппы><Процент>7,5</Процент></Скидка>
    </Скидки>
  </Контрагент>
  <Контрагент><Ид>d-2</Ид><Наименование>Без скидок</Наименование><Скидки/></Контрагент>
  <Контрагент><Ид>d-3</Ид><Наименование>Не сказано</Наименование></Контрагент>
</Контрагенты>"""


def test_counterparty_discounts_per_group():
    first, empty, silent = cml.read_counterparties(package(DISCOUNTS), "pkg.xml")
    assert [(d["id"], d["group_id"], d["percent"], d["line"]) for d in first["discounts"]] == [
        ("s-1", "g-1", 5.0, 6), (None, "g-2", 7.5, 7)]
    assert empty["discounts"] == [], "an empty list: the dealer has no discounts from 1C"
    assert silent["discounts"] is None, "no Скидки: the discounts stay as they are"


@pytest.mark.parametrize("percent", ["0", "100", "-5"])
def test_counterparty_discount_out_of_range_is_located(percent):
    body = DISCOUNTS.replace("<Процент>5</Процент>", "<Процент>%s</Процент>" % percent)
    problem = refusal(cml.read_counterparties, body)
    assert (problem.line, problem.params["field"]) == (
        6, "Контрагент/Скидки/Скидка/Процент")


def test_counterparty_discount_group_twice_is_refused():
    body = DISCOUNTS.replace("<ИдГруппы>g-2</ИдГруппы>", "<ИдГруппы>g-1</ИдГруппы>")
    assert refusal(cml.read_counterparties, body).line == 7
