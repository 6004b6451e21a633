"""Portal orders as Bitrix24 deals, and a manager's changes of a deal as changes of the order.

An order is described here by plain dicts (no Odoo): ``order`` has ``id``, ``name``, ``state``,
``amount``, ``currency``, ``date`` (ISO), ``note``, ``dealer``, ``contract``; each of ``lines`` has
``sku``, ``name``, ``qty``, ``price``, ``uom``. The deal keeps the order's SKU in each product
row's name (``[SKU] name``), which is how a row comes back to a product.

The *signature* of a deal is its stage and rows reduced to what the portal compares; it is taken
of what the portal last sent and of what Bitrix24 holds now: equal signatures mean the deal event
is the echo of the portal's own update (Bitrix24 sends ``ONCRMDEALUPDATE`` for those too).
"""
import hashlib
import json
import re

from odoo.addons.b2b_base.lib.messages import Problem, _

ORIGINATOR = "b2b_portal"

#: sale.order state -> stage of the default pipeline (a pipeline N adds its ``CN:`` prefix)
DEFAULT_STAGES = (
    ("draft", "NEW"),
    ("sent", "PREPARATION"),
    ("sale", "EXECUTING"),
    ("done", "WON"),
    ("cancel", "LOSE"),
)

_SKU_RE = re.compile(r"^\s*\[([^\]]+)\]\s*(.*)$")


def origin_id(order_id):
    return "sale.order:%d" % order_id


def order_id_of(origin):
    """The order id of a deal's ORIGIN_ID, or None when the deal is not a portal order's."""
    m = re.match(r"^sale\.order:(\d+)$", str(origin or ""))
    return int(m.group(1)) if m else None


def stage_code(stage, category_id):
    """``stage`` in pipeline ``category_id``: the default pipeline's codes get ``C<N>:``."""
    stage = str(stage or "").strip()
    if not stage or not category_id or ":" in stage:
        return stage
    return "C%d:%s" % (int(category_id), stage)


def stage_of(state, stages, category_id):
    """The deal stage of an order ``state`` by ``stages`` ([(state, stage)])."""
    for candidate, stage in stages:
        if candidate == state:
            return stage_code(stage, category_id)
    return None


def state_of(stage, stages, category_id):
    """The order state a deal ``stage`` stands for, or None."""
    for state, candidate in stages:
        if stage_code(candidate, category_id) == str(stage or ""):
            return state
    return None


def row_name(sku, name):
    return "[%s] %s" % (sku, name) if sku else (name or "")


def sku_of(product_name):
    m = _SKU_RE.match(str(product_name or ""))
    return m.group(1).strip() if m else None


def _amount(value):
    try:
        return round(float(value), 2)
    except (TypeError, ValueError):
        return 0.0


def deal_rows(lines):
    """``crm.deal.productrows.set`` rows of the order ``lines`` (all of them: the call replaces)."""
    rows = []
    for sort, line in enumerate(lines, start=1):
        rows.append({
            "PRODUCT_ID": 0,
            "PRODUCT_NAME": row_name(line.get("sku"), line.get("name")),
            "PRICE": _amount(line.get("price")),
            "QUANTITY": float(line.get("qty") or 0),
            # the order line's price as the dealer's price type has it, with its VAT rate and
            # whether the price includes the VAT (prices on top of VAT: "N")
            "TAX_INCLUDED": "Y" if line.get("tax_included", True) else "N",
            "MEASURE_CODE": 796,
            "MEASURE_NAME": line.get("uom") or "шт",
            "SORT": sort * 10,
        })
        if line.get("tax_rate") is not None:
            rows[-1]["TAX_RATE"] = _amount(line["tax_rate"])
    return rows


def deal_fields(order, stage, category_id, company_id=None, contact_ids=(), assigned_by=None):
    """``crm.deal.add`` / ``crm.deal.update`` fields of an order."""
    fields = {
        "TITLE": "%s — %s" % (order["name"], order.get("dealer") or ""),
        "CATEGORY_ID": int(category_id or 0),
        "OPPORTUNITY": _amount(order.get("amount")),
        "CURRENCY_ID": order.get("currency") or "RUB",
        "ORIGINATOR_ID": ORIGINATOR,
        "ORIGIN_ID": origin_id(order["id"]),
        "COMMENTS": _comments(order),
        "OPENED": "Y",
    }
    if stage:
        fields["STAGE_ID"] = stage
    if order.get("date"):
        fields["BEGINDATE"] = order["date"]
    if company_id:
        fields["COMPANY_ID"] = int(company_id)
    if contact_ids:
        fields["CONTACT_IDS"] = [int(c) for c in contact_ids]
    if assigned_by:
        fields["ASSIGNED_BY_ID"] = int(assigned_by)
    return fields


def _bb_escape(text):
    return str(text or "").replace("[", "(").replace("]", ")")


def _comments(order):
    parts = ["[B]Заказ портала %s[/B]" % _bb_escape(order["name"])]
    if order.get("contract"):
        parts.append("Договор: %s" % _bb_escape(order["contract"]))
    if order.get("url"):
        parts.append("[URL=%s]Открыть в Odoo[/URL]" % order["url"])
    if order.get("note"):
        parts.append(_bb_escape(order["note"]))
    return "\n".join(parts)


def signature(stage, rows):
    """What the portal compares of a deal: stage and rows (name, quantity, price)."""
    reduced = sorted((str(r.get("PRODUCT_NAME") or "").strip(), round(float(r.get("QUANTITY") or 0), 3),
                      _amount(r.get("PRICE"))) for r in rows or ())
    text = json.dumps([str(stage or ""), reduced], ensure_ascii=False)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class DealChange:
    """What a manager changed in a deal, as the order should follow it.

    ``state``: the order state the new stage stands for (None: no change of status);
    ``lines``: [(sku, qty, price)] the order's lines should become (None: rows not changed);
    ``problems``: ``Problem``s of the rows that cannot become order lines (``line`` is the row's
    number in the deal, ``product`` its name)."""

    def __init__(self, state=None, lines=None, problems=()):
        self.state = state
        self.lines = lines
        self.problems = list(problems)

    @property
    def empty(self):
        return self.state is None and self.lines is None


def deal_change(order_state, order_lines, deal, rows, stages, category_id):
    """The change to make to an order (state ``order_state``, ``order_lines`` as for
    :func:`deal_rows`) so that it matches the deal (``crm.deal.get``) and its ``rows``
    (``crm.deal.productrows.get``, values of any type)."""
    change = DealChange()
    new_state = state_of(deal.get("STAGE_ID"), stages, category_id)
    if new_state and new_state != order_state:
        change.state = new_state
    if signature("", rows) != signature("", deal_rows(order_lines)):
        wanted = []
        for number, row in enumerate(rows or (), start=1):
            name = row.get("PRODUCT_NAME") or row.get("ORIGINAL_PRODUCT_NAME") or ""
            sku = sku_of(name)
            qty = float(row.get("QUANTITY") or 0)
            if not sku:
                change.problems.append(Problem(_("no SKU in the row's name"), line=number,
                                               product=name))
                continue
            if qty <= 0:
                change.problems.append(Problem(_("quantity is not above zero"), line=number,
                                               product=name))
                continue
            wanted.append((sku, qty, _amount(row.get("PRICE"))))
        change.lines = wanted
    return change
