import json
import logging
import uuid

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..lib import okei
from ..lib import orders as cml
from ..lib.protocol import FileRefused

_logger = logging.getLogger(__name__)

# an order whose record changed less than this before it was delivered is checked again (a
# transaction that began before a query may commit after it)
RECHECK_MARGIN = "1 hour"


class SaleOrder(models.Model):
    """The exchange state of dealer orders with 1C: the Ид 1C knows the order by, what was last
    delivered to 1C, the status 1C gave it; and the reading of 1C's order documents."""
    _inherit = "sale.order"

    b2b_onec_guid = fields.Char("1C Id", copy=False, index=True, readonly=True,
                                help="The Ид of the order in the exchange with 1C.")
    b2b_onec_number = fields.Char("1C Number", copy=False, readonly=True,
                                  help="The order's number in 1C, when 1C gave it one.")
    b2b_onec_status = fields.Char("1C Status", copy=False, readonly=True,
                                  help="The status 1C last sent for this order.")
    b2b_onec_status_unmapped = fields.Boolean(
        "1C Status Not in the Map", compute="_compute_b2b_onec_status_unmapped",
        help="1C sent a status that is not in the order status map (Sales > Configuration > 1C "
             "order statuses): the order shows it and keeps its state.")
    b2b_onec_delivered_at = fields.Datetime("Delivered to 1C at", copy=False, readonly=True,
                                            help="When 1C last confirmed it received this order as "
                                               "it is now (or sent it to the portal).")
    b2b_onec_delivered_hash = fields.Char("Delivered Version", copy=False, readonly=True,
                                          groups="base.group_system")
    b2b_onec_updated_at = fields.Datetime("Last Change from 1C", copy=False, readonly=True)
    b2b_onec_availability = fields.Text("Availability in 1C", copy=False, readonly=True,
                                        help="1C's last answer to the availability check of this "
                                           "order's lines.")

    @api.depends("b2b_onec_status")
    def _compute_b2b_onec_status_unmapped(self):
        mapping = self._b2b_onec_status_map() if any(self.mapped("b2b_onec_status")) else {}
        for order in self:
            order.b2b_onec_status_unmapped = bool(order.b2b_onec_status) and \
                cml.status_key(order.b2b_onec_status) not in mapping

    # ------------------------------------------------------------------ to 1C
    def _b2b_onec_ensure_guid(self):
        for order in self.filtered(lambda o: not o.b2b_onec_guid):
            self.env.cr.execute("UPDATE sale_order SET b2b_onec_guid = %s WHERE id = %s",
                                (str(uuid.uuid4()), order.id))
        self.invalidate_cache(["b2b_onec_guid"], self.ids)

    def _b2b_onec_value(self):
        """The order as 1C must see it (``lib.orders.Order``)."""
        self.ensure_one()
        order = self.sudo()
        entity = order.partner_id.commercial_partner_id
        contract = order.b2b_contract_id
        units = order.order_line.mapped("product_uom")
        xmlids = units.get_external_id()
        # the OKEI unit of each Odoo unit: by the code 1C gave it, its XML id, its names
        okei_units = {uom.id: okei.lookup(uom.b2b_onec_okei_code,
                                          [uom.name, uom.with_context(lang="en_US").name],
                                          xmlids.get(uom.id))
                      for uom in units}
        lines = []
        for line in order.order_line.filtered("product_id").sorted(lambda l: (l.sequence, l.id)):
            product = line.product_id
            unit = okei_units.get(line.product_uom.id)
            lines.append(cml.Line(
                product_id=(product.b2b_onec_variant_id or product.product_tmpl_id.b2b_onec_id
                            or ""),
                sku=product.default_code or "",
                name=product.name,
                unit_code=unit.code if unit else cml.unit_code(line.product_uom.b2b_onec_okei_code),
                unit_name=unit.short if unit else line.product_uom.name or "",
                price=line.price_unit,
                qty=line.product_uom_qty,
                # the line's amount at its price: VAT in it when the price includes VAT
                amount=line.price_total if any(line.tax_id.mapped("price_include"))
                else line.price_subtotal))
        stamp = fields.Datetime.context_timestamp(
            order.with_context(tz=self.env.user.tz or "Europe/Moscow"),
            fields.Datetime.from_string(order.date_order)).replace(tzinfo=None)
        desired = order["b2b_desired_date"] if "b2b_desired_date" in order._fields else False
        taxes_included = any(tax.price_include for tax in order.order_line.mapped("tax_id"))
        return cml.Order(
            guid=order.b2b_onec_guid or "",
            number=order.name,
            date=stamp,
            currency=order.currency_id.name or "",
            rate=1.0,
            amount=order.amount_total,
            tax_amount=order.amount_tax,
            tax_included=taxes_included,
            counterparty_id=entity.b2b_onec_id or "",
            counterparty_name=entity.name or "",
            counterparty_full_name=entity.name or "",
            inn=entity.vat or "",
            contract_id=contract.b2b_onec_id or "",
            contract_number=contract.name or "",
            comment=order.note or "",
            desired_date=fields.Date.from_string(desired) if desired else None,
            state=order.state,
            lines=lines,
            bonus=bool(order["b2b_is_bonus_order"]) if "b2b_is_bonus_order" in order._fields
            else False)

    @api.model
    def _b2b_onec_candidates(self):
        """Dealer orders that may differ from what 1C last received (checked by fingerprint)."""
        self.env.cr.execute("""
            SELECT o.id FROM sale_order o
             WHERE o.b2b_contract_id IS NOT NULL
               AND (o.state != 'cancel' OR o.b2b_onec_delivered_hash IS NOT NULL)
               AND (o.b2b_onec_delivered_hash IS NULL
                    OR o.write_date > o.b2b_onec_delivered_at - interval %s
                    OR EXISTS (SELECT 1 FROM sale_order_line l WHERE l.order_id = o.id
                                 AND l.write_date > o.b2b_onec_delivered_at - interval %s))
             ORDER BY o.id""", (RECHECK_MARGIN, RECHECK_MARGIN))
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    @api.model
    def _b2b_onec_pending(self, limit=None):
        """[(order, lib Order, fingerprint)] of the orders 1C has not received as they are now,
        oldest first, at most ``limit`` of them (the others go with the next query)."""
        candidates = self.sudo()._b2b_onec_candidates()
        pending = []
        for order in candidates:
            order._b2b_onec_ensure_guid()
            value = order._b2b_onec_value()
            digest = cml.fingerprint(value)
            if digest != order.b2b_onec_delivered_hash:
                pending.append((order, value, digest))
                if limit and len(pending) >= limit:
                    break
        return pending

    @api.model
    def _b2b_onec_mark_delivered(self, versions, delivered_at):
        """``versions``: {order id: fingerprint delivered}; ``delivered_at``: when they were
        read. Written without touching the orders' change dates."""
        for order_id, digest in versions.items():
            self.env.cr.execute("""UPDATE sale_order SET b2b_onec_delivered_hash = %s,
                                          b2b_onec_delivered_at = %s WHERE id = %s""",
                                (digest, delivered_at, int(order_id)))
        self.invalidate_cache(["b2b_onec_delivered_hash", "b2b_onec_delivered_at"])

    @api.multi
    def _b2b_onec_mark_current(self):
        """These orders are as 1C has them (after 1C changed them): nothing to send back."""
        self.env.cr.execute("SELECT now() at time zone 'UTC'")
        now = self.env.cr.fetchone()[0]
        self.invalidate_cache()
        self._b2b_onec_mark_delivered(
            {order.id: cml.fingerprint(order._b2b_onec_value()) for order in self.sudo()}, now)

    # ------------------------------------------------------------------ from 1C
    @api.model
    def _b2b_onec_status_map(self):
        statuses = self.env["b2b.onec.order.status"].sudo().search([])
        return cml.status_map((status.name, status.state) for status in statuses)

    @api.model
    def _b2b_onec_adopt_default_statuses(self):
        """Before the default status map is loaded (``data/onec_order_data.xml``): a status of
        the map the supplier already entered by hand takes the place of the default one (its XML
        id points to the supplier's entry, which is kept as it is), so that installing or
        upgrading the addon neither duplicates a status nor changes its state."""
        Status = self.env["b2b.onec.order.status"].sudo()
        Data = self.env["ir.model.data"].sudo()
        module = "b2b_1c_bridge"
        existing = {cml.status_key(status.name): status for status in Status.search([])}
        for default in cml.default_statuses():
            status = existing.get(cml.status_key(default.name))
            if not status or Data.search_count([("module", "=", module),
                                                ("name", "=", default.xmlid)]):
                continue
            if Data.search_count([("model", "=", Status._name), ("res_id", "=", status.id)]):
                continue  # another default's entry (the same status spelt otherwise)
            Data.create({"module": module, "name": default.xmlid, "model": Status._name,
                         "res_id": status.id, "noupdate": True})

    @api.model
    def _b2b_onec_read_orders(self, exchange_file, path, info):
        """Reader of 1C's orders files: every order document updates its portal order (matched
        by Ид, then by number) or creates the order 1C took by phone.

        A document that cannot be used (an unknown counterparty or contract, no contract for a
        new order, a number or date that cannot be read, a change the portal cannot apply) is
        skipped and reported (``exchange_file._onec_skip``); nothing of it is written and the
        other documents are imported. A line of an unknown product is left out of its order and
        reported; a status missing from the status map is stored and shown as 1C sent it, the
        order keeps its state, and it is reported."""
        self._b2b_onec_load_precisions()
        status_map = self._b2b_onec_status_map()
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        touched = self.browse()
        name = exchange_file.name
        for incoming in cml.read_orders(path, name, exchange_file._onec_skip):
            try:
                # one order's changes stand or fall together
                with self.env.cr.savepoint():
                    order, verdict, warnings = self._b2b_onec_apply(incoming, name, status_map)
            except FileRefused as problem:
                self.env.clear()
                exchange_file._onec_skip([problem])
                continue
            exchange_file._onec_skip(warnings)
            counts[verdict] += 1
            touched |= order
        touched._b2b_onec_mark_current()
        exchange_file._onec_count(**counts)
        return "success", "%(created)d created, %(updated)d updated, %(unchanged)d unchanged" % counts

    @api.model
    def _b2b_onec_load_precisions(self):
        """Read every decimal precision through this transaction's cursor before any order is
        touched.

        The ORM asks a float field's precision through a cursor of its own when the precision
        is not cached yet. The reader runs inside the exchange file's savepoint; when the server
        serves every request on one shared cursor (Odoo's HTTP test mode), that other "cursor" is
        the same transaction and its commit on exit releases the file's savepoint, so the file
        could no longer be undone. With the precisions cached, the ORM does not open it."""
        precisions = self.env["decimal.precision"].sudo()
        self.env.cr.execute("SELECT name FROM decimal_precision")
        for (name,) in self.env.cr.fetchall():
            precisions.precision_get(name)

    @api.model
    def _b2b_onec_find(self, incoming):
        order = self.browse()
        if incoming.guid:
            order = self.search([("b2b_onec_guid", "=", incoming.guid)], limit=1)
        if not order and incoming.number:
            order = self.search([("b2b_contract_id", "!=", False), "|",
                                 ("name", "=", incoming.number),
                                 ("b2b_onec_number", "=", incoming.number)], limit=1)
        return order

    @api.model
    def _b2b_onec_products(self, incoming, name, label):
        """({1C product id: product.product} of the document's lines, [warnings of the lines
        whose product the portal does not know])."""
        ids = sorted({line.product_id for line in incoming.lines})
        templates = self.env["product.template"].with_context(active_test=False).search(
            [("b2b_onec_id", "in", ids)]) if ids else self.env["product.template"]
        found = {tmpl.b2b_onec_id: tmpl.product_variant_id or tmpl.with_context(
            active_test=False).product_variant_ids[:1] for tmpl in templates}
        unknown = [FileRefused(cml.MSG_LINE_UNKNOWN_PRODUCT, name, line.line,
                               field=cml.EL_LINE + "/Ид", order=label, product=line.product_id)
                   for line in incoming.lines if not found.get(line.product_id)]
        return found, unknown

    @api.model
    def _b2b_onec_apply(self, incoming, name, status_map):
        """Create or update the order of one 1C document; returns (order, verdict, warnings).
        FileRefused when the document cannot be used (the caller undoes what it wrote)."""
        label = incoming.number or incoming.guid
        line = incoming.line
        warnings = list(incoming.problems)
        try:
            target = cml.target_state(incoming.status, incoming.cancelled or incoming.deleted,
                                      status_map)
        except KeyError:
            target = None
            warnings.append(FileRefused(cml.MSG_UNKNOWN_STATUS, name, incoming.where["status"],
                                        field=cml.EL_STATUS, order=label, status=incoming.status))
        contract = self.env["b2b.contract"]
        if incoming.contract_id:
            contract = contract.with_context(active_test=False).search(
                [("b2b_onec_id", "=", incoming.contract_id)], limit=1)
            if not contract:
                raise FileRefused(cml.MSG_UNKNOWN_CONTRACT, name, incoming.where["contract"],
                                  field=cml.EL_CONTRACT, order=label,
                                  contract=incoming.contract_id)
        if incoming.counterparty_id:
            entity = self.env["res.partner"].with_context(active_test=False).search(
                [("b2b_onec_id", "=", incoming.counterparty_id)], limit=1)
            where = incoming.where["counterparty"]
            if not entity:
                raise FileRefused(cml.MSG_UNKNOWN_COUNTERPARTY, name, where,
                                  field=cml.EL_COUNTERPARTY, order=label,
                                  counterparty=incoming.counterparty_id)
            if contract and contract.partner_id != entity.commercial_partner_id:
                raise FileRefused(cml.MSG_WRONG_COUNTERPARTY, name, where,
                                  field=cml.EL_COUNTERPARTY, order=label, contract=contract.name,
                                  owner=contract.partner_id.name, counterparty=entity.name)
        products, unknown = self._b2b_onec_products(incoming, name, label)
        warnings += unknown
        known = [l for l in incoming.lines if products.get(l.product_id)]
        wanted = [(products[l.product_id].id, l.qty, l.price, l.amount) for l in known]
        order = self._b2b_onec_find(incoming)
        if not order and not contract:
            raise FileRefused(cml.MSG_NO_CONTRACT, name, line, field=cml.EL_DOCUMENT, order=label)
        if not order and not wanted:
            raise FileRefused(cml.MSG_NO_KNOWN_LINES, name, line, field=cml.EL_DOCUMENT,
                              order=label)
        # 1C's lines when it sent some the portal knows; else the order's lines stay as they are
        incoming = incoming._replace(lines=known)
        try:
            if not order:
                order = self._b2b_onec_create(incoming, contract, wanted, target)
                return order, "created", warnings
            changed = order._b2b_onec_update(incoming, contract, wanted, target, name)
        except (UserError, ValidationError, ValueError) as exc:
            raise FileRefused(cml.MSG_ACTION_FAILED, name, line, field=cml.EL_DOCUMENT,
                              order=label, error=getattr(exc, "name", None) or str(exc))
        return order, "updated" if changed else "unchanged", warnings

    def _b2b_onec_local_date(self, value):
        """A naive local datetime of 1C as the UTC string the ORM stores."""
        import pytz
        tz = pytz.timezone(self.env.user.tz or "Europe/Moscow")
        return fields.Datetime.to_string(tz.localize(value).astimezone(pytz.utc).replace(tzinfo=None))

    @api.model
    def _b2b_onec_create(self, incoming, contract, wanted, target):
        vals = {
            "partner_id": contract.partner_id.id,
            "b2b_contract_id": contract.id,
            "b2b_origin": "1c",
            "b2b_author_id": False,
            "user_id": contract.dealer_id.b2b_manager_id.id or False,
            "note": incoming.comment or False,
            "b2b_onec_guid": incoming.guid or str(uuid.uuid4()),
            "b2b_onec_number": incoming.onec_number or incoming.number or False,
            "b2b_onec_status": incoming.status or False,
            "b2b_onec_updated_at": fields.Datetime.now(),
            "client_order_ref": incoming.number or False,
        }
        if incoming.date:
            vals["date_order"] = self._b2b_onec_local_date(incoming.date)
        if incoming.desired_date and "b2b_desired_date" in self._fields:
            vals["b2b_desired_date"] = fields.Date.to_string(incoming.desired_date)
        order = self.create(vals)
        plan = cml.plan_lines([], wanted)
        order._b2b_onec_apply_lines(plan)
        order._b2b_onec_apply_state(target or "draft")
        order.message_post(body=_("Order taken in 1C (number %s) and received through the "
                                  "exchange.") % (incoming.number or incoming.guid),
                           subtype="mail.mt_note")
        return order

    @api.multi
    def _b2b_onec_update(self, incoming, contract, wanted, target, name):
        """Make this order 1C's version; returns whether anything changed."""
        self.ensure_one()
        changes = {}
        if contract and contract != self.b2b_contract_id:
            if self.state not in ("draft", "sent"):
                raise FileRefused(cml.MSG_CONTRACT_LOCKED, name, incoming.where["contract"],
                                  field=cml.EL_CONTRACT, order=self.name, contract=contract.name)
            changes.update(b2b_contract_id=contract.id, partner_id=contract.partner_id.id)
        if incoming.guid and incoming.guid != self.b2b_onec_guid:
            changes["b2b_onec_guid"] = incoming.guid
        onec_number = incoming.onec_number or (incoming.number if incoming.number != self.name
                                               else "")
        if onec_number and onec_number != (self.b2b_onec_number or ""):
            changes["b2b_onec_number"] = onec_number
        if incoming.status and incoming.status != (self.b2b_onec_status or ""):
            changes["b2b_onec_status"] = incoming.status
        if (incoming.comment or "") != (self.note or ""):
            changes["note"] = incoming.comment or False
        if "b2b_desired_date" in self._fields and incoming.desired_date and \
                fields.Date.to_string(incoming.desired_date) != (self.b2b_desired_date or False):
            changes["b2b_desired_date"] = fields.Date.to_string(incoming.desired_date)
        lines = self.order_line.filtered("product_id")
        current = [(l.id, l.product_id.id, l.product_uom_qty, l.price_unit, l.discount)
                   for l in lines.sorted(lambda l: (l.sequence, l.id))]
        plan = cml.plan_lines(current, wanted) if incoming.lines else cml.LinePlan({}, [], [])
        # the lines of an order 1C has confirmed (or confirms with this document) are not
        # deleted: a line 1C dropped goes to 0, so that the dealer sees what was cut; a line
        # already at 0 stays as it is
        keep_removed = self.state in ("sale", "done") or target in ("sale", "done")
        if keep_removed:
            plan = plan._replace(remove=[lid for lid in plan.remove
                                         if self.env["sale.order.line"].browse(lid).product_uom_qty])
        lines_change = bool(plan.update or plan.create or plan.remove)
        steps = cml.transition_steps(self.state, target)
        if not (changes or lines_change or steps):
            return False
        if changes:
            self.write(changes)
        if lines_change:
            if self.state == "done":
                self.action_unlock()
            elif self.state == "cancel" and target not in (None, "cancel"):
                self.action_draft()
            self._b2b_onec_apply_lines(plan, keep_removed=keep_removed)
        self._b2b_onec_apply_state(target)
        self.write({"b2b_onec_updated_at": fields.Datetime.now()})
        self.message_post(body=_("Updated from 1C: status %(status)s, total %(total).2f.") % {
            "status": incoming.status or self.state, "total": self.amount_total},
            subtype="mail.mt_note")
        return True

    @api.multi
    def _b2b_onec_apply_lines(self, plan, keep_removed=False):
        """Carry out a ``lib.orders.LinePlan`` on this order's lines; with ``keep_removed`` (and
        always on a confirmed order) the lines to remove are set to quantity 0 instead."""
        self.ensure_one()
        Line = self.env["sale.order.line"]
        confirmed = keep_removed or self.state in ("sale", "done")
        for line_id, change in plan.update.items():
            vals = {}
            if "qty" in change:
                vals["product_uom_qty"] = change["qty"]
            if "price" in change:
                vals["price_unit"] = change["price"]
            if "discount" in change:
                vals["discount"] = change["discount"]
            Line.browse(line_id).write(vals)
        removed = Line.browse(plan.remove)
        if removed:
            if confirmed:
                removed.write({"product_uom_qty": 0.0})
            else:
                removed.unlink()
        if plan.create:
            sequence = max(self.order_line.mapped("sequence") or [0])
            products = self.env["product.product"].browse([p for p, *_r in plan.create])
            rows = {row["id"]: row for row in products.read(
                ["default_code", "name", "description_sale", "attribute_value_ids", "b2b_vat_rate"])}
            names = self._b2b_product_descriptions(products, rows)
            # VAT at the product's rate, included or on top as the contract's price type has it
            vat_taxes = self._b2b_vat_taxes(rows.values())
            for offset, (product_id, qty, price, discount) in enumerate(plan.create, start=1):
                product = products.browse(product_id)
                if vat_taxes is not None:
                    taxes = vat_taxes[rows[product_id]["b2b_vat_rate"]]
                else:
                    taxes = product.taxes_id.filtered(lambda t: t.company_id == self.company_id)
                fpos = self.fiscal_position_id or self.partner_id.property_account_position_id
                if fpos:
                    taxes = fpos.map_tax(taxes, product, self.partner_shipping_id)
                Line.create({
                    "order_id": self.id,
                    "sequence": sequence + offset,
                    "product_id": product_id,
                    "name": names.get(product_id) or product.name,
                    "product_uom": product.uom_id.id,
                    "product_uom_qty": qty,
                    "price_unit": price,
                    "discount": discount,
                    "tax_id": [(6, 0, taxes.ids)],
                })

    @api.multi
    def _b2b_onec_apply_state(self, target):
        self.ensure_one()
        for step in cml.transition_steps(self.state, target):
            if step == "unlock":
                self.action_unlock()
            elif step == "cancel":
                self.action_cancel()
            elif step == "draft":
                self.action_draft()
            elif step == "mark_sent":
                self.write({"state": "sent"})
            elif step == "confirm":
                self.action_confirm()
            elif step == "done":
                self.action_done()

    # ------------------------------------------------------------------ availability
    @api.multi
    def b2b_onec_check_availability(self):
        """Ask 1C whether this order's lines are available (before confirming it).

        With the web service configured the answer comes at once and is kept on the order
        (``b2b_onec_availability``) and returned: [{product_id, sku, requested, available, date}].
        Otherwise, or when 1C cannot be reached, a request waits for 1C (returns None)."""
        self.ensure_one()
        order = self.sudo()
        order._b2b_onec_ensure_guid()
        payload = {
            "order_id": order.b2b_onec_guid, "order_number": order.name,
            "contract_id": order.b2b_contract_id.b2b_onec_id or "",
            "lines": [{"product_id": line.product_id.product_tmpl_id.b2b_onec_id or "",
                       "qty": line.product_uom_qty}
                      for line in order.order_line.filtered("product_id")],
        }
        request = self.env["b2b.onec.request"].sudo()._b2b_create("availability", payload, order,
                                                                  deliver=False)
        answer = request._b2b_send_now()
        return answer and answer.get("lines")

    @api.multi
    def _b2b_onec_receive_availability(self, answer):
        self.ensure_one()
        skus = {tmpl.b2b_onec_id: tmpl.default_code or "" for tmpl in
                self.order_line.mapped("product_id.product_tmpl_id")}
        rows = []
        for line in answer.get("lines") or []:
            line = dict(line, sku=skus.get(line["product_id"], ""))
            rows.append(line)
        text = "\n".join("%s: %s / %s%s" % (row["sku"] or row["product_id"],
                                             cml.format_qty(row["available"]),
                                             cml.format_qty(row["requested"]),
                                             (" (%s)" % row["date"]) if row.get("date") else "")
                         for row in rows)
        self.sudo().write({"b2b_onec_availability": text or False})
        answer["lines"] = rows
        return rows

    def action_b2b_onec_check_availability(self):
        self.b2b_onec_check_availability()
        return True

    def action_b2b_onec_resend(self):
        """Send this order to 1C again at the next exchange."""
        self.env.cr.execute("UPDATE sale_order SET b2b_onec_delivered_hash = NULL WHERE id IN %s",
                            (tuple(self.ids),))
        self.invalidate_cache(["b2b_onec_delivered_hash"], self.ids)
        return True


def dumps(value):
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
