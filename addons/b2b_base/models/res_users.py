from odoo import _, api, fields, models, tools
from odoo.exceptions import ValidationError

DEALER_ROLES = [
    ("admin", "Administrator"),
    ("buyer", "Buyer"),
    ("outlet", "Outlet"),
]


class ResUsers(models.Model):
    """Dealer users: portal users of a dealer with a role.

    - administrator: manages the dealer's own staff, sees everything of the dealer (and of the
      dealers of its holding when the dealer is a holding head);
    - buyer: sees the dealer's orders, edits only own;
    - outlet: bound to exactly one contract, sees and orders only under it.

    What a user may act for (``b2b_allowed_contract_ids``) is derived here from role and assignment,
    never from a request."""
    _name = "res.users"
    _inherit = ["res.users", "b2b.cache.mixin"]
    _b2b_cache_fields = ("b2b_role", "b2b_contract_id", "partner_id")  # record rules

    b2b_role = fields.Selection(DEALER_ROLES, "Dealer Role")
    b2b_contract_id = fields.Many2one(
        "b2b.contract", "Outlet Contract", ondelete="restrict",
        help="The one contract an outlet user sees and orders under.")
    b2b_dealer_id = fields.Many2one(related="partner_id.b2b_dealer_id", readonly=True,
                                    string="Dealer")
    b2b_scope_dealer_ids = fields.Many2many(
        "res.partner", compute="_compute_b2b_scope", string="Dealers Acted For")
    b2b_allowed_contract_ids = fields.Many2many(
        "b2b.contract", compute="_compute_b2b_scope", string="Allowed Contracts")
    b2b_allowed_price_type_ids = fields.Many2many(
        "b2b.price.type", compute="_compute_b2b_scope", string="Visible Price Types")
    b2b_scope_partner_ids = fields.Many2many(
        "res.partner", compute="_compute_b2b_scope", string="Partners Acted For",
        help="The dealers acted for, their legal entities and all their contacts.")

    # ------------------------------------------------------------------ debt pop-up
    @api.multi
    def _b2b_debt_notice(self):
        """The stored debt state the portal's debt pop-up shows this dealer user, of their dealer
        (of their contract for an outlet user): {b2b_overdue_amount, b2b_overdue_days,
        b2b_shipment_blocked}, or None for anyone else. One query, no aging: the frame of every
        portal page asks (b2b_base keeps the state current as the ledger changes)."""
        self.ensure_one()
        cr = self.env.cr
        cr.execute("""
            SELECT COALESCE(c.id, d.id),
                   COALESCE(c.b2b_overdue_amount, d.b2b_overdue_amount),
                   COALESCE(c.b2b_overdue_days, d.b2b_overdue_days),
                   COALESCE(c.b2b_shipment_blocked, d.b2b_shipment_blocked)
              FROM res_users u
              JOIN res_partner p ON p.id = u.partner_id
              LEFT JOIN b2b_contract c ON c.id = u.b2b_contract_id AND u.b2b_role = 'outlet'
              LEFT JOIN res_partner d ON d.id = p.b2b_dealer_id AND u.b2b_role <> 'outlet'
             WHERE u.id = %s AND u.b2b_role IS NOT NULL""", (self.id,))
        row = cr.fetchone()
        if not row or not row[0]:
            return None
        return {"b2b_overdue_amount": float(row[1] or 0.0), "b2b_overdue_days": row[2] or 0,
                "b2b_shipment_blocked": bool(row[3])}

    @api.depends("b2b_role", "b2b_contract_id", "partner_id.b2b_dealer_id")
    def _compute_b2b_scope(self):
        for user in self:
            dealers, contracts, price_types, partners = self._b2b_scope_ids(user.id)
            user.b2b_scope_dealer_ids = dealers
            user.b2b_allowed_contract_ids = contracts
            user.b2b_allowed_price_type_ids = price_types
            user.b2b_scope_partner_ids = partners

    @tools.ormcache("user_id")
    def _b2b_scope_ids(self, user_id):
        """(dealer ids, contract ids, price type ids, partner ids) ``user_id`` acts for.

        Every dealer page and record rule needs them; they are kept in Odoo's cache, which the
        changes they depend on clear in every worker (users' roles and contracts, dealers'
        holdings and legal entities, contracts' entities, states and price types, the RRP type:
        see b2b.cache.mixin)."""
        Contract = self.env["b2b.contract"].sudo()
        user = self.sudo().browse(user_id)
        dealer = user.partner_id.b2b_dealer_id
        if not user.b2b_role or not dealer:
            dealers, contracts = dealer.browse(), Contract.browse()
        elif user.b2b_role == "outlet":
            contract = user.b2b_contract_id
            dealers = dealer
            contracts = contract if contract.dealer_id == dealer else Contract.browse()
        else:
            dealers = dealer._b2b_scope_dealers()
            contracts = Contract.search([("dealer_id", "in", dealers.ids)])
        price_types = contracts.mapped("price_type_id") | self.env["b2b.price.type"].get_rrp()
        companies = dealers | dealers.sudo().mapped("b2b_entity_ids")
        # the dealers' companies and everyone under them (contacts, addresses), archived included
        partners = self.env["res.partner"].sudo().with_context(active_test=False).search(
            [("id", "child_of", companies.ids)]) if companies else companies
        return (tuple(dealers.ids), tuple(contracts.ids), tuple(price_types.ids),
                tuple(partners.ids))

    @api.constrains("b2b_role", "b2b_contract_id", "partner_id", "groups_id")
    def _check_b2b_role(self):
        for user in self:
            if not user.b2b_role:
                if user.b2b_contract_id:
                    raise ValidationError(_("%s: an outlet contract is only for outlet users.")
                                          % user.name)
                continue
            if not user.has_group("base.group_portal"):
                raise ValidationError(_("%s: a dealer role is for portal users only.") % user.name)
            dealer = user.partner_id.b2b_dealer_id
            if not dealer:
                raise ValidationError(_("%s: a dealer user must be a contact of a dealer.") % user.name)
            if user.b2b_role == "outlet":
                if not user.b2b_contract_id:
                    raise ValidationError(_("%s: an outlet user is bound to exactly one contract; "
                                            "choose it.") % user.name)
                if user.b2b_contract_id.dealer_id != dealer:
                    raise ValidationError(
                        _("%(user)s: the outlet contract %(contract)s belongs to another dealer.")
                        % {"user": user.name, "contract": user.b2b_contract_id.name})
            elif user.b2b_contract_id:
                raise ValidationError(_("%s: only outlet users are bound to one contract.") % user.name)
