import werkzeug.utils

from odoo import http
from odoo.http import request
from odoo.addons.web.controllers.main import Home, ensure_db


def _is_dealer_user(uid):
    """A logged-in user without backend access: a dealer's staff member."""
    user = request.env["res.users"].sudo().browse(uid)
    return not user.has_group("base.group_user")


class DealerHome(Home):
    """Dealers land in the portal, never on the backend's access error.

    Stock Odoo 11 sends every user to /web after login, and /web answers a portal user with
    ``/web/login?error=access``."""

    def _login_redirect(self, uid, redirect=None):
        if not redirect and _is_dealer_user(uid):
            return "/my"
        return super(DealerHome, self)._login_redirect(uid, redirect=redirect)

    @http.route()
    def web_client(self, s_action=None, **kw):
        ensure_db()
        if request.session.uid and not kw.get("redirect") and _is_dealer_user(request.session.uid):
            return werkzeug.utils.redirect("/my", 303)
        return super(DealerHome, self).web_client(s_action=s_action, **kw)
