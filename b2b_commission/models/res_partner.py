from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResPartner(models.Model):
    _inherit = "res.partner"

    b2b_commission_agent = fields.Boolean(
        "Commission Agent", index=True,
        help="The dealer holds the supplier's goods on consignment and reports the goods sold "
             "every month.")

    b2b_commission_report_count = fields.Integer(compute="_compute_b2b_commission_report_count",
                                                 string="Commission Reports")

    def _compute_b2b_commission_report_count(self):
        counts = {}
        agents = self.filtered("b2b_commission_agent")
        if agents.ids:
            Report = self.env["b2b.commission.report"]
            if Report.check_access_rights("read", raise_exception=False):
                for row in Report.read_group([("partner_id", "in", agents.ids)], ["partner_id"],
                                             ["partner_id"]):
                    counts[row["partner_id"][0]] = row["partner_id_count"]
        for partner in self:
            partner.b2b_commission_report_count = counts.get(partner.id, 0)

    @api.constrains("b2b_commission_agent", "b2b_is_dealer", "is_company", "parent_id")
    def _check_b2b_commission_agent(self):
        for partner in self.filtered("b2b_commission_agent"):
            if not partner.b2b_is_dealer or partner.commercial_partner_id != partner:
                raise ValidationError(_(
                    'Only a dealer company can be a commission agent: "%s" is not one.')
                    % partner.display_name)
