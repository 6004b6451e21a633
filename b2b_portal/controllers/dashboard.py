"""The dealer's home page: the portal's ``/my`` becomes the B2B dashboard for dealer users
(current contract, the supplier manager who looks after the dealer, shortcuts, and the slots the
finance and bonus pages fill). Other portal users and the supplier's staff keep stock ``/my``."""
import werkzeug.exceptions

from odoo import SUPERUSER_ID, http
from odoo.http import request

from .portal_base import B2bPortal


class B2bDashboard(B2bPortal):

    @http.route()
    def home(self, **kw):
        user = self._b2b_user()
        if not user:
            return super(B2bDashboard, self).home(**kw)
        contract = self._b2b_contract()
        manager = (contract.dealer_id.b2b_manager_id if contract else user.b2b_dealer_id.b2b_manager_id) \
            or user._b2b_managers(self._b2b_contracts(user))[:1]
        values = self._prepare_b2b_layout_values(
            page_name="b2b_home",
            dealer=user.b2b_dealer_id,
            contract=contract,
            manager=manager,
            manager_phone=manager and (manager.partner_id.phone or manager.partner_id.mobile) or "",
        )
        return request.render("b2b_portal.dashboard", values)

    @http.route("/b2b/manager/<int:manager_id>/image", type="http", auth="user")
    def manager_image(self, manager_id, **kw):
        """The photo of a supplier manager who looks after the user's dealer (404 for anyone else)."""
        user = self._b2b_ensure_dealer()
        manager = user._b2b_managers(self._b2b_contracts(user)).filtered(
            lambda m: m.id == manager_id)
        if not manager:
            raise werkzeug.exceptions.NotFound()
        status, headers, content = request.env["ir.http"].binary_content(
            model="res.partner", id=manager.partner_id.id, field="image_medium",
            default_mimetype="image/png", env=request.env(user=SUPERUSER_ID))
        return self._b2b_image_response(status, headers, content)
