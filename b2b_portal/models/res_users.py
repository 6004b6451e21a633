import logging

from odoo import _, api, models
from odoo.addons.base.ir.ir_mail_server import MailDeliveryException
from odoo.exceptions import AccessError, UserError

from odoo.addons.b2b_base.models.b2b_contract import contract_label
from odoo.addons.b2b_base.tools.rule_messages import render

from ..lib import staff as rules

_logger = logging.getLogger(__name__)


class ResUsers(models.Model):
    """A dealer's staff, managed by the dealer's administrators from the portal.

    The ``b2b_staff_*`` methods are called as the dealer administrator: each checks that the
    caller is an administrator of a dealer, that the user worked on is one of that dealer's users
    and that a contract is one of that dealer's; then it writes as superuser. A blocked user is an
    archived one (``active`` off): Odoo refuses their login and ends their sessions, and their
    orders stay where they are."""
    _inherit = "res.users"

    # ------------------------------------------------------------------ checks
    @api.model
    def _b2b_staff_admin(self):
        """The calling dealer administrator (sudo) and their dealer; AccessError for anyone else."""
        caller = self.env.user.sudo()
        dealer = caller.partner_id.b2b_dealer_id
        if caller.b2b_role != "admin" or not dealer:
            raise AccessError(_("Only a dealer administrator manages the dealer's staff."))
        return caller, dealer

    @api.model
    def _b2b_staff_member(self, dealer, user_id):
        """The user ``user_id`` (sudo, blocked ones included) if it is one of ``dealer``'s users;
        AccessError otherwise (the portal answers 404)."""
        try:
            user = self.sudo().with_context(active_test=False).browse(int(user_id)).exists()
        except (TypeError, ValueError):
            user = self.browse()
        if not user or not user.b2b_role or user.partner_id.b2b_dealer_id != dealer:
            raise AccessError(_("The user does not exist or is not one of your dealer's staff."))
        return user

    @api.model
    def _b2b_dealer_contracts(self, dealer):
        """The contracts of the dealer itself (its legal entities'), closed ones included."""
        return self.env["b2b.contract"].sudo().search([("dealer_id", "=", dealer.id)])

    @api.model
    def _b2b_raise(self, problems):
        raise UserError(render(self.env, problems))

    # ------------------------------------------------------------------ dealer API
    @api.model
    def b2b_staff_list(self):
        """The administrator's dealer's users, blocked ones included: [{id, name, login, email,
        role, contract_id, contract, active, login_date, is_self}], by name."""
        caller, dealer = self._b2b_staff_admin()
        users = self.sudo().with_context(active_test=False).search(
            [("partner_id.b2b_dealer_id", "=", dealer.id), ("b2b_role", "!=", False)], order="name")
        rows = users.read(["name", "login", "email", "b2b_role", "b2b_contract_id", "active",
                           "login_date"])
        return [{
            "id": row["id"],
            "name": row["name"],
            "login": row["login"],
            "email": row["email"] or "",
            "role": row["b2b_role"],
            "contract_id": row["b2b_contract_id"] and row["b2b_contract_id"][0],
            "contract": row["b2b_contract_id"] and row["b2b_contract_id"][1] or "",
            "active": row["active"],
            "login_date": row["login_date"] or False,
            "is_self": row["id"] == caller.id,
        } for row in rows]

    @api.model
    def b2b_staff_contracts(self):
        """[(id, name)] of the active contracts an administrator may bind an outlet user to."""
        _caller, dealer = self._b2b_staff_admin()
        return [(contract.id, contract.display_name)
                for contract in self._b2b_dealer_contracts(dealer).filtered(
                    lambda c: c.state == "active")]

    @api.model
    def b2b_staff_invite(self, name, email, role, contract_id=None):
        """Invite a new user of the administrator's dealer: a contact of the dealer and a portal
        user logging in with ``email``, with ``role`` (and, for an outlet user, ``contract_id``).

        The standard invitation (a link to set a password) is sent when mail works; the user is
        created all the same when it does not (``mail_sent`` says which). Returns
        {"user_id", "mail_sent"}."""
        caller, dealer = self._b2b_staff_admin()
        contracts = self._b2b_dealer_contracts(dealer)
        values, problems = rules.clean_invite(name, email, role, contract_id, contracts.ids)
        if not problems:
            taken = self.sudo().with_context(active_test=False).search(
                [("login", "=ilike", values["email"])], limit=1)
            if taken:
                problems.append(rules.Problem(rules.TAKEN_LOGIN, {"email": values["email"]}))
        if problems:
            self._b2b_raise(problems)
        company = caller.company_id
        partner = self.env["res.partner"].sudo().create({
            "name": values["name"],
            "email": values["email"],
            "parent_id": dealer.id,
            "type": "contact",
            "lang": caller.lang,
            "company_id": company.id,
        })
        user = self.sudo().with_context(no_reset_password=True).create({
            "name": values["name"],
            "login": values["email"],
            "email": values["email"],
            "partner_id": partner.id,
            "lang": caller.lang,
            "tz": caller.tz,
            "company_id": company.id,
            "company_ids": [(6, 0, [company.id])],
            "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])],
            "b2b_role": values["role"],
            "b2b_contract_id": values["contract_id"] or False,
        })
        return {"user_id": user.id, "mail_sent": user._b2b_send_invitation()}

    @api.multi
    def _b2b_send_invitation(self):
        """Send the standard invitation to set a password (auth_signup's); False when mail could
        not be delivered (no outgoing mail server): the user exists and can be invited again."""
        self.ensure_one()
        if not hasattr(self, "action_reset_password"):
            return False
        try:
            with self.env.cr.savepoint():
                self.sudo().with_context(create_user=True).action_reset_password()
        except MailDeliveryException:
            _logger.warning("Invitation of %s not sent: mail could not be delivered", self.login)
            if hasattr(self.partner_id, "signup_cancel"):
                self.partner_id.sudo().signup_cancel()
            return False
        return True

    @api.model
    def b2b_staff_update(self, user_id, role, contract_id=None):
        """Set the role (and, for an outlet user, the contract) of one of the dealer's users.
        An administrator cannot take the administrator role from themselves."""
        caller, dealer = self._b2b_staff_admin()
        user = self._b2b_staff_member(dealer, user_id)
        (role, contract), problems = rules.clean_role(role, contract_id,
                                                      self._b2b_dealer_contracts(dealer).ids)
        if not problems:
            problems = rules.check_role_change(caller.id, user.id, role)
        if problems:
            self._b2b_raise(problems)
        user.write({"b2b_role": role, "b2b_contract_id": contract or False})
        return True

    @api.model
    def b2b_staff_block(self, user_id, blocked=True):
        """Block (``blocked``) or unblock one of the dealer's users. A blocked user cannot log in
        and their open sessions end; their orders stay and are still listed. An administrator
        cannot block themselves."""
        caller, dealer = self._b2b_staff_admin()
        user = self._b2b_staff_member(dealer, user_id)
        problems = rules.check_block(caller.id, user.id, bool(blocked))
        if problems:
            self._b2b_raise(problems)
        user.write({"active": not blocked})
        return True

    # ------------------------------------------------------------------ the portal's frame
    @api.model
    def _b2b_contract_labels(self, contracts):
        """{contract id: its name as the contract switcher shows it} of ``contracts`` (the
        user's own), in one query (the ORM's name_get prefetches every field of the contracts
        and their partners)."""
        if not contracts:
            return {}
        cr = self.env.cr
        cr.execute("SELECT c.id, c.name, p.name FROM b2b_contract c "
                   "JOIN res_partner p ON p.id = c.partner_id WHERE c.id = ANY(%s)",
                   (list(contracts.ids),))
        rows = cr.fetchall()
        # after the fetch: the translation may be looked up on the same cursor
        number = _("No.")
        return {cid: contract_label(number, name, partner) for cid, name, partner in rows}

    @api.multi
    def _b2b_cart_line_count(self, contract):
        """How many lines this user's cart under ``contract`` holds (the header's cart badge)."""
        self.ensure_one()
        cart = self.env["b2b.cart"].search(
            [("user_id", "=", self.id), ("contract_id", "=", contract.id)], limit=1)
        return len(cart.line_ids)

    @api.multi
    def _b2b_managers(self, contracts):
        """The supplier managers (res.users) this dealer user may see: the manager of the
        user's own dealer first, then those of the dealers of ``contracts`` (the contracts the
        user acts for, in the order the portal lists them)."""
        self.ensure_one()
        managers = self.b2b_dealer_id.b2b_manager_id
        managers |= contracts.mapped("dealer_id.b2b_manager_id")
        return managers

    @api.multi
    def _b2b_debt_holder(self):
        """Whose stored debt state concerns this dealer user: an outlet user's contract, else
        the dealer."""
        self.ensure_one()
        if self.b2b_role == "outlet":
            return self.b2b_contract_id
        return self.b2b_dealer_id
