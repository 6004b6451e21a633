from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..lib import bonus


class BonusBalance(models.Model):
    _name = "b2b.bonus.balance"
    _description = "Dealer Bonus Balance"
    _rec_name = "partner_id"
    _order = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", "Dealer", required=True, index=True, ondelete="cascade",
        domain=[("b2b_is_dealer", "=", True), ("is_company", "=", True)],
        help="The dealer (commercial partner) whose bonus points these are.")
    points = fields.Float(digits=(16, bonus.POINTS_DIGITS),
                          help="Bonus points the dealer can spend on bonus orders.")
    balance_date = fields.Date("Date of the 1C Figure",
                               help="The date on which 1C stated this balance.")
    b2b_onec_id = fields.Char("1C Id", copy=False, index=True,
                              help="The balance record's identifier (Ид) in the supplier's 1C.")

    _sql_constraints = [
        ("partner_unique", "unique(partner_id)", "This dealer already has a bonus balance."),
        ("b2b_onec_id_unique", "unique(b2b_onec_id)", "Another bonus balance already has this 1C id."),
    ]

    @api.constrains("partner_id")
    def _check_dealer(self):
        for balance in self:
            partner = balance.partner_id
            if partner != partner.commercial_partner_id or not partner.b2b_is_dealer:
                raise ValidationError(
                    _('Bonus balances belong to dealers: "%s" is not a dealer company.')
                    % partner.display_name)

    @api.model
    def _for_dealer(self, partner, lock=False):
        """The balance of ``partner``'s dealer (empty recordset when none); ``lock`` holds the row
        until the transaction ends so that two confirmations cannot spend the same points."""
        dealer = partner.commercial_partner_id
        balance = self.search([("partner_id", "=", dealer.id)], limit=1)
        if balance and lock:
            self.env.cr.execute("SELECT id FROM b2b_bonus_balance WHERE id = %s FOR UPDATE",
                                (balance.id,))
            balance.invalidate_cache(["points"], balance.ids)
        return balance
