from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..lib import pricing
from ..tools.bulk import bulk_create
from ..tools.rule_messages import translate

ORDER_ORIGINS = [
    ("portal", "Dealer portal"),
    ("1c", "1C"),
    ("backend", "Backend"),
]


class SaleOrder(models.Model):
    """Dealer orders: placed under a contract, priced by the contract's price type."""
    _inherit = "sale.order"

    b2b_contract_id = fields.Many2one(
        "b2b.contract", "Contract", index=True, ondelete="restrict",
        readonly=True, states={"draft": [("readonly", False)], "sent": [("readonly", False)]},
        track_visibility="onchange")
    b2b_author_id = fields.Many2one("res.users", "Placed by", index=True, copy=False,
                                    default=lambda self: self.env.uid, readonly=True)
    b2b_origin = fields.Selection(ORDER_ORIGINS, "Placed via", default="backend", required=True,
                                  copy=False, readonly=True)
    b2b_is_dealer_order = fields.Boolean(compute="_compute_b2b_is_dealer_order", store=True)

    @api.depends("partner_id.b2b_dealer_id")
    def _compute_b2b_is_dealer_order(self):
        for order in self:
            order.b2b_is_dealer_order = bool(order.partner_id.b2b_dealer_id)

    @api.constrains("b2b_contract_id", "partner_id")
    def _check_b2b_contract(self):
        for order in self:
            contract = order.b2b_contract_id
            if order.b2b_is_dealer_order and not contract:
                raise ValidationError(_("Order %s: a dealer's order needs a contract.") % order.name)
            if contract and contract.partner_id != order.partner_id.commercial_partner_id:
                raise ValidationError(_(
                    "Order %(order)s: contract %(contract)s belongs to %(party)s, not to the "
                    "customer %(customer)s.")
                    % {"order": order.name, "contract": contract.name,
                       "party": contract.partner_id.name,
                       "customer": order.partner_id.commercial_partner_id.name})

    @api.onchange("partner_id")
    def _onchange_partner_b2b_contract(self):
        if not self.partner_id.b2b_dealer_id:
            self.b2b_contract_id = False
            return
        entity = self.partner_id.commercial_partner_id
        if self.b2b_contract_id.partner_id != entity:
            contracts = entity.b2b_contract_ids.filtered(lambda c: c.state == "active")
            self.b2b_contract_id = contracts[:1]

    @api.onchange("b2b_contract_id")
    def _onchange_b2b_contract_prices(self):
        for line in self.order_line.filtered("product_id"):
            line.price_unit = line._get_display_price(line.product_id)

    # ------------------------------------------------------------------ dealer API
    @api.model
    def _b2b_order_request(self, contract_id, lines):
        """(contract, [(product_id, qty), ...]) of a dealer's order request: the contract must be
        one the current user acts for and active, and every line a product and a quantity;
        otherwise the request is refused with the reason (a line by its number)."""
        contract = self.env["b2b.contract"].sudo().browse(contract_id).exists()
        if not contract or contract not in self.env.user.b2b_allowed_contract_ids:
            raise AccessError(_("You cannot place orders under this contract."))
        if contract.state != "active":
            raise UserError(_("Contract %s is closed: no new orders can be placed under it.")
                            % contract.name)
        if not lines:
            raise UserError(_("The order has no lines."))
        clean = []
        for number, line in enumerate(lines, start=1):
            try:
                product_id, qty = int(line[0]), float(line[1])
            except (TypeError, ValueError, IndexError):
                raise UserError(_("Line %d: expected a product and a quantity.") % number)
            clean.append((product_id, qty))
        return contract, clean

    @api.model
    def b2b_place_order(self, contract_id, lines, note=None, client_order_ref=None):
        """Place a dealer's order under ``contract_id`` for the current user.

        ``lines``: [(product_id, qty), ...]. The contract must be one the user acts for and active;
        every line is checked (visibility, region, price, quantity rules) and priced from the
        contract's price type. Returns the new order's id; on any problem nothing is created and
        the error names each line at fault."""
        user = self.env.user
        contract, clean = self._b2b_order_request(contract_id, lines)
        offers = contract._b2b_offers([p for p, _q in clean])
        problems = pricing.validate_lines(offers, clean)
        if problems:
            raise UserError("\n".join(self._b2b_problem_text(p) for p in problems))
        order = self.sudo().create({
            "partner_id": contract.partner_id.id,
            "b2b_contract_id": contract.id,
            "b2b_author_id": user.id,
            "b2b_origin": "portal",
            "user_id": contract.dealer_id.b2b_manager_id.id or False,
            "note": note or "",
            "client_order_ref": client_order_ref or False,
        })
        order._b2b_add_lines([(product_id, qty, offers[product_id].price) for product_id, qty in clean])
        return order.id

    def _b2b_add_lines(self, lines):
        """Add [(product_id, qty, unit price), ...] to this draft order in one pass.

        Each line gets its description, unit and taxes here, as the product's onchange would, and
        all lines are created together (``bulk.bulk_create``): creating them one by one costs more
        with every line (a minute for 1,000 lines). The line model's ``create`` overrides act only
        on confirmed orders, which is why this path is for draft orders."""
        self.ensure_one()
        order = self.sudo()
        if order.state not in ("draft", "sent"):
            raise UserError(_("Lines are added in one pass only to quotations, not to order %s.")
                            % order.name)
        partner = order.partner_id
        products = self.env["product.product"].sudo().with_context(lang=partner.lang).browse(
            list({product_id for product_id, _qty, _price in lines}))
        fpos = order.fiscal_position_id or partner.property_account_position_id
        # one read of what the lines need (touching product fields one by one would load every
        # field of every product)
        rows = {row["id"]: row for row in products.read(
            ["default_code", "name", "description_sale", "attribute_value_ids", "uom_id", "taxes_id",
             "b2b_vat_rate"])}
        names = self._b2b_product_descriptions(products, rows)
        Tax = self.env["account.tax"].sudo()
        company_taxes = {tax.id for tax in Tax.browse(
            list({tax_id for row in rows.values() for tax_id in row["taxes_id"]}))
            if tax.company_id == order.company_id}
        vat_taxes = self._b2b_vat_taxes(rows.values())
        described = {}
        for product in products:
            row = rows[product.id]
            if vat_taxes is not None:
                taxes = vat_taxes[row["b2b_vat_rate"]]
            else:
                taxes = Tax.browse([tax_id for tax_id in row["taxes_id"] if tax_id in company_taxes])
            if fpos:
                taxes = fpos.map_tax(taxes, product, order.partner_shipping_id)
            described[product.id] = (names[product.id], row["uom_id"][0], taxes.ids)
        # what a new line's stored computed fields hold while its order is a quotation: the
        # order's own values, nothing invoiced, nothing to invoice (Odoo's compute methods give
        # exactly these for a line without invoice lines; tests compare with Odoo's own create)
        known = {
            "state": order.state, "company_id": order.company_id.id,
            "salesman_id": order.user_id.id, "currency_id": order.currency_id.id,
            "order_partner_id": order.partner_id.id,
            "qty_invoiced": 0.0, "qty_to_invoice": 0.0, "invoice_status": "no",
            "amt_invoiced": 0.0, "amt_to_invoice": 0.0,
        }
        start = max(order.order_line.mapped("sequence") or [0])
        values = []
        for sequence, (product_id, qty, price) in enumerate(lines, start=start + 1):
            name, uom_id, tax_ids = described[product_id]
            values.append({
                "order_id": order.id,
                "sequence": sequence,
                "product_id": product_id,
                "product_uom_qty": qty,
                "product_uom": uom_id,
                "price_unit": price,
                "name": name,
                "tax_id": [(6, 0, tax_ids)],
            })
        line_model = self.env["sale.order.line"].sudo()
        return bulk_create(line_model, values,
                           known={name: value for name, value in known.items()
                                  if name in line_model._fields})

    def _b2b_vat_taxes(self, rows):
        """{VAT rate: account.tax} of the products' ``rows`` (read with ``b2b_vat_rate``) for a
        dealer's order: VAT at each product's rate, included in the price or on top as the
        contract's price type has it (lib/vat); None for an order without a contract (the
        products' own taxes then)."""
        self.ensure_one()
        contract = self.sudo().b2b_contract_id
        if not contract:
            return None
        return self.env["account.tax"]._b2b_vat_taxes(
            self.company_id, [row["b2b_vat_rate"] for row in rows],
            contract.price_type_id.vat_included)

    @api.model
    def _b2b_product_descriptions(self, products, rows):
        """{product id: the order line description Odoo's product onchange gives it}: the
        product's display name ("[SKU] Name", in the products' context language) and its sales
        description on a second line, from ``rows`` ({id: read() of default_code, name,
        description_sale, attribute_value_ids}); variants with attributes take Odoo's own
        name_get."""
        descriptions, variants = {}, products.browse()
        for row in rows.values():
            if row["attribute_value_ids"]:
                variants |= products.browse(row["id"])
                continue
            name = row["name"] or ""
            if row["default_code"] and self._context.get("display_default_code", True):
                name = "[%s] %s" % (row["default_code"], name)
            descriptions[row["id"]] = (name, row["description_sale"])
        for product in variants:
            descriptions[product.id] = (product.name_get()[0][1], product.description_sale)
        return {product_id: name + ("\n" + description if description else "")
                for product_id, (name, description) in descriptions.items()}

    @api.model
    def _b2b_problem_text(self, problem):
        reason = translate(self.env, pricing.REASONS[problem.code]) % problem.params
        if problem.sku:
            return _("Line %(line)d, SKU %(sku)s: %(reason)s") % {
                "line": problem.line, "sku": problem.sku, "reason": reason}
        return _("Line %(line)d: %(reason)s") % {"line": problem.line, "reason": reason}
