"""What every dealer page shares: the user's current contract and the values of the B2B layout.

The current contract lives in the session (``b2b_contract_id``) and is always checked against the
contracts the user acts for (``res.users.b2b_allowed_contract_ids``, derived by b2b_base from role
and assignment): a value forged into a form or the session never widens what a dealer sees. Outlet
users have exactly one contract and no switcher."""
import json

import werkzeug.exceptions
import werkzeug.utils

from odoo import _, http
from odoo.addons.b2b_base.models.b2b_contract import contract_label
from odoo.http import request

SESSION_KEY = "b2b_contract_id"


def dealer_user():
    """The logged-in dealer user (res.users, sudo), or None for anyone else."""
    user = request.env.user
    if not request.session.uid or not user.sudo().b2b_role:
        return None
    return user.sudo()


def allowed_contracts(user=None):
    """The contracts the dealer user acts for, active ones first (read once per request)."""
    user = user or dealer_user()
    if not user:
        return request.env["b2b.contract"].sudo().browse()
    known = getattr(request, "_b2b_allowed_contracts", None)
    if known is not None and known[0] == user.id:
        return known[1]
    contracts = user.b2b_allowed_contract_ids.sorted(lambda c: (c.state != "active", c.name))
    request._b2b_allowed_contracts = (user.id, contracts)
    return contracts


def contract_labels(contracts):
    """{contract id: its name as the switcher shows it} of the user's own ``contracts``, in one
    query (the ORM's name_get prefetches every field of the contracts and their partners)."""
    if not contracts:
        return {}
    cr = request.env.cr
    cr.execute("SELECT c.id, c.name, p.name FROM b2b_contract c "
               "JOIN res_partner p ON p.id = c.partner_id WHERE c.id = ANY(%s)",
               (list(contracts.ids),))
    rows = cr.fetchall()
    # after the fetch: the translation may be looked up on the same cursor
    number = _("No.")
    return {cid: contract_label(number, name, partner) for cid, name, partner in rows}


def current_contract():
    """The contract the dealer user works under now (b2b.contract, sudo; empty if none).

    The session's choice when it is still allowed, else the first active allowed contract."""
    contracts = allowed_contracts()
    wanted = request.session.get(SESSION_KEY)
    contract = contracts.filtered(lambda c: c.id == wanted)[:1] or contracts[:1]
    if contract and contract.id != wanted:
        request.session[SESSION_KEY] = contract.id
    return contract


def ensure_dealer():
    """The dealer user, or raise NotFound: B2B pages exist only for dealers' staff."""
    user = dealer_user()
    if not user:
        raise werkzeug.exceptions.NotFound()
    return user


def layout_values(**values):
    """Values every page rendered with ``b2b_portal.layout`` needs (plus ``values``)."""
    user = dealer_user()
    contracts = allowed_contracts(user)
    contract = current_contract() if user else contracts
    cart_count = 0
    if contract:
        cart = request.env["b2b.cart"].sudo().search(
            [("user_id", "=", request.env.uid), ("contract_id", "=", contract.id)], limit=1)
        cart_count = len(cart.line_ids)
    result = {
        "b2b_user": user,
        "b2b_contracts": contracts,
        "b2b_contract": contract,
        "b2b_contract_labels": contract_labels(contracts | contract),
        "b2b_can_switch": bool(user) and user.b2b_role != "outlet" and len(contracts) > 1,
        "b2b_cart_count": cart_count,
        "b2b_is_admin": bool(user) and user.b2b_role == "admin",
        "page_name": values.get("page_name", "b2b"),
    }
    if user:
        # the portal's header prints the user's name and the company's: read just those, and
        # the user's own without the record rules of res.partner (through the fields, every page
        # read every field of both contacts and of the company, as the dealer)
        user.partner_id.read(["name"])
        user.company_id.read(["name"])
        result["user_id"] = user
    result.update(values)
    return result


def json_response(data, status=200):
    """A JSON answer for ``type="http"`` routes (downloads and plain fetch calls)."""
    return request.make_response(json.dumps(data, default=str), status=status,
                                 headers=[("Content-Type", "application/json; charset=utf-8")])


def safe_redirect(target, default="/my"):
    """Redirect within this site only (no open redirect through a ``redirect`` parameter)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        target = default
    return werkzeug.utils.redirect(target, 303)


class B2bContractSwitch(http.Controller):

    @http.route("/b2b/contract/switch", type="http", auth="user", methods=["POST"], website=False)
    def switch_contract(self, contract_id=None, redirect=None, **kw):
        """Make ``contract_id`` the current contract of the session; only an allowed one."""
        user = ensure_dealer()
        try:
            wanted = int(contract_id)
        except (TypeError, ValueError):
            wanted = 0
        if user.b2b_role == "outlet" or wanted not in allowed_contracts(user).ids:
            raise werkzeug.exceptions.Forbidden(_("You cannot work under this contract."))
        request.session[SESSION_KEY] = wanted
        return safe_redirect(redirect or request.httprequest.referrer and
                             _path_of(request.httprequest.referrer))


def _path_of(url):
    """The path and query of ``url`` when it points at this site, else None."""
    from werkzeug.urls import url_parse
    parsed = url_parse(url)
    if parsed.netloc and parsed.netloc != request.httprequest.host:
        return None
    return parsed.path + ("?" + parsed.query if parsed.query else "")
