"""The dealer's home page: the portal's ``/my`` becomes the B2B dashboard for dealer users
(current contract, the supplier manager who looks after the dealer, shortcuts, and the slots the
finance and bonus pages fill). Other portal users and the supplier's staff keep stock ``/my``."""
import werkzeug.exceptions

from odoo import SUPERUSER_ID, http
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

from .catalog import _image_response
from .portal_base import allowed_contracts, current_contract, dealer_user, ensure_dealer, layout_values


def dealer_managers(user):
    """The supplier managers (res.users, sudo) a dealer user may see: the manager of the user's
    own dealer first, then those of the dealers of the contracts the user acts for."""
    managers = user.b2b_dealer_id.b2b_manager_id
    managers |= allowed_contracts(user).mapped("dealer_id.b2b_manager_id")
    return managers


class B2bDashboard(CustomerPortal):

    @http.route()
    def home(self, **kw):
        user = dealer_user()
        if not user:
            return super(B2bDashboard, self).home(**kw)
        contract = current_contract()
        manager = (contract.dealer_id.b2b_manager_id if contract else user.b2b_dealer_id.b2b_manager_id) \
            or dealer_managers(user)[:1]
        values = layout_values(
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
        user = ensure_dealer()
        manager = dealer_managers(user).filtered(lambda m: m.id == manager_id)
        if not manager:
            raise werkzeug.exceptions.NotFound()
        status, headers, content = request.env["ir.http"].binary_content(
            model="res.partner", id=manager.partner_id.id, field="image_medium",
            default_mimetype="image/png", env=request.env(user=SUPERUSER_ID))
        return _image_response(status, headers, content)
