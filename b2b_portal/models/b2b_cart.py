from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.b2b_base.tools import business_date
from odoo.addons.b2b_base.lib import pricing, vat
from odoo.addons.b2b_base.tools.rule_messages import render, translate

from ..lib import cart as rules
from ..lib import sku_list


class B2bCart(models.Model):
    """The cart of one dealer user under one contract.

    The portal's pages and JSON routes call the ``b2b_*`` methods as the dealer's user: each takes
    plain ids and does its work in a fixed number of queries whatever the size of the cart, so a
    cart of a thousand lines is set, priced and checked out in one call each."""
    _name = "b2b.cart"
    # the dealer API: what a dealer's user may call through Odoo's RPC (b2b_base lib/rpc_policy.py)
    _b2b_dealer_rpc = ("b2b_get_cart", "b2b_set_lines", "b2b_set_details", "b2b_cart_summary",
                       "b2b_checkout", "b2b_quick_add", "b2b_add_sku_list")
    _inherit = ["b2b.portal.owned"]
    _description = "Dealer Cart"
    _order = "id desc"
    _b2b_owner_fields = ("user_id", "contract_id")

    user_id = fields.Many2one("res.users", required=True, index=True, ondelete="cascade",
                              default=lambda self: self.env.uid, readonly=True)
    contract_id = fields.Many2one("b2b.contract", required=True, index=True,
                                  ondelete="cascade", readonly=True)
    dealer_id = fields.Many2one(related="contract_id.dealer_id", readonly=True, string="Dealer")
    line_ids = fields.One2many("b2b.cart.line", "cart_id", "Lines")
    line_count = fields.Integer("Lines", compute="_compute_line_count")
    comment = fields.Text(help="The dealer's comment, passed on to the order.")
    desired_date = fields.Date("Desired Delivery Date")

    _sql_constraints = [
        ("user_contract_unique", "unique(user_id, contract_id)",
         "A user has one cart per contract."),
    ]

    @api.depends("line_ids")
    def _compute_line_count(self):
        for cart in self:
            cart.line_count = len(cart.line_ids)

    @api.multi
    def name_get(self):
        return [(cart.id, "%s / %s" % (cart.user_id.name, cart.contract_id.display_name))
                for cart in self]

    @api.model
    def _b2b_not_yours(self):
        return _("The cart does not exist or is not yours.")

    # ------------------------------------------------------------------ checks
    @api.model
    def _b2b_contract_for_user(self, contract_id):
        """The contract ``contract_id`` if the current user acts for it (AccessError otherwise)."""
        try:
            contract = self.env["b2b.contract"].sudo().browse(int(contract_id)).exists()
        except (TypeError, ValueError):
            contract = self.env["b2b.contract"]
        if not contract or contract not in self.env.user.b2b_allowed_contract_ids:
            raise AccessError(_("You cannot order under this contract."))
        return contract

    @api.model
    def _b2b_check_open(self, contract):
        if contract.state != "active":
            raise UserError(_("Contract %s is closed: no new orders can be placed under it.")
                            % contract.name)

    # reasons (b2b_base's pricing) that keep a product out of the cart altogether
    _B2B_UNAVAILABLE = ("not_available", "forbidden_region", "no_price")

    @api.model
    def _b2b_raise(self, problems):
        raise UserError(render(self.env, problems))

    # ------------------------------------------------------------------ dealer API
    @api.model
    def b2b_get_cart(self, contract_id):
        """The id of the current user's cart under ``contract_id``, created when missing.

        The contract must be one the user acts for (AccessError); a new cart is not opened under
        a closed contract, but an existing one can still be looked at and saved."""
        contract = self._b2b_contract_for_user(contract_id)
        cart = self.sudo().search([("user_id", "=", self.env.uid),
                                   ("contract_id", "=", contract.id)], limit=1)
        if not cart:
            self._b2b_check_open(contract)
            cart = self.create({"user_id": self.env.uid, "contract_id": contract.id})
        return cart.id

    @api.model
    def b2b_set_lines(self, cart_id, lines, replace=False):
        """Set the quantities of ``lines`` ([(product_id, qty), ...]) in one call.

        A quantity of 0 removes the line; other lines of the cart stay unless ``replace``, when the
        cart holds exactly ``lines``. Every product given a quantity must be one the user may buy
        under the cart's contract. On any problem nothing changes and the message names each entry
        at fault. Returns the cart's summary (see ``b2b_cart_summary``)."""
        cart = self._b2b_own(cart_id)
        self._b2b_check_open(cart.contract_id)
        entries, problems = rules.parse_entries(lines)
        messages = [(problem.line, render(self.env, [problem])) for problem in problems]
        # a product goes into the cart only if it can be bought under the contract; quantity
        # rules (minimum, multiple) are shown on the cart's lines and enforced at checkout
        wanted = [entry for entry in entries if entry.qty]
        offers = cart.contract_id._b2b_offers([entry.product_id for entry in wanted])
        Order = self.env["sale.order"]
        for problem in pricing.validate_lines(offers, [(e.product_id, e.qty) for e in wanted]):
            if problem.code in self._B2B_UNAVAILABLE:
                line = wanted[problem.line - 1].line
                messages.append((line, Order._b2b_problem_text(problem._replace(line=line))))
        if messages:
            raise UserError("\n".join(text for _line, text in sorted(messages)))
        cart._b2b_apply(rules.plan_set(cart._b2b_quantities(), entries, replace=replace))
        return self.b2b_cart_summary(cart.id)

    @api.model
    def b2b_set_details(self, cart_id, comment=None, desired_date=None):
        """Set the cart's comment and desired delivery date (``YYYY-MM-DD``; empty clears it)."""
        cart = self._b2b_own(cart_id)
        date, problems = rules.parse_desired_date(desired_date,
                                                  business_date.today(self.env))
        if problems:
            self._b2b_raise(problems)
        cart.write({"comment": comment or False, "desired_date": date and fields.Date.to_string(date)})
        return True

    @api.model
    def b2b_cart_summary(self, cart_id):
        """The cart as a page shows it: every line with its price and RRP under the cart's contract,
        availability and lead time, quantity rules and, for a line that cannot be ordered as it
        is, the reason; and the totals. Products priced with one query for the whole cart; a line
        whose product is no longer available to the user stays, marked as such."""
        cart = self._b2b_own(cart_id, "read")
        contract = cart.contract_id.sudo()
        lines = cart.line_ids.sudo()
        product_ids = lines.mapped("product_id").ids
        offers = contract._b2b_offers(product_ids)
        problems = {problem.line: problem for problem in pricing.validate_lines(
            offers, [(line.product_id.id, line.qty) for line in lines])}
        products = {row["id"]: row for row in self.env["product.product"].sudo().browse(
            product_ids).read(["name", "default_code", "uom_id"])}
        Order = self.env["sale.order"]
        vat_included = contract.price_type_id.vat_included
        rows, amounts, vat_lines = [], [], []
        for number, line in enumerate(lines, start=1):
            pid = line.product_id.id
            offer = offers.get(pid)
            problem = problems.get(number)
            price = offer.price if offer else None
            rrp = offer.rrp if offer else None
            offered = pricing.offered(offer)
            amounts.append((line.qty, price, rrp))
            vat_lines.append(vat.line(line.qty, price, offer.vat_rate, vat_included)
                             if offer else None)
            rows.append({
                "id": line.id,
                "product_id": pid,
                "sku": products[pid]["default_code"] or "",
                "name": products[pid]["name"],
                "unit": products[pid]["uom_id"] and products[pid]["uom_id"][1],
                "qty": line.qty,
                "price": price,
                "rrp": rrp,
                "amount": rules.line_amount(line.qty, price),
                # a product still offered whose price (or RRP) went away: "price on request"
                "price_on_request": offered and pricing.on_request(price),
                "rrp_on_request": offered and pricing.on_request(rrp),
                "available": offer is not None,
                "availability": offer.availability if offer else None,
                "lead_days": offer.lead_days if offer else None,
                "min_qty": offer.min_qty if offer else None,
                "multiple": offer.multiple if offer else None,
                "problem": problem.code if problem else None,
                "message": Order._b2b_problem_text(problem) if problem else None,
            })
        total = rules.totals(amounts)._asdict()
        # without VAT, the VAT and the total to pay, as the order's taxes will have them
        total.update(vat.totals(vat_lines)._asdict(), vat_included=vat_included)
        return {
            "id": cart.id,
            "contract_id": contract.id,
            "contract": contract.display_name,
            "contract_open": contract.state == "active",
            "currency": contract.currency_id.name,
            "comment": cart.comment or "",
            "desired_date": cart.desired_date or False,
            "lines": rows,
            "totals": total,
            "problem_count": len(problems),
            "can_checkout": bool(rows) and not problems and contract.state == "active",
        }

    @api.model
    def b2b_checkout(self, cart_id, note=None, desired_date=None):
        """Order the cart: a sale order under the cart's contract at its prices, placed by
        ``sale.order.b2b_place_order`` (which checks every line). ``note`` and ``desired_date``
        default to the cart's comment and date. On success the cart is emptied and the new order's
        id returned; on any problem the cart stays as it was and nothing is ordered."""
        cart = self._b2b_own(cart_id)
        # a second checkout of the same cart (a double click, two tabs) waits here and then finds
        # the cart empty instead of ordering it twice
        self.env.cr.execute("SELECT id FROM b2b_cart WHERE id = %s FOR UPDATE", (cart.id,))
        cart.invalidate_cache()
        self._b2b_check_open(cart.contract_id)
        lines = cart.line_ids
        if not lines:
            raise UserError(_("The cart is empty."))
        date, problems = rules.parse_desired_date(
            cart.desired_date if desired_date is None else desired_date,
            business_date.today(self.env))
        if problems:
            self._b2b_raise(problems)
        order_id = self.env["sale.order"].b2b_place_order(
            cart.contract_id.id, [(line.product_id.id, line.qty) for line in lines],
            note=cart.comment if note is None else note)
        if date:
            self.env["sale.order"].sudo().browse(order_id).write(
                {"b2b_desired_date": fields.Date.to_string(date)})
        lines.sudo().unlink()
        cart.sudo().write({"comment": False, "desired_date": False})
        return order_id

    @api.model
    def b2b_quick_add(self, cart_id, sku=None, product_id=None, qty=1):
        """Add ``qty`` of one product, given by its SKU (letter case and surrounding spaces do
        not matter) or its id, to the cart: a product already in the cart gets ``qty`` on top of
        its quantity. Only a product the user may buy under the cart's contract is added
        (UserError otherwise, naming the SKU of a product whose price is on request). Returns the cart's summary with ``added``: {product_id, sku, qty},
        ``sku`` as the product has it."""
        cart = self._b2b_own(cart_id)
        self._b2b_check_open(cart.contract_id)
        amount = sku_list.parse_qty_text(qty) if qty not in (None, False, "") else 1.0
        if amount is None or amount <= 0 or amount > sku_list.MAX_QTY:
            raise UserError(_("The quantity %s is not a positive number.") % (qty,))
        if product_id:
            try:
                product_id = int(product_id)
            except (TypeError, ValueError):
                product_id = 0
            offer = cart.contract_id._b2b_offers([product_id]).get(product_id)
            if not pricing.offered(offer):
                raise UserError(_("This product cannot be ordered under this contract."))
        else:
            code = (sku or "").strip()
            if not code:
                raise UserError(_("Type the SKU of the product to add."))
            offer = self._b2b_resolve_skus(cart.contract_id, [code]).get(code)
            if not offer:
                raise UserError(translate(self.env, sku_list.UNKNOWN_SKU) % {"sku": code})
            product_id = offer.product_id
        if pricing.refusal(offer) == "no_price":
            raise UserError(render(self.env, [rules.Problem(pricing.NO_PRICE_OF,
                                                            {"sku": offer.sku})]))
        current = cart._b2b_quantities()
        summary = self.b2b_set_lines(cart.id, [(product_id, current.get(product_id, 0.0) + amount)])
        summary["added"] = {"product_id": product_id, "sku": offer.sku, "qty": amount}
        return summary

    @api.model
    def b2b_add_sku_list(self, cart_id, text):
        """Add a pasted list of SKUs and quantities (see ``lib.sku_list``) to the cart, on top of
        the quantities already there. All or nothing: when a line cannot be read, its SKU is not
        one the user may buy under the contract or the product's price is on request, UserError
        names every such line by its number and the cart stays as it was. Returns the cart's summary with ``added``: the number of lines."""
        cart = self._b2b_own(cart_id)
        self._b2b_check_open(cart.contract_id)
        lines, problems = sku_list.parse_sku_list(text)
        found = self._b2b_resolve_skus(cart.contract_id, [line.sku for line in lines])
        for line in lines:
            if line.sku not in found:
                problems.append(rules.Problem(sku_list.UNKNOWN_SKU, {"sku": line.sku}, line.line))
            elif pricing.refusal(found[line.sku]) == "no_price":
                problems.append(rules.Problem(pricing.NO_PRICE_OF, {"sku": line.sku}, line.line))
        if problems:
            problems.sort(key=lambda problem: problem.line or 0)
            self._b2b_raise(problems)
        target = cart._b2b_quantities()
        changed = []
        for line in lines:
            product_id = found[line.sku].product_id
            if product_id not in changed:
                changed.append(product_id)
            target[product_id] = target.get(product_id, 0.0) + line.qty
        summary = self.b2b_set_lines(cart.id, [(pid, target[pid]) for pid in changed])
        summary["added"] = len(changed)
        return summary

    @api.model
    def _b2b_resolve_skus(self, contract, skus):
        """{SKU as typed: Offer} of the ``skus`` of goods ``contract`` is offered (b2b_base's
        ``pricing.offered``: those its catalog shows, their price on request included, which the
        caller refuses by name), found by the SKU look-up of every way a dealer orders
        (``product.product._b2b_find_by_sku``: letter case and surrounding spaces do not
        matter): one query for the products, one for their offers. Other goods are unknown."""
        found = self.env["product.product"]._b2b_find_by_sku(skus)
        if not found:
            return {}
        offers = contract._b2b_offers(sorted(set(found.values())))
        return {sku: offers[pid] for sku, pid in found.items() if pricing.offered(offers.get(pid))}

    # ------------------------------------------------------------------ helpers
    @api.multi
    def _b2b_quantities(self):
        """{product_id: qty} of the cart's lines."""
        self.ensure_one()
        return {line.product_id.id: line.qty for line in self.sudo().line_ids}

    @api.multi
    def _b2b_apply(self, plan):
        """Carry out a ``lib.cart.WritePlan`` on the cart's lines (the caller checked access)."""
        self.ensure_one()
        if plan.empty:
            return
        lines = {line.product_id.id: line for line in self.sudo().line_ids}
        Line = self.env["b2b.cart.line"].sudo()
        if plan.remove:
            Line.browse([lines[pid].id for pid in plan.remove]).unlink()
        by_qty = {}
        for pid, qty in plan.update.items():
            by_qty.setdefault(qty, []).append(lines[pid].id)
        for qty, line_ids in by_qty.items():
            Line.browse(line_ids).write({"qty": qty})
        for pid, qty in plan.create.items():
            Line.create({"cart_id": self.id, "product_id": pid, "qty": qty})
