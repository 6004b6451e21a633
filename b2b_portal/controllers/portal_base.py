"""The base of every dealer page: ``B2bPortal``, which every B2B controller of the portal extends.

It extends Odoo's ``CustomerPortal``, so that the portal's controllers (Odoo's own, the suite's,
another addon's) are one class at run time, as Odoo builds them, and each of them may override what
the base provides:

- who asks (``_b2b_user``, ``_b2b_ensure_dealer``), the contracts they act for
  (``_b2b_contracts``) and the one they work under now (``_b2b_contract``);
- ``_prepare_b2b_layout_values``: the values of the ``b2b_portal.layout`` frame every page needs
  (the B2B counterpart of Odoo's ``_prepare_portal_layout_values``, which reads what stock /my
  pages show: quotation and invoice counts that a dealer page does not need), with the number and
  date formatters of the user's language (``_b2b_formatters``);
- the pictures a form uploads (``_b2b_uploaded_photos``);
- how a refusal reads (``_b2b_error_text``, ``_b2b_attempt``), and the answers that are files:
  downloads (``_b2b_file_response``) and pictures (``_b2b_image_response``).

The current contract lives in the session (``b2b_contract_id``) and is always checked against the
contracts the user acts for (``res.users.b2b_allowed_contract_ids``, derived by b2b_base from role
and assignment): a value forged into a form or the session never widens what a dealer sees. Outlet
users have exactly one contract and no switcher.

Odoo builds one controller out of all the subclasses of ``CustomerPortal``: a method name is one
method for all of them. A B2B controller names its own methods after its pages (``_render_cart``,
not ``_render``), and a route is declared by one method of one class only."""
import base64

import pytz

import werkzeug.exceptions
import werkzeug.utils
import werkzeug.wrappers
from werkzeug.urls import url_parse

from odoo import _, fields, http
from odoo.exceptions import AccessError, UserError
from odoo.http import content_disposition, request
from odoo.tools.misc import format_date

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.web.controllers.main import Binary

from odoo.addons.b2b_base.lib import images, numbers, pricing
from odoo.addons.b2b_base.tools import business_date
from odoo.addons.b2b_base.tools.rule_messages import translate

SESSION_KEY = "b2b_contract_id"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: the pages under the navigation's Services menu (a page of another addon passes
#: b2b_service_page=True to _prepare_b2b_layout_values)
SERVICE_PAGES = ("b2b_complaints", "b2b_files", "b2b_news", "b2b_stats", "b2b_legal_entities")


class B2bPortal(CustomerPortal):

    # ------------------------------------------------------------------ who, under which contract
    def _b2b_user(self):
        """The logged-in dealer user (res.users, sudo), or None for anyone else."""
        user = request.env.user
        if not request.session.uid or not user.sudo().b2b_role:
            return None
        return user.sudo()

    def _b2b_ensure_dealer(self):
        """The dealer user, or raise NotFound: B2B pages exist only for dealers' staff."""
        user = self._b2b_user()
        if not user:
            raise werkzeug.exceptions.NotFound()
        return user

    def _b2b_contracts(self, user=None):
        """The contracts the dealer user acts for, active ones first (read once per request)."""
        user = user or self._b2b_user()
        if not user:
            return request.env["b2b.contract"].sudo().browse()
        known = getattr(request, "_b2b_allowed_contracts", None)
        if known is not None and known[0] == user.id:
            return known[1]
        contracts = user.b2b_allowed_contract_ids.sorted(lambda c: (c.state != "active", c.name))
        request._b2b_allowed_contracts = (user.id, contracts)
        return contracts

    def _b2b_contract(self):
        """The contract the dealer user works under now (b2b.contract, sudo; empty if none).

        The session's choice when it is still allowed, else the first active allowed contract."""
        contracts = self._b2b_contracts()
        wanted = request.session.get(SESSION_KEY)
        contract = contracts.filtered(lambda c: c.id == wanted)[:1] or contracts[:1]
        if contract and contract.id != wanted:
            request.session[SESSION_KEY] = contract.id
        return contract

    # ------------------------------------------------------------------ the page's frame
    def _prepare_b2b_layout_values(self, **values):
        """Values every page rendered with ``b2b_portal.layout`` needs (plus ``values``, which
        win): the user, the contracts and the switcher, the cart's line count, the formatters."""
        user = self._b2b_user()
        contracts = self._b2b_contracts(user)
        contract = self._b2b_contract() if user else contracts
        result = {
            "b2b_user": user,
            "b2b_contracts": contracts,
            "b2b_contract": contract,
            "b2b_contract_labels": request.env["res.users"]._b2b_contract_labels(
                contracts | contract),
            "b2b_can_switch": bool(user) and user.b2b_role != "outlet" and len(contracts) > 1,
            "b2b_cart_count": user._b2b_cart_line_count(contract) if user and contract else 0,
            "b2b_is_admin": bool(user) and user.b2b_role == "admin",
            "page_name": values.get("page_name", "b2b"),
            # the Services menu shows active on its pages (another addon's pages say so)
            "b2b_service_page": values.get("page_name") in SERVICE_PAGES,
        }
        if user:
            # the portal's header prints the user's name and the company's: read just those, and
            # the user's own without the record rules of res.partner (through the fields, every page
            # read every field of both contacts and of the company, as the dealer)
            user.partner_id.read(["name"])
            user.company_id.read(["name"])
            result["user_id"] = user
        result.update(self._b2b_formatters())
        result.update(values)
        return result

    def _b2b_formatters(self):
        """The page's formatters, in the user's language (lib.catalog's, the only ones):
        ``b2b_money`` (an amount: '12 345,50', '—' when there is none), ``b2b_price`` (a price:
        the amount, or "price on request" for a price on request), ``b2b_qty`` (a quantity
        to read: '1 234,5'), ``b2b_number`` (a quantity as an <input> takes it and as the dealer
        typed it: '1234.5'), ``b2b_date`` (a date as the language writes it), ``b2b_moment`` (a
        UTC date and time as the user's clock reads it, to the minute: in the user's time zone,
        else the supplier's). The language's
        separators are looked up when a page first formats a number (from the ormcache)."""
        separators = []

        def number_format():
            if not separators:
                separators.extend(request.env["res.lang"]._b2b_number_format(
                    request.env.lang or "en_US"))
            return separators

        def money(value):
            if value is None or value is False:
                return "—"
            return numbers.format_number(value, 2, *number_format())

        def price(value, on_request=False):
            if on_request:
                return translate(request.env, pricing.PRICE_ON_REQUEST)
            return money(value)

        def qty(value):
            if value is None or value is False:
                return ""
            return numbers.format_quantity(value, *number_format())

        def number(value):
            if isinstance(value, str):
                return value
            if value is None or value is False:
                return ""
            return numbers.format_plain(value)

        def date(value):
            return format_date(request.env, value) if value else ""

        def moment(value):
            if not value:
                return ""
            if isinstance(value, str):
                value = fields.Datetime.from_string(value)
            try:
                zone = pytz.timezone(request.env.user.tz) if request.env.user.tz else None
            except pytz.UnknownTimeZoneError:
                zone = None
            local = pytz.utc.localize(value).astimezone(zone or business_date.business_tz(request.env))
            return "%s %s" % (format_date(request.env, local.date()), local.strftime("%H:%M"))

        return {"b2b_money": money, "b2b_price": price, "b2b_qty": qty, "b2b_number": number,
                "b2b_date": date, "b2b_moment": moment}

    def _b2b_order_page_values(self, detail):
        """Values an order's page adds for the order ``detail`` (sale.order.b2b_order_detail),
        filled by the controllers of the blocks it shows (finance: the order's documents)."""
        return {}

    # ------------------------------------------------------------------ refusals
    def _b2b_error_text(self, error):
        """What a refusal (UserError, AccessError, ...) says to the user."""
        return (error.name if hasattr(error, "name") else str(error)).strip()

    def _b2b_attempt(self, method, *args, refusals=(UserError,)):
        """Call a model method in a savepoint: (result, None), or (None, what the refusal says)
        for an exception of ``refusals``, with whatever the call wrote undone. An AccessError
        that is not among ``refusals`` (a record of another dealer) answers 404."""
        try:
            with request.env.cr.savepoint():
                return method(*args), None
        except refusals as error:
            request.env.cache.invalidate()
            return None, self._b2b_error_text(error)
        except AccessError:
            request.env.cache.invalidate()
            raise werkzeug.exceptions.NotFound()

    def _b2b_own(self, model, record_id, operation="read"):
        """The user's own record ``record_id`` of ``model`` (as the user), or 404."""
        try:
            return request.env[model]._b2b_own(record_id, operation)
        except AccessError:
            raise werkzeug.exceptions.NotFound()

    # ------------------------------------------------------------------ uploads
    def _b2b_uploaded_photos(self, field="photos"):
        """[(file name, bytes)] of the pictures uploaded in the form's ``field`` (empty inputs left
        out); reading stops a byte past b2b_base's photo size limit (lib/images.py), so that a
        huge file is told too big without being held."""
        photos = []
        for upload in request.httprequest.files.getlist(field):
            if not hasattr(upload, "read") or not upload.filename:
                continue
            photos.append((upload.filename, upload.read(images.MAX_PHOTO_SIZE + 1)))
        return photos

    # ------------------------------------------------------------------ answers
    def _b2b_redirect(self, path):
        """A redirect after a form (303: the browser asks for ``path`` with GET)."""
        return werkzeug.utils.redirect(path, 303)

    def _b2b_safe_redirect(self, target, default="/my"):
        """Redirect within this site only (no open redirect through a ``redirect`` parameter)."""
        if not target or not target.startswith("/") or target.startswith("//"):
            target = default
        return self._b2b_redirect(target)

    def _b2b_file_response(self, data, filename, mimetype=XLSX_MIME, headers=()):
        """A download: ``data`` (bytes) as the file ``filename``."""
        return request.make_response(data, headers=[
            ("Content-Type", mimetype), ("Content-Disposition", content_disposition(filename))]
            + list(headers))

    def _b2b_image_response(self, status, headers, content):
        """A picture from ``ir.http.binary_content`` (its status, headers and base64 content):
        the browser's copy when it is current (304), Odoo's placeholder when there is none."""
        if status == 304:
            return werkzeug.wrappers.Response(status=304, headers=headers)
        if content:
            image = base64.b64decode(content)
        else:
            image = Binary().placeholder()
            headers = [(name, value) for name, value in headers if name != "Content-Type"]
            headers.append(("Content-Type", "image/png"))
        headers.append(("Content-Length", len(image)))
        response = request.make_response(image, headers)
        response.status_code = 200
        return response

    # ------------------------------------------------------------------ the contract switcher
    @http.route("/b2b/contract/switch", type="http", auth="user", methods=["POST"], website=False)
    def switch_contract(self, contract_id=None, redirect=None, **kw):
        """Make ``contract_id`` the current contract of the session; only an allowed one."""
        user = self._b2b_ensure_dealer()
        try:
            wanted = int(contract_id)
        except (TypeError, ValueError):
            wanted = 0
        if user.b2b_role == "outlet" or wanted not in self._b2b_contracts(user).ids:
            raise werkzeug.exceptions.Forbidden(_("You cannot work under this contract."))
        request.session[SESSION_KEY] = wanted
        return self._b2b_safe_redirect(redirect or request.httprequest.referrer and
                                       self._b2b_local_path(request.httprequest.referrer))

    def _b2b_local_path(self, url):
        """The path and query of ``url`` when it points at this site, else None."""
        parsed = url_parse(url)
        if parsed.netloc and parsed.netloc != request.httprequest.host:
            return None
        return parsed.path + ("?" + parsed.query if parsed.query else "")
