import base64
import binascii
import os

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import consteq, html2plaintext, plaintext2html

from odoo.addons.b2b_base.lib import images
from odoo.addons.b2b_base.tools.rule_messages import translate

from ..lib import complaints as rules
from ..lib import notifications as feed

RESOLUTIONS = [
    ("replace", "Replacement"),
    ("refund", "Refund"),
    ("repair", "Repair"),
    ("discount", "Discount"),
]
STATES = [
    (rules.NEW, "Filed"),
    (rules.IN_REVIEW, "In review"),
    (rules.ACCEPTED, "Accepted"),
    (rules.REJECTED, "Rejected"),
    (rules.RESOLVED, "Resolved"),
]


def _new_token():
    return binascii.hexlify(os.urandom(24)).decode("ascii")


class B2bComplaint(models.Model):
    """A dealer's complaint (рекламация) about goods: filed in the portal from an order line or on
    its own (the product by SKU), with the quantity, the defect, photos and the resolution wanted;
    worked by the supplier in the backend: new -> in review -> accepted or rejected (with a
    reason) -> resolved. The dealer sees the status and the supplier's replies (the chatter's
    messages, not its internal notes) on the complaint's page and answers there.

    A dealer's user reads the complaints of the contracts they act for (b2b_base's
    ``b2b_allowed_contract_ids``: an administrator all of the dealer's, a buyer the dealer's, an
    outlet its contract's), as the orders; everything a dealer does goes through the ``b2b_*``
    methods, called as the user."""
    _name = "b2b.complaint"
    _inherit = ["mail.thread"]
    _description = "Dealer Complaint"
    _order = "id desc"

    name = fields.Char("Number", required=True, readonly=True, copy=False, default="/",
                       index=True)
    contract_id = fields.Many2one("b2b.contract", required=True, readonly=True,
                                  index=True, ondelete="restrict")
    dealer_id = fields.Many2one("res.partner", required=True, readonly=True, index=True,
                                ondelete="restrict", domain=[("b2b_is_dealer", "=", True)])
    user_id = fields.Many2one("res.users", "Filed by", readonly=True, index=True,
                              ondelete="restrict", default=lambda self: self.env.uid)
    order_line_id = fields.Many2one("sale.order.line", readonly=True,
                                    ondelete="set null")
    order_id = fields.Many2one("sale.order", readonly=True, index=True,
                               ondelete="set null")
    product_id = fields.Many2one("product.product", required=True, readonly=True,
                                 ondelete="restrict")
    qty = fields.Float("Quantity", required=True, readonly=True,
                       digits=(16, 3))
    description = fields.Text("Defect", required=True, readonly=True)
    resolution = fields.Selection(RESOLUTIONS, "Resolution Wanted", required=True,
                                  readonly=True)
    state = fields.Selection(STATES, "Status", required=True, default=rules.NEW, readonly=True,
                             index=True, track_visibility="onchange")
    reject_reason = fields.Text(
        "Reason of Rejection", track_visibility="onchange",
        states={rules.NEW: [("readonly", False)], rules.IN_REVIEW: [("readonly", False)]},
        readonly=True, help="Shown to the dealer: write it before rejecting the complaint.")
    photo_ids = fields.One2many("b2b.complaint.photo", "complaint_id", "Photos", readonly=True)
    photo_count = fields.Integer("Photos", compute="_compute_photo_count")
    access_token = fields.Char(
        "Photo link key", readonly=True, copy=False, default=lambda self: _new_token(),
        groups="b2b_base.group_b2b_manager",
        help="The secret part of the photo links given to the supplier's CRM: they open this "
             "complaint's photos without a login.")

    @api.depends("photo_ids")
    def _compute_photo_count(self):
        for complaint in self:
            complaint.photo_count = len(complaint.photo_ids)

    @api.model
    def create(self, vals):
        if vals.get("name", "/") == "/":
            vals["name"] = self.env["ir.sequence"].sudo().next_by_code("b2b.complaint") or "/"
        return super(B2bComplaint, self).create(vals)

    # ------------------------------------------------------------------ the supplier's steps
    def _b2b_step(self, target):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for complaint in self:
            problems = rules.check_step(complaint.state, target, complaint.reject_reason)
            if problems:
                field, problem = problems[0]
                if field is None:
                    raise UserError(_("A complaint that is %(state)s cannot become %(target)s.")
                                    % {"state": labels[complaint.state], "target": labels[target]})
                raise UserError(rules.render_located(
                    field, problem, lambda text: translate(self.env, text)))
        self.write({"state": target})
        self._b2b_notify_state()
        return True

    # ------------------------------------------------------------------ the dealer's feed
    def _b2b_readers(self):
        """The dealers' users who read this complaint (those who see its contract's orders)."""
        return self.env["b2b.notification"]._b2b_contract_users(self.contract_id)

    def _b2b_notify_state(self):
        """Tell the complaint's readers its new status (and a rejection's reason)."""
        Note = self.env["b2b.notification"]
        for complaint in self:
            label = rules.STATE_LABELS[complaint.state]
            params = {"complaint": complaint.name, "status": lambda tr, label=label: tr(label),
                      "reason": complaint.reject_reason or ""}
            body = feed.COMPLAINT_REJECTED_BODY if complaint.state == rules.REJECTED \
                else feed.COMPLAINT_STATUS_BODY
            Note._b2b_notify(complaint._b2b_readers(), "complaint",
                             (feed.COMPLAINT_STATUS, params), (body, params),
                             url="/b2b/complaints/%d" % complaint.id, record=complaint)

    @api.multi
    @api.returns("mail.message", lambda value: value.id)
    def message_post(self, **kwargs):
        """A message the supplier sends on the complaint (not an internal note) reaches the
        complaint's readers in their feed; the dealer's own answers do not come back to them."""
        message = super(B2bComplaint, self).message_post(**kwargs)
        comment = self.env.ref("mail.mt_comment")
        author_users = message.author_id.sudo().user_ids
        if message.subtype_id == comment and message.message_type in ("comment", "email") \
                and not author_users.filtered("b2b_role"):
            for complaint in self:
                params = {"complaint": complaint.name}
                text = feed.excerpt(html2plaintext(message.body or ""))
                complaint.env["b2b.notification"]._b2b_notify(
                    complaint._b2b_readers(), "complaint", (feed.COMPLAINT_REPLY, params),
                    lambda tr, text=text: text, url="/b2b/complaints/%d" % complaint.id,
                    record=complaint)
        return message

    @api.multi
    def action_review(self):
        """The supplier takes the complaint up."""
        return self._b2b_step(rules.IN_REVIEW)

    @api.multi
    def action_accept(self):
        return self._b2b_step(rules.ACCEPTED)

    @api.multi
    def action_reject(self):
        """Reject the complaint: its reason (shown to the dealer) must be written first."""
        return self._b2b_step(rules.REJECTED)

    @api.multi
    def action_resolve(self):
        """The accepted complaint is settled (goods replaced, money refunded, ...)."""
        return self._b2b_step(rules.RESOLVED)

    # ------------------------------------------------------------------ the dealer's side
    @api.model
    def _b2b_dealer_user(self):
        """The dealer user filing or reading complaints (sudo), or AccessError."""
        user = self.env.user.sudo()
        if not user.b2b_role or not user.b2b_dealer_id:
            raise AccessError(_("Complaints are filed by dealers' users."))
        return user

    @api.model
    def _b2b_line(self, line_id):
        """The order line ``line_id`` as the user reads it (sudo), of a confirmed order; or
        AccessError (another dealer's line, a line that does not exist)."""
        try:
            line = self.env["sale.order.line"].browse(int(line_id)).exists()
        except (TypeError, ValueError):
            line = None
        if not line:
            raise AccessError(_("The order line does not exist or is not yours."))
        line.check_access_rights("read")
        line.check_access_rule("read")
        line = line.sudo()
        if line.order_id.state not in ("sale", "done") or not line.product_id:
            raise AccessError(_("A complaint is filed about the goods of a confirmed order."))
        return line

    @api.model
    def b2b_line_info(self, line_id):
        """What the form shows of the order line a complaint is filed from: {id, order, sku,
        product, qty, unit}; AccessError for a line that is not the user's."""
        self._b2b_dealer_user()
        line = self._b2b_line(line_id)
        return {"id": line.id, "order": line.order_id.name,
                "order_id": line.order_id.id,
                "sku": line.product_id.default_code or "",
                "product": line.product_id.name, "qty": line.product_uom_qty,
                "unit": line.product_uom.name or ""}

    @api.model
    def b2b_file_complaint(self, form, photos, contract_id=None, line_id=None):
        """File a complaint as the dealer user: ``form`` {sku, qty, description, resolution},
        ``photos`` [(file name, bytes)], from the order line ``line_id`` or on its own under
        ``contract_id`` (one the user acts for). Returns {"complaint_id"} or {"problems":
        [(field, message)]} in the user's language, and then nothing is saved."""
        user = self._b2b_dealer_user()
        tr = lambda text: translate(self.env, text)  # noqa: E731
        line = self._b2b_line(line_id) if line_id else None
        if line:
            contract = line.order_id.b2b_contract_id
            product = line.product_id
        else:
            allowed = user.b2b_allowed_contract_ids
            try:
                contract = allowed.filtered(lambda c: c.id == int(contract_id or 0))
            except (TypeError, ValueError):
                contract = allowed.browse()
            if not contract:
                raise AccessError(_("You cannot file a complaint under this contract."))
            sku = str(form.get("sku") or "").strip()
            found = self.env["product.product"]._b2b_find_by_sku([sku]) if sku else {}
            product = self.env["product.product"].sudo().browse(found.get(sku))
        values, problems = rules.validate_form(
            form, line_qty=line.product_uom_qty if line else None, product_known=bool(product))
        clean, photo_problems = images.clean_photos(photos)
        problems = list(problems or []) + [(rules.PHOTOS, problem) for problem in photo_problems]
        if problems:
            return {"problems": [(field, rules.render_located(field, problem, tr))
                                 for field, problem in problems]}
        # filed by the dealer's user (the access list and the record rules say whether they may),
        # written by the system: the chatter and the photos are the supplier's side
        self.check_access_rights("create")
        complaint = self.sudo().with_context(mail_create_nosubscribe=True).create({
            "contract_id": contract.id,
            "dealer_id": contract.dealer_id.id,
            "user_id": user.id,
            "order_line_id": line.id if line else False,
            "order_id": line.order_id.id if line else False,
            "product_id": product.id,
            "qty": values["qty"],
            "description": values["description"],
            "resolution": values["resolution"],
        })
        Photo = self.env["b2b.complaint.photo"].sudo()
        for name, data, mimetype in clean:
            Photo.create({"complaint_id": complaint.id, "name": name, "mimetype": mimetype,
                          "data": base64.b64encode(data), "file_size": len(data)})
        complaint.sudo(user.id).check_access_rule("create")
        # the dealer's manager follows it: told of it and of the dealer's answers
        manager = contract.dealer_id.b2b_manager_id
        if manager:
            complaint.message_subscribe(partner_ids=manager.partner_id.ids)
        complaint._b2b_filed()
        return {"complaint_id": complaint.id}

    def _b2b_filed(self):
        """A complaint has just been filed by a dealer: what else is to happen (the bridges to 1C
        and Bitrix24 add their sending)."""
        return True

    @api.model
    def b2b_complaints(self):
        """The complaints the dealer user may see, newest first: [{id, name, date, product, sku,
        qty, order, state, state_label, resolution_label}]."""
        self._b2b_dealer_user()
        return [complaint._b2b_row() for complaint in self.search([]).sudo()]

    def _b2b_row(self):
        states = dict(self._fields["state"]._description_selection(self.env))
        resolutions = dict(self._fields["resolution"]._description_selection(self.env))
        return {
            "id": self.id, "name": self.name, "date": self.create_date,
            "product": self.product_id.name, "sku": self.product_id.default_code or "",
            "qty": self.qty, "order": self.order_id.name or "", "order_id": self.order_id.id,
            "contract": self.contract_id.name,
            "state": self.state, "state_label": states.get(self.state, self.state),
            "resolution": self.resolution,
            "resolution_label": resolutions.get(self.resolution, self.resolution),
        }

    @api.model
    def _b2b_own_complaint(self, complaint_id):
        """The user's complaint (as the user), or AccessError."""
        try:
            complaint = self.browse(int(complaint_id)).exists()
        except (TypeError, ValueError):
            complaint = self.browse()
        if complaint:
            try:
                complaint.check_access_rights("read")
                complaint.check_access_rule("read")
            except AccessError:
                complaint = self.browse()
        if not complaint:
            raise AccessError(_("The complaint does not exist or is not yours."))
        return complaint

    @api.model
    def b2b_complaint_view(self, complaint_id):
        """One complaint of the dealer user's, with its photos, the reason of a rejection and the
        messages the dealer sees (the supplier's replies and the dealer's own, not the internal
        notes); AccessError for anything else."""
        self._b2b_dealer_user()
        complaint = self._b2b_own_complaint(complaint_id).sudo()
        row = complaint._b2b_row()
        comment = self.env.ref("mail.mt_comment")
        messages = complaint.message_ids.filtered(
            lambda m: m.subtype_id == comment and m.message_type in ("comment", "email"))
        row.update({
            "description": complaint.description,
            "author": complaint.user_id.name,
            "unit": complaint.product_id.uom_id.name or "",
            "reject_reason": complaint.reject_reason or "",
            "photos": [{"id": photo.id, "name": photo.name}
                       for photo in complaint.photo_ids.sorted("id")],
            "messages": [{"id": message.id, "date": message.date,
                          "author": message.author_id.name or "",
                          "from_dealer": bool(message.author_id.user_ids.filtered("b2b_role")),
                          "body": message.body}
                         for message in messages.sorted(lambda m: (m.date, m.id))],
        })
        return row

    @api.model
    def b2b_reply(self, complaint_id, text):
        """The dealer user's answer on the complaint's page: a message the supplier reads in the
        chatter (and its followers are told of)."""
        user = self._b2b_dealer_user()
        complaint = self._b2b_own_complaint(complaint_id)
        text = str(text or "").strip()
        if not text:
            raise UserError(_("Write your message."))
        if len(text) > rules.MAX_DESCRIPTION:
            raise UserError(_("A message may have at most %(max)s characters (now %(length)s).")
                            % {"max": rules.MAX_DESCRIPTION, "length": len(text)})
        complaint.sudo().message_post(body=plaintext2html(text), author_id=user.partner_id.id,
                                      message_type="comment", subtype="mail.mt_comment")
        return True

    @api.model
    def b2b_photo(self, photo_id):
        """A photo of one of the dealer user's complaints (b2b.complaint.photo, sudo), or
        AccessError."""
        self._b2b_dealer_user()
        try:
            photo = self.env["b2b.complaint.photo"].sudo().browse(int(photo_id)).exists()
        except (TypeError, ValueError):
            photo = None
        if not photo:
            raise AccessError(_("The photo does not exist or is not yours."))
        self._b2b_own_complaint(photo.complaint_id.id)
        return photo

    # ------------------------------------------------------------------ photos by link
    @api.model
    def _b2b_photo_by_token(self, photo_id, token):
        """The photo (sudo) the link names when ``token`` is its complaint's key; an empty
        recordset otherwise."""
        Photo = self.env["b2b.complaint.photo"].sudo()
        try:
            photo = Photo.browse(int(photo_id)).exists()
        except (TypeError, ValueError):
            return Photo.browse()
        if not photo or not token:
            return Photo.browse()
        key = photo.complaint_id.sudo().access_token
        if not key or not consteq(str(key), str(token)):
            return Photo.browse()
        return photo

    def _b2b_photo_path(self, photo):
        """The path of a photo's link that opens it without a login (the complaint's key)."""
        return "/b2b/complaints/photo/%d?token=%s" % (photo.id, self.sudo().access_token)

    # ------------------------------------------------------------------ demo data
    @api.model
    def _b2b_load_demo(self):
        """Complaints of the demo dealer «Альфа» (alfa.admin) in several states: a new one from
        an order line with a photo of the defect, one in review with the supplier's question, one
        rejected with its reason. Once: nothing is added when «Альфа» has complaints."""
        import io

        from PIL import Image, ImageDraw

        ref = self.env.ref
        user = ref("b2b_base.demo_user_alfa_admin")
        contract = ref("b2b_base.demo_contract_alfa_main")
        manager = ref("b2b_base.demo_user_manager_ivan")
        if self.search_count([("dealer_id", "=", contract.dealer_id.id)]):
            return False
        Product = self.env["product.product"]
        products = [Product.search([("default_code", "=", sku)], limit=1)
                    for sku in ("MIX-00001", "MIX-00002", "ACC-00002")]
        if not all(products):
            return False
        Complaint = self.sudo().with_context(mail_create_nosubscribe=True)
        values = {"contract_id": contract.id, "dealer_id": contract.dealer_id.id,
                  "user_id": user.id}
        cracked = Complaint.create(dict(
            values, product_id=products[0].id, qty=2, resolution="replace",
            description="Трещина на корпусе смесителя у двух штук из партии, "
                        "обнаружена при распаковке."))
        # a photo of the defect: a grey body with a dark crack
        image = Image.new("RGB", (160, 120), (205, 210, 215))
        draw = ImageDraw.Draw(image)
        draw.rectangle((30, 25, 130, 95), fill=(170, 175, 185), outline=(90, 90, 100))
        draw.line((45, 35, 80, 60, 70, 75, 110, 90), fill=(30, 30, 30), width=3)
        out = io.BytesIO()
        image.save(out, format="PNG")
        data = out.getvalue()
        self.env["b2b.complaint.photo"].sudo().create({
            "complaint_id": cracked.id, "name": "трещина.png", "mimetype": "image/png",
            "data": base64.b64encode(data), "file_size": len(data)})
        leaking = Complaint.create(dict(
            values, product_id=products[1].id, qty=1, resolution="repair",
            description="Подтекает картридж после недели работы."))
        leaking.sudo(manager.id).action_review()
        question = "Пришлите, пожалуйста, фото маркировки на коробке: проверим партию."
        leaking.sudo(manager.id).message_post(body=question, message_type="comment",
                                              subtype="mail.mt_comment")
        wrong = Complaint.create(dict(
            values, product_id=products[2].id, qty=6, resolution="refund",
            description="Не подошёл по размеру."))
        wrong.sudo(manager.id).action_review()
        wrong.sudo(manager.id).write({
            "reject_reason": "Товар без дефекта: размер соответствует описанию в каталоге. "
                             "Возврат надлежащего качества оформляется по договору отдельно."})
        wrong.sudo(manager.id).action_reject()
        return True
