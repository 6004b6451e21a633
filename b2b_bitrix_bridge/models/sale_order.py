import logging
from collections import OrderedDict

from odoo import _, api, fields, models

from odoo.addons.b2b_base.tools.rule_messages import translate
from odoo.addons.queue_job.job import job

from ..lib import deals
from ..lib.errors import BitrixError

_logger = logging.getLogger(__name__)

#: order fields whose change changes the deal
DEAL_FIELDS = {"state", "order_line", "b2b_contract_id", "partner_id", "note", "client_order_ref"}
#: orders per batch request: each takes two commands (the deal, its rows), Bitrix24 runs 50
ORDERS_PER_BATCH = 25
#: orders one job of the first sending takes (four batch requests)
ORDERS_PER_JOB = 100
#: orders still worked: those a supplier connecting Bitrix24 wants as deals
OPEN_STATES = ("draft", "sent", "sale")
PARAM_RECONCILED = "b2b_bitrix_bridge.reconciled_until"


class SaleOrder(models.Model):
    _inherit = "sale.order"

    b2b_bitrix_deal_id = fields.Integer("Bitrix24 deal", index=True, copy=False, readonly=True)
    b2b_bitrix_sync = fields.Selection(
        [("pending", "To send"), ("done", "In step"), ("error", "Error")], "Bitrix24 deal status",
        copy=False, readonly=True, index=True)
    b2b_bitrix_error = fields.Text("Bitrix24 error", copy=False, readonly=True)
    b2b_bitrix_sent_hash = fields.Char(copy=False, readonly=True,
                                       help="What was last sent to the deal (all its fields).")
    b2b_bitrix_signature = fields.Char(
        copy=False, readonly=True,
        help="Stage and rows of the deal as the portal last knew them: a deal event that finds "
             "them the same is the echo of the portal's own update.")

    # ------------------------------------------------------------------ orders -> deals
    @api.model
    def create(self, vals):
        order = super(SaleOrder, self).create(vals)
        order._b2b_bitrix_queue()
        return order

    @api.multi
    def write(self, vals):
        res = super(SaleOrder, self).write(vals)
        if DEAL_FIELDS & set(vals) and not self.env.context.get("b2b_bitrix_from_deal"):
            self._b2b_bitrix_queue()
        return res

    @api.multi
    def _b2b_bitrix_queue(self):
        """Send the dealer orders of ``self`` to their deals in a background job."""
        if self.env.context.get("b2b_bitrix_no_push"):
            return
        orders = self.filtered("b2b_is_dealer_order")
        if not orders or not self.env["b2b.bitrix.api"]._b2b_configured():
            return
        super(SaleOrder, orders.sudo()).write({"b2b_bitrix_sync": "pending"})
        for order in orders:
            order.sudo().with_delay(
                description=_("Order %s to its Bitrix24 deal") % order.name,
                identity_key="b2b_bitrix_push:%d" % order.id)._b2b_bitrix_push()

    @api.model
    def _b2b_bitrix_send_existing(self):
        """Queue the open dealer orders that have no deal yet (made before Bitrix24 was connected,
        or while it was connected to another portal), ORDERS_PER_JOB orders a job. Returns how
        many."""
        if not self.env["b2b.bitrix.api"]._b2b_configured():
            return 0
        orders = self.sudo().search([
            ("b2b_is_dealer_order", "=", True), ("state", "in", OPEN_STATES),
            "|", ("b2b_bitrix_deal_id", "=", False), ("b2b_bitrix_deal_id", "=", 0)], order="id")
        if not orders:
            return 0
        orders.write({"b2b_bitrix_sync": "pending"})
        for start in range(0, len(orders), ORDERS_PER_JOB):
            chunk = orders[start:start + ORDERS_PER_JOB]
            chunk.with_delay(
                description=_("Orders %(first)s to %(last)s to their Bitrix24 deals") % {
                    "first": chunk[0].name, "last": chunk[-1].name},
                identity_key="b2b_bitrix_existing:%d-%d" % (chunk[0].id, chunk[-1].id),
            )._b2b_bitrix_push()
        return len(orders)

    @api.multi
    @job(default_channel="root.b2b_bitrix")
    def _b2b_bitrix_push(self):
        api_ = self.env["b2b.bitrix.api"]
        with api_._b2b_job_errors():
            return self._b2b_bitrix_send()

    def _b2b_bitrix_order_data(self):
        base = self.env["b2b.bitrix.api"]._b2b_settings()["base_url"]
        order = {
            "id": self.id, "name": self.name, "state": self.state,
            "amount": self.amount_total, "currency": self.currency_id.name or "RUB",
            "date": fields.Datetime.from_string(self.date_order).strftime("%Y-%m-%dT%H:%M:%S+00:00")
            if self.date_order else None,
            "note": self.note or "", "dealer": self.partner_id.commercial_partner_id.name,
            "contract": self.b2b_contract_id.name or "",
            "url": "%s/web#id=%d&model=sale.order&view_type=form" % (base, self.id),
        }
        lines = [{"sku": line.product_id.default_code or "",
                  "name": line.product_id.name or line.name, "qty": line.product_uom_qty,
                  "price": line.price_unit, "uom": line.product_uom.name,
                  # VAT: its rate and whether the price includes it (as the line's taxes say)
                  "tax_rate": sum(line.tax_id.filtered(
                      lambda tax: tax.amount_type == "percent").mapped("amount")) or None,
                  "tax_included": all(line.tax_id.mapped("price_include"))}
                 for line in self.order_line if line.product_id]
        return order, lines

    @api.multi
    def _b2b_bitrix_send(self):
        """Bring the deals of ``self`` in step with the orders, in batch requests.

        Deals are first looked for by ORIGIN_ID (a retried job finds the deal its first attempt
        made); each order then costs two commands: the deal's fields and all its rows
        (``crm.deal.productrows.set`` replaces them). Returns {order id: deal id}."""
        api_ = self.env["b2b.bitrix.api"]
        settings = api_._b2b_settings()
        category = settings["deal_category_id"]
        stages = self.env["b2b.bitrix.stage"]._b2b_map()
        orders = self.sudo().filtered("b2b_is_dealer_order")
        # companies and contacts
        dealers = orders.mapped("partner_id.b2b_dealer_id")
        companies = dealers._b2b_bitrix_ensure_companies()
        authors = orders.mapped("b2b_author_id.partner_id").filtered("b2b_dealer_id")
        contacts = authors._b2b_bitrix_ensure_contacts() if authors else {}
        # deals made before but not recorded (a job that failed after Bitrix24 made them)
        unknown = orders.filtered(lambda o: not o.b2b_bitrix_deal_id)
        made = api_._b2b_find_by_origin("deal", [deals.origin_id(o.id) for o in unknown])
        for order in unknown:
            if made.get(deals.origin_id(order.id)):
                order.write({"b2b_bitrix_deal_id": made[deals.origin_id(order.id)]})
        plans = []
        for order in orders:
            data, lines = order._b2b_bitrix_order_data()
            stage = deals.stage_of(order.state, stages, category)
            rows = deals.deal_rows(lines)
            deal_fields = deals.deal_fields(
                data, stage, category, company_id=companies.get(order.partner_id.b2b_dealer_id.id),
                contact_ids=[contacts[order.b2b_author_id.partner_id.id]]
                if contacts.get(order.b2b_author_id.partner_id.id) else (),
                assigned_by=order.partner_id.b2b_dealer_id.b2b_manager_id.b2b_bitrix_user_id)
            sent_hash = deals.signature(repr(sorted(deal_fields.items())), rows)
            if order.b2b_bitrix_deal_id and sent_hash == order.b2b_bitrix_sent_hash:
                order.with_context(b2b_bitrix_from_deal=True).write({"b2b_bitrix_sync": "done"})
                continue
            plans.append((order, deal_fields, rows, sent_hash, deals.signature(stage, rows)))
        result = {}
        for start in range(0, len(plans), ORDERS_PER_BATCH):
            chunk = plans[start:start + ORDERS_PER_BATCH]
            calls = OrderedDict()
            singles = []
            for order, deal_fields, rows, _sent, _sig in chunk:
                key = str(order.id)
                if order.b2b_bitrix_deal_id:
                    calls["u" + key] = ("crm.deal.update", {
                        "id": order.b2b_bitrix_deal_id, "fields": deal_fields,
                        "params": {"REGISTER_SONET_EVENT": "N"}})
                    deal_ref = order.b2b_bitrix_deal_id
                else:
                    calls["a" + key] = ("crm.deal.add", {
                        "fields": deal_fields, "params": {"REGISTER_SONET_EVENT": "N"}})
                    deal_ref = "$result[a%s]" % key
                if rows:
                    calls["r" + key] = ("crm.deal.productrows.set", {"id": deal_ref, "rows": rows})
                else:
                    singles.append(order)  # an empty list of rows cannot travel in a batch
            outcome = api_._b2b_batch(calls)
            for order, _fields, rows, sent_hash, signature in chunk:
                key = str(order.id)
                deal_id = order.b2b_bitrix_deal_id or outcome.results.get("a" + key)
                errors = [outcome.errors[name] for name in ("u" + key, "a" + key, "r" + key)
                          if name in outcome.errors]
                if deal_id and order in singles and not errors:
                    try:
                        api_._b2b_call("crm.deal.productrows.set", {"id": int(deal_id), "rows": []})
                    except BitrixError as exc:
                        errors.append(exc)
                values = {"b2b_bitrix_deal_id": int(deal_id) if deal_id else 0}
                if errors:
                    values.update(b2b_bitrix_sync="error",
                                  b2b_bitrix_error="\n".join(str(e) for e in errors))
                    _logger.warning("Order %s to Bitrix24 deal: %s", order.name, values["b2b_bitrix_error"])
                else:
                    values.update(b2b_bitrix_sync="done", b2b_bitrix_error=False,
                                  b2b_bitrix_sent_hash=sent_hash, b2b_bitrix_signature=signature)
                    result[order.id] = int(deal_id)
                order.with_context(b2b_bitrix_from_deal=True).write(values)
        return result

    # ------------------------------------------------------------------ deals -> orders
    @api.model
    def _b2b_bitrix_fetch_deals(self, deal_ids):
        """{deal id: (deal, rows)} of ``deal_ids`` read in batch requests (missing deals left out)."""
        api_ = self.env["b2b.bitrix.api"]
        found = {}
        ids = list(deal_ids)
        for start in range(0, len(ids), 25):
            calls = OrderedDict()
            for deal_id in ids[start:start + 25]:
                calls["d%d" % deal_id] = ("crm.deal.get", {"id": deal_id})
                calls["r%d" % deal_id] = ("crm.deal.productrows.get", {"id": deal_id})
            outcome = api_._b2b_batch(calls)
            for deal_id in ids[start:start + 25]:
                deal = outcome.results.get("d%d" % deal_id)
                if isinstance(deal, dict):
                    rows = outcome.results.get("r%d" % deal_id)
                    found[deal_id] = (deal, rows if isinstance(rows, list) else [])
        return found

    @api.model
    def _b2b_bitrix_deal_event(self, event):
        """A deal was added or changed in Bitrix24: fetch it and let its order follow."""
        api_ = self.env["b2b.bitrix.api"]
        with api_._b2b_job_errors():
            fetched = self._b2b_bitrix_fetch_deals([event.record_id])
        if event.record_id not in fetched:
            return _("Deal %s not found in Bitrix24.") % event.record_id
        deal, rows = fetched[event.record_id]
        return self._b2b_bitrix_apply_deal(deal, rows)

    @api.model
    def _b2b_bitrix_apply_deal(self, deal, rows):
        """Let the order of ``deal`` follow a manager's change of the deal. Returns what was
        done, in words (kept on the event)."""
        origin = str(deal.get("ORIGIN_ID") or "")
        if origin.startswith("b2b.merch.request:") and "b2b.merch.request" in self.env:
            return self.env["b2b.merch.request"].sudo()._b2b_bitrix_deal_changed(deal)
        order_id = deals.order_id_of(origin)
        order = self.sudo().browse(order_id).exists() if order_id else self.browse()
        if not order or deal.get("ORIGINATOR_ID") != deals.ORIGINATOR:
            return _("Deal %s is not a portal order's.") % deal.get("ID")
        # what is said of the change is read by the dealer's manager: in the manager's language
        lang = (order.partner_id.b2b_dealer_id.b2b_manager_id.lang or order.user_id.lang
                or self.env.user.company_id.partner_id.lang or self.env.user.lang)
        return self.with_context(lang=lang)._b2b_bitrix_follow_deal(
            order.with_context(lang=lang), deal, rows)

    @api.model
    def _b2b_bitrix_follow_deal(self, order, deal, rows):
        """Let ``order`` follow its ``deal`` and ``rows`` as far as the order's status allows;
        returns what was done, in words."""
        if order.b2b_bitrix_deal_id and order.b2b_bitrix_deal_id != int(deal["ID"]):
            return _("Deal %(deal)s names order %(order)s, whose deal is %(other)s: left alone.") % {
                "deal": deal["ID"], "order": order.name, "other": order.b2b_bitrix_deal_id}
        stage = deal.get("STAGE_ID")
        if deals.signature(stage, rows) == order.b2b_bitrix_signature:
            return _("Order %s: the deal is as the portal sent it (the echo of its own update).") \
                % order.name
        settings = self.env["b2b.bitrix.api"]._b2b_settings()
        _data, lines = order._b2b_bitrix_order_data()
        change = deals.deal_change(order.state, lines, deal, rows,
                                   self.env["b2b.bitrix.stage"]._b2b_back_map(),
                                   settings["deal_category_id"])
        who = deal.get("MODIFY_BY_ID") or deal.get("ASSIGNED_BY_ID") or "?"
        if change.empty and not change.problems:
            order.with_context(b2b_bitrix_from_deal=True).write(
                {"b2b_bitrix_signature": deals.signature(stage, rows)})
            return _("Order %s: nothing the order follows has changed.") % order.name
        editable = order.state in order._b2b_bitrix_editable_states()
        if not editable:
            text = _("The manager (Bitrix24 user %(user)s) changed deal %(deal)s of order %(order)s, "
                     "but the order's status «%(status)s» allows no more changes: the order is kept "
                     "as it is.") % {"user": who, "deal": deal["ID"], "order": order.name,
                                     "status": order._b2b_bitrix_status_label(order.state)}
            order._b2b_bitrix_tell_manager(text)
            order.with_context(b2b_bitrix_from_deal=True).write(
                {"b2b_bitrix_signature": deals.signature(stage, rows)})
            return text
        done = []
        problems = [problem.render(lambda text: translate(self.env, text))
                    for problem in change.problems]
        from_deal = order.with_context(b2b_bitrix_from_deal=True)
        if change.lines is not None and not change.problems:
            lines_done, line_problems = from_deal._b2b_bitrix_set_lines(change.lines)
            done += lines_done
            problems += line_problems
        if change.state and not problems:
            if change.state == "cancel":
                from_deal.action_cancel()
            elif change.state == "sale" and order.state in ("draft", "sent"):
                from_deal.action_confirm()
            elif change.state in ("draft", "sent") and order.state in ("draft", "sent"):
                from_deal.write({"state": change.state})
            else:
                problems.append(_("stage %(stage)s cannot bring the order from «%(status)s»") % {
                    "stage": stage, "status": order._b2b_bitrix_status_label(order.state)})
            if not problems:
                done.append(_("status «%s»") % order._b2b_bitrix_status_label(order.state))
        if problems:
            text = _("The manager's change of deal %(deal)s was not applied to order %(order)s: "
                     "%(problems)s.") % {"deal": deal["ID"], "order": order.name,
                                         "problems": "; ".join(problems)}
            order._b2b_bitrix_tell_manager(text)
            return text
        order.with_context(b2b_bitrix_from_deal=True).write(
            {"b2b_bitrix_signature": deals.signature(stage, rows)})
        text = _("Order %(order)s follows the manager's change of deal %(deal)s: %(what)s.") % {
            "order": order.name, "deal": deal["ID"], "what": ", ".join(done)}
        order.message_post(body=text, subtype="mail.mt_note")
        # the order's total and fields the deal shows may differ now: send them (rows stay equal)
        order._b2b_bitrix_queue()
        return text

    @api.model
    def _b2b_bitrix_editable_states(self):
        """The order states a manager's deal change may still change (the dealer portal's status
        rule when the portal is installed: b2b_portal_bitrix)."""
        return frozenset(("draft", "sent"))

    @api.model
    def _b2b_bitrix_status_label(self, state):
        # (Odoo's Russian of "Sales Order" ends with a space)
        return dict(self._fields["state"]._description_selection(self.env)).get(state, state).strip()

    @api.model
    def _b2b_bitrix_products_by_sku(self, skus):
        """{sku: product id} of the saleable goods with these exact SKUs (the dealer portal's
        SKU look-up, which letter case and spaces do not fool, when the portal is installed)."""
        products = self.env["product.product"].sudo().search(
            [("default_code", "in", list(skus)), ("sale_ok", "=", True)], order="id")
        found = {}
        for product in products:
            found.setdefault(product.default_code, product.id)
        return found

    @api.multi
    def _b2b_bitrix_set_lines(self, wanted):
        """Make the order's lines ``wanted`` ([(sku, qty, price)]). Returns (what was done,
        problems); with a problem nothing is changed."""
        self.ensure_one()
        Product = self.env["product.product"].sudo()
        found = self._b2b_bitrix_products_by_sku([sku for sku, _qty, _price in wanted])
        problems = [_("SKU %s is not in the catalog") % sku for sku, _q, _p in wanted if sku not in found]
        if problems:
            return [], problems
        by_product = OrderedDict()
        for sku, qty, price in wanted:
            entry = by_product.setdefault(found[sku], [0.0, price])
            entry[0] += qty
        done = []
        lines = self.order_line.filtered("product_id")
        for line in lines:
            if line.product_id.id not in by_product:
                done.append(_("%s removed") % (line.product_id.default_code or line.product_id.name))
                line.unlink()
        for product_id, (qty, price) in by_product.items():
            line = lines.filtered(lambda l, p=product_id: l.exists() and l.product_id.id == p)[:1]
            if line:
                if abs(line.product_uom_qty - qty) > 1e-6 or abs(line.price_unit - price) > 0.005:
                    line.write({"product_uom_qty": qty, "price_unit": price})
                    done.append("%s × %s" % (line.product_id.default_code, qty))
            else:
                product = Product.browse(product_id)
                self.env["sale.order.line"].sudo().create({
                    "order_id": self.id, "product_id": product_id, "product_uom_qty": qty,
                    "price_unit": price, "product_uom": product.uom_id.id, "name": product.name})
                done.append(_("%s added") % product.default_code)
        return done, []

    @api.multi
    def _b2b_bitrix_tell_manager(self, text):
        """Keep ``text`` on the order and notify its dealer's manager in Odoo."""
        self.ensure_one()
        manager = self.partner_id.b2b_dealer_id.b2b_manager_id
        self.message_post(body=text, subtype="mail.mt_note",
                          partner_ids=manager.partner_id.ids if manager else [])

    # ------------------------------------------------------------------ reconciliation
    @api.model
    def _b2b_bitrix_reconcile(self):
        """Catch what events missed (Bitrix24 never sends an event twice): deals changed since
        the last run are read and applied as if their events came; orders whose deal could not
        be sent are sent again."""
        api_ = self.env["b2b.bitrix.api"]
        if not api_._b2b_configured():
            return
        params = self.env["ir.config_parameter"].sudo()
        since = params.get_param(PARAM_RECONCILED) or ""
        flt = {"ORIGINATOR_ID": deals.ORIGINATOR}
        if since:
            flt[">=DATE_MODIFY"] = since
        changed = api_._b2b_list("crm.deal.list", {
            "filter": flt, "select": ["ID", "DATE_MODIFY"], "order": {"DATE_MODIFY": "ASC"}})
        latest = since
        ids = []
        for deal in changed:
            ids.append(int(deal["ID"]))
            latest = max(latest, str(deal.get("DATE_MODIFY") or ""))
        applied = 0
        for deal, rows in self._b2b_bitrix_fetch_deals(ids).values():
            self._b2b_bitrix_apply_deal(deal, rows)
            applied += 1
        if latest:
            params.set_param(PARAM_RECONCILED, latest)
        stale = self.sudo().search([("b2b_bitrix_sync", "in", ("pending", "error")),
                                    ("b2b_is_dealer_order", "=", True)], limit=500)
        if stale:
            stale._b2b_bitrix_send()
        _logger.info("Bitrix24 reconciliation: %d deals read, %d orders sent again", applied,
                     len(stale))
        return applied
