"""CommerceML orders exchanged with 1C (``type=sale``), without the ORM.

- Writing: ``order_element`` turns an ``Order`` (a portal order as 1C must see it) into a
  CommerceML ``Документ``; ``orders_document`` wraps documents in ``КоммерческаяИнформация``;
  ``fingerprint`` is the digest of what 1C receives of an order, so that an order is sent again
  exactly when something 1C would see has changed.
- Reading: ``read_orders`` streams the ``Документ`` elements of an orders file 1C sends (its
  changes of portal orders, its statuses, the orders it took by phone) and yields ``IncomingOrder``
  values; a document that cannot be used (no Ид, a number or date that cannot be read) is handed
  to the caller's ``skip`` with its file, line and element, and the others are read on; a line
  without a product Ид is left out of its order with a warning (``IncomingOrder.problems``).
- Statuses: ``default_statuses`` (the map of 1C's statuses to states of a sale order shipped in
  ``data/onec_order_data.xml``), ``status_key`` (how a status is compared), ``status_map`` and
  ``target_state`` (the state 1C's status asks for), ``transition_steps`` (the sale order actions
  that lead from one state to another).

The contract of a portal order travels in ``ЗначенияРеквизитов``: ``Договор`` holds the
contract's 1C Ид, ``Номер договора`` its number (CommerceML has no contract element in a
document); the desired shipment date in ``Желаемая дата отгрузки`` (``YYYY-MM-DD``), the
portal status in ``Статус заказа`` and ``Отменен`` (``true`` / ``false``), a bonus order
(paid with bonus points) in ``Оплата бонусами`` = ``true``.

The written document follows the element order of 1C's published CommerceML schemas 2.08, 2.09 and
2.10 (``doc/commerceml/``; ``lib/tests/test_orders_cml.py`` validates it against each of them).
"""
import datetime
import functools
import hashlib
import json
import os
from collections import namedtuple

from lxml import etree

from odoo.addons.b2b_base.lib.messages import _
from odoo.addons.b2b_base.lib.numbers import format_plain

from . import okei, values
from .protocol import FileRefused
from .reader import RecordReader
from .safexml import local_name

NAMESPACE = "urn:1C.ru:commerceml_2"
SCHEMA_VERSION = "2.08"
OPERATION = "Заказ товара"
ROLE_SELLER = "Продавец"
ROLE_BUYER = "Покупатель"

REQ_CONTRACT = "Договор"
REQ_CONTRACT_NUMBER = "Номер договора"
REQ_DESIRED_DATE = "Желаемая дата отгрузки"
REQ_STATUS = "Статус заказа"
REQ_CANCELLED = "Отменен"
REQ_ORIGIN = "Источник"
REQ_ONEC_NUMBER = "Номер по 1С"     # 1C's own number of a portal order, in 1C's answer
REQ_BONUS = "Оплата бонусами"
ORIGIN_PORTAL = "Портал дилеров"

# how the portal names its states to 1C (``Статус заказа`` of a document sent to 1C)
STATE_STATUS = {
    "draft": "Новый",
    "sent": "Новый",
    "sale": "Согласован",
    "done": "Закрыт",
    "cancel": "Отменен",
}
STATES = ("draft", "sent", "sale", "done", "cancel")

def unit_code(code):
    """``code`` when it can stand in ``БазоваяЕдиница/@Код`` (3 or 4 characters), else None."""
    code = okei.normal_code(code)
    return code if 3 <= len(code) <= 4 else None


Line = namedtuple("Line", "product_id sku name unit_code unit_name price qty amount")
Order = namedtuple("Order", "guid number date currency rate amount tax_amount tax_included "
                            "counterparty_id counterparty_name counterparty_full_name inn "
                            "contract_id contract_number comment desired_date state lines bonus")
Order.__new__.__defaults__ = (False,)
# ``line``: the line of the product's Ид
IncomingLine = namedtuple("IncomingLine", "line product_id characteristic sku name price qty amount")
# ``lines``: [IncomingLine]; ``where``: {"status" / "contract" / "counterparty": line of the
# element}; ``problems``: warnings of the parts left out (lines without a product Ид)
IncomingOrder = namedtuple("IncomingOrder", "line guid number date operation currency amount "
                                            "counterparty_id contract_id status cancelled deleted "
                                            "comment desired_date lines onec_number where "
                                            "problems")

MSG_NO_ID = _("%(file)s, line %(line)d: the document has no Ид (1C id) and no Номер (number).")
MSG_BAD_NUMBER = _("%(file)s, line %(line)d: %(field)s is not a number: %(value)s.")
MSG_BAD_DATE = _("%(file)s, line %(line)d: %(field)s is not a date (YYYY-MM-DD): %(value)s.")
MSG_NEGATIVE = _("%(file)s, line %(line)d: %(field)s cannot be negative: %(value)s.")
MSG_LINE_NO_PRODUCT_ID = _("%(file)s, line %(line)d: order %(order)s: a line has no Ид of its "
                           "product; the order is imported without it.")
MSG_LINE_UNKNOWN_PRODUCT = _("%(file)s, line %(line)d: order %(order)s: no product has the 1C "
                             "id %(product)s; the order is imported without this line (import "
                             "the catalog first).")
MSG_UNKNOWN_CONTRACT = _("%(file)s, line %(line)d: order %(order)s: no contract has the 1C id "
                         "%(contract)s; send the counterparties and contracts first.")
MSG_NO_CONTRACT = _("%(file)s, line %(line)d: order %(order)s is new to the portal and names "
                    "no contract (ЗначенияРеквизитов «Договор»).")
MSG_UNKNOWN_COUNTERPARTY = _("%(file)s, line %(line)d: order %(order)s: no counterparty has "
                             "the 1C id %(counterparty)s.")
MSG_WRONG_COUNTERPARTY = _("%(file)s, line %(line)d: order %(order)s: contract %(contract)s "
                           "belongs to %(owner)s, not to the counterparty %(counterparty)s.")
MSG_UNKNOWN_STATUS = _("%(file)s, line %(line)d: order %(order)s: the 1C status «%(status)s» "
                       "is not in the order status map (Sales > Configuration > 1C order "
                       "statuses); the order is updated and shows 1C's status, its state stays "
                       "as it was.")
MSG_NO_KNOWN_LINES = _("%(file)s, line %(line)d: order %(order)s is new to the portal and has "
                       "no line of a product the portal knows.")
MSG_CONTRACT_LOCKED = _("%(file)s, line %(line)d: order %(order)s is confirmed in the portal; "
                        "its contract cannot change to %(contract)s.")
MSG_ACTION_FAILED = _("%(file)s, line %(line)d: order %(order)s: the portal cannot apply 1C's "
                      "changes: %(error)s")

# the element paths warnings name
EL_DOCUMENT = "Документ"
EL_LINE = "Документ/Товары/Товар"
EL_COUNTERPARTY = "Документ/Контрагенты/Контрагент/Ид"
EL_CONTRACT = "Документ/ЗначенияРеквизитов/" + REQ_CONTRACT
EL_STATUS = "Документ/ЗначенияРеквизитов/" + REQ_STATUS

def _sub(parent, tag, text=None):
    element = etree.SubElement(parent, "{%s}%s" % (NAMESPACE, tag))
    if text is not None:
        element.text = str(text)
    return element


def format_amount(value):
    return "%.2f" % (value or 0.0)


def format_qty(value):
    """A quantity as 1C reads it: ``3``, ``2.5``, ``0.125`` (no exponent, no trailing zeros)."""
    return format_plain(value or 0.0)


def _requisite(parent, name, value):
    item = _sub(parent, "ЗначениеРеквизита")
    _sub(item, "Наименование", name)
    _sub(item, "Значение", value)


def _unit(parent, line):
    """``БазоваяЕдиница`` of ``line``: its OKEI code with the classifier's Russian names, or its
    own name without a code when it has none (a wrong code would put another unit in 1C)."""
    code = unit_code(line.unit_code)
    unit = okei.UNITS.get(code or "")
    name = unit.short if unit else (line.unit_name or "шт")[:255]
    element = _sub(parent, "БазоваяЕдиница", name)
    if code:
        element.set("Код", code)
    element.set("НаименованиеПолное", unit.full if unit else name)
    if unit and unit.intl:
        element.set("МеждународноеСокращение", unit.intl)
    return element


def order_element(order):
    """The CommerceML ``Документ`` (lxml element) of ``order`` (an ``Order``), its children in
    the order of the schema's sequence (``Время`` after ``Контрагенты``, a line's
    ``ЗначенияРеквизитов`` before its price)."""
    doc = etree.Element("{%s}Документ" % NAMESPACE, nsmap={None: NAMESPACE})
    _sub(doc, "Ид", order.guid)
    _sub(doc, "Номер", order.number)
    _sub(doc, "Дата", order.date.strftime("%Y-%m-%d"))
    _sub(doc, "ХозОперация", OPERATION)
    _sub(doc, "Роль", ROLE_SELLER)
    _sub(doc, "Валюта", order.currency)
    _sub(doc, "Курс", format_qty(order.rate or 1.0))
    _sub(doc, "Сумма", format_amount(order.amount))
    parties = _sub(doc, "Контрагенты")
    party = _sub(parties, "Контрагент")
    _sub(party, "Ид", order.counterparty_id)
    _sub(party, "Наименование", order.counterparty_name[:255])
    _sub(party, "ПолноеНаименование", (order.counterparty_full_name or order.counterparty_name)[:255])
    if order.inn:
        _sub(party, "ИНН", order.inn)
    _sub(party, "Роль", ROLE_BUYER)
    _sub(doc, "Время", order.date.strftime("%H:%M:%S"))
    _sub(doc, "Комментарий", (order.comment or "")[:3000])
    if order.tax_amount:
        taxes = _sub(doc, "Налоги")
        tax = _sub(taxes, "Налог")
        _sub(tax, "Наименование", "НДС")
        _sub(tax, "УчтеноВСумме", "true" if order.tax_included else "false")
        _sub(tax, "Сумма", format_amount(order.tax_amount))
    goods = _sub(doc, "Товары")
    for line in order.lines:
        item = _sub(goods, "Товар")
        _sub(item, "Ид", line.product_id)
        _sub(item, "Артикул", line.sku or "")
        _sub(item, "Наименование", (line.name or "")[:255])
        _unit(item, line)
        values = _sub(item, "ЗначенияРеквизитов")
        _requisite(values, "ВидНоменклатуры", "Товар")
        _requisite(values, "ТипНоменклатуры", "Товар")
        _sub(item, "ЦенаЗаЕдиницу", format_amount(line.price))
        _sub(item, "Количество", format_qty(line.qty))
        _sub(item, "Сумма", format_amount(line.amount))
    values = _sub(doc, "ЗначенияРеквизитов")
    _requisite(values, REQ_CONTRACT, order.contract_id)
    _requisite(values, REQ_CONTRACT_NUMBER, order.contract_number or "")
    if order.desired_date:
        _requisite(values, REQ_DESIRED_DATE, order.desired_date.strftime("%Y-%m-%d"))
    _requisite(values, REQ_STATUS, STATE_STATUS.get(order.state, order.state))
    _requisite(values, REQ_CANCELLED, "true" if order.state == "cancel" else "false")
    if order.bonus:
        _requisite(values, REQ_BONUS, "true")
    _requisite(values, REQ_ORIGIN, ORIGIN_PORTAL)
    return doc


SCHEMA_FOLDER = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                             "doc", "commerceml")
SCHEMA_VERSIONS = ("2.08", "2.09", "2.10")


@functools.lru_cache(maxsize=None)
def schema(version):
    """1C's published CommerceML schema ``version`` (``2.08``, ``2.09``, ``2.10``) as an
    ``lxml.etree.XMLSchema`` (the copies in ``doc/commerceml/``)."""
    path = os.path.join(SCHEMA_FOLDER, "commerceml-%s.xsd" % version)
    return etree.XMLSchema(etree.parse(path))


def fingerprint(order):
    """SHA-256 (hex) of what 1C receives of ``order``; the generation date does not count."""
    data = order._asdict()
    if not order.bonus:
        del data["bonus"]  # the fingerprints of the orders sent before bonus orders were marked
    data["date"] = order.date.strftime("%Y-%m-%dT%H:%M:%S")
    data["desired_date"] = order.desired_date.strftime("%Y-%m-%d") if order.desired_date else None
    data["amount"] = format_amount(order.amount)
    data["tax_amount"] = format_amount(order.tax_amount)
    data["lines"] = [[line.product_id, line.sku, line.name, line.unit_code, line.unit_name,
                      format_amount(line.price), format_qty(line.qty), format_amount(line.amount)]
                     for line in order.lines]
    text = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def orders_document(generated_at, documents=()):
    """Bytes (UTF-8, with XML declaration) of a ``КоммерческаяИнформация`` holding ``documents``.

    ``generated_at`` is a naive datetime in the supplier's local time; ``documents`` are lxml
    ``Документ`` elements or ``Order`` values.
    """
    root = etree.Element("{%s}КоммерческаяИнформация" % NAMESPACE, nsmap={None: NAMESPACE})
    root.set("ВерсияСхемы", SCHEMA_VERSION)
    root.set("ДатаФормирования", generated_at.strftime("%Y-%m-%dT%H:%M:%S"))
    for document in documents:
        root.append(order_element(document) if isinstance(document, Order) else document)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# ---------------------------------------------------------------------- reading
def _text(element, tag):
    for child in element:
        if local_name(child.tag) == tag:
            return (child.text or "").strip()
    return ""


def _child(element, tag):
    for child in element:
        if local_name(child.tag) == tag:
            return child
    return None


def _children(element, tag):
    return [child for child in element if local_name(child.tag) == tag]


def parse_number(text, field, name, line, default=None):
    """A Decimal-exact float of ``text`` (``values.number``: ``1234.5``, ``1 234,50``);
    ``default`` when empty. FileRefused (at ``line``, element ``field``) when it is not a number
    or is negative."""
    try:
        value = values.number(text)
    except ValueError:
        raise FileRefused(MSG_BAD_NUMBER, name, line, field=field, value=text) from None
    if value is None:
        return default
    if value < 0:
        raise FileRefused(MSG_NEGATIVE, name, line, field=field, value=text)
    return float(value)


def parse_datetime(text, field, name, line):
    """(date, time or None) of 1C's ``text`` (``values.date_time``: with or without a time,
    ISO or 1C's ``01.05.2024 9:30:00``); (None, None) when empty or 1C's empty date. FileRefused
    (at ``line``, element ``field``) when it is not a date."""
    try:
        return values.date_time(text)
    except ValueError:
        raise FileRefused(MSG_BAD_DATE, name, line, field=field,
                          value=(text or "").strip()) from None


def parse_date(text, field, name, line):
    """The date of ``text`` (any form ``parse_datetime`` reads, its time ignored); None if empty."""
    return parse_datetime(text, field, name, line)[0]


parse_time = values.clock
parse_bool = values.truthy


def requisites(element):
    """{name: (value, line)} of the ``ЗначенияРеквизитов`` child of ``element``."""
    values = {}
    holder = _child(element, "ЗначенияРеквизитов")
    if holder is None:
        return values
    for item in _children(holder, "ЗначениеРеквизита"):
        values[_text(item, "Наименование")] = (_text(item, "Значение"),
                                               item.sourceline or holder.sourceline or 0)
    return values


def _line_of(element, tag, default):
    child = _child(element, tag)
    return (child.sourceline if child is not None else None) or default


def parse_document(doc, name):
    """The ``IncomingOrder`` of one ``Документ`` element; FileRefused when the document cannot
    be used (no Ид nor Номер, a date or number that cannot be read). A line without the Ид of its
    product is left out, with a warning in ``problems``."""
    line = doc.sourceline or 0
    guid = _text(doc, "Ид")
    number = _text(doc, "Номер")
    if not guid and not number:
        raise FileRefused(MSG_NO_ID, name, line, field=EL_DOCUMENT)
    label = number or guid
    values = requisites(doc)

    def requisite(*names):
        for key in names:
            if values.get(key, ("",))[0]:
                return values[key]
        return "", line

    day, clock = parse_datetime(_text(doc, "Дата"), "Документ/Дата", name,
                                _line_of(doc, "Дата", line))
    date = None
    if day:
        date = datetime.datetime.combine(
            day, parse_time(_text(doc, "Время")) or clock or datetime.time(0, 0))
    counterparty, counterparty_line = "", line
    parties = _child(doc, "Контрагенты")
    if parties is not None:
        found = _children(parties, "Контрагент")
        buyers = [p for p in found if _text(p, "Роль") in ("", ROLE_BUYER)]
        if buyers:
            counterparty = _text(buyers[0], "Ид")
            counterparty_line = _line_of(buyers[0], "Ид", buyers[0].sourceline or line)
    contract, contract_line = requisite(REQ_CONTRACT)
    contract_element = _child(doc, "Договор")
    if contract_element is not None:
        contract = _text(contract_element, "Ид") or (contract_element.text or "").strip() or contract
        contract_line = contract_element.sourceline or contract_line
    lines, problems = [], []
    goods = _child(doc, "Товары")
    for item in (_children(goods, "Товар") if goods is not None else []):
        item_line = item.sourceline or line
        product = _text(item, "Ид")
        price = parse_number(_text(item, "ЦенаЗаЕдиницу"), EL_LINE + "/ЦенаЗаЕдиницу", name,
                             _line_of(item, "ЦенаЗаЕдиницу", item_line), 0.0)
        qty = parse_number(_text(item, "Количество"), EL_LINE + "/Количество", name,
                           _line_of(item, "Количество", item_line), 0.0)
        amount = parse_number(_text(item, "Сумма"), EL_LINE + "/Сумма", name,
                              _line_of(item, "Сумма", item_line), None)
        if not product:
            problems.append(FileRefused(MSG_LINE_NO_PRODUCT_ID, name, item_line, field=EL_LINE,
                                        order=label))
            continue
        product, _sep, characteristic = product.partition("#")
        lines.append(IncomingLine(_line_of(item, "Ид", item_line), product, characteristic, _text(item, "Артикул"),
                                  _text(item, "Наименование"), price, qty,
                                  round(price * qty, 2) if amount is None else amount))
    status, status_line = requisite(REQ_STATUS, "Статус")
    desired_text, desired_line = requisite(REQ_DESIRED_DATE)
    return IncomingOrder(
        line=line, guid=guid, number=number, date=date,
        operation=_text(doc, "ХозОперация"), currency=_text(doc, "Валюта"),
        amount=parse_number(_text(doc, "Сумма"), "Документ/Сумма", name,
                            _line_of(doc, "Сумма", line), None),
        counterparty_id=counterparty, contract_id=contract, status=" ".join(status.split()),
        cancelled=parse_bool(requisite(REQ_CANCELLED)[0]),
        deleted=parse_bool(requisite("ПометкаУдаления")[0]) or parse_bool(_text(doc, "ПометкаУдаления")),
        comment=_text(doc, "Комментарий"),
        desired_date=parse_date(desired_text, "Документ/ЗначенияРеквизитов/" + REQ_DESIRED_DATE,
                                name, desired_line),
        lines=lines, onec_number=requisite(REQ_ONEC_NUMBER)[0],
        where={"status": status_line, "contract": contract_line,
               "counterparty": counterparty_line},
        problems=tuple(problems))


def _refuse(problems):
    raise problems[0]


class _OrdersReader(RecordReader):
    """The order documents of a file (see ``read_orders``)."""

    record_paths = frozenset([("КоммерческаяИнформация", "Документ"),
                              ("КоммерческаяИнформация", "Контейнер", "Документ")])

    def __init__(self, source, name, skip):
        super().__init__(source, name)
        self.skip = skip

    def record(self, path, element):
        if _text(element, "ХозОперация") not in ("", OPERATION):
            return ()
        try:
            return [parse_document(element, self.name)]
        except FileRefused as problem:
            self.skip([problem])
            return ()


def read_orders(source, name, skip=_refuse):
    """Yield the ``IncomingOrder`` of every order document of ``source`` (path or binary file).

    A document that cannot be used is passed to ``skip`` as ``[problem]`` (a located
    ``FileRefused``) and reading goes on with the next one; by default the problem is raised.
    Documents of another business operation than an order (payments, shipments) are passed
    over; documents directly under the root and inside ``Контейнер`` (schema 2.10, 3.1) are read.
    Memory stays bounded: each document is freed once read.
    """
    return iter(_OrdersReader(source, name, skip))


# ---------------------------------------------------------------------- statuses
DATA_FOLDER = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data")
STATUS_MODEL = "b2b.onec.order.status"


DefaultStatus = namedtuple("DefaultStatus", "xmlid name state")


@functools.lru_cache(maxsize=None)
def default_statuses(path=os.path.join(DATA_FOLDER, "onec_order_data.xml")):
    """The map of 1C's order statuses the addon ships, as ``DefaultStatus`` (XML id, 1C status,
    sale order state) in their sequence: the records of ``b2b.onec.order.status`` in
    ``data/onec_order_data.xml``. Installed once (``noupdate``), then the supplier's to change."""
    rows = []
    for record in etree.parse(path).iter("record"):
        if record.get("model") != STATUS_MODEL:
            continue
        values = {field.get("name"): (field.text or "").strip() for field in record.iter("field")}
        rows.append((int(values.get("sequence") or 0),
                     DefaultStatus(record.get("id"), values["name"], values["state"])))
    return tuple(row for _sequence, row in sorted(rows, key=lambda r: r[0]))


def status_map(pairs):
    """{status_key: state} of ``pairs`` (1C status, state), as ``target_state`` takes it."""
    return {status_key(name): state for name, state in pairs}


def status_key(status):
    """How statuses are compared: case, spaces and ё do not matter."""
    return " ".join((status or "").replace("ё", "е").replace("Ё", "Е").split()).casefold()


def target_state(status, cancelled, mapping):
    """The sale order state for 1C's ``status`` (``mapping``: {status_key: state}), or None when
    1C sent no status; KeyError when the status is not in the map."""
    if cancelled:
        return "cancel"
    if not status:
        return None
    return mapping[status_key(status)]


def transition_steps(current, target):
    """The sale order actions (``unlock``, ``cancel``, ``draft``, ``mark_sent``, ``confirm``,
    ``done``) leading from state ``current`` to ``target``, in order."""
    if target is None or current == target:
        return []
    steps = []
    state = current
    if state == "done":
        steps.append("unlock")
        state = "sale"
        if target == "sale":
            return steps
    if target == "cancel":
        return steps + ["cancel"]
    if state == "sale" and target in ("draft", "sent"):
        steps.append("cancel")
        state = "cancel"
    if state == "cancel":
        steps.append("draft")
        state = "draft"
    if target == "draft" and state == "sent":
        steps.append("draft")
        state = "draft"
    if target == "sent" and state == "draft":
        steps.append("mark_sent")
        state = "sent"
    if target in ("sale", "done") and state in ("draft", "sent"):
        steps.append("confirm")
        state = "sale"
    if target == "done" and state == "sale":
        steps.append("done")
    return steps


LinePlan = namedtuple("LinePlan", "update create remove")


def plan_lines(current, incoming):
    """What to do to an order's lines so that they are 1C's.

    ``current``: [(line id, product id, qty, price, discount)], ``incoming``: [(product id, qty,
    price, amount)] (products resolved). Returns ``LinePlan``: ``update`` {line id: {qty, price,
    discount}} (only what changes), ``create`` [(product id, qty, price, discount)], ``remove``
    [line ids]. Lines pair up by product in order; a discount makes the line's amount 1C's.
    """
    pool = {}
    for line_id, product, qty, price, discount in current:
        pool.setdefault(product, []).append((line_id, qty, price, discount))
    update, create = {}, []
    for product, qty, price, amount in incoming:
        gross = price * qty
        discount = 0.0
        if gross and amount is not None and abs(gross - amount) >= 0.005:
            discount = round(max(0.0, min(100.0, (1 - amount / gross) * 100)), 4)
        if pool.get(product):
            line_id, old_qty, old_price, old_discount = pool[product].pop(0)
            change = {}
            if abs(old_qty - qty) > 1e-6:
                change["qty"] = qty
            if abs(old_price - price) >= 0.005:
                change["price"] = price
            if abs((old_discount or 0.0) - discount) > 1e-4:
                change["discount"] = discount
            if change:
                update[line_id] = change
        else:
            create.append((product, qty, price, discount))
    remove = [line_id for lines in pool.values() for line_id, *_rest in lines]
    return LinePlan(update, create, sorted(remove))
