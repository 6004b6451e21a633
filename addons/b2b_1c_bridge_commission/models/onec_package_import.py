import re

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.b2b_1c_bridge.lib import cml_packages as cml

from .commission_report import DECIDED_BY_CONTEXT

REPORT_REF = re.compile(r"b2b\.commission\.report/(\d{1,9})")


class OnecPackageImport(models.AbstractModel):
    """The readers of b2b_commission's packages from 1C (doc/exchange_contract.rst of
    b2b_1c_bridge): the consignment lists (the goods each commission contract holds, with their
    quantities handed over, sold and returned when 1C sends them), 1C's decisions on the
    reports, and the printed forms that close a report. Called like the bridge's own readers,
    inside the savepoint of their file."""

    _inherit = "b2b.onec.package.import"

    # ------------------------------------------------------------------ consignment lists
    @api.model
    def _read_consignment(self, exchange_file, path, info):
        counts = self._counts()
        Line = self.env["b2b.consignment.line"]
        digits = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        for values in cml.read_consignment(path, exchange_file.name, digits=digits):
            contract = self._one("b2b.contract", values["contract_ref"], values, "ИдДоговора",
                                 cml.MSG_UNKNOWN_CONTRACT)
            products = self._by_onec_id("product.template", [g["product_ref"] for g in values["goods"]])
            existing = {line.product_id.id: line
                        for line in Line.search([("contract_id", "=", contract.id)])}
            kept = set()
            for good in values["goods"]:
                template = products.get(good["product_ref"])
                if not template:
                    raise cml.refuse(good, cml.MSG_UNKNOWN_PRODUCT, "Ид", good["product_ref"])
                product = template.product_variant_id
                kept.add(product.id)
                vals = {"contract_id": contract.id, "product_id": product.id,
                        "qty": good["qty"], "price_unit": good["price"],
                        "date": fields.Date.to_string(values["date"])}
                # the movement figures 1C did not send keep their stored value
                for _element, key in cml.CONSIGNMENT_MOVES:
                    if good[key] is not None:
                        vals[key] = good[key]
                self._save("b2b.consignment.line", existing.get(product.id), vals,
                           good, counts, label=good["product_ref"])
            gone = Line.browse([line.id for pid, line in existing.items() if pid not in kept])
            if gone:
                counts["updated"] += len(gone)
                gone.unlink()
        return self._done(exchange_file, counts)


    # ------------------------------------------------------------------ commission reports
    def _commission_report(self, values, element, ref):
        """The report ``ref`` names: the report's id as the portal sent it
        (``b2b.commission.report/<id>``), else 1C's document of it; refused at ``element``."""
        Report = self.env["b2b.commission.report"]
        match = REPORT_REF.fullmatch(ref or "")
        report = Report.browse(int(match.group(1))).exists() if match else \
            Report.search([("b2b_onec_id", "=", ref)], limit=1)
        if not report:
            raise cml.refuse(values, cml.MSG_UNKNOWN_REPORT, element, ref)
        return report

    @api.model
    def _read_commission_decisions(self, exchange_file, path, info):
        """1C approves or rejects the submitted reports; the agent hears of it from the report
        (b2b_commission). The decision is stamped with the exchange's user."""
        counts = self._counts()
        decided_by = exchange_file.session_id.user_id.id or self.env.uid
        for values in cml.read_commission_decisions(path, exchange_file.name):
            element = "ИдОтчета" if values["report_ref"] else "ИдДокумента"
            ref = values["report_ref"] or values["document_ref"]
            report = self._commission_report(values, element, ref)
            if report.b2b_onec_decision == values["stamp"]:
                counts["unchanged"] += 1
                continue
            own = {"b2b_onec_decision": values["stamp"]}
            if values["document_ref"]:
                own["b2b_onec_id"] = values["document_ref"]
            if report.state != values["state"]:
                if report.state != "submitted":
                    raise cml.refuse(values, cml.MSG_REPORT_NOT_SUBMITTED, element, ref)
                deciding = report.with_context(**{DECIDED_BY_CONTEXT: decided_by})
                try:
                    if values["state"] == "approved":
                        deciding.action_approve()
                    else:
                        deciding.action_reject(values["reason"])
                except (AccessError, UserError, ValidationError) as exc:
                    raise cml.refuse(values, cml.MSG_RECORD_REFUSED, "", ref,
                                     error=" ".join(str(exc.name).split())) from None
            # else an accountant made the same decision in the backend: 1C's is noted
            report.write(own)
            counts["updated"] += 1
        return self._done(exchange_file, counts)

    @api.model
    def _read_printed_forms(self, exchange_file, path, info):
        """The bridge's printed forms; those naming a commission report
        (``ИдОтчетаКомиссионера``) are its closing documents: linked to the approved report, the
        agent told once."""
        closing = {}
        for values in cml.read_printed_form_reports(path, exchange_file.name):
            report = self._commission_report(values, "ИдОтчетаКомиссионера", values["report_ref"])
            if report.state != "approved":
                raise cml.refuse(values, cml.MSG_REPORT_NOT_APPROVED, "ИдОтчетаКомиссионера",
                                 values["report_ref"])
            closing[values["id"]] = report
        result = super(OnecPackageImport, self)._read_printed_forms(exchange_file, path, info)
        arrived = {}
        Document = self.env["b2b.document"]
        for form_id, report in closing.items():
            document = Document.search([("b2b_onec_id", "=", form_id)], limit=1)
            if document and document.commission_report_id != report:
                arrived.setdefault(report, Document)
                arrived[report] |= document
        for report, documents in arrived.items():
            report.b2b_documents_arrived(documents)
        return result
