"""The demo B2B exchange: what the demo supplier's 1C sends after the catalog (plain Python).

``exchanges(today)`` returns the exchanges ``make run`` replays through ``/b2b/1c/exchange`` after
the demo catalog (``demo_package.py``), as ``[(exchange type, [(name, bytes)], [names to
import])]``, in the order 1C must send them:

1. ``type=b2b``: the counterparties and contracts of the demo dealers (those of the demo data,
   matched by their 1C ids, with their INN, KPP, region and manager), the settlement ledger of
   every demo contract and 1C's overdue summary of each as of ``today``;
2. ``type=sale``: the orders 1C took by phone (``orders.xml``), with 1C's statuses;
3. ``type=b2b``: the printed forms (``b2b_printed_forms.xml`` with its PDF files under
   ``printed_forms/``): invoices and УПД of those orders, a shipment's УПД and a reconciliation act.

**Dates.** Every date is a number of days before (or after) ``today``, the supplier's date on
which the exchange runs, so the demo looks the same whenever the demo database is built: «Бета-
Трейд» owes for a shipment due 62 days ago (over the 45-day limit: its shipments are stopped and
its users see the pop-up), «Альфа-Юг» owes for one due 9 days ago (the pop-up warns, nothing is
stopped), «Альфа-Дилер» and its outlet owe only what is not due yet. The same ``today`` gives the
same bytes (ids are UUID version 5 of fixed keys, PDF files are written without time stamps), so
replaying it changes nothing. The database keeps the dates it was built with: as real days pass,
«Альфа-Дилер»'s debts fall due and age like any dealer's (its next shipment is due 5 days after
the build); a new demo database (``make stop``, drop ``b2b``, ``make run``) starts again from
its own day.

1C's overdue summary is the aging of the same ledger (``b2b_base.lib.aging``), so the figures 1C
states and those the portal computes agree. The orders are written by the orders writer of the
exchange (``lib/orders.py``) and valid against 1C's CommerceML schema; the B2B packages follow
``doc/exchange_contract.rst``.
"""
import datetime
import functools
import io
import os
import uuid
from xml.sax.saxutils import escape

from odoo.addons.b2b_base.lib import aging, democatalog, ledger
from odoo.addons.b2b_base.lib.numbers import format_number, format_quantity

from . import demo_package
from . import orders as cml_orders

NAMESPACE = uuid.UUID("0d6f1e2a-7c3b-4e58-9b21-4f1a6c2d8e37")  # the demo supplier's B2B data
SCHEMA_VERSION = "2.08"
GENERATED_TIME = datetime.time(9, 0)

# the demo supplier, the owner of the demo catalog (its name and logo: b2b_base/demo)
SUPPLIER = {"name": demo_package.OWNER["official_name"], "inn": demo_package.OWNER["inn"],
            "kpp": demo_package.OWNER["kpp"],
            "address": "115054, г. Москва, ул. Дубининская, д. 57, стр. 1"}

PRICE_TYPE_IDS = {key: type_id for key, type_id, _name in demo_package.PRICE_TYPES}

# the demo dealers and legal entities (b2b_base/demo/b2b_demo.xml), by their 1C ids
ALFA = "5f1c2a10-0001-11ee-9c00-000c29a1b2c3"
ALFA_RETAIL = "5f1c2a10-0002-11ee-9c00-000c29a1b2c3"
ALFA_YUG = "5f1c2a10-0003-11ee-9c00-000c29a1b2c3"
BETA = "5f1c2a10-0004-11ee-9c00-000c29a1b2c3"

COUNTERPARTIES = [
    {"id": ALFA, "name": "ООО «Альфа-Дилер»", "inn": "7701234567", "kpp": "770101001",
     "dealer": None, "region": "Москва", "manager": "manager.ivan"},
    {"id": ALFA_RETAIL, "name": "ИП Смирнова А. В. («Альфа Розница»)", "inn": "770112345678",
     "kpp": None, "dealer": ALFA, "region": None, "manager": None},
    {"id": ALFA_YUG, "name": "ООО «Альфа-Юг»", "inn": "1655123456", "kpp": "165501001",
     "dealer": None, "region": "Казань", "manager": "manager.ivan"},
    {"id": BETA, "name": "ООО «Бета-Трейд»", "inn": "5406123456", "kpp": "540601001",
     "dealer": None, "region": "Новосибирск", "manager": "manager.olga"},
]

# the dealers' personal discounts 1C gives per product group: dealer -> [(1C id, group, percent)]
DISCOUNTS = {
    ALFA: [("d15c0000-0001-4000-8000-000000000001", "Смесители", 5.0)],
}

# key -> the contract of the demo data: 1C id, owner, number, date, price type, deferral, limit,
# special conditions
CONTRACTS = {
    "alfa": {"id": "c0a1b2c3-0001-4000-8000-000000000001", "owner": ALFA, "number": "А-001/2026",
             "date": "2026-01-15", "price_type": "large_wholesale", "days": 30,
             "limit": 5000000, "special": None},
    "alfa_retail": {"id": "c0a1b2c3-0001-4000-8000-000000000002", "owner": ALFA_RETAIL,
                    "number": "А-002/2026", "date": "2026-02-01", "price_type": "dealer",
                    "days": 14, "limit": 500000, "special": None},
    "yug": {"id": "c0a1b2c3-0001-4000-8000-000000000003", "owner": ALFA_YUG,
            "number": "АЮ-001/2026", "date": "2026-03-10", "price_type": "wholesale", "days": 21,
            "limit": 1500000, "special": None},
    "beta": {"id": "c0a1b2c3-0001-4000-8000-000000000004", "owner": BETA, "number": "Б-001/2026",
             "date": "2026-01-20", "price_type": "wholesale", "days": 30, "limit": 2000000,
             "special": None},
    "beta_special": {"id": "c0a1b2c3-0001-4000-8000-000000000005", "owner": BETA,
                     "number": "Б-002/2026", "date": "2026-05-05", "price_type": "dealer_net",
                     "days": 45, "limit": 800000,
                     "special": "Отсрочка 45 дней на сезонный товар; самовывоз со склада в "
                                "Новосибирске."},
}
CONTRACT_ORDER = ("alfa", "alfa_retail", "yug", "beta", "beta_special")

# orders 1C took by phone: key, contract, days before today, 1C status, [(index of the demo
# catalog's good, quantity)], comment, desired shipment (days after today) or None
ORDERS = [
    ("alfa-1", "alfa", 12, "Отгружен", [(0, 6), (11, 4), (24, 2)],
     "Заказ по телефону, доставка на склад в Химках", None),
    ("alfa-2", "alfa", 3, "Согласован", [(2, 10), (16, 3)], "Согласовано с менеджером", 5),
    ("alfa-3", "alfa", 1, "Новый", [(5, 4), (7, 12), (33, 1)], "Уточнить цвет смесителей", 7),
    ("alfa-retail-1", "alfa_retail", 8, "Отгружен", [(20, 2), (41, 3)],
     "Для магазина на Профсоюзной", None),
    ("yug-1", "yug", 2, "Собран", [(3, 5), (14, 8)], "Отгрузка транспортной компанией", 3),
    ("beta-1", "beta", 5, "Согласован", [(1, 4), (12, 6), (26, 2)],
     "Отгрузка после погашения долга", None),
]
ORDER_TIMES = {"alfa-1": (10, 15), "alfa-2": (11, 40), "alfa-3": (16, 5), "alfa-retail-1": (9, 30),
               "yug-1": (14, 20), "beta-1": (12, 0)}

# the settlement ledger: key, contract, kind, days before today, debit, credit (an amount, or
# the key of an order whose total it is), days to pay (None: the contract's deferral; 0 for an
# opening balance), the key of the debt a payment settles, comment
LEDGER = [
    ("alfa-open", "alfa", "НачальныйОстаток", 100, 150000.0, 0.0, 0, None, "Остаток на начало"),
    ("alfa-pay-1", "alfa", "Оплата", 95, 0.0, 150000.0, None, "alfa-open", None),
    ("alfa-ship-1", "alfa", "Отгрузка", 40, 256340.0, 0.0, None, None, None),
    ("alfa-pay-2", "alfa", "Оплата", 15, 0.0, 256340.0, None, "alfa-ship-1", None),
    ("alfa-ship-2", "alfa", "Отгрузка", 25, 184500.0, 0.0, None, None, None),
    ("alfa-pay-3", "alfa", "Оплата", 10, 0.0, 100000.0, None, "alfa-ship-2", "Частичная оплата"),
    ("alfa-ship-3", "alfa", "Отгрузка", 12, "alfa-1", 0.0, None, None, None),
    ("alfa-retail-ship-1", "alfa_retail", "Отгрузка", 8, "alfa-retail-1", 0.0, None, None, None),
    ("yug-ship-1", "yug", "Отгрузка", 30, 120000.0, 0.0, None, None, None),
    ("yug-pay-1", "yug", "Оплата", 5, 0.0, 50000.0, None, "yug-ship-1", None),
    ("beta-open", "beta", "НачальныйОстаток", 120, 85000.0, 0.0, 0, None, "Остаток на начало"),
    ("beta-ship-1", "beta", "Отгрузка", 92, 312450.0, 0.0, None, None, None),
    ("beta-pay-1", "beta", "Оплата", 70, 0.0, 85000.0, None, "beta-open", None),
    ("beta-pay-2", "beta", "Оплата", 20, 0.0, 100000.0, None, "beta-ship-1", "Частичная оплата"),
    ("beta-special-ship-1", "beta_special", "Отгрузка", 30, 64000.0, 0.0, None, None, None),
]

DOCUMENT_PREFIXES = {"НачальныйОстаток": "ВО", "Отгрузка": "РН", "Оплата": "ПП"}

# the reconciliation act 1C made for «Альфа-Дилер»: its contract and how many whole months back
ACT_CONTRACT = "alfa"
ACT_MONTHS = 3


def onec_id(kind, key):
    """The 1C id of the demo record ``key`` of ``kind`` (the same on every run)."""
    return str(uuid.uuid5(NAMESPACE, "%s:%s" % (kind, key)))


def _day(today, days_before):
    return today - datetime.timedelta(days=days_before)


def _text(value):
    return escape(str(value))


def package_header(today):
    """The opening of a demo package of 1C's as of ``today`` (the glue addons' demos too)."""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" ВерсияСхемы="%s" '
            'ДатаФормирования="%s">\n'
            % (SCHEMA_VERSION, datetime.datetime.combine(today, GENERATED_TIME).isoformat()))


def _header(out, today):
    out.write(package_header(today))


def _element(out, indent, name, value):
    if value is not None:
        out.write("%s<%s>%s</%s>\n" % (" " * indent, name, _text(value), name))


# ---------------------------------------------------------------------------------- goods
@functools.lru_cache(maxsize=1)
def _goods():
    return tuple(democatalog.catalog(demo_package.DEFAULT_SIZE))


def order_lines(key):
    """[(good, quantity, price, amount)] of the demo order ``key``, at its contract's prices."""
    goods = _goods()
    _key, contract, _days, _status, lines, _comment, _desired = _order(key)
    price_type = CONTRACTS[contract]["price_type"]
    result = []
    for index, qty in lines:
        good = goods[index]
        price = democatalog.prices(good)[price_type]
        result.append((good, float(qty), price, round(price * qty, 2)))
    return result


def order_total(key):
    return round(sum(amount for _good, _qty, _price, amount in order_lines(key)), 2)


def _order(key):
    return next(order for order in ORDERS if order[0] == key)


def order_number(key):
    return "ТД-%05d" % (101 + [order[0] for order in ORDERS].index(key))


# ---------------------------------------------------------------------------------- ledger
def ledger_lines(today):
    """The demo ledger as dicts in date order: id, key, contract (key), kind, number, date,
    due_date, debit, credit, settles_id, note."""
    lines = []
    for position, (key, contract, kind, days, debit, credit, pay_days, settles, note) \
            in enumerate(LEDGER):
        date = _day(today, days)
        if isinstance(debit, str):
            debit = order_total(debit)
        if pay_days is None:
            pay_days = CONTRACTS[contract]["days"] if debit else None
        lines.append({
            "id": onec_id("settlement", key), "key": key, "contract": contract, "kind": kind,
            "number": "%s-%05d" % (DOCUMENT_PREFIXES[kind], 501 + position),
            "date": date, "position": position,
            "due_date": date + datetime.timedelta(days=pay_days) if pay_days is not None else None,
            "debit": debit, "credit": credit,
            "settles_id": onec_id("settlement", settles) if settles else None,
            "note": note,
        })
    lines.sort(key=lambda line: (line["date"], line["position"]))
    return lines


def contract_aging(today, contract):
    """The ``aging.Aging`` of ``contract`` (a key of CONTRACTS) as of ``today``."""
    rows = [aging.Line(number, line["date"], line["due_date"], line["debit"], line["credit"],
                       line["id"], line["settles_id"])
            for number, line in enumerate(ledger_lines(today), start=1)
            if line["contract"] == contract]
    return aging.age(rows, today)


# ---------------------------------------------------------------------------------- packages
def counterparties_xml(today):
    """``Контрагенты``: the demo dealers and their entity with the contracts of the demo data."""
    out = io.StringIO()
    _header(out, today)
    out.write("  <Контрагенты>\n")
    for party in COUNTERPARTIES:
        out.write("    <Контрагент>\n")
        _element(out, 6, "Ид", party["id"])
        _element(out, 6, "Наименование", party["name"])
        _element(out, 6, "ИНН", party["inn"])
        _element(out, 6, "КПП", party["kpp"])
        _element(out, 6, "ИдДилера", party["dealer"])
        if party["region"]:
            out.write("      <Регион><Наименование>%s</Наименование></Регион>\n"
                      % _text(party["region"]))
        _element(out, 6, "Менеджер", party["manager"])
        if party["id"] in DISCOUNTS:
            out.write("      <Скидки>\n")
            for discount_id, group, percent in DISCOUNTS[party["id"]]:
                out.write("        <Скидка>\n")
                _element(out, 10, "Ид", discount_id)
                _element(out, 10, "ИдГруппы", demo_package.group_id(group))
                _element(out, 10, "Процент", "%.2f" % percent)
                out.write("        </Скидка>\n")
            out.write("      </Скидки>\n")
        out.write("      <Договоры>\n")
        for key in CONTRACT_ORDER:
            contract = CONTRACTS[key]
            if contract["owner"] != party["id"]:
                continue
            out.write("        <Договор>\n")
            _element(out, 10, "Ид", contract["id"])
            _element(out, 10, "Номер", contract["number"])
            _element(out, 10, "Дата", contract["date"])
            _element(out, 10, "ИдТипаЦены", PRICE_TYPE_IDS[contract["price_type"]])
            _element(out, 10, "Валюта", "RUB")
            _element(out, 10, "ОтсрочкаДней", contract["days"])
            _element(out, 10, "ЛимитКредита", "%.2f" % contract["limit"])
            _element(out, 10, "ОсобыеУсловия", contract["special"])
            _element(out, 10, "Статус", "Действует")
            out.write("        </Договор>\n")
        out.write("      </Договоры>\n    </Контрагент>\n")
    out.write("  </Контрагенты>\n</КоммерческаяИнформация>\n")
    return out.getvalue().encode("utf-8")


def settlements_xml(today):
    """``Взаиморасчеты``: the ledger of every demo contract."""
    out = io.StringIO()
    _header(out, today)
    out.write("  <Взаиморасчеты>\n")
    for line in ledger_lines(today):
        out.write("    <Документ>\n")
        _element(out, 6, "Ид", line["id"])
        _element(out, 6, "Вид", line["kind"])
        _element(out, 6, "Номер", line["number"])
        _element(out, 6, "Дата", line["date"].isoformat())
        _element(out, 6, "ИдДоговора", CONTRACTS[line["contract"]]["id"])
        if line["debit"]:
            _element(out, 6, "Дебет", "%.2f" % line["debit"])
            _element(out, 6, "СрокОплаты", line["due_date"].isoformat())
        else:
            _element(out, 6, "Кредит", "%.2f" % line["credit"])
        _element(out, 6, "ИдДокументаЗачета", line["settles_id"])
        _element(out, 6, "Комментарий", line["note"])
        out.write("    </Документ>\n")
    out.write("  </Взаиморасчеты>\n</КоммерческаяИнформация>\n")
    return out.getvalue().encode("utf-8")


OVERDUE_ELEMENTS = ("Просрочено1", "Просрочено2", "Просрочено3", "Просрочено4")


def overdue_xml(today):
    """``ПросроченнаяЗадолженность``: 1C's aging of every demo contract as of ``today``."""
    out = io.StringIO()
    _header(out, today)
    out.write("  <ПросроченнаяЗадолженность>\n")
    for key in CONTRACT_ORDER:
        state = contract_aging(today, key)
        out.write("    <Договор>\n")
        _element(out, 6, "Ид", CONTRACTS[key]["id"])
        _element(out, 6, "Дата", today.isoformat())
        _element(out, 6, "Долг", "%.2f" % (state.balance / 100.0))
        _element(out, 6, "НеПросрочено", "%.2f" % (state.not_due / 100.0))
        for element, cents in zip(OVERDUE_ELEMENTS, state.buckets):
            _element(out, 6, element, "%.2f" % (cents / 100.0))
        _element(out, 6, "ДнейПросрочки", state.oldest_days)
        out.write("    </Договор>\n")
    out.write("  </ПросроченнаяЗадолженность>\n</КоммерческаяИнформация>\n")
    return out.getvalue().encode("utf-8")


def _counterparty(party_id):
    return next(party for party in COUNTERPARTIES if party["id"] == party_id)


def orders_xml(today):
    """The orders 1C took by phone, as 1C sends them (``type=sale``): CommerceML documents of
    the exchange's orders writer, marked as taken in 1C."""
    documents = []
    for key, contract_key, days, status, _lines, comment, desired in ORDERS:
        contract = CONTRACTS[contract_key]
        party = _counterparty(contract["owner"])
        hour, minute = ORDER_TIMES[key]
        lines = [cml_orders.Line(demo_package.good_id(good["sku"]), good["sku"], good["name"],
                                 "796", "шт", price, qty, amount)
                 for good, qty, price, amount in order_lines(key)]
        order = cml_orders.Order(
            guid=onec_id("order", key), number=order_number(key),
            date=datetime.datetime.combine(_day(today, days), datetime.time(hour, minute)),
            currency="RUB", rate=1.0, amount=order_total(key), tax_amount=0.0,
            tax_included=True, counterparty_id=party["id"], counterparty_name=party["name"],
            counterparty_full_name=party["name"], inn=party["inn"],
            contract_id=contract["id"], contract_number=contract["number"], comment=comment,
            desired_date=today + datetime.timedelta(days=desired) if desired is not None
            else None, state=status, lines=lines)
        document = cml_orders.order_element(order)
        for item in document.iter("{%s}ЗначениеРеквизита" % cml_orders.NAMESPACE):
            if item.findtext("{%s}Наименование" % cml_orders.NAMESPACE) == cml_orders.REQ_ORIGIN:
                item.find("{%s}Значение" % cml_orders.NAMESPACE).text = "1С (заказ по телефону)"
        documents.append(document)
    return cml_orders.orders_document(datetime.datetime.combine(today, GENERATED_TIME), documents)


# ---------------------------------------------------------------------------------- printed forms
def _money(value):
    return format_number(value)


def _ru_date(value):
    return value.strftime("%d.%m.%Y")


def _contract_ref(contract):
    """(number, date as printed) of a demo contract."""
    return contract["number"], _ru_date(datetime.date.fromisoformat(contract["date"]))


def _order_form(today, key, kind):
    """(title, header lines, table, footer) of the invoice or УПД of order ``key``."""
    _key, contract_key, days, _status, _lines, _comment, _desired = _order(key)
    contract = CONTRACTS[contract_key]
    party = _counterparty(contract["owner"])
    date = _day(today, days)
    number = order_number(key).replace("ТД", "СЧ" if kind == "Счет" else "УПД")
    title = ("Счет на оплату № %s от %s" if kind == "Счет"
             else "Универсальный передаточный документ № %s от %s") % (number, _ru_date(date))
    header = ["Поставщик: %s, ИНН %s, КПП %s" % (SUPPLIER["name"], SUPPLIER["inn"], SUPPLIER["kpp"]),
              "Адрес: %s" % SUPPLIER["address"],
              "Покупатель: %s, ИНН %s" % (party["name"], party["inn"]),
              "Договор: № %s от %s" % _contract_ref(contract),
              "Заказ: № %s от %s" % (order_number(key), _ru_date(date))]
    table = [("№", "Товар", "Кол-во", "Цена", "Сумма")]
    for number_in_list, (good, qty, price, amount) in enumerate(order_lines(key), start=1):
        table.append((str(number_in_list), "%s %s" % (good["sku"], good["name"]),
                      "%s шт" % format_quantity(qty), _money(price), _money(amount)))
    footer = ["Итого: %s руб. (в том числе НДС)" % _money(order_total(key))]
    if kind == "Счет":
        footer.append("Оплатить до %s" % _ru_date(date + datetime.timedelta(days=contract["days"])))
    return number, date, title, header, table, footer


def _act_period(today):
    end = today.replace(day=1) - datetime.timedelta(days=1)
    start = end.replace(day=1)
    for _month in range(ACT_MONTHS - 1):
        start = (start - datetime.timedelta(days=1)).replace(day=1)
    return start, end


def _act_form(today):
    contract = CONTRACTS[ACT_CONTRACT]
    party = _counterparty(contract["owner"])
    start, end = _act_period(today)
    date = _day(today, 2)
    lines = [line for line in ledger_lines(today) if line["contract"] == ACT_CONTRACT]
    opening = sum(line["debit"] - line["credit"] for line in lines if line["date"] < start)
    rows = [line for line in lines if start <= line["date"] <= end]
    result = ledger.statement(opening, rows)
    number = "АС-%s" % end.strftime("%Y%m")
    title = "Акт сверки взаимных расчетов № %s" % number
    header = ["за период с %s по %s" % (_ru_date(start), _ru_date(end)),
              "между %s и %s" % (SUPPLIER["name"], party["name"]),
              "по договору № %s от %s" % _contract_ref(contract),
              "Сальдо на %s: %s руб." % (_ru_date(start), _money(result.opening))]
    table = [("Дата", "Документ", "Дебет", "Кредит", "Сальдо")]
    for item in result.lines:
        row = item.row
        table.append((_ru_date(row["date"]), "%s № %s" % (row["kind"], row["number"]),
                      _money(row["debit"]) if row["debit"] else "",
                      _money(row["credit"]) if row["credit"] else "", _money(item.balance)))
    footer = ["Обороты за период: дебет %s, кредит %s" % (_money(result.debit),
                                                          _money(result.credit)),
              "Сальдо на %s: %s руб. в пользу %s" % (
                  _ru_date(end), _money(abs(result.closing)),
                  SUPPLIER["name"] if result.closing >= 0 else party["name"])]
    return number, date, title, header, table, footer


def _shipment_form(today, key):
    """The УПД of a ledger shipment that no order of the demo stands for."""
    line = next(line for line in ledger_lines(today) if line["key"] == key)
    contract = CONTRACTS[line["contract"]]
    party = _counterparty(contract["owner"])
    title = "Универсальный передаточный документ № %s от %s" % (line["number"],
                                                               _ru_date(line["date"]))
    header = ["Поставщик: %s, ИНН %s, КПП %s" % (SUPPLIER["name"], SUPPLIER["inn"], SUPPLIER["kpp"]),
              "Покупатель: %s, ИНН %s" % (party["name"], party["inn"]),
              "Договор: № %s от %s" % _contract_ref(contract)]
    table = [("№", "Товар", "Кол-во", "Цена", "Сумма"),
             ("1", "Сантехническое оборудование по спецификации", "1", _money(line["debit"]),
              _money(line["debit"]))]
    footer = ["Итого: %s руб. (в том числе НДС)" % _money(line["debit"]),
              "Оплатить до %s" % _ru_date(line["due_date"])]
    return line["number"], line["date"], title, header, table, footer


FONT_PATHS = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
              "/usr/share/fonts/dejavu/DejaVuSans.ttf",
              "/usr/share/fonts/TTF/DejaVuSans.ttf")


def _font():
    """The name of a font with Cyrillic letters registered with reportlab (DejaVu Sans, which
    ``make`` installs), else reportlab's Helvetica."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    if "B2bDemoSans" in pdfmetrics.getRegisteredFontNames():
        return "B2bDemoSans"
    for path in FONT_PATHS:
        if os.path.isfile(path):
            pdfmetrics.registerFont(TTFont("B2bDemoSans", path))
            return "B2bDemoSans"
    return "Helvetica"


def pdf(title, header, table, footer):
    """A one-page A4 PDF (bytes) of a printed form, the same bytes for the same content."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas
    font = _font()
    buf = io.BytesIO()
    page = canvas.Canvas(buf, pagesize=A4, invariant=1, pageCompression=0)
    page.setTitle(title)
    page.setAuthor(SUPPLIER["name"])
    width, height = A4
    y = height - 60
    page.setFont(font, 13)
    page.drawString(40, y, title)
    y -= 26
    page.setFont(font, 9)
    for text in header:
        page.drawString(40, y, text)
        y -= 14
    y -= 8
    columns = (40, 120, 360, 430, 500) if len(table[0]) == 5 else (40, 120, 360, 430)
    for number, row in enumerate(table):
        if y < 80:
            break
        for x, cell in zip(columns, row):
            page.drawString(x, y, cell[:48] if x == columns[1] else cell)
        y -= 14
        if number == 0:
            page.line(40, y + 10, width - 40, y + 10)
    y -= 8
    for text in footer:
        page.drawString(40, y, text)
        y -= 14
    page.drawString(40, 50, "%s. Документ сформирован в 1С и передан на портал дилеров."
                    % SUPPLIER["name"])
    page.showPage()
    page.save()
    return buf.getvalue()


def printed_forms(today):
    """[(name, bytes)]: the index ``b2b_printed_forms.xml`` and its PDF files."""
    forms = []  # (id key, kind, number, date, title, links, pdf name, pdf bytes)
    for key, _contract, _days, status, _lines, _comment, _desired in ORDERS:
        kinds = ["Счет"] + (["УПД"] if status == "Отгружен" else [])
        for kind in kinds:
            number, date, title, header, table, footer = _order_form(today, key, kind)
            name = "%s_%s.pdf" % ("invoice" if kind == "Счет" else "upd", key)
            forms.append(("%s:%s" % (kind, key), kind, number, date, title,
                          {"ИдЗаказа": onec_id("order", key)}, name,
                          pdf(title, header, table, footer)))
    number, date, title, header, table, footer = _shipment_form(today, "beta-ship-1")
    forms.append(("УПД:beta-ship-1", "УПД", number, date, title,
                  {"ИдДоговора": CONTRACTS["beta"]["id"]}, "upd_beta-ship-1.pdf",
                  pdf(title, header, table, footer)))
    number, date, title, header, table, footer = _act_form(today)
    forms.append(("АктСверки:%s" % ACT_CONTRACT, "АктСверки", number, date, title,
                  {"ИдДоговора": CONTRACTS[ACT_CONTRACT]["id"]}, "act_%s.pdf" % ACT_CONTRACT,
                  pdf(title, header, table, footer)))
    out = io.StringIO()
    _header(out, today)
    out.write("  <ПечатныеФормы>\n")
    files = []
    for key, kind, number, date, title, links, name, data in forms:
        out.write("    <Документ>\n")
        _element(out, 6, "Ид", onec_id("printed form", key))
        _element(out, 6, "Вид", kind)
        _element(out, 6, "Номер", number)
        _element(out, 6, "Дата", date.isoformat())
        _element(out, 6, "Наименование", title)
        for element, value in links.items():
            _element(out, 6, element, value)
        _element(out, 6, "Файл", "printed_forms/" + name)
        out.write("    </Документ>\n")
        files.append(("printed_forms/" + name, data))
    out.write("  </ПечатныеФормы>\n</КоммерческаяИнформация>\n")
    return [("b2b_printed_forms.xml", out.getvalue().encode("utf-8"))] + files


# ---------------------------------------------------------------------------------- exchanges
def exchanges(today):
    """The demo B2B exchanges as of ``today`` (a date): [(exchange type, [(name, bytes)],
    [names to import, in order])]."""
    first = [("b2b_counterparties.xml", counterparties_xml(today)),
             ("b2b_settlements.xml", settlements_xml(today)),
             ("b2b_overdue.xml", overdue_xml(today))]
    forms = printed_forms(today)
    return [("b2b", first, [name for name, _data in first]),
            ("sale", [("orders.xml", orders_xml(today))], ["orders.xml"]),
            ("b2b", forms, [forms[0][0]])]
