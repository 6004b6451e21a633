"""Dealer staff management: a dealer administrator lists the dealer's users, invites new ones,
sets their role and outlet contract, blocks and unblocks them.

The pages call ``res.users``'s ``b2b_staff_*`` methods as the administrator; the methods check
who asks and whose users and contracts they are. Buyers and outlet users get 403; a user or
contract of another dealer, 404."""
import werkzeug.exceptions

from odoo import http
from odoo.http import request

from .portal_base import B2bPortal


class B2bStaff(B2bPortal):

    def _b2b_staff_admin(self):
        """The dealer administrator asking, or 403 for any other dealer user."""
        user = self._b2b_ensure_dealer()
        if user.b2b_role != "admin":
            raise werkzeug.exceptions.Forbidden()
        return user

    def _render_staff(self, **values):
        Users = request.env["res.users"]
        roles = Users.fields_get(["b2b_role"])["b2b_role"]["selection"]
        values.setdefault("invite", {"name": "", "email": "", "role": "buyer", "contract_id": ""})
        return request.render("b2b_portal.staff_page", self._prepare_b2b_layout_values(
            page_name="b2b_staff",
            staff=Users.b2b_staff_list(),
            roles=roles,
            role_labels=dict(roles),
            staff_contracts=Users.b2b_staff_contracts(),
            **values))

    @http.route("/b2b/staff", type="http", auth="user", methods=["GET"], website=False)
    def staff(self, invited=None, mail=None, updated=None, **kw):
        self._b2b_staff_admin()
        notice = None
        if invited:
            notice = "invited" if mail == "1" else "invited_no_mail"
        elif updated:
            notice = "updated"
        return self._render_staff(notice=notice)

    @http.route("/b2b/staff/invite", type="http", auth="user", methods=["POST"], website=False)
    def staff_invite(self, name="", email="", role="", contract_id="", **kw):
        self._b2b_staff_admin()
        result, error = self._b2b_attempt(request.env["res.users"].b2b_staff_invite, name, email,
                                          role, contract_id or None)
        if error:
            return self._render_staff(error=error, invite={
                "name": name, "email": email, "role": role, "contract_id": contract_id})
        return self._b2b_redirect("/b2b/staff?invited=%d&mail=%d"
                                  % (result["user_id"], int(result["mail_sent"])))

    @http.route("/b2b/staff/<int:user_id>/update", type="http", auth="user", methods=["POST"],
                website=False)
    def staff_update(self, user_id, role="", contract_id="", **kw):
        self._b2b_staff_admin()
        _result, error = self._b2b_attempt(request.env["res.users"].b2b_staff_update, user_id,
                                           role, contract_id or None)
        if error:
            return self._render_staff(error=error)
        return self._b2b_redirect("/b2b/staff?updated=%d" % user_id)

    @http.route(["/b2b/staff/<int:user_id>/block", "/b2b/staff/<int:user_id>/unblock"],
                type="http", auth="user", methods=["POST"], website=False)
    def staff_block(self, user_id, **kw):
        self._b2b_staff_admin()
        blocked = request.httprequest.path.rstrip("/").endswith("/block")
        _result, error = self._b2b_attempt(request.env["res.users"].b2b_staff_block, user_id,
                                           blocked)
        if error:
            return self._render_staff(error=error)
        return self._b2b_redirect("/b2b/staff?updated=%d" % user_id)
