import logging
from collections import OrderedDict

from odoo import _, api, fields, models

from ..lib.deals import ORIGINATOR


_logger = logging.getLogger(__name__)


class ResPartner(models.Model):
    _inherit = "res.partner"

    b2b_bitrix_company_id = fields.Integer(
        "Bitrix24 company ID", index=True, copy=False,
        help="The dealer's company in the supplier's Bitrix24 CRM; its responsible user is the "
             "dealer's manager.")
    b2b_bitrix_contact_id = fields.Integer(
        "Bitrix24 contact ID", index=True, copy=False,
        help="This person's contact in the supplier's Bitrix24 CRM.")

    def _b2b_bitrix_origin(self):
        return "res.partner:%d" % self.id

    @api.multi
    def _b2b_bitrix_ensure_companies(self):
        """Find or create the Bitrix24 company of each dealer in ``self`` (found again by its
        ORIGIN_ID, so never made twice); returns {dealer id: company id}."""
        api_ = self.env["b2b.bitrix.api"]
        todo = self.filtered(lambda p: not p.b2b_bitrix_company_id)
        if todo:
            found = api_._b2b_find_by_origin("company", [p._b2b_bitrix_origin() for p in todo])
            for dealer in todo:
                company_id = found.get(dealer._b2b_bitrix_origin())
                if not company_id:
                    fields_ = {"TITLE": dealer.name, "COMPANY_TYPE": "CUSTOMER",
                               "ORIGINATOR_ID": ORIGINATOR, "ORIGIN_ID": dealer._b2b_bitrix_origin(),
                               "OPENED": "Y"}
                    if dealer.email:
                        fields_["EMAIL"] = [{"VALUE": dealer.email, "VALUE_TYPE": "WORK"}]
                    if dealer.phone:
                        fields_["PHONE"] = [{"VALUE": dealer.phone, "VALUE_TYPE": "WORK"}]
                    manager = dealer.b2b_manager_id.b2b_bitrix_user_id
                    if manager:
                        fields_["ASSIGNED_BY_ID"] = manager
                    company_id = api_._b2b_call("crm.company.add", {"fields": fields_})
                dealer.b2b_bitrix_company_id = int(company_id)
        return {p.id: p.b2b_bitrix_company_id for p in self}

    @api.multi
    def _b2b_bitrix_ensure_contacts(self):
        """Find or create the Bitrix24 contact of each person in ``self``, in the company of
        their dealer; returns {partner id: contact id}."""
        api_ = self.env["b2b.bitrix.api"]
        todo = self.filtered(lambda p: not p.b2b_bitrix_contact_id)
        if todo:
            found = api_._b2b_find_by_origin("contact", [p._b2b_bitrix_origin() for p in todo])
            companies = todo.mapped("b2b_dealer_id")._b2b_bitrix_ensure_companies()
            for person in todo:
                contact_id = found.get(person._b2b_bitrix_origin())
                if not contact_id:
                    first, _space, last = (person.name or "").partition(" ")
                    fields_ = {"NAME": first, "LAST_NAME": last, "ORIGINATOR_ID": ORIGINATOR,
                               "ORIGIN_ID": person._b2b_bitrix_origin(), "OPENED": "Y"}
                    if companies.get(person.b2b_dealer_id.id):
                        fields_["COMPANY_ID"] = companies[person.b2b_dealer_id.id]
                    if person.email:
                        fields_["EMAIL"] = [{"VALUE": person.email, "VALUE_TYPE": "WORK"}]
                    if person.phone or person.mobile:
                        fields_["PHONE"] = [{"VALUE": person.phone or person.mobile,
                                             "VALUE_TYPE": "WORK"}]
                    contact_id = api_._b2b_call("crm.contact.add", {"fields": fields_})
                person.b2b_bitrix_contact_id = int(contact_id)
        return {p.id: p.b2b_bitrix_contact_id for p in self}

    @api.model
    def _b2b_bitrix_users(self, user_ids):
        """{Bitrix24 user id: user.get's record} of ``user_ids`` (batch requests, 50 a time)."""
        api_ = self.env["b2b.bitrix.api"]
        found = {}
        for start in range(0, len(user_ids), 50):
            calls = OrderedDict(("u%d" % uid, ("user.get", {"ID": uid}))
                                for uid in user_ids[start:start + 50])
            outcome = api_._b2b_batch(calls)
            for uid in user_ids[start:start + 50]:
                records = outcome.results.get("u%d" % uid)
                if isinstance(records, list) and records and isinstance(records[0], dict):
                    found[uid] = records[0]
        return found

    @api.multi
    def _b2b_bitrix_card(self, person):
        """A manager's card in the portal (phone, position) from Bitrix24's user record."""
        phone = (person.get("WORK_PHONE") or person.get("PERSONAL_MOBILE") or
                 person.get("PERSONAL_PHONE") or "").strip()
        values = {}
        if phone and phone != (self.phone or ""):
            values["phone"] = phone
        position = (person.get("WORK_POSITION") or "").strip()
        if position and position != (self.function or ""):
            values["function"] = position
        if values:
            self.sudo().write(values)

    @api.model
    def _b2b_bitrix_sync_all_managers(self):
        """The managers of every dealer known in Bitrix24 (the hourly job)."""
        if not self.env["b2b.bitrix.api"]._b2b_configured():
            return []
        dealers = self.sudo().search([("b2b_is_dealer", "=", True), ("b2b_bitrix_company_id", "!=", 0)])
        problems = dealers._b2b_bitrix_sync_managers()
        for _dealer, text in problems:
            _logger.warning("Bitrix24 managers: %s", text)
        return problems

    @api.multi
    def _b2b_bitrix_sync_managers(self):
        """Each dealer's manager from its Bitrix24 company's responsible user: the Odoo user with
        that Bitrix24 user ID, or else the one with the Bitrix24 user's e-mail (then linked).
        Returns [(dealer, problem)] of dealers whose responsible has no Odoo user."""
        api_ = self.env["b2b.bitrix.api"]
        Users = self.env["res.users"].sudo()
        problems = []
        dealers = self.filtered("b2b_bitrix_company_id")
        companies = {}
        for start in range(0, len(dealers), 50):
            chunk = dealers[start:start + 50]
            for company in api_._b2b_call("crm.company.list", {
                    "filter": {"ID": [p.b2b_bitrix_company_id for p in chunk]},
                    "select": ["ID", "ASSIGNED_BY_ID"]}) or []:
                companies[int(company["ID"])] = int(company.get("ASSIGNED_BY_ID") or 0)
        responsibles = sorted(set(v for v in companies.values() if v))
        bitrix_users = self._b2b_bitrix_users(responsibles)
        # each responsible's Odoo user, looked up once however many dealers they look after
        managers = {user.b2b_bitrix_user_id: user for user in Users.search(
            [("b2b_bitrix_user_id", "in", responsibles), ("share", "=", False)])}
        for responsible in responsibles:
            email = ((bitrix_users.get(responsible) or {}).get("EMAIL") or "").strip().lower()
            if responsible not in managers and email:
                user = Users.search([("share", "=", False), "|", ("login", "=ilike", email),
                                     ("email", "=ilike", email)], limit=1)
                if user and not user.b2b_bitrix_user_id:
                    user.b2b_bitrix_user_id = responsible
                    managers[responsible] = user
        for user in managers.values():
            user.partner_id._b2b_bitrix_card(bitrix_users.get(user.b2b_bitrix_user_id) or {})
        for dealer in dealers:
            responsible = companies.get(dealer.b2b_bitrix_company_id)
            if not responsible:
                continue
            user = managers.get(responsible)
            if user:
                if dealer.b2b_manager_id != user:
                    dealer.b2b_manager_id = user
            else:
                problems.append((dealer, _(
                    "%(dealer)s: the responsible of its Bitrix24 company (user %(user)s) has no "
                    "Odoo user with that Bitrix24 user ID or e-mail.")
                    % {"dealer": dealer.name, "user": responsible}))
        return problems
