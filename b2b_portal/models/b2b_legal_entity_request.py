from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.b2b_base.lib import requisites
from odoo.addons.b2b_base.tools.rule_messages import translate

from ..lib import notifications as feed

STATES = [
    ("submitted", "Waiting for the manager"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
]
# what the dealer's administrator fills in on the portal's form
FORM_FIELDS = ("name", "inn", "kpp", "ogrn", "legal_address", "postal_address", "bik", "bank_name",
               "account", "corr_account", "contact_name", "contact_phone", "contact_email")


class B2bLegalEntityRequest(models.Model):
    """A dealer's request for a new legal entity (контрагент) to buy under.

    The dealer's administrator fills it in on the portal (``b2b_check``, ``b2b_submit``): the
    requisites are checked with their control digits (b2b_base lib/requisites.py) and an INN/KPP
    the supplier already knows is refused. The dealer's manager approves it in the backend, which
    creates the legal entity as b2b_base models it (a company partner whose ``b2b_entity_of_id``
    is the dealer) with its bank account, or rejects it with a reason the dealer reads."""
    _name = "b2b.legal.entity.request"
    _inherit = ["b2b.portal.owned"]
    _description = "Dealer's Request for a New Legal Entity"
    _order = "id desc"
    _b2b_owner_fields = ("dealer_id", "author_id")

    name = fields.Char("Legal Entity Name", required=True, readonly=True,
                       states={"submitted": [("readonly", False)]})
    dealer_id = fields.Many2one("res.partner", required=True, index=True, readonly=True,
                                ondelete="cascade", domain=[("b2b_is_dealer", "=", True)])
    author_id = fields.Many2one("res.users", "Requested by", readonly=True, ondelete="set null",
                                default=lambda self: self.env.uid)
    manager_id = fields.Many2one(related="dealer_id.b2b_manager_id", readonly=True, store=True,
                                 string="Supplier Manager")
    state = fields.Selection(STATES, "Status", required=True, default="submitted", readonly=True,
                             index=True)
    inn = fields.Char("INN", size=12, required=True, readonly=True,
                      states={"submitted": [("readonly", False)]})
    kpp = fields.Char("KPP", size=9, readonly=True, states={"submitted": [("readonly", False)]})
    ogrn = fields.Char("OGRN", size=15, readonly=True, states={"submitted": [("readonly", False)]})
    legal_address = fields.Text(required=True, readonly=True,
                                states={"submitted": [("readonly", False)]})
    postal_address = fields.Text(readonly=True,
                                 states={"submitted": [("readonly", False)]},
                                 help="Empty when it is the legal address.")
    bik = fields.Char("BIK", size=9, required=True, readonly=True,
                      states={"submitted": [("readonly", False)]})
    bank_name = fields.Char("Bank", required=True, readonly=True,
                            states={"submitted": [("readonly", False)]})
    account = fields.Char("Settlement Account", size=20, required=True, readonly=True,
                          states={"submitted": [("readonly", False)]})
    corr_account = fields.Char("Correspondent Account", size=20, required=True, readonly=True,
                               states={"submitted": [("readonly", False)]})
    contact_name = fields.Char("Contact Person", required=True, readonly=True,
                               states={"submitted": [("readonly", False)]})
    contact_phone = fields.Char(required=True, readonly=True,
                                states={"submitted": [("readonly", False)]})
    contact_email = fields.Char("Contact E-mail", readonly=True,
                                states={"submitted": [("readonly", False)]})
    reject_reason = fields.Text("Reason of Rejection", states={"approved": [("readonly", True)],
                                                              "rejected": [("readonly", True)]},
                                help="What the dealer reads on the portal when the request is "
                                     "rejected.")
    partner_id = fields.Many2one("res.partner", "Legal Entity", readonly=True, ondelete="set null",
                                 help="The legal entity created when the request was approved.")
    bank_account_id = fields.Many2one("res.partner.bank", readonly=True,
                                      ondelete="set null")
    decided_by_id = fields.Many2one("res.users", "Decided by", readonly=True, ondelete="set null")
    date_decided = fields.Datetime("Decided on", readonly=True)

    @api.multi
    def name_get(self):
        return [(request.id, "%s (%s %s)" % (request.name, _("INN"), request.inn))
                for request in self]

    @api.model
    def _b2b_not_yours(self):
        return _("The request does not exist or is not yours.")

    # ------------------------------------------------------------------ the dealer's form
    @api.model
    def _b2b_form_fields(self):
        return FORM_FIELDS

    @api.model
    def _b2b_form_values(self, values):
        """The form's values, stripped, the requisites without spaces and dashes."""
        cleaned = {name: (values.get(name) or "").strip() for name in FORM_FIELDS}
        return requisites.cleaned(cleaned)

    @api.model
    def _b2b_dealer_admin(self):
        """The dealer administrator asking (sudo), or AccessError for anyone else."""
        user = self.env.user.sudo()
        if user.b2b_role != "admin" or not user.b2b_dealer_id:
            raise AccessError(_("Only the dealer's administrator can ask for a new legal entity."))
        return user

    @api.model
    def b2b_check(self, values):
        """``{field: message}`` of what is wrong in the form ``values``, in the user's language
        (empty when the form can be sent)."""
        values = self._b2b_form_values(values)
        problems = requisites.check_entity(values)
        errors = {name: problem.message(lambda text: translate(self.env, text))
                  for name, problem in problems.items()}
        if "inn" not in errors and "kpp" not in errors:
            known = self._b2b_known_error(values["inn"], values["kpp"])
            if known:
                errors["inn"] = known
        return errors

    @api.model
    def _b2b_known_error(self, inn, kpp):
        """Why the INN/KPP cannot be asked for (the supplier knows the entity, or a request for
        it waits), or None. Says nothing of whose it is."""
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        if Partner.search_count(self._b2b_same_entity_domain(inn, kpp)):
            return _("A legal entity with this INN and KPP is already registered with the "
                     "supplier. If it is yours, ask your manager to link it to your account.")
        if self.sudo().search_count([("inn", "=", inn), ("kpp", "=", kpp or False),
                                     ("state", "=", "submitted")]):
            return _("A request for a legal entity with this INN and KPP is already waiting for "
                     "the supplier's manager.")
        return None

    @api.model
    def _b2b_same_entity_domain(self, inn, kpp):
        """The partners that are the legal entity of ``inn`` and ``kpp``: companies with this
        INN (a KPP of a partner is kept by the addon that knows it, which narrows this)."""
        return [("vat", "=", inn), ("is_company", "=", True)]

    @api.model
    def b2b_submit(self, values):
        """The dealer administrator's request for a new legal entity of their dealer, from the
        form ``values``: the new request, or UserError when the form has a mistake (the page
        shows each beside its field, from ``b2b_check``)."""
        user = self._b2b_dealer_admin()
        errors = self.b2b_check(values)
        if errors:
            raise UserError("\n".join(errors[name] for name in FORM_FIELDS if name in errors))
        vals = self._b2b_form_values(values)
        vals.update(dealer_id=user.b2b_dealer_id.id, author_id=user.id)
        for name in ("kpp", "ogrn", "postal_address", "contact_email"):
            vals[name] = vals[name] or False
        return self.create(vals)

    @api.model
    def b2b_dealer_overview(self):
        """What the dealer administrator's page lists: the legal entities of the dealers they act
        for ([{name, inn, kpp, dealer}], sudo) and their requests (as the user)."""
        user = self._b2b_dealer_admin()
        dealers = user.b2b_scope_dealer_ids
        entities = (dealers | dealers.mapped("b2b_entity_ids")).sorted(
            lambda p: (p.b2b_dealer_id.id != user.b2b_dealer_id.id, p.b2b_dealer_id.name or "",
                       not p.b2b_is_dealer, p.name or ""))
        rows = [{"name": partner.name, "inn": partner.vat or "",
                 "kpp": self._b2b_partner_kpp(partner) or "",
                 "dealer": partner.b2b_dealer_id.name} for partner in entities]
        return {"entities": rows, "requests": self.search([])}

    @api.model
    def _b2b_partner_kpp(self, partner):
        """The KPP of a partner, where an addon keeps it (none here)."""
        return ""

    # ------------------------------------------------------------------ the manager's decision
    def _b2b_check_manager(self):
        """The supplier's staff may decide requests of the dealers they may change."""
        if not self.env.user.has_group("b2b_base.group_b2b_manager"):
            raise AccessError(_("Only the supplier's managers decide on dealers' legal entities."))
        self.check_access_rights("write")
        self.check_access_rule("write")
        for request in self:
            if request.state != "submitted":
                raise UserError(_("The request %s has already been decided.") % request.name)

    @api.multi
    def action_approve(self):
        """Create the legal entity of each request, with its bank account, and link it to the
        dealer."""
        self._b2b_check_manager()
        for request in self:
            known = request._b2b_known_error_on_approval()
            if known:
                raise UserError(known)
            partner = request._b2b_create_entity()
            request.write({"state": "approved", "partner_id": partner.id,
                           "bank_account_id": partner.bank_ids[:1].id,
                           "reject_reason": False, "decided_by_id": self.env.uid,
                           "date_decided": fields.Datetime.now()})
            request._b2b_approved()
        self._b2b_notify_decision()
        return True

    def _b2b_known_error_on_approval(self):
        self.ensure_one()
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        if Partner.search_count(self._b2b_same_entity_domain(self.inn, self.kpp)):
            return _("A legal entity with INN %(inn)s and KPP %(kpp)s is already registered: "
                     "link the existing one to the dealer instead.") % {
                         "inn": self.inn, "kpp": self.kpp or "-"}
        Bank = self.env["res.partner.bank"].sudo()
        if Bank.search_count([("acc_number", "=", self.account)]):
            return _("The settlement account %s already belongs to another partner.") % self.account
        return None

    def _b2b_entity_vals(self):
        """The new legal entity (res.partner) of this request."""
        self.ensure_one()
        return {
            "name": self.name, "is_company": True, "customer": True,
            "b2b_entity_of_id": self.dealer_id.id, "vat": self.inn,
            "street": self.legal_address, "country_id": self.env.ref("base.ru").id,
            "lang": self.dealer_id.lang, "phone": self.contact_phone,
            "email": self.contact_email or False,
            "user_id": self.dealer_id.user_id.id or self.dealer_id.b2b_manager_id.id or False,
        }

    def _b2b_create_entity(self):
        """The legal entity, its contact, postal address and bank account (as superuser: the
        manager's right to decide was checked)."""
        self.ensure_one()
        Partner = self.env["res.partner"].sudo()
        partner = Partner.create(self._b2b_entity_vals())
        Partner.create({"parent_id": partner.id, "type": "contact", "name": self.contact_name,
                        "phone": self.contact_phone, "email": self.contact_email or False})
        if self.postal_address and self.postal_address != self.legal_address:
            Partner.create({"parent_id": partner.id, "type": "other", "name": _("Postal Address"),
                            "street": self.postal_address})
        Bank = self.env["res.bank"].sudo().with_context(active_test=False)
        bank = Bank.search([("bic", "=", self.bik)], limit=1)
        if not bank:
            bank = Bank.create({"name": self.bank_name, "bic": self.bik,
                                "country": self.env.ref("base.ru").id})
        self.env["res.partner.bank"].sudo().create({
            "partner_id": partner.id, "bank_id": bank.id, "acc_number": self.account})
        return partner

    def _b2b_approved(self):
        """Called once the request is approved and its legal entity created (the 1C bridge sends
        it to 1C)."""
        return True

    @api.multi
    def action_reject(self):
        """Reject the requests with the reason written on them; the dealer reads it."""
        self._b2b_check_manager()
        for request in self:
            if not (request.reject_reason or "").strip():
                raise UserError(_("Write the reason of the rejection first: the dealer reads it."))
        self.write({"state": "rejected", "decided_by_id": self.env.uid,
                    "date_decided": fields.Datetime.now()})
        self._b2b_notify_decision()
        return True

    def _b2b_notify_decision(self):
        """Tell the dealer's administrators (and whoever asked) the manager's decision."""
        Note = self.env["b2b.notification"]
        for request in self:
            admins = self.env["res.users"].sudo().search([
                ("b2b_role", "=", "admin"), ("partner_id.b2b_dealer_id", "=", request.dealer_id.id)])
            params = {"name": request.name, "inn": request.inn,
                      "reason": request.reject_reason or ""}
            if request.state == "approved":
                title, body = feed.LEGAL_APPROVED, feed.LEGAL_APPROVED_BODY
            else:
                title, body = feed.LEGAL_REJECTED, feed.LEGAL_REJECTED_BODY
            Note._b2b_notify(admins | request.author_id.sudo(), "legal_entity", (title, params),
                             (body, params), url="/b2b/legal-entities/%d" % request.id,
                             record=request)
