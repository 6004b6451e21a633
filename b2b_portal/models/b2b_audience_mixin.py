from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.b2b_base.tools.rule_messages import render

from ..lib import audience as rules

# the supplier's staff choose the audience; a dealer's user never reads whom else it is for
STAFF = "base.group_user"


class B2bAudienceMixin(models.AbstractModel):
    """Content the supplier publishes to dealers (files of the library, news): for all dealers or
    for segments (regions, price types of the dealers' contracts, dealer tags, named dealers).

    The rule is lib/audience.py's: the record rules of the models read ``_b2b_audience_domain``
    of the dealer's user, ``_b2b_audience_users`` says whom a record reaches."""
    _name = "b2b.audience.mixin"
    _description = "Published to dealers: all or segments"

    published = fields.Boolean(
        default=False, index=True, copy=False,
        help="Dealers in the audience see it in the portal only while it is published.")
    audience_all = fields.Boolean(
        "All Dealers", default=True, groups=STAFF,
        help="For every dealer; otherwise for the dealers of the chosen segments.")
    audience_region_ids = fields.Many2many(
        "b2b.region", string="Regions", groups=STAFF,
        help="For the dealers of these regions.")
    audience_price_type_ids = fields.Many2many(
        "b2b.price.type", string="Price Types", groups=STAFF,
        help="For the dealers with an active contract under one of these price types.")
    audience_tag_ids = fields.Many2many(
        "res.partner.category", string="Dealer Tags", groups=STAFF,
        help="For the dealers tagged with one of these tags.")
    audience_dealer_ids = fields.Many2many(
        "res.partner", string="Named Dealers", groups=STAFF, domain=[("b2b_is_dealer", "=", True)],
        help="For these dealers.")

    def _b2b_audience(self):
        self.ensure_one()
        record = self.sudo()
        return rules.make_audience(
            for_all=record.audience_all, region_ids=record.audience_region_ids.ids,
            price_type_ids=record.audience_price_type_ids.ids, tag_ids=record.audience_tag_ids.ids,
            dealer_ids=record.audience_dealer_ids.ids)

    @api.constrains("published", "audience_all", "audience_region_ids", "audience_price_type_ids",
                    "audience_tag_ids", "audience_dealer_ids")
    def _check_b2b_audience(self):
        for record in self.filtered("published"):
            problems = rules.check_audience(record._b2b_audience())
            if problems:
                raise ValidationError(_("%(record)s: %(problem)s") % {
                    "record": record.display_name, "problem": render(self.env, problems)})

    @api.model
    def _b2b_audience_dealers(self, dealers=None):
        """lib.audience's Dealer of each dealer (res.partner, dealers) or of every dealer."""
        Partner = self.env["res.partner"].sudo()
        if dealers is None:
            dealers = Partner.search([("b2b_is_dealer", "=", True)])
        dealers = dealers.sudo().filtered("b2b_is_dealer")
        price_types = {}
        if dealers:
            for contract in self.env["b2b.contract"].sudo().search(
                    [("dealer_id", "in", dealers.ids), ("state", "=", "active")]):
                price_types.setdefault(contract.dealer_id.id, set()).add(contract.price_type_id.id)
        return [rules.make_dealer(dealer.id, dealer.b2b_region_id.id, price_types.get(dealer.id, ()),
                                  dealer.category_id.ids) for dealer in dealers]

    @api.model
    def _b2b_audience_domain(self, user, prefix=""):
        """The domain of the records whose audience holds ``user``'s dealer (nothing for a user
        who is no dealer's)."""
        dealer = user.sudo().b2b_dealer_id if user.sudo().b2b_role else None
        facts = self._b2b_audience_dealers(dealer)[:1] if dealer else []
        return rules.audience_domain(facts[0] if facts else None, prefix)

    @api.multi
    def _b2b_audience_dealer_ids(self):
        """The ids of the dealers this record is for."""
        return rules.dealers_in(self._b2b_audience(), self._b2b_audience_dealers())

    @api.multi
    def _b2b_audience_users(self):
        """The active portal users of the dealers this record's audience holds (res.users, sudo):
        whom to tell about it. Nobody while it is not published."""
        self.ensure_one()
        Users = self.env["res.users"].sudo()
        if not self.published:
            return Users.browse()
        dealer_ids = self._b2b_audience_dealer_ids()
        if not dealer_ids:
            return Users.browse()
        return Users.search([("b2b_role", "!=", False), ("share", "=", True),
                             ("active", "=", True), ("partner_id.b2b_dealer_id", "in", dealer_ids)])
