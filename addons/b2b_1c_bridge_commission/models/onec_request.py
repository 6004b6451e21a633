from odoo import models


class OnecRequest(models.Model):
    """1C's web service answers a commission report with the id of the document it made: kept on
    the report (1C's decision may name the report by it)."""

    _inherit = "b2b.onec.request"

    def _b2b_handle_answer(self, answer):
        result = super(OnecRequest, self)._b2b_handle_answer(answer)
        record = self._b2b_record()
        if self.kind == "commission_report" and record is not None \
                and record._name == "b2b.commission.report" and answer.get("document_id"):
            record.write({"b2b_onec_id": answer["document_id"]})
        return result
