"""The demo commission agent: what the demo supplier's 1C sends of its commission trade, and the
agent's report of last month (plain Python; ``prepare`` is given Odoo's environment).

«Альфа-Юг» (yug.admin / yug.admin in the portal) is a commission agent under its contract
АЮ-001/2026 (``b2b_commission``'s demo data). ``make run`` calls, after the bridge's demo
exchanges are written and before they are replayed:

1. ``prepare(env, today)``: the contract's commission terms (8 % by default, 12 % on the goods of
   one group) and last month's report, made and submitted by yug.admin in the portal (goods of
   the consignment list, one sold at two prices), which goes to 1C as a request; returns the
   report's id as the portal sends it to 1C;
2. ``exchanges(today, report_ref)``: one ``type=b2b`` exchange, replayed after the bridge's:
   ``b2b_consignment.xml`` (the contract's consignment list with what was handed over, sold and
   returned), ``b2b_commission_decisions.xml`` (1C approves the report and names its document of
   it) and ``b2b_commission_forms.xml`` with two PDFs (the agent's report and the act, the
   report's closing documents, naming it by 1C's document).

The packages follow the bridge's ``doc/exchange_contract.rst``; ids are UUID version 5 of fixed
keys, so the same ``today`` and report give the same bytes and replaying them changes nothing.
"""
import datetime
import functools
import io

from odoo.addons.b2b_1c_bridge.lib import demo_b2b, demo_package
from odoo.addons.b2b_base.lib import democatalog
from odoo.addons.b2b_base.lib.numbers import format_number

CONTRACT = "yug"
AGENT_NAME = "ООО «Альфа-Юг»"
# the consignment list: (index of the demo catalog's good, handed over, sold, returned)
CONSIGNMENT = [(3, 20, 6, 2), (14, 30, 10, 0), (20, 12, 4, 1), (27, 8, 0, 0)]
# last month's report: (index of the good, quantity sold, share of the recommended retail price)
REPORT_LINES = [(3, 4, 1.0), (3, 2, 0.95), (14, 10, 1.0), (20, 4, 1.0)]
DEFAULT_PERCENT = 8.0
GROUP_PERCENT = 12.0        # on the group of the first good of the list
# 1C's document of the report (the id its decision and closing documents name it by)
REPORT_DOCUMENT = demo_b2b.onec_id("commission report", "yug:last month")


@functools.lru_cache(maxsize=1)
def _goods():
    return tuple(democatalog.catalog(demo_package.DEFAULT_SIZE))


def last_month(today):
    """The first day of the month before ``today``'s."""
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def consignment_price(good):
    return democatalog.prices(good)[demo_b2b.CONTRACTS[CONTRACT]["price_type"]]


def report_lines():
    """[(good, quantity sold, price, quantity held)] of last month's report."""
    goods = _goods()
    held = {index: handed - returned for index, handed, _sold, returned in CONSIGNMENT}
    return [(goods[index], float(qty), round(democatalog.prices(goods[index])["rrp"] * share, 2),
             float(held[index]))
            for index, qty, share in REPORT_LINES]


def _element(out, indent, name, value):
    demo_b2b._element(out, indent, name, value)


def consignment_xml(today):
    """``ТоварыНаКомиссии``: the goods «Альфа-Юг» holds under its contract as of ``today``."""
    goods = _goods()
    out = io.StringIO()
    out.write(demo_b2b.package_header(today))
    out.write("  <ТоварыНаКомиссии>\n    <Список>\n")
    _element(out, 6, "ИдДоговора", demo_b2b.CONTRACTS[CONTRACT]["id"])
    _element(out, 6, "Дата", today.isoformat())
    out.write("      <Товары>\n")
    for index, handed, sold, returned in CONSIGNMENT:
        good = goods[index]
        out.write("        <Товар>\n")
        _element(out, 10, "Ид", demo_package.good_id(good["sku"]))
        _element(out, 10, "Количество", handed - sold - returned)
        _element(out, 10, "Цена", "%.2f" % consignment_price(good))
        _element(out, 10, "Передано", handed)
        _element(out, 10, "Продано", sold)
        _element(out, 10, "Возвращено", returned)
        out.write("        </Товар>\n")
    out.write("      </Товары>\n    </Список>\n  </ТоварыНаКомиссии>\n</КоммерческаяИнформация>\n")
    return out.getvalue().encode("utf-8")


def decisions_xml(today, report_ref):
    """``РешенияПоОтчетамКомиссионера``: 1C approves last month's report ``report_ref``."""
    out = io.StringIO()
    out.write(demo_b2b.package_header(today))
    out.write("  <РешенияПоОтчетамКомиссионера>\n    <Решение>\n")
    _element(out, 6, "ИдОтчета", report_ref)
    _element(out, 6, "ИдДокумента", REPORT_DOCUMENT)
    _element(out, 6, "Статус", "Согласован")
    _element(out, 6, "Дата", today.isoformat())
    out.write("    </Решение>\n  </РешенияПоОтчетамКомиссионера>\n</КоммерческаяИнформация>\n")
    return out.getvalue().encode("utf-8")


def _money(value):
    return format_number(value)


def commission_of(amount, good):
    return round(amount * (GROUP_PERCENT if good["category"] == _goods()[CONSIGNMENT[0][0]]["category"]
                           else DEFAULT_PERCENT) / 100.0, 2)


def closing_forms(today):
    """[(key, number, title, header, table, footer)] of the agent's report and the act."""
    contract = demo_b2b.CONTRACTS[CONTRACT]
    month = last_month(today)
    supplier = demo_b2b.SUPPLIER["name"]
    head = ["Комитент: %s" % supplier, "Комиссионер: %s" % AGENT_NAME,
            "Договор комиссии № %s от %s" % demo_b2b._contract_ref(contract),
            "Период: %s" % month.strftime("%m.%Y")]
    table = [("№", "Товар", "Кол-во", "Цена", "Сумма")]
    total = commission = 0.0
    for number, (good, qty, price, _held) in enumerate(report_lines(), start=1):
        amount = round(qty * price, 2)
        total += amount
        commission += commission_of(amount, good)
        table.append((str(number), "%s %s" % (good["sku"], good["name"]), "%g шт" % qty,
                      _money(price), _money(amount)))
    suffix = month.strftime("%Y%m")
    report = ("report", "ОК-%s" % suffix, "Отчет комиссионера № ОК-%s" % suffix, head, table,
              ["Продано на сумму %s руб." % _money(total),
               "Вознаграждение комиссионера: %s руб." % _money(commission)])
    act = ("act", "АВ-%s" % suffix, "Акт об оказании услуг комиссионера № АВ-%s" % suffix, head,
           [("№", "Услуга", "Кол-во", "Сумма"),
            ("1", "Вознаграждение по договору комиссии", "1", _money(commission))],
           ["Итого: %s руб." % _money(commission)])
    return [report, act]


def forms_xml(today):
    """[(name, bytes)]: ``b2b_commission_forms.xml`` and the PDFs of the report's closing
    documents."""
    out = io.StringIO()
    out.write(demo_b2b.package_header(today))
    out.write("  <ПечатныеФормы>\n")
    files = []
    for key, number, title, header, table, footer in closing_forms(today):
        name = "printed_forms/commission_%s.pdf" % key
        out.write("    <Документ>\n")
        _element(out, 6, "Ид", demo_b2b.onec_id("commission form", "yug:%s" % key))
        _element(out, 6, "Вид", "ЗакрывающиеДокументы")
        _element(out, 6, "Номер", number)
        _element(out, 6, "Дата", today.isoformat())
        _element(out, 6, "Наименование", title)
        _element(out, 6, "ИдДоговора", demo_b2b.CONTRACTS[CONTRACT]["id"])
        _element(out, 6, "ИдОтчетаКомиссионера", REPORT_DOCUMENT)
        _element(out, 6, "Файл", name)
        out.write("    </Документ>\n")
        files.append((name, demo_b2b.pdf(title, header, table, footer)))
    out.write("  </ПечатныеФормы>\n</КоммерческаяИнформация>\n")
    return [("b2b_commission_forms.xml", out.getvalue().encode("utf-8"))] + files


def exchanges(today, report_ref):
    """The demo commission exchange as of ``today`` for the report ``report_ref`` (as the
    portal sends it to 1C), after those of ``demo_b2b``."""
    files = [("b2b_consignment.xml", consignment_xml(today)),
             ("b2b_commission_decisions.xml", decisions_xml(today, report_ref))]
    files += forms_xml(today)
    return [("b2b", files, ["b2b_consignment.xml", "b2b_commission_decisions.xml",
                            "b2b_commission_forms.xml"])]


# ---------------------------------------------------------------------------------- Odoo side
def prepare(env, today):
    """The demo agent's commission terms and last month's report, submitted by its
    administrator in the portal; returns the report's id as the portal sends it to 1C. A report
    already there is kept (and its id returned)."""
    contract = env.ref("b2b_base.demo_contract_alfa_yug")
    agent_user = env.ref("b2b_base.demo_user_yug_admin")
    Product = env["product.product"].with_context(active_test=False)
    goods = _goods()
    if not contract.b2b_commission_term_ids:
        group = env["product.category"].search(
            [("name", "=", goods[CONSIGNMENT[0][0]]["category"])], limit=1)
        Term = env["b2b.commission.term"]
        Term.create({"contract_id": contract.id, "percent": DEFAULT_PERCENT})
        if group:
            Term.create({"contract_id": contract.id, "categ_id": group.id,
                         "percent": GROUP_PERCENT})
    Report = env["b2b.commission.report"]
    period = last_month(today).isoformat()
    report = Report.search([("contract_id", "=", contract.id), ("period", "=", period)], limit=1)
    if not report:
        lines = []
        for number, (good, qty, price, held) in enumerate(report_lines(), start=1):
            product = Product.search([("default_code", "=", good["sku"])], limit=1)
            lines.append((0, 0, {"sequence": number, "product_id": product.id, "qty_sold": qty,
                                 "price_unit": price, "qty_consigned": held}))
        report = Report.sudo(agent_user).create({
            "partner_id": contract.dealer_id.id, "contract_id": contract.id, "period": period,
            "line_ids": lines})
        Report.sudo(agent_user).b2b_submit(report.id)
    return "%s/%d" % (Report._name, report.id)
