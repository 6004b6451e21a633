import base64
import binascii
import logging
import os

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import consteq

from odoo.addons.queue_job.job import job

from ..lib import merch
from ..lib.errors import BitrixError
from odoo.addons.b2b_base.tools.rule_messages import translate

_logger = logging.getLogger(__name__)

PHOTO_ROUTE = "/b2b/merch/photo/%d?token=%s"


def _new_token():
    return binascii.hexlify(os.urandom(24)).decode("ascii")


class B2bMerchRequest(models.Model):
    """A dealer's merchandising request (a stand, posters, a shop fitting for an outlet), filed in
    the portal and worked by the supplier's merchandising department in Bitrix24 as a lead or a
    deal; its state follows the lead's status or the deal's stage."""

    _name = "b2b.merch.request"
    _inherit = ["mail.thread"]
    _description = "Merchandising request"
    _order = "id desc"

    name = fields.Char("Number", compute="_compute_name")
    b2b_dealer_id = fields.Many2one(
        "res.partner", "Dealer", required=True, readonly=True, index=True, ondelete="restrict",
        domain=[("b2b_is_dealer", "=", True)], track_visibility="onchange")
    outlet_id = fields.Many2one(
        "res.partner", readonly=True, ondelete="restrict",
        help="The dealer's legal entity or delivery address the request is for.")
    outlet_name = fields.Char("Outlet name", readonly=True,
                              help="The outlet as the dealer wrote it, when not chosen from the list.")
    address = fields.Char(readonly=True)
    wanted = fields.Text("What is wanted", required=True, readonly=True)
    photo_ids = fields.One2many(
        "ir.attachment", "res_id", "Photos", readonly=True,
        domain=[("res_model", "=", "b2b.merch.request")])
    author_id = fields.Many2one("res.users", "Filed by", readonly=True, index=True,
                                default=lambda self: self.env.uid)
    state = fields.Selection([
        (merch.QUEUED, "Being sent"),
        (merch.SENT, "Sent to the supplier"),
        (merch.IN_PROGRESS, "In progress"),
        (merch.DONE, "Done"),
        (merch.REFUSED, "Refused"),
    ], "Status", required=True, default=merch.QUEUED, readonly=True, index=True,
        track_visibility="onchange")
    bitrix_status = fields.Char("Bitrix24 status", readonly=True,
                                help="The lead's status or the deal's stage as Bitrix24 names it.")
    bitrix_entity = fields.Selection([("lead", "Lead"), ("deal", "Deal")], "Bitrix24 record",
                                     readonly=True)
    bitrix_id = fields.Integer("Bitrix24 ID", readonly=True, index=True, copy=False)
    error = fields.Text("Last error", readonly=True, copy=False)
    access_token = fields.Char(
        "Photo link key", readonly=True, copy=False, default=lambda self: _new_token(),
        help="The secret part of the photo links given to Bitrix24: they open this request's "
             "photos without a login.")

    @api.depends()
    def _compute_name(self):
        for request in self:
            request.name = _("Request No. %s") % request.id if request.id else _("New request")

    # ------------------------------------------------------------------ the dealer's side
    @api.model
    def _b2b_dealer_user(self):
        """The dealer user filing or reading requests (sudo), or AccessError."""
        user = self.env.user.sudo()
        if not user.b2b_role or not user.b2b_dealer_id:
            raise AccessError(_("Merchandising requests are filed by dealers' users."))
        return user

    @api.model
    def b2b_outlets(self):
        """The outlets the dealer user may choose: [{id, name, address}] of the dealer's legal
        entities and their delivery addresses (an outlet user: its contract's entity's)."""
        user = self._b2b_dealer_user()
        dealer = user.b2b_dealer_id
        if user.b2b_role == "outlet":
            companies = user.b2b_contract_id.partner_id
        else:
            companies = dealer | dealer.b2b_entity_ids
        Partner = self.env["res.partner"].sudo()
        addresses = Partner.search([("parent_id", "in", companies.ids), ("type", "=", "delivery")],
                                   order="name, id")
        return [{"id": partner.id, "name": partner.name or partner.parent_id.name,
                 "address": self._b2b_address_text(partner)}
                for partner in companies | addresses]

    @api.model
    def _b2b_address_text(self, partner):
        parts = [partner.zip, partner.state_id.name, partner.city, partner.street, partner.street2]
        return ", ".join(part for part in parts if part)

    @api.model
    def b2b_file_request(self, form, photos):
        """File a request as the dealer user: ``form`` {outlet_id, outlet_name, address, wanted},
        ``photos`` [(file name, bytes)]. Returns {"request_id"} or {"problems": [(field,
        message)]} in the user's language, and then nothing is saved."""
        user = self._b2b_dealer_user()
        outlets = {row["id"]: row["address"] for row in self.b2b_outlets()}
        values, problems = merch.validate_form(
            form, outlets, [(name, len(data), data[:16]) for name, data in photos])
        if problems:
            return {"problems": [(field, merch.render_located(
                field, problem, lambda text: translate(self.env, text)))
                for field, problem in problems]}
        # filed by the dealer's user (the access list and the record rules say whether they may),
        # written by the system: the request's chatter and the photos are the supplier's side
        self.check_access_rights("create")
        request = self.sudo().with_context(mail_create_nosubscribe=True).create({
            "b2b_dealer_id": user.b2b_dealer_id.id,
            "outlet_id": values["outlet_id"],
            "outlet_name": values["outlet_name"],
            "address": values["address"],
            "wanted": values["wanted"],
            "author_id": user.id,
        })
        Attachment = self.env["ir.attachment"].sudo()
        for (name, data), mimetype in zip(photos, values["photo_types"]):
            Attachment.create({
                "name": name, "datas_fname": name, "datas": base64.b64encode(data),
                "mimetype": mimetype, "res_model": self._name, "res_id": request.id})
        request.sudo(user.id).check_access_rule("create")
        request._b2b_schedule()
        return {"request_id": request.id}

    @api.model
    def b2b_requests(self):
        """The requests the dealer user may see, newest first: [{id, name, date, outlet, state,
        state_label, status}]."""
        self._b2b_dealer_user()
        return [request.sudo()._b2b_row() for request in self.search([])]

    @api.model
    def b2b_request_view(self, request_id):
        """One request of the dealer user's, with its photos and the messages the dealer sees;
        AccessError or MissingError for anything else."""
        self._b2b_dealer_user()
        request = self.browse(int(request_id))
        request.check_access_rights("read")
        request.check_access_rule("read")
        request = request.sudo()
        row = request._b2b_row()
        comment = self.env.ref("mail.mt_comment")
        messages = request.message_ids.filtered(
            lambda m: m.subtype_id == comment and m.message_type in ("comment", "notification"))
        row.update({
            "address": request.address,
            "wanted": request.wanted,
            "author": request.author_id.name,
            "photos": [{"id": photo.id, "name": photo.datas_fname or photo.name,
                        "url": request._b2b_photo_url(photo, absolute=False)}
                       for photo in request.photo_ids.sorted("id")],
            "messages": [{"date": message.date, "author": message.author_id.name,
                          "body": message.body}
                         for message in messages.sorted(lambda m: (m.date, m.id))],
        })
        return row

    def _b2b_row(self):
        labels = dict(self._fields["state"]._description_selection(self.env))
        return {
            "id": self.id, "name": self.name, "date": self.create_date,
            "outlet": self._b2b_outlet_text(),
            "state": self.state, "state_label": labels.get(self.state, self.state),
            "status": merch.status_to_show(self.state, self.bitrix_status),
        }

    def _b2b_outlet_text(self):
        if self.outlet_id and self.outlet_name:
            return "%s (%s)" % (self.outlet_name, self.outlet_id.name)
        return self.outlet_name or self.outlet_id.name or ""

    # ------------------------------------------------------------------ photos by link
    def _b2b_photo_url(self, photo, absolute=True):
        path = PHOTO_ROUTE % (photo.id, self.sudo().access_token)
        if not absolute:
            return path
        return self.env["b2b.bitrix.api"]._b2b_settings()["base_url"] + path

    @api.model
    def _b2b_photo_by_token(self, attachment_id, token):
        """The photo (ir.attachment, sudo) the link names, when ``token`` is the key of the
        request it belongs to; an empty recordset otherwise."""
        Attachment = self.env["ir.attachment"].sudo()
        photo = Attachment.browse(int(attachment_id)).exists()
        if not photo or photo.res_model != self._name or not photo.res_id or not token:
            return Attachment.browse()
        request = self.sudo().browse(photo.res_id).exists()
        if not request or not request.access_token or not consteq(
                str(request.access_token), str(token)):
            return Attachment.browse()
        return photo

    # ------------------------------------------------------------------ to Bitrix24
    def _b2b_schedule(self):
        for request in self:
            request.with_delay(
                channel="root.b2b_bitrix", max_retries=10,
                description="Bitrix24: merchandising request %d" % request.id)._b2b_job_send()

    @api.multi
    def action_send_again(self):
        """Managers: send a request again after an error was corrected (a lead already made is
        found by its ORIGIN_ID, not made twice)."""
        self.write({"error": False})
        self.filtered(lambda r: not r.bitrix_id)._b2b_schedule()
        return True

    def _b2b_comment_labels(self):
        return {"dealer": _("Dealer"), "outlet": _("Outlet"), "address": _("Address"),
                "author": _("Filed by"), "wanted": _("What is wanted"), "photos": _("Photos"),
                "odoo": _("The request in Odoo")}

    def _b2b_crm_request(self, settings):
        """The request as lib.merch takes it (the managers' language: their manager's)."""
        dealer = self.b2b_dealer_id
        manager = dealer.b2b_manager_id
        lang = manager.lang or dealer.lang or "en_US"
        own = self.with_context(lang=lang)
        outlet = self._b2b_outlet_text()
        return {
            "id": self.id,
            "title": own._b2b_title(),
            "dealer": dealer.name,
            "outlet": outlet,
            "address": self.address,
            "author": self.author_id.name,
            "wanted": self.wanted,
            "photos": [(photo.datas_fname or photo.name, self._b2b_photo_url(photo))
                       for photo in self.photo_ids.sorted("id")],
            "url": "%s/web#id=%d&model=%s&view_type=form" % (settings["base_url"], self.id,
                                                             self._name),
            "company_id": dealer.commercial_partner_id.b2b_bitrix_company_id or None,
            "assigned_id": manager.b2b_bitrix_user_id or None,
            "labels": own._b2b_comment_labels(),
        }

    def _b2b_title(self):
        outlet = self._b2b_outlet_text()
        title = _("Merchandising: %s") % self.b2b_dealer_id.name
        return "%s, %s" % (title, outlet) if outlet else title

    @job(default_channel="root.b2b_bitrix")
    @api.multi
    def _b2b_job_send(self):
        """The queue job: make the request's lead or deal in Bitrix24, once. A lead or deal
        already made by an earlier attempt (its answer lost on the way) is found by ORIGIN_ID;
        Bitrix24 busy or unreachable retries the job later; a refusal is kept as the last error
        for the managers."""
        self.ensure_one()
        if self.bitrix_id:
            return "already in Bitrix24: %s %d" % (self.bitrix_entity, self.bitrix_id)
        Api = self.env["b2b.bitrix.api"]
        try:
            settings = Api._b2b_settings()
            request = self._b2b_crm_request(settings)
            labels = request.pop("labels")
            method, crm = merch.crm_fields(request, settings, labels)
            entity = "deal" if method == "crm.deal.add" else "lead"
            with Api._b2b_job_errors():
                found = Api._b2b_find_by_origin(entity, [crm["ORIGIN_ID"]])
            record_id = found.get(crm["ORIGIN_ID"])
            if not record_id:
                record_id = int(Api._b2b_job_call(method, {
                    "fields": crm, "params": {"REGISTER_SONET_EVENT": "Y"}}))
        except (BitrixError, UserError) as error:
            message = getattr(error, "message_en", None) or getattr(error, "name", None) \
                or str(error)
            self.error = message
            _logger.warning("Merchandising request %d not sent to Bitrix24: %s", self.id, message)
            return "refused: %s" % message
        values = {"bitrix_entity": entity, "bitrix_id": record_id, "error": False}
        if self.state == merch.QUEUED:
            values["state"] = merch.SENT
        self.write(values)
        self._b2b_tell_dealer()
        return "%s %d" % (entity, record_id)

    # ------------------------------------------------------------------ from Bitrix24
    @api.model
    def _b2b_bitrix_lead_event(self, event):
        """ONCRMLEADUPDATE: the lead of a request changed; its status becomes the request's
        state. Leads that are not requests' are left alone (nothing is fetched for them)."""
        lead_id = event.record_id
        request = self.sudo().search([("bitrix_entity", "=", "lead"), ("bitrix_id", "=", lead_id)],
                                     limit=1) if lead_id else self.browse()
        if not request:
            return "not a merchandising request's lead"
        lead = self.env["b2b.bitrix.api"]._b2b_job_call("crm.lead.get", {"id": lead_id})
        state, status = merch.lead_state(lead or {})
        return request._b2b_set_state(state, status)

    @api.model
    def _b2b_bitrix_deal_changed(self, deal):
        """A deal of the merchandising pipeline changed (crm.deal.get's dict, ORIGIN_ID
        "b2b.merch.request:<id>"): its stage's semantics becomes the request's state."""
        request_id = merch.parse_origin(deal.get("ORIGIN_ID"))
        request = self.sudo().browse(request_id).exists() if request_id else self.browse()
        if not request:
            return "no such merchandising request"
        if not request.bitrix_id:
            request.write({"bitrix_entity": "deal", "bitrix_id": int(deal.get("ID") or 0)})
        settings = self.env["b2b.bitrix.api"]._b2b_settings()
        state, stage = merch.deal_state(deal, settings.get("merch_stage_id"))
        return request._b2b_set_state(state, stage)

    def _b2b_set_state(self, state, status):
        self.ensure_one()
        changed = state != self.state
        if not changed and status == (self.bitrix_status or ""):
            return "unchanged"
        self.write({"state": state, "bitrix_status": status})
        if changed:
            self._b2b_tell_dealer()
        return "%s (%s)" % (state, status)

    def _b2b_tell_dealer(self):
        """A note on the request the dealer sees in the portal: its new state, in the dealer's
        language."""
        lang = self.author_id.lang or self.b2b_dealer_id.lang or "en_US"
        body = self.with_context(lang=lang)._b2b_state_note()
        self.message_post(body=body, message_type="notification", subtype="mail.mt_comment")

    def _b2b_state_note(self):
        label = dict(self._fields["state"]._description_selection(self.env))[self.state]
        status = merch.status_to_show(self.state, self.bitrix_status)
        if status:
            return _("Status: %(state)s (%(status)s)") % {"state": label, "status": status}
        return _("Status: %s") % label
