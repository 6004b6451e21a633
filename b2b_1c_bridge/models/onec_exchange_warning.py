"""A record of an exchange file that the readers skipped, and why: file, line, element, reason."""
import csv
import io
import json

from odoo import api, fields, models

from odoo.addons.b2b_base.tools.bulk import insert_rows

# warnings kept per file; a file with more skipped records only counts the rest
MAX_PER_FILE = 10000


class OnecExchangeWarning(models.Model):
    """One skipped record of an exchange file: where it is and why it could not be used.

    The readers import what is usable and skip the rest (``b2b.onec.exchange.file._onec_skip``);
    each skipped record leaves one warning, in English and in Russian, listed on the exchange
    session and downloadable as a CSV file.
    """

    _name = "b2b.onec.exchange.warning"
    _description = "Skipped record of a 1C exchange file"
    _order = "session_id desc, file_id, line, id"

    file_id = fields.Many2one("b2b.onec.exchange.file", required=True,
                              readonly=True, ondelete="cascade", index=True)
    session_id = fields.Many2one("b2b.onec.exchange.session", readonly=True,
                                 ondelete="cascade", index=True)
    file_name = fields.Char(related="file_id.name", string="File name", readonly=True)
    line = fields.Integer(readonly=True, help="Line of the file where the record is.")
    element = fields.Char(readonly=True, help="The element of the record that could not be used.")
    message = fields.Text(string="Reason", readonly=True)
    message_ru = fields.Text(string="Reason (Russian)", readonly=True)
    template = fields.Text(readonly=True, help="Technical: the message before its values.")
    params = fields.Text(readonly=True, help="Technical: the values of the message (JSON).")

    @api.model
    def _onec_store(self, exchange_file, problems):
        """Store ``problems`` (located refusals) as warnings of ``exchange_file``, in one query;
        returns how many were stored (at most MAX_PER_FILE per file)."""
        if not problems:
            return 0
        cr = self.env.cr
        cr.execute("SELECT count(*) FROM b2b_onec_exchange_warning WHERE file_id = %s",
                   (exchange_file.id,))
        room = MAX_PER_FILE - cr.fetchone()[0]
        problems = problems[:max(room, 0)]
        if not problems:
            return 0
        Session = self.env["b2b.onec.exchange.session"]
        russian = {}

        def translate(text):
            if text not in russian:
                russian[text] = Session._translate(text, "ru_RU")
            return russian[text]

        rows = []
        for problem in problems:
            english = problem.render()
            try:
                in_russian = problem.render(translate)
            except (KeyError, TypeError, ValueError):
                in_russian = english
            params = problem.params
            rows.append({"file_id": exchange_file.id,
                         "session_id": exchange_file.session_id.id or False,
                         "line": int(params.get("line") or 0),
                         "element": params.get("field") or False, "message": english,
                         "message_ru": in_russian, "template": problem.template,
                         "params": json.dumps(params, default=str, ensure_ascii=False)})
        insert_rows(self, rows)
        return len(rows)

    @api.model
    def _onec_csv(self, warnings):
        """The warnings as a CSV text (file, line, element, reason in English and Russian)."""
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";")
        writer.writerow(["file", "line", "element", "reason", "причина"])
        for warning in warnings:
            writer.writerow([warning.file_id.name, warning.line or "", warning.element or "",
                             warning.message or "", warning.message_ru or ""])
        return out.getvalue()
