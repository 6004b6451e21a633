import datetime
import hashlib
import logging
import posixpath

from psycopg2 import IntegrityError

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..lib import cml_packages as cml
from ..lib.protocol import ExchangeRefused

_logger = logging.getLogger(__name__)

BATCH = 500


def _problem_text(exc):
    """The message of an ORM refusal, on one line."""
    text = getattr(exc, "name", None) or (exc.args[0] if exc.args else "") or str(exc)
    return " ".join(str(text).split())


class OnecPackageImport(models.AbstractModel):
    """Reads the B2B data packages 1C sends through the exchange (see lib/cml_packages and
    doc/exchange_contract.rst): counterparties and contracts, the settlement ledger, 1C's overdue
    summary and printed forms. The glue addons add the readers of bonus balances and prices and
    monthly plans (b2b_1c_bridge_bonus) and of consignment lists (b2b_1c_bridge_commission).

    Each reader is called by ``b2b.onec.exchange.file._import`` inside a savepoint: any refusal
    (``ExchangeRefused``) leaves the database as it was before the file. Records are matched by
    their 1C id; a record whose data did not change is counted and not written."""

    _name = "b2b.onec.package.import"
    _description = "Reader of the B2B data packages from 1C"

    # ------------------------------------------------------------------ helpers
    @staticmethod
    def _changes(record, vals):
        """The part of ``vals`` that differs from ``record`` (nothing written when empty)."""
        changes = {}
        for name, value in vals.items():
            field = record._fields[name]
            current = record[name]
            if field.type == "many2one":
                current, value = current.id or False, value or False
            elif field.type in ("float", "monetary"):
                if round(current or 0.0, 4) == round(value or 0.0, 4):
                    continue
                changes[name] = value or 0.0
                continue
            elif field.type == "date" and isinstance(value, datetime.date):
                value = fields.Date.to_string(value)
            elif field.type == "integer":
                current, value = current or 0, value or 0
            if (current or False) != (value or False):
                changes[name] = value
        return changes

    def _save(self, model, record, vals, values, counts, label=None):
        """Create or update one record; refusals of the ORM become located refusals."""
        try:
            if not record:
                record = self.env[model].create(vals)
                counts["created"] += 1
                return record
            changes = self._changes(record, vals)
            if changes:
                record.write(changes)
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
            return record
        except (ValidationError, UserError, IntegrityError) as exc:
            raise cml.refuse(values, cml.MSG_RECORD_REFUSED, "", label or values.get("id") or "",
                             error=_problem_text(exc)) from None

    @staticmethod
    def _counts():
        return {"created": 0, "updated": 0, "unchanged": 0}

    @staticmethod
    def _done(exchange_file, counts):
        exchange_file._onec_count(**counts)
        return "success", "created %(created)d, updated %(updated)d, unchanged %(unchanged)d" % counts

    def _by_onec_id(self, model, refs):
        """{1C id: record} of ``model`` for ``refs`` (inactive records included)."""
        refs = [ref for ref in set(refs) if ref]
        if not refs:
            return {}
        records = self.env[model].with_context(active_test=False).search([("b2b_onec_id", "in", refs)])
        return {record.b2b_onec_id: record for record in records}

    def _one(self, model, ref, values, element, template):
        record = self._by_onec_id(model, [ref]).get(ref)
        if not record:
            raise cml.refuse(values, template, element, ref)
        return record

    def _dealer(self, values, element, ref):
        partner = self._one("res.partner", ref, values, element, cml.MSG_UNKNOWN_COUNTERPARTY)
        if not partner.b2b_is_dealer:
            raise cml.refuse(values, cml.MSG_NOT_A_DEALER, element, ref)
        return partner

    # ------------------------------------------------------------------ counterparties
    @api.model
    def _read_counterparties(self, exchange_file, path, info):
        counts = self._counts()
        for values in cml.read_counterparties(path, exchange_file.name):
            partner = self._by_onec_id("res.partner", [values["id"]]).get(values["id"])
            vals = {"name": values["name"], "is_company": True, "b2b_onec_id": values["id"]}
            if values["dealer_id"]:
                dealer = self._by_onec_id("res.partner", [values["dealer_id"]]).get(values["dealer_id"])
                if not dealer:
                    raise cml.refuse(values, cml.MSG_UNKNOWN_COUNTERPARTY, "ИдДилера",
                                     values["dealer_id"])
                if not dealer.b2b_is_dealer or dealer == partner:
                    raise cml.refuse(values, cml.MSG_NOT_A_DEALER, "ИдДилера", values["dealer_id"])
                vals.update(b2b_is_dealer=False, b2b_entity_of_id=dealer.id)
            else:
                vals.update(b2b_is_dealer=True, b2b_entity_of_id=False)
            for key, field in (("inn", "vat"), ("kpp", "b2b_kpp")):
                if values[key] is not None:
                    vals[field] = values[key] or False
            if values["manager"] is not None:
                vals["b2b_manager_id"] = values["manager"] and self._manager(values).id
            if values["region"] is not None:
                vals["b2b_region_id"] = self._region(values["region"]).id
            if not partner:
                vals["customer"] = True
            partner = self._save("res.partner", partner, vals, values, counts)
            for contract_values in values["contracts"]:
                self._save_contract(partner, contract_values, counts)
            if values["discounts"] is not None:
                if partner.b2b_is_dealer:
                    self._save_discounts(exchange_file, partner, values["discounts"], counts)
                else:
                    exchange_file._onec_skip([cml.refuse(values, cml.MSG_DISCOUNT_NOT_DEALER,
                                                         "Ид", values["id"])])
        return self._done(exchange_file, counts)

    def _save_discounts(self, exchange_file, dealer, discounts, counts):
        """The dealer's personal discounts as 1C lists them: each one created or updated by its
        product group (a manager's discount of the group becomes 1C's), those 1C gave before and
        no longer lists removed, the manager's other ones kept. A discount of a group unknown
        here is skipped and reported with its file and line; the others are imported."""
        Discount = self.env["b2b.dealer.discount"].sudo().with_context(active_test=False)
        groups = self._by_onec_id("product.category", [d["group_id"] for d in discounts])
        current = {discount.category_id.id: discount
                   for discount in Discount.search([("dealer_id", "=", dealer.id)])}
        listed, skipped = set(), []
        for values in discounts:
            group = groups.get(values["group_id"])
            if not group:
                skipped.append(cml.refuse(values, cml.MSG_UNKNOWN_GROUP, "ИдГруппы",
                                          values["group_id"]))
                continue
            listed.add(group.id)
            vals = {"dealer_id": dealer.id, "category_id": group.id, "percent": values["percent"],
                    "source": "onec", "b2b_onec_id": values["id"] or False, "active": True}
            self._save("b2b.dealer.discount", current.get(group.id, Discount), vals, values,
                       counts, label=values["group_id"])
        gone = Discount.browse([discount.id for category_id, discount in current.items()
                                if discount.source == "onec" and category_id not in listed])
        if gone:
            gone.unlink()
            counts["updated"] += len(gone)
        exchange_file._onec_skip(skipped)

    def _manager(self, values):
        login = values["manager"]
        users = self.env["res.users"].with_context(active_test=False).search(
            [("share", "=", False), "|", ("login", "=", login), ("email", "=ilike", login)], limit=2)
        users = users.filtered(lambda u: u.login == login) or users
        if len(users) != 1:
            raise cml.refuse(values, cml.MSG_UNKNOWN_MANAGER, "Менеджер", login)
        return users

    def _region(self, region):
        """The region named by 1C (by its 1C id, else by its name); created when new."""
        Region = self.env["b2b.region"].with_context(active_test=False)
        if not region["id"] and not region["name"]:
            return Region.browse()
        found = Region.browse()
        if region["id"]:
            found = Region.search([("b2b_onec_id", "=", region["id"])], limit=1)
        if not found and region["name"]:
            found = Region.search([("name", "=", region["name"])], limit=1)
            if found and region["id"] and found.b2b_onec_id:
                found = Region.browse()  # another region of 1C with the same name
        if not found:
            return Region.create({"name": region["name"] or region["id"],
                                  "b2b_onec_id": region["id"] or False})
        if region["id"] and not found.b2b_onec_id:
            found.b2b_onec_id = region["id"]
        return found

    def _save_contract(self, partner, values, counts):
        contract = self._by_onec_id("b2b.contract", [values["id"]]).get(values["id"])
        price_type = self._one("b2b.price.type", values["price_type_id"], values, "ИдТипаЦены",
                               cml.MSG_UNKNOWN_PRICE_TYPE)
        vals = {"name": values["number"], "date": fields.Date.to_string(values["date"]),
                "partner_id": partner.id,
                "price_type_id": price_type.id, "b2b_onec_id": values["id"]}
        if values["currency"]:
            vals["currency_id"] = self._currency(values).id
        for key in ("payment_days", "credit_limit"):
            if values[key] is not None:
                vals[key] = values[key]
        if values["special_conditions"] is not None:
            vals["special_conditions"] = bool(values["special_conditions"])
            vals["special_conditions_note"] = values["special_conditions"] or False
        if values["state"]:
            vals["state"] = values["state"]
        return self._save("b2b.contract", contract, vals, values, counts)

    def _currency(self, values):
        code = values["currency"].upper()
        Currency = self.env["res.currency"].with_context(active_test=False)
        currency = Currency.search([("name", "=", code)], limit=1)
        if not currency and code.isdigit() and "numeric_code" in Currency._fields:
            currency = Currency.search([("numeric_code", "=", code)], limit=1)
        if not currency and code in ("РУБ", "РУБ.", "643"):
            currency = Currency.search([("name", "=", "RUB")], limit=1)
        if not currency:
            raise cml.refuse(values, cml.MSG_UNKNOWN_CURRENCY, "Валюта", values["currency"])
        return currency

    # ------------------------------------------------------------------ settlement ledger
    @api.model
    def _read_settlements(self, exchange_file, path, info):
        counts = self._counts()
        batch = []
        for values in cml.read_settlements(path, exchange_file.name):
            batch.append(values)
            if len(batch) >= BATCH:
                self._post_settlements(exchange_file, batch, counts)
                batch = []
        if batch:
            self._post_settlements(exchange_file, batch, counts)
        return self._done(exchange_file, counts)

    def _post_settlements(self, exchange_file, batch, counts):
        contracts = self._by_onec_id("b2b.contract", [v["contract_ref"] for v in batch])
        vals_list = []
        for values in batch:
            if not values["posted"]:
                vals_list.append({"b2b_onec_id": values["id"], "posted": False})
                continue
            contract = contracts.get(values["contract_ref"])
            if not contract:
                raise cml.refuse(values, cml.MSG_UNKNOWN_CONTRACT, "ИдДоговора",
                                 values["contract_ref"])
            vals = {"b2b_onec_id": values["id"], "contract_id": contract.id,
                    "date": fields.Date.to_string(values["date"]), "kind": values["kind"],
                    "doc_number": values["number"] or False,
                    "b2b_onec_version": values["version"] or False,
                    "settles_onec_id": values["settles_id"] or False,
                    "debit": values["debit"], "credit": values["credit"],
                    "note": values["note"] or False}
            if values["due_date"]:
                vals["due_date"] = fields.Date.to_string(values["due_date"])
            vals_list.append(vals)
        try:
            result = self.env["b2b.settlement.line"].b2b_upsert(vals_list)
        except (ValidationError, UserError) as exc:
            raise ExchangeRefused(cml.MSG_BATCH_REFUSED, file=exchange_file.name,
                                  error=_problem_text(exc)) from None
        counts["created"] += len(result["created"])
        counts["updated"] += len(result["updated"]) + len(result["removed"])
        counts["unchanged"] += len(result["unchanged"])

    # ------------------------------------------------------------------ overdue summary
    @api.model
    def _read_overdue(self, exchange_file, path, info):
        counts = self._counts()
        batch = []
        for values in cml.read_overdue(path, exchange_file.name):
            batch.append(values)
            if len(batch) >= BATCH:
                self._post_overdue(exchange_file, batch, counts)
                batch = []
        if batch:
            self._post_overdue(exchange_file, batch, counts)
        return self._done(exchange_file, counts)

    def _post_overdue(self, exchange_file, batch, counts):
        contracts = self._by_onec_id("b2b.contract", [v["contract_ref"] for v in batch])
        vals_list = []
        for values in batch:
            contract = contracts.get(values["contract_ref"])
            if not contract:
                raise cml.refuse(values, cml.MSG_UNKNOWN_CONTRACT, "Ид", values["contract_ref"])
            vals = {"contract_id": contract.id, "date": fields.Date.to_string(values["date"]),
                    "balance": values["balance"], "overdue_days": values["overdue_days"]}
            for _element, name in cml.OVERDUE_BUCKETS:
                vals[name] = values[name]
            vals_list.append(vals)
        try:
            result = self.env["b2b.overdue.summary"].b2b_upsert_summary(vals_list)
        except (ValidationError, UserError) as exc:
            raise ExchangeRefused(cml.MSG_BATCH_REFUSED, file=exchange_file.name,
                                  error=_problem_text(exc)) from None
        for key in ("created", "updated", "unchanged"):
            counts[key] += len(result[key])

    # ------------------------------------------------------------------ features not installed
    @api.model
    def _refuse_without_feature(self, exchange_file, path, info):
        """A bonus, plan or consignment package when its feature (and so its reader) is not
        installed: refused, naming the addon to install."""
        raise cml.without_feature(path, exchange_file.name, info.sections)

    # ------------------------------------------------------------------ printed forms
    @api.model
    def _read_printed_forms(self, exchange_file, path, info):
        counts = self._counts()
        Document = self.env["b2b.document"]
        for values in cml.read_printed_forms(path, exchange_file.name):
            content = self._form_bytes(exchange_file, values)
            links = self._form_links(values)
            request = links.pop("request", None)
            before = Document.search([("b2b_onec_id", "=", values["id"])], limit=1)
            try:
                if request and values["kind"] == "act":
                    unchanged = (before and before.request_id == request
                                 and request.state == "done"
                                 and (before.number or False) == (values["number"] or False)
                                 and before.attachment_id.checksum == hashlib.sha1(content).hexdigest())
                    request.b2b_receive_act(content, number=values["number"] or None,
                                            b2b_onec_id=values["id"])
                    changed = not unchanged
                else:
                    vals = dict(links, b2b_onec_id=values["id"], kind=values["kind"],
                                date=fields.Date.to_string(values["date"]),
                                number=values["number"] or False,
                                name=values["title"] or self._form_name(values))
                    if request:
                        vals["request_id"] = request.id
                    _document, changed = Document._b2b_upsert(vals, content,
                                                               posixpath.basename(values["path"]))
            except (ValidationError, UserError, IntegrityError) as exc:
                raise cml.refuse(values, cml.MSG_RECORD_REFUSED, "", values["id"],
                                 error=_problem_text(exc)) from None
            counts["created" if not before else "updated" if changed else "unchanged"] += 1
        return self._done(exchange_file, counts)

    @staticmethod
    def _form_name(values):
        """The document's name when 1C sends none, in Russian as the forms are: «УПД № 17 от
        20.11.2026»."""
        name = cml.DOCUMENT_TITLES[values["kind"]]
        if values["number"]:
            name += " № %s" % values["number"]
        return name + " от %s" % values["date"].strftime("%d.%m.%Y")

    def _form_bytes(self, exchange_file, values):
        """The bytes of the file a printed form names: a file of the same archive (or upload)."""
        File = self.env["b2b.onec.exchange.file"]
        domain = [("session_id", "=", exchange_file.session_id.id), ("name", "=", values["path"]),
                  ("state", "!=", "failed")]
        found = File.search(domain + [("parent_id", "=", exchange_file.parent_id.id)], limit=1) \
            or File.search(domain, order="id desc", limit=1)
        try:
            if not found:
                raise FileNotFoundError(values["path"])
            with open(found._full_path(), "rb") as fh:
                content = fh.read()
        except OSError:
            raise cml.refuse(values, cml.MSG_FILE_MISSING, "Файл", values["file"]) from None
        if not content.lstrip()[:5] == b"%PDF-":
            raise cml.refuse(values, cml.MSG_NOT_PDF, "Файл", values["file"])
        return content

    def _form_links(self, values):
        links = {}
        if values["partner_ref"]:
            links["partner_id"] = self._one("res.partner", values["partner_ref"], values,
                                            "ИдКонтрагента", cml.MSG_UNKNOWN_COUNTERPARTY).id
        if values["contract_ref"]:
            links["contract_id"] = self._one("b2b.contract", values["contract_ref"], values,
                                             "ИдДоговора", cml.MSG_UNKNOWN_CONTRACT).id
        if values["order_ref"]:
            Order = self.env["sale.order"]
            ref = values["order_ref"]
            # the order's 1C id, else its portal number or the number 1C gave it
            order = Order.search([("b2b_onec_guid", "=", ref)], limit=1) or Order.search(
                ["|", ("name", "=", ref), ("b2b_onec_number", "=", ref)], limit=1)
            if not order:
                raise cml.refuse(values, cml.MSG_UNKNOWN_ORDER, "ИдЗаказа", ref)
            links["order_id"] = order.id
        if values["request_ref"]:
            ref = values["request_ref"]
            Request = self.env["b2b.reconciliation.request"]
            request = Request.search([("b2b_onec_id", "=", ref)], limit=1) \
                or Request.search([("name", "=", ref)], limit=1)
            if not request:
                raise cml.refuse(values, cml.MSG_UNKNOWN_REQUEST, "ИдЗапросаАкта", ref)
            links["request"] = request
        return links
