from odoo import _, api, fields, models, tools
from odoo.exceptions import ValidationError

from ..lib import pricing


class B2bDealerDiscount(models.Model):
    """A dealer's personal discount on a product group (product category), on top of its
    contracts' price type: the dealer buys the group's goods, and those of its subgroups that have
    no discount of their own, at the price type's price less ``percent`` %, rounded to kopecks
    (lib/pricing, lib/vat). Sent by 1C with the counterparties package or set by the dealer's
    manager on the dealer's form."""
    _name = "b2b.dealer.discount"
    _description = "Dealer's Personal Discount"
    _inherit = ["b2b.cache.mixin"]   # any change renews the dealers' whole-catalog prices
    _order = "dealer_id, category_id"
    _rec_name = "category_id"

    dealer_id = fields.Many2one("res.partner", required=True, index=True,
                                ondelete="cascade", domain=[("b2b_is_dealer", "=", True)])
    category_id = fields.Many2one("product.category", "Product Group", required=True,
                                  ondelete="cascade",
                                  help="The discount applies to the group's goods and to its "
                                       "subgroups without a discount of their own.")
    percent = fields.Float("Discount (%)", digits=(5, 2), required=True)
    source = fields.Selection([("onec", "1C"), ("manager", "Manager")], required=True,
                              default="manager",
                              help="1C: sent with the counterparties package (1C's next package "
                                   "replaces it). Manager: set here.")
    b2b_onec_id = fields.Char("1C Id", copy=False,
                              help="The identifier (Ид) of the discount in the supplier's 1C.")
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("dealer_category_unique", "unique(dealer_id, category_id)",
         "A dealer has one discount per product group."),
        ("percent_range", "CHECK(percent > 0 AND percent < 100)",
         "A discount is more than 0% and less than 100%."),
    ]

    @api.constrains("dealer_id")
    def _check_dealer(self):
        for discount in self:
            if not discount.dealer_id.b2b_is_dealer:
                raise ValidationError(_("%s is not a dealer: personal discounts are given to "
                                        "dealers.") % discount.dealer_id.display_name)

    @api.model
    @tools.ormcache("dealer_ids")
    def _b2b_discount_table(self, dealer_ids):
        """{category id: percent} of the dealers ``dealer_ids`` (a tuple), every category a
        discount reaches included (lib/pricing.load_discounts); kept in Odoo's cache until a
        discount or a category changes."""
        if not dealer_ids:
            return {}
        return pricing.load_discounts(self.env.cr, dealer_ids)
