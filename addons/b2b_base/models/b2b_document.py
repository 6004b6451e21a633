import base64
import hashlib
import mimetypes

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.mimetypes import guess_mimetype

from ..tools import business_date

DOCUMENT_KINDS = [
    ("invoice", "Invoice"),
    ("upd", "UPD (universal transfer document)"),
    ("act", "Reconciliation act"),
    ("closing", "Closing documents"),
    ("other", "Other"),
]

# office formats whose types contain "xml" but which browsers do not render as pages
_OFFICE_MIMETYPES = ("application/vnd.openxmlformats-officedocument.",
                     "application/vnd.oasis.opendocument.", "application/vnd.ms-")

# what 1C may set through b2b_upsert_document
_UPSERT_FIELDS = ("name", "kind", "date", "number", "partner_id", "contract_id", "order_id",
                  "request_id", "preliminary", "b2b_onec_id", "company_id")


class B2bDocument(models.Model):
    """A printed form from 1C (or rendered by the suite) for a dealer: the file is an attachment of
    this record, so only users who may read the record may download it."""
    _name = "b2b.document"
    _description = "Dealer Document"
    _order = "date desc, id desc"

    name = fields.Char(required=True)
    kind = fields.Selection(DOCUMENT_KINDS, required=True, default="other")
    date = fields.Date(required=True, default=business_date.default_today, index=True)
    number = fields.Char()
    partner_id = fields.Many2one("res.partner", "Legal Entity", required=True, index=True,
                                 ondelete="restrict")
    dealer_id = fields.Many2one("res.partner", "Dealer", related="partner_id.b2b_dealer_id",
                                store=True, readonly=True, index=True)
    contract_id = fields.Many2one("b2b.contract", index=True, ondelete="restrict")
    order_id = fields.Many2one("sale.order", index=True, ondelete="set null")
    request_id = fields.Many2one("b2b.reconciliation.request", "Act Request", index=True,
                                 ondelete="set null")
    preliminary = fields.Boolean(help="Rendered by the portal from its ledger while 1C's own "
                                      "document is awaited.")
    attachment_id = fields.Many2one("ir.attachment", "File", ondelete="restrict", readonly=True,
                                    copy=False)
    file_name = fields.Char(copy=False)
    file_data = fields.Binary("File Content", compute="_compute_file_data",
                              inverse="_inverse_file_data",
                              help="The document's file; replacing it keeps one file per document.")
    mimetype = fields.Char(related="attachment_id.mimetype", readonly=True)
    b2b_onec_id = fields.Char("1C Id", index=True, copy=False)
    company_id = fields.Many2one("res.company", required=True,
                                 default=lambda self: self.env.user.company_id)

    _sql_constraints = [
        ("b2b_onec_id_unique", "unique(b2b_onec_id)", "Another document already has this 1C id."),
    ]

    # ------------------------------------------------------------------ file
    @api.depends("attachment_id")
    def _compute_file_data(self):
        for document in self:
            document.file_data = document.attachment_id.datas

    def _inverse_file_data(self):
        for document in self:
            if document.file_data:
                document._b2b_set_file(base64.b64decode(document.file_data),
                                       document.file_name or document.name)

    def _b2b_set_file(self, content, filename):
        """Store ``content`` (bytes) as this document's file, replacing the previous one in place
        (the attachment keeps its id, so links to it stay valid). Returns True when the stored file
        changed, False when it was the same file already."""
        self.ensure_one()
        self.check_access_rights("write")
        self.check_access_rule("write")
        filename = filename or self.name
        mimetype = mimetypes.guess_type(filename)[0] or guess_mimetype(content)
        attachment = self.attachment_id
        if attachment and attachment.checksum == hashlib.sha1(content).hexdigest() \
                and attachment.datas_fname == filename:
            return False
        Attachment = self.env["ir.attachment"]
        if mimetype.startswith(_OFFICE_MIMETYPES):
            # Odoo stores every "*xml*" type as text/plain unless an administrator uploads it;
            # office files are not served as web pages, so keep their real type (the caller may
            # write this document: checked above).
            Attachment = Attachment.sudo()
        values = {
            "name": filename,
            "datas_fname": filename,
            "datas": base64.b64encode(content),
            "mimetype": mimetype,
            "res_model": self._name,
            "res_id": self.id,
            "public": False,
        }
        if attachment:
            Attachment.browse(attachment.id).write(values)
        else:
            self.attachment_id = Attachment.create(values).id
        if self.file_name != filename:
            self.file_name = filename
        return True

    @api.multi
    def unlink(self):
        """A document goes with its file."""
        attachments = self.mapped("attachment_id")
        if attachments:
            self.check_access_rights("unlink")
            self.check_access_rule("unlink")
            self.sudo().write({"attachment_id": False})
            attachments.unlink()
        return super(B2bDocument, self).unlink()

    # ------------------------------------------------------------------ links
    @api.model
    def _b2b_complete_links(self, vals):
        """Fill the legal entity (and the contract) a document belongs to from the contract, order
        or request it is linked to, when 1C or the caller did not name them."""
        vals = dict(vals)
        if not vals.get("contract_id"):
            if vals.get("order_id"):
                order = self.env["sale.order"].browse(vals["order_id"]).exists()
                if order.b2b_contract_id:
                    vals["contract_id"] = order.b2b_contract_id.id
            elif vals.get("request_id"):
                request = self.env["b2b.reconciliation.request"].browse(vals["request_id"]).exists()
                vals["contract_id"] = request.contract_id.id
        if not vals.get("partner_id"):
            if vals.get("contract_id"):
                contract = self.env["b2b.contract"].browse(vals["contract_id"]).exists()
                vals["partner_id"] = contract.partner_id.id
            elif vals.get("order_id"):
                order = self.env["sale.order"].browse(vals["order_id"]).exists()
                vals["partner_id"] = order.partner_id.commercial_partner_id.id
        return vals

    @api.model
    def create(self, vals):
        return super(B2bDocument, self).create(self._b2b_complete_links(vals))

    @api.constrains("partner_id", "contract_id", "order_id", "request_id")
    def _check_links(self):
        for document in self.sudo():
            dealer = document.partner_id.b2b_dealer_id
            label = document.number or document.name
            if not dealer:
                raise ValidationError(_(
                    "Document %(document)s: %(partner)s is not a dealer's legal entity; a dealer "
                    "document needs one.")
                    % {"document": label, "partner": document.partner_id.display_name})
            contract, order, request = document.contract_id, document.order_id, document.request_id
            if order:
                order_dealer = order.partner_id.b2b_dealer_id
                if order_dealer != dealer:
                    raise ValidationError(_(
                        "Document %(document)s: order %(order)s is of the dealer %(order_dealer)s, "
                        "not of %(dealer)s, the dealer of the legal entity %(partner)s.")
                        % {"document": label, "order": order.name,
                           "order_dealer": order_dealer.name or "-", "dealer": dealer.name,
                           "partner": document.partner_id.name})
                if contract and order.b2b_contract_id and order.b2b_contract_id != contract:
                    raise ValidationError(_(
                        "Document %(document)s: order %(order)s is placed under contract "
                        "%(order_contract)s, not under %(contract)s.")
                        % {"document": label, "order": order.name,
                           "order_contract": order.b2b_contract_id.name, "contract": contract.name})
            if contract and contract.dealer_id != dealer:
                raise ValidationError(_(
                    "Document %(document)s: contract %(contract)s belongs to the dealer "
                    "%(contract_dealer)s, not to %(dealer)s, the dealer of the legal entity "
                    "%(partner)s.") % {"document": label, "contract": contract.name,
                                       "contract_dealer": contract.dealer_id.name,
                                       "dealer": dealer.name, "partner": document.partner_id.name})
            if request:
                if request.dealer_id != dealer:
                    raise ValidationError(_(
                        "Document %(document)s: act request %(request)s is of the dealer "
                        "%(request_dealer)s, not of %(dealer)s.")
                        % {"document": label, "request": request.name,
                           "request_dealer": request.dealer_id.name, "dealer": dealer.name})
                if contract and request.contract_id != contract:
                    raise ValidationError(_(
                        "Document %(document)s: act request %(request)s is for contract "
                        "%(request_contract)s, not for %(contract)s.")
                        % {"document": label, "request": request.name,
                           "request_contract": request.contract_id.name, "contract": contract.name})

    # ------------------------------------------------------------------ 1C intake
    @api.model
    @api.returns("self", lambda value: value.id)
    def b2b_upsert_document(self, vals, file_bytes, filename):
        """A printed form from 1C: ``vals`` (b2b_onec_id required; name, kind, date, number,
        partner_id / contract_id / order_id / request_id, ...), the file's bytes and name.

        The same 1C id updates the same document and replaces its file (never a second document);
        the same document with an identical file changes nothing. Returns the document."""
        document, _changed = self._b2b_upsert(vals, file_bytes, filename)
        return document

    @api.model
    def _b2b_upsert(self, vals, file_bytes, filename):
        """b2b_upsert_document, also telling whether anything changed: (document, changed)."""
        b2b_onec_id = (vals.get("b2b_onec_id") or "").strip()
        label = vals.get("number") or vals.get("name") or b2b_onec_id or "?"
        if not b2b_onec_id:
            raise UserError(_("Document %s from 1C: it has no 1C id.") % label)
        if not file_bytes:
            raise UserError(_("Document %(document)s (1C id %(onec_id)s): the file is empty.")
                            % {"document": label, "onec_id": b2b_onec_id})
        if not (filename or "").strip():
            raise UserError(_("Document %(document)s (1C id %(onec_id)s): the file has no name.")
                            % {"document": label, "onec_id": b2b_onec_id})
        unknown = set(vals) - set(_UPSERT_FIELDS)
        if unknown:
            raise UserError(_("Document %(document)s (1C id %(onec_id)s): unknown fields "
                              "%(fields)s.") % {"document": label, "onec_id": b2b_onec_id,
                                                "fields": ", ".join(sorted(unknown))})
        if isinstance(file_bytes, str):
            file_bytes = file_bytes.encode()
        vals = self._b2b_complete_links(dict(vals, b2b_onec_id=b2b_onec_id))
        document = self.search([("b2b_onec_id", "=", b2b_onec_id)], limit=1)
        if document:
            changes = {}
            for name, value in vals.items():
                field = self._fields[name]
                current = document[name]
                if field.type == "many2one":
                    current = current.id
                    value = value or False
                if current != value:
                    changes[name] = value
            changed = bool(changes)
            if changes:
                document.write(changes)
        else:
            if not vals.get("name"):
                raise UserError(_("Document %(document)s (1C id %(onec_id)s): it has no name.")
                                % {"document": label, "onec_id": b2b_onec_id})
            document = self.create(vals)
            changed = True
        changed = document._b2b_set_file(file_bytes, filename.strip()) or changed
        return document, changed
