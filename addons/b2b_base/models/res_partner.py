from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError


class ResPartner(models.Model):
    """Dealers and their legal entities.

    A dealer is a company partner flagged ``b2b_is_dealer``; its other legal entities (контрагенты)
    point at it with ``b2b_entity_of_id``. Contacts and portal users of any of them belong to the
    same dealer (``b2b_dealer_id``). A dealer may be the head of a holding: it acts for the dealers
    whose ``b2b_holding_id`` is it."""
    _name = "res.partner"
    _inherit = ["res.partner", "b2b.cache.mixin", "b2b.debt.state.mixin"]
    # who acts for which dealer: record rules
    _b2b_cache_fields = ("b2b_is_dealer", "b2b_holding_id", "b2b_entity_of_id", "parent_id",
                         "is_company")

    b2b_is_dealer = fields.Boolean(
        "Dealer", index=True,
        help="A company that buys from the supplier under contracts and uses the dealer portal.")
    b2b_onec_id = fields.Char("1C Id", index=True, copy=False,
                              help="The counterparty's identifier (Ид) in the supplier's 1C.")
    b2b_manager_id = fields.Many2one(
        "res.users", "Supplier Manager", index=True, domain=[("share", "=", False)],
        help="The supplier's sales manager who looks after this dealer.")
    b2b_region_id = fields.Many2one("b2b.region", "Region", index=True)
    b2b_entity_of_id = fields.Many2one(
        "res.partner", "Legal Entity of Dealer", index=True, ondelete="restrict",
        domain=[("b2b_is_dealer", "=", True)],
        help="For a dealer's additional legal entity: the dealer it belongs to.")
    b2b_entity_ids = fields.One2many("res.partner", "b2b_entity_of_id", "Other Legal Entities")
    b2b_dealer_id = fields.Many2one(
        "res.partner", "Belongs to Dealer", compute="_compute_b2b_dealer_id", store=True, index=True,
        help="The dealer this partner, legal entity or contact belongs to.")
    b2b_holding_id = fields.Many2one(
        "res.partner", "Holding Head", index=True, ondelete="restrict",
        domain=[("b2b_is_dealer", "=", True)],
        help="The head company of the holding this dealer belongs to; it acts for this dealer.")
    b2b_subsidiary_ids = fields.One2many("res.partner", "b2b_holding_id", "Holding Subsidiaries")
    b2b_contract_ids = fields.One2many("b2b.contract", "partner_id", "Contracts")
    b2b_discount_ids = fields.One2many(
        "b2b.dealer.discount", "dealer_id", "Personal Discounts",
        help="The dealer's discounts per product group, on top of its contracts' price types.")

    _sql_constraints = [
        ("b2b_onec_id_unique", "unique(b2b_onec_id)", "Another partner already has this 1C id."),
    ]

    @api.multi
    def write(self, vals):
        """A dealer's manager edits its personal discounts on the dealer's form without the right
        to change partners: the discounts are written as the manager on their own model (its
        access rights and record rules apply)."""
        if set(vals) == {"b2b_discount_ids"} and not self.check_access_rights(
                "write", raise_exception=False):
            self.check_access_rule("read")
            for partner in self:
                partner._b2b_write_discounts(vals["b2b_discount_ids"])
            return True
        return super(ResPartner, self).write(vals)

    def _b2b_write_discounts(self, commands):
        """Odoo's one2many ``commands`` of ``b2b_discount_ids`` on the discount model."""
        Discount = self.env["b2b.dealer.discount"]
        for command in commands:
            code = command[0]
            if code == 0:
                Discount.create(dict(command[2], dealer_id=self.id))
            elif code == 1:
                self._b2b_own_discount(command[1]).write(command[2])
            elif code in (2, 3):
                self._b2b_own_discount(command[1]).unlink()
            elif code == 5:
                self.b2b_discount_ids.unlink()
            elif code == 6:
                self.b2b_discount_ids.filtered(lambda d: d.id not in command[2]).unlink()

    def _b2b_own_discount(self, discount_id):
        discount = self.env["b2b.dealer.discount"].browse(discount_id)
        if discount.dealer_id != self:
            raise AccessError(_("This discount is not one of %s.") % self.display_name)
        return discount

    @api.depends("b2b_is_dealer", "b2b_entity_of_id", "commercial_partner_id",
                 "commercial_partner_id.b2b_is_dealer", "commercial_partner_id.b2b_entity_of_id")
    def _compute_b2b_dealer_id(self):
        for partner in self:
            company = partner.commercial_partner_id or partner
            if company.b2b_is_dealer:
                partner.b2b_dealer_id = company
            elif company.b2b_entity_of_id:
                partner.b2b_dealer_id = company.b2b_entity_of_id
            else:
                partner.b2b_dealer_id = False

    @api.constrains("b2b_holding_id", "b2b_is_dealer")
    def _check_holding(self):
        for partner in self:
            if not partner.b2b_holding_id:
                continue
            if not partner.b2b_is_dealer:
                raise ValidationError(_("%s: only a dealer can belong to a holding.") % partner.name)
            if not self._check_recursion(parent="b2b_holding_id"):
                raise ValidationError(_("%s: a holding cannot contain itself.") % partner.name)

    @api.constrains("b2b_entity_of_id", "b2b_is_dealer")
    def _check_entity_of(self):
        for partner in self:
            if partner.b2b_entity_of_id and partner.b2b_is_dealer:
                raise ValidationError(_("%s is a dealer itself; it cannot also be a legal entity of "
                                        "another dealer.") % partner.name)

    def _b2b_scope_dealers(self):
        """The dealer and, for a holding head, every dealer of its holding (any depth)."""
        dealers = self.browse()
        todo = self.filtered("b2b_is_dealer")
        while todo:
            dealers |= todo
            todo = self.sudo().search([("b2b_holding_id", "in", todo.ids)]) - dealers
        return dealers

    @api.multi
    def b2b_recompute_debt(self):
        """Recompute the stored debt state of these dealers now (backend button)."""
        if not (self.env.user.has_group("b2b_base.group_b2b_accountant")
                or self.env.user.has_group("b2b_base.group_b2b_manager")):
            raise AccessError(_("Only the supplier's accountants and managers can recompute debts."))
        self.check_access_rule("read")
        self.env["b2b.settlement.line"]._b2b_recompute_debt(dealers=self.mapped("b2b_dealer_id"))
        return True
