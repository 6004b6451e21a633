"""The demo bonus exchange: what the demo supplier's 1C sends of its bonus programme (plain Python).

``exchanges(today)`` returns the exchanges ``make run`` replays through ``/b2b/1c/exchange`` after
those of ``b2b_1c_bridge/lib/demo_b2b.py`` when this addon is installed, in the same form
``[(exchange type, [(name, bytes)], [names to import])]``:

1. ``type=sale``: one more order 1C took by phone, «Альфа-Дилер»'s order for the goods of the
   month and of its seasonal commitment, placed ``today`` and agreed (``Согласован``), so that
   its plan and its commitment show progress whatever the day of the month the demo database is
   built (the other demo orders are days old and on the first days of a month fall in the month
   before);
2. ``type=b2b``: ``b2b_bonuses.xml``, the points of «Альфа-Дилер», «Альфа-Юг» and «Бета-Трейд»
   stated ``today`` («Альфа-Дилер»'s under the 1C id of the bonuses addon's demo balance, whose
   figure 1C's replaces) and one good of the demo catalog also sold for points; and
   ``b2b_plans.xml``, each demo dealer's plan of ``today``'s month on goods of its demo orders
   (more than those orders hold, so a plan is partly fulfilled) and «Альфа-Дилер»'s seasonal
   commitment over three months, which its users accept in the portal.

The packages follow the bridge's ``doc/exchange_contract.rst``; ids are UUID version 5 of fixed
keys, so the same ``today`` gives the same bytes and replaying it changes nothing.
"""
import datetime
import functools
from xml.sax.saxutils import escape

from odoo.addons.b2b_1c_bridge.lib import demo_b2b, demo_package
from odoo.addons.b2b_1c_bridge.lib import orders as cml_orders
from odoo.addons.b2b_base.lib import democatalog

# the bonuses addon's demo balance of «Альфа-Дилер» (b2b_bonus/demo/b2b_bonus_demo.xml)
ALFA_BALANCE_ID = "5f1c2a10-0b01-11ee-9c00-000c29a1b2c3"

# dealer (1C id) -> points 1C states today
BALANCES = [(demo_b2b.ALFA, 4100.0), (demo_b2b.ALFA_YUG, 1250.0), (demo_b2b.BETA, 750.5)]

# a good of the demo catalog (its index) sold for points as well as for money
BONUS_GOODS = [(40, 1200.0, False)]

# the order of the goods of the month 1C took by phone today: key, contract, time, status,
# [(index of the demo catalog's good, quantity)], comment
TODAY_ORDER = ("alfa-month-1", "alfa", (9, 0), "Согласован", [(2, 4), (16, 2), (5, 12)],
               "Товар месяца и сезонная программа, по телефону")
TODAY_ORDER_NUMBER = "ТД-00201"

# plans of the month: key, dealer, [(index of the demo catalog's good, planned quantity)]; each
# plans more of a good than all the demo orders of the dealer hold
PLANS = [
    ("alfa", demo_b2b.ALFA, "«Альфа-Дилер»", [(2, 30), (16, 10), (0, 20)]),
    ("yug", demo_b2b.ALFA_YUG, "«Альфа-Юг»", [(3, 15), (14, 20)]),
    ("beta", demo_b2b.BETA, "«Бета-Трейд»", [(1, 10), (12, 20)]),
]
# the seasonal commitment of «Альфа-Дилер»: months it spans (today's included), lines
COMMITMENT = ("alfa-season", demo_b2b.ALFA, "«Альфа-Дилер»", 3, [(5, 60), (24, 30)])

MONTHS = ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь",
          "октябрь", "ноябрь", "декабрь")


@functools.lru_cache(maxsize=1)
def _goods():
    return tuple(democatalog.catalog(demo_package.DEFAULT_SIZE))


def _month_end(day, months=1):
    """The last day of the month ``months - 1`` months after ``day``'s."""
    first = day.replace(day=1)
    for _month in range(months):
        first = (first + datetime.timedelta(days=32)).replace(day=1)
    return first - datetime.timedelta(days=1)


def order_lines():
    """[(good, quantity, price, amount)] of today's order, at its contract's prices."""
    goods = _goods()
    price_type = demo_b2b.CONTRACTS[TODAY_ORDER[1]]["price_type"]
    result = []
    for index, qty in TODAY_ORDER[4]:
        good = goods[index]
        price = democatalog.prices(good)[price_type]
        result.append((good, float(qty), price, round(price * qty, 2)))
    return result


def orders_xml(today):
    """Today's order of the goods of the month, as 1C sends the orders it took (``type=sale``)."""
    key, contract_key, (hour, minute), status, _lines, comment = TODAY_ORDER
    contract = demo_b2b.CONTRACTS[contract_key]
    party = next(p for p in demo_b2b.COUNTERPARTIES if p["id"] == contract["owner"])
    lines = [cml_orders.Line(demo_package.good_id(good["sku"]), good["sku"], good["name"],
                             "796", "шт", price, qty, amount)
             for good, qty, price, amount in order_lines()]
    order = cml_orders.Order(
        guid=demo_b2b.onec_id("order", key), number=TODAY_ORDER_NUMBER,
        date=datetime.datetime.combine(today, datetime.time(hour, minute)),
        currency="RUB", rate=1.0, amount=round(sum(line.amount for line in lines), 2),
        tax_amount=0.0, tax_included=True, counterparty_id=party["id"],
        counterparty_name=party["name"], counterparty_full_name=party["name"], inn=party["inn"],
        contract_id=contract["id"], contract_number=contract["number"], comment=comment,
        desired_date=None, state=status, lines=lines)
    document = cml_orders.order_element(order)
    for item in document.iter("{%s}ЗначениеРеквизита" % cml_orders.NAMESPACE):
        if item.findtext("{%s}Наименование" % cml_orders.NAMESPACE) == cml_orders.REQ_ORIGIN:
            item.find("{%s}Значение" % cml_orders.NAMESPACE).text = "1С (заказ по телефону)"
    return cml_orders.orders_document(datetime.datetime.combine(today, demo_b2b.GENERATED_TIME),
                                      [document])


def _element(indent, name, value):
    return "%s<%s>%s</%s>\n" % (" " * indent, name, escape(str(value)), name)


def balance_id(dealer):
    """The 1C id of the demo balance of ``dealer`` (a 1C id)."""
    if dealer == demo_b2b.ALFA:
        return ALFA_BALANCE_ID
    return demo_b2b.onec_id("bonus balance", dealer)


def bonuses_xml(today):
    """``Бонусы``: the demo dealers' points stated today and the demo goods sold for points."""
    goods = _goods()
    out = [demo_b2b.package_header(today), "  <Бонусы>\n    <Остатки>\n"]
    for dealer, points in BALANCES:
        out.append("      <Остаток>\n")
        out.append(_element(8, "Ид", balance_id(dealer)))
        out.append(_element(8, "ИдКонтрагента", dealer))
        out.append(_element(8, "Баллы", "%g" % points))
        out.append(_element(8, "Дата", today.isoformat()))
        out.append("      </Остаток>\n")
    out.append("    </Остатки>\n    <БонусныеЦены>\n")
    for index, points, only in BONUS_GOODS:
        out.append("      <Товар>\n")
        out.append(_element(8, "Ид", demo_package.good_id(goods[index]["sku"])))
        out.append(_element(8, "ЦенаВБаллах", "%g" % points))
        out.append(_element(8, "ТолькоЗаБонусы", "true" if only else "false"))
        out.append("      </Товар>\n")
    out.append("    </БонусныеЦены>\n  </Бонусы>\n</КоммерческаяИнформация>\n")
    return "".join(out).encode("utf-8")


def _plan(goods, key, dealer, name, month, lines, date_to=None):
    out = ["    <План>\n", _element(6, "Ид", demo_b2b.onec_id("plan", "%s:%s" % (key, month))),
           _element(6, "Наименование", name), _element(6, "Месяц", month)]
    if date_to:
        out += [_element(6, "ДатаОкончания", date_to.isoformat()),
                _element(6, "Обязательство", "true")]
    out += [_element(6, "ИдКонтрагента", dealer), "      <Строки>\n"]
    for index, qty in lines:
        out += ["        <Строка>\n",
                _element(10, "ИдТовара", demo_package.good_id(goods[index]["sku"])),
                _element(10, "КоличествоПлан", qty), "        </Строка>\n"]
    out.append("      </Строки>\n    </План>\n")
    return out


def plans_xml(today):
    """``ПланыЗакупок``: each demo dealer's plan of today's month and «Альфа-Дилер»'s seasonal
    commitment from today's month."""
    goods = _goods()
    month = today.strftime("%Y-%m")
    month_name = "%s %d" % (MONTHS[today.month - 1], today.year)
    out = [demo_b2b.package_header(today), "  <ПланыЗакупок>\n"]
    for key, dealer, dealer_name, lines in PLANS:
        out += _plan(goods, key, dealer, "Товар месяца: %s, %s" % (month_name, dealer_name),
                     month, lines)
    key, dealer, dealer_name, months, lines = COMMITMENT
    date_to = _month_end(today, months)
    out += _plan(goods, key, dealer, "Сезонная программа до %s, %s"
                 % (date_to.strftime("%d.%m.%Y"), dealer_name), month, lines, date_to)
    out.append("  </ПланыЗакупок>\n</КоммерческаяИнформация>\n")
    return "".join(out).encode("utf-8")


def exchanges(today):
    """The demo bonus exchanges as of ``today`` (a date), after those of ``demo_b2b``."""
    files = [("b2b_bonuses.xml", bonuses_xml(today)), ("b2b_plans.xml", plans_xml(today))]
    return [("sale", [("orders.xml", orders_xml(today))], ["orders.xml"]),
            ("b2b", files, [name for name, _data in files])]
