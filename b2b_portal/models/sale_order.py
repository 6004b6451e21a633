from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.b2b_base.lib import pricing
from odoo.addons.b2b_base.tools.rule_messages import render, translate

from ..lib import notifications as feed
from ..lib import orders as rules

# what a dealer's order changes that its users hear of (the notification feed): its state, and
# 1C's own status when the 1C bridge is installed
NOTIFY_WATCHED = ("state", "b2b_onec_status")


class SaleOrder(models.Model):
    """Dealer orders as the portal shows them: the list, the detail, editing under the status rule,
    cancelling, copying into the cart.

    The ``b2b_*`` methods are called as the dealer's user: which orders a user reaches is decided
    by the record rules of b2b_base (a dealer's administrators and buyers reach every order of the
    contracts they act for, an outlet user those of its contract); who may change an order, and
    when, by the status rule (``b2b_portal.editable_states``) and authorship. The writes are done
    as superuser once everything is checked, in one pass, and nothing is written on any problem.

    A change of an order's state (or of 1C's status) is told to the users who see the order, in
    their notification feed (b2b.notification, kind "order")."""
    _inherit = "sale.order"

    b2b_desired_date = fields.Date(
        "Desired Delivery Date", readonly=True, copy=False,
        help="The delivery date the dealer asked for when ordering from the portal.")

    # ------------------------------------------------------------------ checks
    @api.model
    def _b2b_editable_states(self):
        """The states in which dealers may change their orders (the status rule)."""
        value = self.env["ir.config_parameter"].sudo().get_param(rules.PARAM_EDITABLE_STATES)
        return rules.parse_editable_states(value)

    @api.model
    def _b2b_check_dealer(self):
        if not self.env.user.sudo().b2b_role:
            raise AccessError(_("Only a dealer's users work with orders in the dealer portal."))

    @api.model
    def _b2b_dealer_order(self, order_id):
        """The order ``order_id`` if the current dealer user reaches it (record rules), as the user;
        AccessError otherwise (the portal answers 404)."""
        self._b2b_check_dealer()
        try:
            order = self.browse(int(order_id)).exists()
        except (TypeError, ValueError):
            order = self.browse()
        if order:
            try:
                order.check_access_rights("read")
                order.check_access_rule("read")
            except AccessError:
                order = self.browse()
        allowed = self.env.user.sudo().b2b_allowed_contract_ids
        if not order or order.sudo().b2b_contract_id not in allowed:
            raise AccessError(_("The order does not exist or is not one of your dealer's orders."))
        return order

    @api.multi
    def _b2b_edit_refusal(self):
        """None when the current user may change this order now, else the rule's Problem."""
        self.ensure_one()
        order = self.sudo()
        user = self.env.user.sudo()
        is_admin = user.b2b_role == "admin" and order.b2b_contract_id in user.b2b_allowed_contract_ids
        return rules.edit_refusal(order.name, order.state, self._b2b_editable_states(), user.id,
                                  order.b2b_author_id.id, order.b2b_author_id.name, is_admin)

    @api.multi
    def _b2b_check_editable(self):
        problem = self._b2b_edit_refusal()
        if problem:
            message = render(self.env, [problem])
            if problem.template == rules.NOT_AUTHOR:
                raise AccessError(message)
            raise UserError(message)

    @api.model
    def _b2b_status_label(self, state):
        return translate(self.env, rules.STATUS_LABELS.get(state, state))

    @api.model
    def b2b_status_choices(self):
        """[(state, label)] for the status filter of the orders list."""
        return rules.status_choices(lambda text: translate(self.env, text))

    # ------------------------------------------------------------------ list and detail
    _B2B_LIST_FIELDS = ["name", "date_order", "b2b_contract_id", "b2b_author_id", "state",
                        "amount_total", "currency_id", "b2b_desired_date", "client_order_ref"]

    @api.model
    def b2b_order_list(self, search=None, state=None, contract_id=None, offset=0, limit=20):
        """One page of the dealer's orders the current user reaches, newest first:
        {"total": number of orders matching, "orders": [{id, name, date, contract, author, state,
        status, amount, currency, ...}]}.

        ``search``: part of the order's number (or of the dealer's own reference); ``state``: one
        state of a sale order; ``contract_id``: one contract. Unknown filter values match nothing
        they should not: the record rules decide which orders are reachable at all."""
        self._b2b_check_dealer()
        domain = [("b2b_contract_id", "!=", False)]
        text = (search or "").strip()
        if text:
            domain += ["|", ("name", "ilike", text), ("client_order_ref", "ilike", text)]
        if state in rules.STATUS_LABELS:
            domain.append(("state", "=", state))
        try:
            contract = int(contract_id or 0)
        except (TypeError, ValueError):
            contract = 0
        if contract:
            domain.append(("b2b_contract_id", "=", contract))
        total = self.search_count(domain)
        found = self.search(domain, offset=max(int(offset or 0), 0), limit=limit,
                            order="date_order desc, id desc")
        rows = []
        for row in found.sudo().read(self._B2B_LIST_FIELDS):
            rows.append({
                "id": row["id"],
                "name": row["name"],
                "date": row["date_order"],
                "contract_id": row["b2b_contract_id"] and row["b2b_contract_id"][0],
                "contract": row["b2b_contract_id"] and row["b2b_contract_id"][1] or "",
                "author": row["b2b_author_id"] and row["b2b_author_id"][1] or "",
                "state": row["state"],
                "status": self._b2b_status_label(row["state"]),
                "amount": row["amount_total"],
                "currency": row["currency_id"] and row["currency_id"][1] or "",
                "desired_date": row["b2b_desired_date"] or False,
                "reference": row["client_order_ref"] or "",
            })
        return {"total": total, "orders": rows}

    @api.model
    def b2b_order_detail(self, order_id):
        """The order as its page shows it: header, lines (SKU, name, quantity, price, amount),
        totals, and what the current user may do with it (``can_edit`` and, when not, the reason
        in ``edit_refusal``; ``can_cancel``)."""
        order = self._b2b_dealer_order(order_id)
        refusal = order._b2b_edit_refusal()     # as the user: whose order it is matters
        order = order.sudo()
        lines = order.order_line.filtered("product_id")
        rows = lines.read(["product_id", "name", "product_uom_qty", "product_uom", "price_unit",
                           "price_subtotal", "price_total"])
        skus = {row["id"]: row["default_code"] or "" for row in
                lines.mapped("product_id").read(["default_code"])}
        return {
            "id": order.id,
            "name": order.name,
            "date": order.date_order,
            "state": order.state,
            "status": self._b2b_status_label(order.state),
            # the status 1C gave the order, as 1C wrote it (with the 1C bridge)
            "onec_status": (order["b2b_onec_status"] or "") if "b2b_onec_status" in order._fields
                           else "",
            "contract_id": order.b2b_contract_id.id,
            "contract": order.b2b_contract_id.display_name,
            "author_id": order.b2b_author_id.id,
            "author": order.b2b_author_id.name or "",
            "desired_date": order.b2b_desired_date or False,
            "comment": order.note or "",
            "reference": order.client_order_ref or "",
            "currency": order.currency_id.name,
            "amount_untaxed": order.amount_untaxed,
            "amount_tax": order.amount_tax,
            "amount_total": order.amount_total,
            "lines": [{
                "id": row["id"],
                "product_id": row["product_id"][0],
                "sku": skus.get(row["product_id"][0], ""),
                "name": row["name"].split("\n")[0],
                "qty": row["product_uom_qty"],
                "unit": row["product_uom"] and row["product_uom"][1] or "",
                "price": row["price_unit"],
                "amount": row["price_subtotal"],
                "amount_total": row["price_total"],
            } for row in rows],
            "can_edit": refusal is None,
            "can_cancel": refusal is None,
            "edit_refusal": render(self.env, [refusal]) if refusal else "",
        }

    # ------------------------------------------------------------------ changes
    @api.model
    def b2b_update_lines(self, order_id, lines):
        """Change an order's lines from the portal in one call.

        ``lines``: [(product, qty), ...]; ``product`` is a product id (int) or a SKU (str) to add
        a product; a quantity sets the line's quantity, 0 removes the line, lines not given stay;
        the same product twice adds up. Allowed while the order's state is in the status rule and
        only to its author or a dealer administrator. Every changed or added line is checked as in
        a new order (the contract's offers: availability, region, price, minimum, multiple);
        kept lines keep their price, added lines get the contract's price of today. On any problem
        nothing changes and the message names each line at fault. Returns the order's detail."""
        order = self._b2b_dealer_order(order_id)
        order._b2b_check_editable()
        order = order.sudo()
        entries, problems = rules.parse_edit_entries(lines)
        messages = [(problem.line, render(self.env, [problem])) for problem in problems]
        by_sku = self._b2b_products_by_sku(rules.skus_of(entries))
        resolved, problems = rules.resolve(entries, by_sku)
        messages += [(problem.line, render(self.env, [problem])) for problem in problems]
        merged = rules.merge_entries(resolved)
        wanted = [entry for entry in merged if entry.qty]
        offers = order.b2b_contract_id._b2b_offers([entry.product for entry in wanted])
        for problem in pricing.validate_lines(offers, [(e.product, e.qty) for e in wanted]):
            line = wanted[problem.line - 1].line
            messages.append((line, self._b2b_problem_text(problem._replace(line=line))))
        if messages:
            raise UserError("\n".join(text for _line, text in sorted(messages, key=lambda m: m[0] or 0)))
        by_product = {}
        for line in order.order_line.filtered("product_id"):
            by_product.setdefault(line.product_id.id, []).append(line)
        current = {pid: sum(line.product_uom_qty for line in found) for pid, found in by_product.items()}
        plan, problems = rules.plan_update(current, merged)
        if problems:
            raise UserError(render(self.env, problems))
        order._b2b_apply_plan(plan, by_product, offers)
        order.message_post(body=_("Lines changed from the dealer portal by %s.")
                           % self.env.user.sudo().name, subtype="mail.mt_note")
        return self.b2b_order_detail(order.id)

    @api.model
    def _b2b_products_by_sku(self, skus):
        """{sku as typed: product id} of the products the current user can see (record rules hide
        other dealers' private label), found by the SKU look-up of every way a dealer orders
        (``product.product._b2b_find_by_sku``: letter case and surrounding spaces do not
        matter)."""
        Product = self.env["product.product"]
        found = Product._b2b_find_by_sku(skus)
        if not found:
            return {}
        visible = set(Product.search([("id", "in", sorted(set(found.values())))]).ids)
        return {sku: pid for sku, pid in found.items() if pid in visible}

    @api.multi
    def _b2b_apply_plan(self, plan, by_product, offers):
        """Carry out a ``lib.cart.WritePlan`` on this order's lines (as superuser, checked before).
        A confirmed order's lines are not deleted: their quantity goes to 0, as Odoo asks."""
        self.ensure_one()
        Line = self.env["sale.order.line"].sudo()
        confirmed = self.state == "sale"
        drop = Line.browse()
        for pid in plan.remove:
            drop |= Line.browse([line.id for line in by_product[pid]])
        by_qty = {}
        for pid, qty in plan.update.items():
            first, rest = by_product[pid][0], by_product[pid][1:]
            by_qty.setdefault(qty, []).append(first.id)
            drop |= Line.browse([line.id for line in rest])
        for qty, line_ids in by_qty.items():
            Line.browse(line_ids).write({"product_uom_qty": qty})
        if drop:
            if confirmed:
                drop.write({"product_uom_qty": 0.0})
            else:
                drop.unlink()
        if plan.create:
            before = self.order_line
            last = max(before.mapped("sequence") or [0])
            self._b2b_add_lines([(pid, qty, offers[pid].price) for pid, qty in plan.create.items()])
            for number, line in enumerate(self.order_line - before, start=1):
                line.sequence = last + number

    @api.model
    def b2b_cancel_order(self, order_id):
        """Cancel an order from the portal: allowed to the same people, in the same states, as
        changing it."""
        order = self._b2b_dealer_order(order_id)
        order._b2b_check_editable()
        order = order.sudo()
        order.action_cancel()
        order.message_post(body=_("Cancelled from the dealer portal by %s.") % self.env.user.sudo().name,
                           subtype="mail.mt_note")
        return True

    @api.model
    def b2b_copy_to_cart(self, order_id):
        """Add an order's lines to the current user's cart under the order's contract (quantities
        of products already in the cart add up). Products the user can no longer buy under that
        contract are not copied: they are listed, with the reason, under ``skipped``. Returns
        {"cart_id", "contract_id", "copied": number of lines, "skipped": [{sku, name, message}]}."""
        order = self._b2b_dealer_order(order_id).sudo()
        Cart = self.env["b2b.cart"]
        cart_id = Cart.b2b_get_cart(order.b2b_contract_id.id)
        lines = order.order_line.filtered(lambda line: line.product_id and line.product_uom_qty > 0)
        products = lines.mapped("product_id")
        offers = order.b2b_contract_id._b2b_offers(products.ids)
        items = [(line.product_id.id, line.product_uom_qty) for line in lines]
        refused = {problem.line: problem for problem in pricing.validate_lines(offers, items)
                   if problem.code in Cart._B2B_UNAVAILABLE}
        incoming, skipped = [], []
        for number, (line, item) in enumerate(zip(lines, items), start=1):
            problem = refused.get(number)
            if problem:
                skipped.append({"product_id": item[0], "sku": line.product_id.default_code or "",
                                "name": line.product_id.name,
                                "message": self._b2b_problem_text(problem)})
            else:
                incoming.append(item)
        if incoming:
            current = Cart.browse(cart_id)._b2b_quantities()
            target = rules.merge_into_cart(current, incoming)
            Cart.b2b_set_lines(cart_id, [(pid, qty) for pid, qty in target.items()
                                         if current.get(pid) != qty])
        return {"cart_id": cart_id, "contract_id": order.b2b_contract_id.id,
                "copied": len({pid for pid, _qty in incoming}), "skipped": skipped}

    # ------------------------------------------------------------------ the notification feed
    @api.multi
    def write(self, vals):
        watched = [name for name in NOTIFY_WATCHED if name in vals and name in self._fields]
        if not watched:
            return super(SaleOrder, self).write(vals)
        before = {order.id: tuple(order[name] or False for name in watched)
                  for order in self.sudo() if order.b2b_contract_id}
        result = super(SaleOrder, self).write(vals)
        for order in self.sudo().browse(list(before)):
            now = tuple(order[name] or False for name in watched)
            if now != before[order.id]:
                order._b2b_notify_status(dict(zip(watched, before[order.id])),
                                         self.env["b2b.notification"]._b2b_actor())
        return result

    def _b2b_notify_status(self, old, actor):
        """Tell the order's users but ``actor`` (who made the change) its new status: 1C's when
        1C changed it, else the state's label in the reader's language."""
        self.ensure_one()
        onec = "b2b_onec_status" in old and self["b2b_onec_status"]
        if onec and onec != old["b2b_onec_status"]:
            status = onec
        else:
            label = rules.STATUS_LABELS.get(self.state, self.state)
            status = lambda tr: tr(label)  # noqa: E731
        users = self.env["b2b.notification"]._b2b_contract_users(self.b2b_contract_id) - \
            actor.sudo()
        params = {"order": self.name, "status": status}
        self.env["b2b.notification"]._b2b_notify(
            users, "order", (feed.ORDER_STATUS, params), (feed.ORDER_STATUS_BODY, params),
            url="/b2b/orders/%d" % self.id, record=self)
