from odoo.exceptions import AccessError

from ..tools.bulk import bulk_create
from .common import DealerCase

# columns that differ between two records whatever way they were made
IDENTITY = {"id", "order_id", "create_date", "write_date", "create_uid", "write_uid", "__last_update"}


class TestBulkCreate(DealerCase):
    """Order lines created in one pass hold exactly what Odoo's own create gives them."""

    def _order(self):
        return self.env["sale.order"].create({
            "partner_id": self.c_alfa.partner_id.id, "b2b_contract_id": self.c_alfa.id})

    def _values(self, order, products):
        taxes = self.env["account.tax"].search([("type_tax_use", "=", "sale"), ("amount", ">", 0)], limit=1)
        return [{
            "order_id": order.id, "sequence": number, "product_id": product.id,
            "product_uom_qty": number + 1.5, "product_uom": product.uom_id.id,
            "price_unit": 100.0 + number, "name": product.name,
            "tax_id": [(6, 0, taxes.ids if number % 2 else [])],
        } for number, product in enumerate(products, start=1)]

    def _stored(self, lines):
        names = [name for name, field in lines._fields.items()
                 if field.store and name not in IDENTITY]
        return [{name: line[name] for name in names} for line in lines.sorted("sequence")]

    def test_same_as_create(self):
        products = self.env["product.product"].search([("default_code", "like", "MIX-%")], limit=5)
        by_create, by_bulk = self._order(), self._order()
        Line = self.env["sale.order.line"]
        for vals in self._values(by_create, products):
            Line.create(vals)
        lines = bulk_create(Line, self._values(by_bulk, products))
        self.assertEqual(len(lines), 5)
        self.env.cache.invalidate()
        self.assertEqual(self._stored(by_bulk.order_line), self._stored(by_create.order_line))
        for name in ("amount_untaxed", "amount_tax", "amount_total", "invoice_status"):
            self.assertEqual(by_bulk[name], by_create[name], name)
        self.assertGreater(by_bulk.amount_tax, 0)

    def test_access_rights_checked(self):
        order = self._order()
        with self.assertRaises(AccessError):
            bulk_create(self.env["sale.order.line"].sudo(self.u_alfa_buyer),
                        self._values(order, self.mixer))

    def test_translated_or_computed_values_refused(self):
        order = self._order()
        values = self._values(order, self.mixer)
        values[0]["price_subtotal"] = 1.0
        with self.assertRaises(ValueError):
            bulk_create(self.env["sale.order.line"], values)

    def test_dealer_lines_same_as_onchange_and_create(self):
        """A dealer order's lines added in one pass (descriptions read in one go, the quotation's
        known values stored without their compute methods) hold what a salesman's lines made
        through the product onchange and Odoo's create hold, in the dealer's language."""
        products = self.env["product.product"].search([("default_code", "like", "SNK-%")], limit=4)
        products[0].description_sale = "Гарантия 5 лет"
        self.c_alfa.partner_id.lang = "ru_RU"
        by_create, by_dealer = self._order(), self._order()
        Line = self.env["sale.order.line"]
        lines = [(product.id, 2.0 + number, 150.0 + number)
                 for number, product in enumerate(products)]
        for number, (product_id, qty, price) in enumerate(lines, start=1):
            line = Line.new({"order_id": by_create.id, "product_id": product_id,
                             "product_uom_qty": qty})
            line.product_id_change()
            values = line._convert_to_write(line._cache)
            values.update(sequence=number, price_unit=price, product_uom_qty=qty)
            Line.create(values)
        by_dealer._b2b_add_lines(lines)
        self.env.cache.invalidate()
        self.assertEqual(self._stored(by_dealer.order_line), self._stored(by_create.order_line))
        self.assertIn("Гарантия 5 лет", by_dealer.order_line[0].name)
        self.assertTrue(by_dealer.order_line[0].name.startswith("[%s] " % products[0].default_code))
        self.assertEqual(by_dealer.amount_total, by_create.amount_total)
        self.assertEqual(set(by_dealer.order_line.mapped("invoice_status")), {"no"})
