from odoo import api, models


class IrUiView(models.Model):
    _inherit = "ir.ui.view"

    @api.model
    def _prepare_qcontext(self):
        """Odoo's rendering values name the page's template by its key (``xmlid``): read the key
        alone. Through the field, every page of the portal read every field of its template,
        the whole arch and its translation included, as the visitor."""
        if len(self) == 1 and isinstance(self.id, int):
            self.read(["key"])
        return super(IrUiView, self)._prepare_qcontext()
