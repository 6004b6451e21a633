"""Rules of the dealer portal's orders pages, without the ORM.

- The status rule: in which states of a sale order dealers may still change it from the portal
  (a system parameter, ``b2b_portal.editable_states``: state names separated by commas; ``none``
  for "never"), and who may (the order's author or an administrator of the dealer).
- ``parse_edit_entries``: what the edit form (or a JSON client) sends, ``[(product, qty), ...]``
  where ``product`` is a product id (int) or a SKU typed by the dealer (str); every bad entry is
  named by its position (1-based).
- ``plan_update``: which order lines to create, change and remove.
- ``merge_into_cart``: the cart quantities after copying an order into it.

Messages are English templates marked with ``_``; the ORM layer translates a template and then
fills in its parameters (see b2b_base's ``tools/rule_messages``).
"""
from collections import namedtuple

from odoo.addons.b2b_base.lib.messages import Problem, _

from .cart import BAD_ENTRY, check_qty, plan_set


PARAM_EDITABLE_STATES = "b2b_portal.editable_states"
# the states of sale.order a dealer's order may be edited in, at most (a cancelled or locked order
# is never changed from the portal)
EDITABLE_CHOICES = ("draft", "sent", "sale")
DEFAULT_EDITABLE_STATES = frozenset(("draft", "sent"))
NO_STATES = "none"

# how a dealer sees the states of a sale order
STATUS_LABELS = {
    "draft": _("New"),
    "sent": _("Quotation sent"),
    "sale": _("Confirmed"),
    "done": _("Completed"),
    "cancel": _("Cancelled"),
}
STATUS_ORDER = ("draft", "sent", "sale", "done", "cancel")

NOT_EDITABLE = _("Order %(order)s is %(status)s: it can no longer be changed from the portal. "
                 "Ask your manager to change it.")
NOT_AUTHOR = _("Order %(order)s was placed by %(author)s: only they or a dealer administrator "
               "may change it.")
NO_SKU = _("enter the SKU of the product to add")
UNKNOWN_SKU = _("there is no product with SKU %(sku)s")
NO_LINES = _("An order needs at least one line: cancel the order instead of removing every line.")
NOTHING_CHANGED = _("Nothing to change: the order already holds these quantities.")


def parse_editable_states(value):
    """The states in which dealers may edit, from the system parameter's ``value``.

    Missing or blank: the default (draft and sent). ``none``: never. Unknown names are left out
    (a state not listed is never editable), so a typo can only make the rule stricter."""
    if not value or not str(value).strip():
        return DEFAULT_EDITABLE_STATES
    words = {word.strip().lower() for word in str(value).split(",") if word.strip()}
    return frozenset(word for word in words if word in EDITABLE_CHOICES)


def format_editable_states(states):
    """The system parameter's value for ``states`` (``none`` when empty)."""
    chosen = [state for state in EDITABLE_CHOICES if state in set(states)]
    return ",".join(chosen) or NO_STATES


def edit_refusal(order_name, state, editable_states, user_id, author_id, author_name, is_admin):
    """None when the user may edit the order, else the Problem saying why not.

    The status rule comes first: nobody changes an order that has gone to picking."""
    if state not in editable_states:
        return Problem(NOT_EDITABLE, {"order": order_name, "status": STATUS_LABELS.get(state, state)})
    if not is_admin and user_id != author_id:
        return Problem(NOT_AUTHOR, {"order": order_name, "author": author_name or "?"})
    return None


Entry = namedtuple("Entry", ["line", "product", "qty"])   # product: id (int) or SKU (str)


def _as_product(value):
    """A product id (int > 0) or a SKU (stripped str); ValueError for anything else."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        if value <= 0:
            raise ValueError(value)
        return value
    if isinstance(value, str):
        sku = value.strip()
        if not sku:
            raise ValueError(value)
        return sku
    raise ValueError(value)


def parse_edit_entries(entries):
    """Check ``[(product, qty), ...]`` of an order edit; returns (entries, problems).

    ``product`` is a product id (int) or a SKU (str); a quantity of 0 removes the product's line.
    Decimal commas are accepted in quantities typed as text. Entries are kept one per position;
    the caller merges them once SKUs are resolved (``merge_entries``)."""
    if not isinstance(entries, (list, tuple)):
        return [], [Problem(BAD_ENTRY, line=1)]
    result, problems = [], []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, (list, tuple)) or len(entry) != 2:
            problems.append(Problem(BAD_ENTRY, line=number))
            continue
        try:
            product = _as_product(entry[0])
        except (TypeError, ValueError):
            problems.append(Problem(NO_SKU if isinstance(entry[0], str) else BAD_ENTRY, line=number))
            continue
        qty, problem = check_qty(entry[1], number)
        if problem:
            problems.append(problem)
        else:
            result.append(Entry(number, product, qty))
    return result, problems


def skus_of(entries):
    """The SKUs the entries name (to be looked up in one query)."""
    return sorted({entry.product for entry in entries if isinstance(entry.product, str)})


def resolve(entries, product_by_sku):
    """Entries with SKUs replaced by product ids: (entries, problems).

    ``product_by_sku``: {sku: product_id} of the products the user can see. Product ids are kept
    as they are: the ordering rules (the contract's offers) name an id the user may not buy."""
    resolved, problems = [], []
    for entry in entries:
        product = entry.product
        if isinstance(product, str):
            if product not in product_by_sku:
                problems.append(Problem(UNKNOWN_SKU, {"sku": product}, entry.line))
                continue
            product = product_by_sku[product]
        resolved.append(entry._replace(product=product))
    return resolved, problems


def merge_entries(entries):
    """One entry per product, at the position it was first given; quantities given twice for the
    same product add up (a removed row and a re-added SKU give the re-added quantity)."""
    merged = {}
    for entry in entries:
        if entry.product in merged:
            first = merged[entry.product]
            merged[entry.product] = first._replace(qty=first.qty + entry.qty)
        else:
            merged[entry.product] = entry
    return list(merged.values())


def plan_update(current, entries):
    """The WritePlan bringing an order holding ``current`` ({product_id: qty}) to the quantities
    of ``entries`` (one per product; 0 removes, products not given stay), and the problems: an
    order left without lines, or a change that changes nothing."""
    plan = plan_set(current, [(entry.product, entry.qty) for entry in entries])
    remaining = set(current) - plan.remove | set(plan.create)
    if not remaining:
        return plan, [Problem(NO_LINES)]
    if plan.empty:
        return plan, [Problem(NOTHING_CHANGED)]
    return plan, []


def merge_into_cart(cart, order_lines):
    """The cart's quantities once an order's lines (``[(product_id, qty), ...]``) are added to
    the cart holding ``cart`` ({product_id: qty}): quantities of products in both add up."""
    target = dict(cart)
    for product_id, qty in order_lines:
        if qty > 0:
            target[product_id] = target.get(product_id, 0.0) + qty
    return target


def status_choices(translate=lambda text: text):
    """[(state, label)] for the status filter, in the order of an order's life."""
    return [(state, translate(STATUS_LABELS[state])) for state in STATUS_ORDER]


def edit_rows(lines, blank=3):
    """The rows of an order's edit form: (a row per line of the order ``lines``, as the order's
    detail gives them, ``blank`` empty rows for adding products by SKU)."""
    rows = [{"product_id": line["product_id"], "sku": line["sku"], "name": line["name"],
             "qty": line["qty"], "unit": line["unit"], "price": line["price"], "remove": False}
            for line in lines]
    return rows, [{"sku": "", "qty": ""}] * blank


def read_edit_form(lines, product_ids, quantities, removed, skus, new_quantities):
    """What a sent edit form asks for: (entries [(product id or SKU, qty)] for the order's
    update, the form's rows and new rows shown back as the dealer typed them). ``lines``: the
    order's lines (to show their SKU, name, unit and price again); then the form's lists: the
    kept lines' product ids and quantities, the set of those ticked for removal (sent as 0), the
    SKUs and quantities of the rows added. A new row left blank is no entry."""
    entries, rows, new_rows = [], [], []
    known = {str(line["product_id"]): line for line in lines}
    for index, raw_id in enumerate(product_ids):
        qty = quantities[index] if index < len(quantities) else ""
        try:
            product_id = int(raw_id)
        except ValueError:
            product_id = raw_id
        line = known.get(raw_id, {})
        rows.append({"product_id": raw_id, "sku": line.get("sku", ""), "name": line.get("name", ""),
                     "qty": qty, "unit": line.get("unit", ""), "price": line.get("price"),
                     "remove": raw_id in removed})
        entries.append((product_id, 0 if raw_id in removed else qty))
    for index, sku in enumerate(skus):
        qty = new_quantities[index] if index < len(new_quantities) else ""
        new_rows.append({"sku": sku, "qty": qty})
        if sku.strip() or str(qty).strip():
            entries.append((sku, qty))
    return entries, rows, new_rows
