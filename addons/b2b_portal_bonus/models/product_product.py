from odoo import api, models

from odoo.addons.b2b_base.lib import numbers


class ProductProduct(models.Model):
    _inherit = "product.product"

    @api.model
    def _b2b_bonus_points(self, product_ids):
        """{product id: bonus price in points} of those of ``product_ids`` sold only for bonus
        points (one query)."""
        if not product_ids:
            return {}
        self.env.cr.execute("""
            SELECT p.id, t.b2b_bonus_price::float8
              FROM product_product p JOIN product_template t ON t.id = p.product_tmpl_id
             WHERE p.id = ANY(%s) AND t.b2b_bonus_only""", (list(product_ids),))
        return dict(self.env.cr.fetchall())

    @api.model
    def _b2b_points_text(self, points):
        """A number of points as a page shows it, in the user's language and its grammar:
        '2 500 баллов', '1 point'."""
        lang = self.env.lang or "en_US"
        sep, point = self.env["res.lang"]._b2b_number_format(lang)
        return numbers.format_count(points or 0.0, "points", lang, sep, point)
