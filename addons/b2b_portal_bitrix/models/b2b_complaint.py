import logging

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.queue_job.job import job

from odoo.addons.b2b_bitrix_bridge.lib import merch
from odoo.addons.b2b_bitrix_bridge.lib.errors import BitrixError

_logger = logging.getLogger(__name__)

ORIGIN_MODEL = "b2b.complaint"


def origin_id(complaint_id):
    """ORIGIN_ID of a complaint's lead: found again by it, never made twice."""
    return "%s:%d" % (ORIGIN_MODEL, complaint_id)


class B2bComplaint(models.Model):
    """With Bitrix24 connected, a complaint a dealer files becomes a lead there (sent by a queue
    job, found again by its ORIGIN_ID), for the supplier's managers who work in the CRM: the dealer,
    the product, the quantity, the defect, the resolution wanted and a link to each photo (signed
    with the complaint's key, opened without a login). Without Bitrix24 nothing is sent."""
    _inherit = "b2b.complaint"

    bitrix_lead_id = fields.Integer("Bitrix24 Lead", readonly=True, copy=False, index=True)
    bitrix_error = fields.Text("Bitrix24 Error", readonly=True, copy=False)

    def _b2b_filed(self):
        result = super(B2bComplaint, self)._b2b_filed()
        if self.env["b2b.bitrix.api"].sudo()._b2b_configured():
            self.sudo()._b2b_bitrix_schedule()
        return result

    def _b2b_bitrix_schedule(self):
        for complaint in self:
            complaint.with_delay(
                channel="root.b2b_bitrix", max_retries=10,
                description="Bitrix24: complaint %s" % complaint.name)._b2b_bitrix_job_send()

    @api.multi
    def action_bitrix_send_again(self):
        """Managers: send a complaint to Bitrix24 again after an error was corrected (a lead
        already made is found by its ORIGIN_ID, not made twice)."""
        self.write({"bitrix_error": False})
        self.filtered(lambda c: not c.bitrix_lead_id)._b2b_bitrix_schedule()
        return True

    def _b2b_bitrix_comments(self, settings):
        """COMMENTS of the lead (BB-code, the dealer's text escaped), in the managers' language."""
        labels = {"dealer": _("Dealer"), "contract": _("Contract"), "order": _("Order"),
                  "product": _("Product"), "qty": _("Quantity"), "author": _("Filed by"),
                  "resolution": _("Resolution wanted"), "defect": _("Defect"),
                  "photos": _("Photos"), "odoo": _("The complaint in Odoo")}
        resolutions = dict(self._fields["resolution"]._description_selection(self.env))
        product = self.product_id
        rows = [
            ("dealer", self.dealer_id.name),
            ("contract", self.contract_id.name),
            ("order", self.order_id.name if self.order_id else ""),
            ("product", "%s %s" % (product.default_code or "", product.name)),
            ("qty", ("%.3f" % self.qty).rstrip("0").rstrip(".")),
            ("author", self.user_id.name),
            ("resolution", resolutions.get(self.resolution, self.resolution)),
        ]
        lines = ["[b]%s:[/b] %s" % (labels[key], merch.bb_escape(value.strip()))
                 for key, value in rows if value and value.strip()]
        lines.append("[b]%s:[/b]" % labels["defect"])
        lines.append(merch.bb_escape(self.description))
        photos = self.photo_ids.sorted("id")
        if photos:
            lines.append("[b]%s:[/b]" % labels["photos"])
            for number, photo in enumerate(photos, 1):
                url = settings["base_url"] + self._b2b_photo_path(photo)
                lines.append("%d. [url=%s]%s[/url]" % (number, merch.bb_escape(url),
                                                       merch.bb_escape(photo.name)))
        lines.append("[url=%s]%s[/url]" % (merch.bb_escape(
            "%s/web#id=%d&model=%s&view_type=form" % (settings["base_url"], self.id, self._name)),
            labels["odoo"]))
        return "\n".join(lines)

    def _b2b_bitrix_lead(self, settings):
        """The fields of ``crm.lead.add`` for the complaint."""
        dealer = self.dealer_id
        manager = dealer.b2b_manager_id
        own = self.with_context(lang=manager.lang or dealer.lang or "en_US")
        fields_ = {
            "TITLE": own._b2b_bitrix_title(),
            "ORIGINATOR_ID": merch.ORIGINATOR_ID,
            "ORIGIN_ID": origin_id(self.id),
            "COMMENTS": own._b2b_bitrix_comments(settings),
            "STATUS_ID": "NEW",
            "SOURCE_ID": "WEB",
        }
        company = dealer.commercial_partner_id.b2b_bitrix_company_id
        if company:
            fields_["COMPANY_ID"] = int(company)
        else:
            fields_["COMPANY_TITLE"] = dealer.name
        if manager.b2b_bitrix_user_id:
            fields_["ASSIGNED_BY_ID"] = int(manager.b2b_bitrix_user_id)
        return fields_

    def _b2b_bitrix_title(self):
        return _("Complaint %(number)s: %(dealer)s, %(product)s") % {
            "number": self.name, "dealer": self.dealer_id.name, "product": self.product_id.name}

    @job(default_channel="root.b2b_bitrix")
    @api.multi
    def _b2b_bitrix_job_send(self):
        """The queue job: make the complaint's lead in Bitrix24, once. A lead already made by an
        earlier attempt (its answer lost on the way) is found by ORIGIN_ID; Bitrix24 busy or
        unreachable retries the job later; a refusal is kept as the last error for the
        managers."""
        self.ensure_one()
        if self.bitrix_lead_id:
            return "already in Bitrix24: lead %d" % self.bitrix_lead_id
        Api = self.env["b2b.bitrix.api"]
        try:
            settings = Api._b2b_settings()
            lead = self._b2b_bitrix_lead(settings)
            with Api._b2b_job_errors():
                found = Api._b2b_find_by_origin("lead", [lead["ORIGIN_ID"]])
            lead_id = found.get(lead["ORIGIN_ID"])
            if not lead_id:
                lead_id = int(Api._b2b_job_call("crm.lead.add", {
                    "fields": lead, "params": {"REGISTER_SONET_EVENT": "Y"}}))
        except (BitrixError, UserError) as error:
            message = getattr(error, "message_en", None) or getattr(error, "name", None) \
                or str(error)
            self.bitrix_error = message
            _logger.warning("Complaint %s not sent to Bitrix24: %s", self.name, message)
            return "refused: %s" % message
        self.write({"bitrix_lead_id": lead_id, "bitrix_error": False})
        return "lead %d" % lead_id
