from odoo import api, models, tools


class ResLang(models.Model):
    _inherit = "res.lang"

    @api.model
    @tools.ormcache("code")
    def _b2b_number_format(self, code):
        """(thousands separator, decimal point) of language ``code``, kept in the ormcache (Odoo
        clears it when a language changes): the portal's catalog formats its prices with them on
        every page, the suite's notices their amounts. An unknown code gives the Russian way (space, comma)."""
        lang = self.sudo()._lang_get(code)
        if not lang:
            return " ", ","
        return lang.thousands_sep or "", lang.decimal_point or "."
