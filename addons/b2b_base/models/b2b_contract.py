from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..lib import pricing


def contract_label(number, name, partner_name):
    """How a contract is named to people: "No. <name> (<legal entity>)"."""
    return "%s %s (%s)" % (number, name, partner_name)


class B2bContract(models.Model):
    """A contract (договор) between the supplier and one legal entity of a dealer."""
    _name = "b2b.contract"
    # the dealer API: what a dealer's user may call through Odoo's RPC (lib/rpc_policy.py)
    _b2b_dealer_rpc = ("b2b_get_offers",)
    _description = "Dealer Contract"
    _inherit = ["mail.thread", "b2b.cache.mixin", "b2b.debt.state.mixin"]
    _b2b_cache_fields = ("partner_id", "state", "price_type_id")  # who may act under it: record rules
    _order = "dealer_id, date desc, name"

    name = fields.Char("Number", required=True, track_visibility="onchange")
    date = fields.Date(required=True, default=fields.Date.context_today)
    partner_id = fields.Many2one(
        "res.partner", "Legal Entity", required=True, index=True, ondelete="restrict",
        domain=[("is_company", "=", True)], track_visibility="onchange")
    dealer_id = fields.Many2one(
        "res.partner", "Dealer", related="partner_id.b2b_dealer_id", store=True, readonly=True,
        index=True)
    b2b_onec_id = fields.Char("1C Id", index=True, copy=False)
    currency_id = fields.Many2one("res.currency", required=True,
                                  default=lambda self: self.env.user.company_id.currency_id)
    price_type_id = fields.Many2one("b2b.price.type", required=True,
                                    ondelete="restrict", track_visibility="onchange")
    payment_days = fields.Integer("Payment Deferral (days)", track_visibility="onchange")
    credit_limit = fields.Monetary(currency_field="currency_id", track_visibility="onchange")
    special_conditions = fields.Boolean(
        help="The contract has conditions agreed apart from the standard ones (see the note).")
    special_conditions_note = fields.Text("Special Conditions")
    state = fields.Selection([("active", "Active"), ("closed", "Closed")], default="active",
                             required=True, index=True, track_visibility="onchange")
    company_id = fields.Many2one("res.company", required=True,
                                 default=lambda self: self.env.user.company_id)

    _sql_constraints = [
        ("b2b_onec_id_unique", "unique(b2b_onec_id)", "Another contract already has this 1C id."),
        ("payment_days_positive", "CHECK(payment_days >= 0)", "Payment deferral cannot be negative."),
        ("credit_limit_positive", "CHECK(credit_limit >= 0)", "Credit limit cannot be negative."),
    ]

    @api.multi
    def name_get(self):
        number = _("No.")   # looked up once: each lookup walks the stack for the language
        return [(c.id, contract_label(number, c.name, c.partner_id.name)) for c in self]

    @api.constrains("partner_id")
    def _check_partner_is_dealer_entity(self):
        for contract in self:
            if not contract.partner_id.b2b_dealer_id:
                raise ValidationError(_(
                    "Contract %(contract)s: %(partner)s is not a legal entity of a dealer; mark "
                    "the partner (or the dealer it belongs to) as a dealer first.")
                    % {"contract": contract.name, "partner": contract.partner_id.name})

    # ------------------------------------------------------------------ prices
    # a request for more products than this is served from the cached whole-catalog tables
    _B2B_DIRECT_QUERY_MAX = 500

    def _b2b_offers(self, product_ids=None, include_hidden=False):
        """{product_id: pricing.Offer} of this contract (see lib/pricing).

        A page or an order (up to a few hundred products) is priced with one SQL query, contract
        details included; the whole catalog comes from tables kept in Odoo's own cache (ormcache,
        cleared in every worker when products or prices change), which costs one small query for
        the contract once the tables are warm."""
        self.ensure_one()
        cr = self.env.cr
        if product_ids is not None and len(product_ids) <= self._B2B_DIRECT_QUERY_MAX:
            return pricing.fetch_contract_offers(cr, self.id, product_ids, include_hidden)
        context = pricing.contract_context(cr, self.id)
        Price = self.env["b2b.price"]
        return pricing.assemble_offers(
            Price._b2b_catalog_table(),
            Price._b2b_price_table(context.price_type_id),
            Price._b2b_price_table(context.rrp_type_id),
            region_id=context.region_id, dealer_ids=context.dealer_ids, product_ids=product_ids,
            include_hidden=include_hidden,
            discounts=self.env["b2b.dealer.discount"]._b2b_discount_table(
                tuple(dealer for dealer in context.dealer_ids if dealer)),
            vat_included=context.vat_included)

    @api.multi
    def b2b_get_offers(self, product_ids=None):
        """Prices and availability for a dealer's user: callable over RPC for a contract the user
        can read. Returns {product_id: {...}}."""
        self.ensure_one()
        self.check_access_rights("read")
        self.check_access_rule("read")
        return {pid: offer._asdict() for pid, offer in self._b2b_offers(product_ids).items()}
