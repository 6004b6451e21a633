from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResPartner(models.Model):
    _inherit = "res.partner"

    b2b_commission_agent = fields.Boolean(
        "Commission Agent", index=True,
        help="The dealer holds the supplier's goods on consignment and reports the goods sold "
             "every month.")

    @api.constrains("b2b_commission_agent", "b2b_is_dealer", "is_company", "parent_id")
    def _check_b2b_commission_agent(self):
        for partner in self.filtered("b2b_commission_agent"):
            if not partner.b2b_is_dealer or partner.commercial_partner_id != partner:
                raise ValidationError(_(
                    'Only a dealer company can be a commission agent: "%s" is not one.')
                    % partner.display_name)
