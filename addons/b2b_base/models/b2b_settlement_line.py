import datetime
import logging

from odoo import _, api, fields, models, tools
from odoo.exceptions import UserError, ValidationError

from ..tools import business_date
from ..lib import aging, ledger

_logger = logging.getLogger(__name__)

# Only b2b_upsert holds this key: a context value no RPC call can forge (it is not JSON).
_POSTING = object()

EDGES_PARAM = "b2b_base.aging_edges"

SETTLEMENT_KINDS = [
    ("opening", "Opening balance"),
    ("shipment", "Shipment / realisation"),
    ("payment", "Payment"),
    ("return", "Return"),
    ("adjustment", "Adjustment"),
]


class B2bSettlementLine(models.Model):
    """One line of the settlement ledger (взаиморасчеты) of a contract, as 1C posted it.

    Sign convention: ``debit`` raises what the dealer owes the supplier (shipments, opening debt),
    ``credit`` lowers it (payments, returns); balance = debit - credit. A line is immutable once
    posted; only a newer version of the same 1C document (same ``b2b_onec_id``) replaces it, through
    ``b2b_upsert``."""
    _name = "b2b.settlement.line"
    # the dealer API: what a dealer's user may call through Odoo's RPC (lib/rpc_policy.py)
    _b2b_dealer_rpc = ("b2b_aging", "b2b_aging_by_dealer")
    _description = "Settlement Ledger Line"
    _order = "contract_id, date, id"

    partner_id = fields.Many2one("res.partner", "Legal Entity", required=True, index=True,
                                 ondelete="restrict")
    contract_id = fields.Many2one("b2b.contract", required=True, index=True,
                                  ondelete="restrict")
    dealer_id = fields.Many2one("res.partner", "Dealer", related="contract_id.dealer_id",
                                store=True, readonly=True, index=True)
    date = fields.Date(required=True, index=True)
    kind = fields.Selection(SETTLEMENT_KINDS, "Document Kind", required=True)
    doc_number = fields.Char("Document Number")
    b2b_onec_id = fields.Char("1C Id", index=True, copy=False,
                              help="The document's identifier (Ид) in 1C; a newer version of the same "
                                 "document replaces this line.")
    b2b_onec_version = fields.Char("1C Version", copy=False,
                                   help="The document version 1C sent (its НомерВерсии / date of change).")
    settles_onec_id = fields.Char(
        "Settles Document", index=True,
        help="For a payment or return 1C matched to one debt document: that document's 1C id. "
             "Unmatched payments settle the oldest debts first.")
    currency_id = fields.Many2one("res.currency", related="contract_id.currency_id", store=True,
                                  readonly=True)
    debit = fields.Monetary(currency_field="currency_id", default=0.0)
    credit = fields.Monetary(currency_field="currency_id", default=0.0)
    due_date = fields.Date(index=True,
                           help="When the debt of this document falls due (debit lines).")
    note = fields.Char()
    company_id = fields.Many2one("res.company", related="contract_id.company_id", store=True,
                                 readonly=True)

    _sql_constraints = [
        ("b2b_onec_id_unique", "unique(b2b_onec_id)", "Another ledger line already has this 1C id."),
        ("amounts_positive", "CHECK(debit >= 0 AND credit >= 0)",
         "Debit and credit of a ledger line cannot be negative."),
    ]

    def init(self):
        # the aging reads every line of many contracts in (contract, date, id) order: from this
        # index, without sorting
        tools.create_index(self._cr, "b2b_settlement_line_contract_date_id_index", self._table,
                           ["contract_id", "date", "id"])

    # ------------------------------------------------------------------ ledger
    _B2B_LEDGER_FIELDS = ("id", "date", "kind", "doc_number", "debit", "credit", "due_date",
                          "b2b_onec_id", "note")

    @api.model
    def b2b_statement(self, contract, date_from=None, date_to=None):
        """The ledger of ``contract`` (a b2b.contract record the caller may read) from
        ``date_from`` to ``date_to`` (inclusive; None = open-ended): a lib.ledger.Statement whose
        lines' rows are dicts of ``_B2B_LEDGER_FIELDS``. Two indexed queries, whatever the size."""
        contract.ensure_one()
        contract.check_access_rights("read")
        contract.check_access_rule("read")
        cr = self.env.cr
        opening = 0.0
        if date_from:
            cr.execute("SELECT COALESCE(SUM(debit - credit), 0) FROM b2b_settlement_line "
                       "WHERE contract_id = %s AND date < %s", (contract.id, date_from))
            opening = cr.fetchone()[0]
        where, params = ["contract_id = %s"], [contract.id]
        if date_from:
            where.append("date >= %s")
            params.append(date_from)
        if date_to:
            where.append("date <= %s")
            params.append(date_to)
        cr.execute("SELECT %s FROM b2b_settlement_line WHERE %s ORDER BY date, id"
                   % (", ".join(self._B2B_LEDGER_FIELDS), " AND ".join(where)), params)
        return ledger.statement(opening, cr.dictfetchall())

    # ------------------------------------------------------------------ immutability
    def _b2b_posting(self):
        return self.env.context.get("b2b_ledger_posting") is _POSTING

    def _b2b_refuse_change(self):
        raise UserError(_(
            "Settlement ledger lines are posted by 1C and cannot be changed or deleted. 1C replaces "
            "a line by sending a newer version of the same document."))

    @api.multi
    def write(self, vals):
        if not self._b2b_posting():
            self._b2b_refuse_change()
        return super(B2bSettlementLine, self).write(vals)

    @api.multi
    def unlink(self):
        if not self._b2b_posting():
            self._b2b_refuse_change()
        return super(B2bSettlementLine, self).unlink()

    @api.model
    def create(self, vals):
        clean, problems = self._b2b_prepare_vals(vals)
        if problems:
            raise ValidationError("\n".join(problems))
        line = super(B2bSettlementLine, self).create(clean)
        if not self._b2b_posting():   # b2b_upsert recomputes once for the whole batch
            self._b2b_recompute_debt(contracts=line.contract_id)
        return line

    # ------------------------------------------------------------------ intake from 1C
    _B2B_DATA_FIELDS = ("partner_id", "contract_id", "date", "kind", "doc_number", "b2b_onec_version",
                        "settles_onec_id", "debit", "credit", "due_date", "note")

    def _b2b_prepare_vals(self, vals, where=None):
        """(clean vals, [problems]): checks one line's values and fills the legal entity from the
        contract and the due date of a debt (its date for an opening balance, else the date plus
        the contract's payment deferral)."""
        where = where or _("Ledger line %s") % (vals.get("b2b_onec_id") or vals.get("doc_number") or "")
        problems = []
        clean = dict(vals)
        contract = self.env["b2b.contract"].sudo().browse(vals.get("contract_id") or []).exists()
        if not contract:
            problems.append(_("%s: the contract is missing or unknown.") % where)
        partner_id = vals.get("partner_id")
        if contract:
            if partner_id and partner_id != contract.partner_id.id:
                partner = self.env["res.partner"].sudo().browse(partner_id).exists()
                problems.append(_("%(where)s: legal entity «%(partner)s» is not the party of "
                                  "contract %(contract)s (which is «%(party)s»).")
                                % {"where": where, "partner": partner.name or partner_id,
                                   "contract": contract.name, "party": contract.partner_id.name})
            clean["partner_id"] = contract.partner_id.id
        kinds = dict(self._fields["kind"].selection)
        if vals.get("kind") not in kinds:
            problems.append(_("%(where)s: unknown document kind «%(kind)s» (expected one of: "
                              "%(kinds)s).") % {"where": where, "kind": vals.get("kind") or "",
                                                "kinds": ", ".join(sorted(kinds))})
        dates = {}
        for name in ("date", "due_date"):
            value = vals.get(name)
            if not value and name == "due_date":
                continue
            try:
                dates[name] = fields.Date.from_string(value) if isinstance(value, str) else value
                if not isinstance(dates[name], datetime.date):
                    raise ValueError(value)
            except (ValueError, TypeError):
                problems.append(_("%(where)s: «%(value)s» is not a date (expected YYYY-MM-DD).")
                                % {"where": where, "value": value or ""})
                dates.pop(name, None)
        for name in ("debit", "credit"):
            try:
                amount = float(vals.get(name) or 0.0)
            except (ValueError, TypeError):
                problems.append(_("%(where)s: %(field)s «%(value)s» is not a number.")
                                % {"where": where, "field": name, "value": vals.get(name)})
                continue
            if amount < 0:
                problems.append(_("%(where)s: %(field)s cannot be negative (%(value)s).")
                                % {"where": where, "field": name, "value": amount})
            clean[name] = amount
        if problems:
            return clean, problems
        clean["date"] = fields.Date.to_string(dates["date"])
        if "due_date" in dates:
            clean["due_date"] = fields.Date.to_string(dates["due_date"])
        elif clean.get("debit"):
            days = 0 if vals["kind"] == "opening" else contract.payment_days
            clean["due_date"] = fields.Date.to_string(dates["date"] + datetime.timedelta(days=days))
        else:
            clean["due_date"] = False
        return clean, problems

    @staticmethod
    def _b2b_version_older(new, old):
        """True when version ``new`` of a document is older than the stored ``old``: numbers
        compare as numbers, anything else (e.g. timestamps) as text; no version is never older."""
        if not new or not old:
            return False
        if new.isdigit() and old.isdigit():
            return int(new) < int(old)
        return new < old

    def _b2b_same_data(self, clean):
        self.ensure_one()
        for name in self._B2B_DATA_FIELDS:
            field = self._fields[name]
            stored = self[name]
            if field.type == "many2one":
                stored = stored.id
            new = clean.get(name) or False
            if field.type == "monetary":
                if round(stored or 0.0, 2) != round(new or 0.0, 2):
                    return False
            elif (stored or False) != new:
                return False
        return True

    @api.model
    def b2b_upsert(self, vals_list):
        """Post ledger lines as 1C sends them: ``vals_list`` [{b2b_onec_id, contract_id, date, kind,
        debit, credit, ...}]. A line with a known 1C id is replaced by a newer version of its
        document (the same record: never a duplicate), left alone when the data is the same or the
        version older; ``posted: False`` removes a document 1C unposted. Every line is checked
        first: on any problem nothing is written and the message names each line at fault.
        The debt state of the contracts concerned is recomputed in the same transaction.
        Returns {'created': [ids], 'updated': [ids], 'unchanged': [ids], 'removed': [ids]}."""
        self.check_access_rights("create")
        self.check_access_rights("write")
        problems, prepared = [], []
        for number, vals in enumerate(vals_list, start=1):
            one_c_id = vals.get("b2b_onec_id")
            where = _("Ledger line %(number)s (1C id %(onec_id)s)") % {
                "number": number, "onec_id": one_c_id or "-"}
            if not one_c_id:
                problems.append(_("%s: the 1C id of the document is missing.") % where)
                continue
            if vals.get("posted", True) is False:
                prepared.append((one_c_id, None))
                continue
            clean, line_problems = self._b2b_prepare_vals(
                {k: v for k, v in vals.items() if k != "posted"}, where)
            problems.extend(line_problems)
            prepared.append((one_c_id, clean))
        if problems:
            raise ValidationError("\n".join(problems))
        posting = self.with_context(b2b_ledger_posting=_POSTING)
        existing = {line.b2b_onec_id: line for line in posting.search(
            [("b2b_onec_id", "in", [one_c_id for one_c_id, _clean in prepared])])}
        result = {"created": [], "updated": [], "unchanged": [], "removed": []}
        touched = self.env["b2b.contract"]
        for one_c_id, clean in prepared:
            line = existing.get(one_c_id)
            if clean is None:
                if line:
                    touched |= line.contract_id
                    result["removed"].append(line.id)
                    line.unlink()
                    del existing[one_c_id]
                continue
            if not line:
                line = posting.create(clean)
                existing[one_c_id] = line
                touched |= line.contract_id
                result["created"].append(line.id)
            elif (self._b2b_version_older(clean.get("b2b_onec_version"), line.b2b_onec_version)
                  or line._b2b_same_data(clean)):
                result["unchanged"].append(line.id)
            else:
                touched |= line.contract_id
                line.write(clean)
                touched |= line.contract_id
                result["updated"].append(line.id)
        if touched:
            self._b2b_recompute_debt(contracts=touched)
        return result

    # ------------------------------------------------------------------ aging
    @api.model
    def _b2b_aging_edges(self):
        """The overdue bucket edges (days) set in the settings; the default when unset or invalid."""
        value = self.env["ir.config_parameter"].sudo().get_param(EDGES_PARAM)
        if not value:
            return aging.DEFAULT_EDGES
        try:
            return aging.parse_edges(value, count=3)
        except aging.AgingError as error:
            _logger.warning("System parameter %s: %s; using %s", EDGES_PARAM, error.text,
                            aging.format_edges(aging.DEFAULT_EDGES))
            return aging.DEFAULT_EDGES

    @api.model
    def _b2b_as_of(self, as_of=None):
        if not as_of:
            as_of = business_date.today(self.env)
        if isinstance(as_of, datetime.datetime):
            return as_of.date()
        if isinstance(as_of, datetime.date):
            return as_of
        try:
            return fields.Date.from_string(as_of)
        except (ValueError, TypeError):
            raise UserError(_("«%s» is not a date (expected YYYY-MM-DD).") % as_of)

    @api.model
    def _b2b_agings(self, contract_ids, as_of, edges, with_items=False):
        """{contract_id: (aging shown, source, computed aging, 1C summary date or None)} for
        ``contract_ids`` (no access check: callers check). Two queries: every ledger line of the
        contracts up to ``as_of`` and the newest 1C summary of each."""
        result = {}
        if not contract_ids:
            return result
        cr = self.env.cr
        # dates as day numbers (what date.toordinal() gives) and amounts in kopecks: no parsing
        # per line; a document's 1C id only where some credit names it (explicit matching)
        cr.execute("""
            WITH named AS (SELECT DISTINCT settles_onec_id FROM b2b_settlement_line
                            WHERE contract_id = ANY(%(ids)s) AND settles_onec_id IS NOT NULL)
            SELECT l.contract_id, l.id, l.date - '0001-01-01'::date + 1,
                   l.due_date - '0001-01-01'::date + 1, round(l.debit * 100)::bigint,
                   round(l.credit * 100)::bigint, named.settles_onec_id, l.settles_onec_id
              FROM b2b_settlement_line l
              LEFT JOIN named ON named.settles_onec_id = l.b2b_onec_id
             WHERE l.contract_id = ANY(%(ids)s) AND l.date <= %(as_of)s
          ORDER BY l.contract_id, l.date, l.id""", {"ids": list(contract_ids), "as_of": as_of})
        rows = cr.fetchall()
        newest_line = {}   # day number of each contract's newest line
        for row in rows:
            newest_line[row[0]] = row[2]
        computed = aging.age_by_contract(rows, as_of, edges, with_items, in_cents=True)
        cr.execute("""SELECT DISTINCT ON (contract_id) contract_id, date, balance, not_due,
                             overdue_1, overdue_2, overdue_3, overdue_4, overdue_days
                        FROM b2b_overdue_summary
                       WHERE contract_id = ANY(%s) AND date <= %s
                    ORDER BY contract_id, date DESC, id DESC""", (list(contract_ids), as_of))
        summaries = {row[0]: (fields.Date.from_string(row[1]),) + row[2:] for row in cr.fetchall()}
        blank = aging.empty(edges)
        for contract_id in contract_ids:
            own = computed.get(contract_id, blank)
            summary = summaries.get(contract_id)
            newest = newest_line.get(contract_id)
            if summary and (summary[0] == as_of or newest is None
                            or summary[0].toordinal() >= newest):
                date, balance, not_due, b1, b2, b3, b4, days = summary
                shown = aging.from_summary(balance, not_due, (b1, b2, b3, b4), days, date, as_of,
                                           edges)
                result[contract_id] = (shown, "1c", own, date)
            else:
                result[contract_id] = (own, "computed", own, None)
        return result

    @staticmethod
    def _b2b_aging_dict(entry, edges):
        shown, source, computed, summary_date = entry
        answer = shown.as_dict(edges)
        answer["source"] = source
        if source == "1c":
            answer["computed"] = dict(computed.as_dict(edges), source="computed")
            answer["summary_date"] = fields.Date.to_string(summary_date)
        return answer

    @api.model
    def b2b_aging(self, contracts, as_of=None):
        """Aging of ``contracts`` (b2b.contract records or ids the caller may read) as of ``as_of``
        (default today): {contract_id: {'balance', 'not_due', 'overdue', 'oldest_days',
        'buckets': [{'label', 'from', 'to', 'amount'}], 'source': 'computed' | '1c', 'blocked',
        and, when 1C's summary is shown, 'computed' (the aging from the ledger) and
        'summary_date'}}."""
        contracts = self._b2b_readable_contracts(contracts)
        edges = self._b2b_aging_edges()
        agings = self._b2b_agings(contracts.ids, self._b2b_as_of(as_of), edges)
        return {cid: self._b2b_aging_dict(entry, edges) for cid, entry in agings.items()}

    @api.model
    def b2b_aging_by_dealer(self, dealers, as_of=None):
        """The same per dealer (``dealers``: res.partner records or ids), summed over the
        dealer's contracts the caller may read."""
        if not isinstance(dealers, models.BaseModel):
            dealers = self.env["res.partner"].browse(dealers)
        dealers.check_access_rights("read")
        dealers.check_access_rule("read")
        contracts = self.env["b2b.contract"].with_context(active_test=False).search(
            [("dealer_id", "in", dealers.ids)])
        edges = self._b2b_aging_edges()
        agings = self._b2b_agings(contracts.ids, self._b2b_as_of(as_of), edges)
        by_dealer = self._b2b_group_by_dealer(contracts.ids, agings)
        return {dealer_id: self._b2b_aging_dict(self._b2b_sum(by_dealer.get(dealer_id, []), edges),
                                                edges)
                for dealer_id in dealers.ids}

    def _b2b_group_by_dealer(self, contract_ids, agings):
        """{dealer_id: [aging entries of its contracts]} (one query for the contracts' dealers)."""
        by_dealer = {}
        if contract_ids:
            self.env.cr.execute("SELECT id, dealer_id FROM b2b_contract WHERE id = ANY(%s)",
                                (list(contract_ids),))
            for contract_id, dealer_id in self.env.cr.fetchall():
                by_dealer.setdefault(dealer_id, []).append(agings[contract_id])
        return by_dealer

    @staticmethod
    def _b2b_sum(entries, edges):
        """Several contracts' (shown, source, computed, date) entries summed into one."""
        shown = aging.total([entry[0] for entry in entries], edges)
        computed = aging.total([entry[2] for entry in entries], edges)
        from_onec = [entry[3] for entry in entries if entry[1] == "1c"]
        if from_onec:
            return shown, "1c", computed, max(from_onec)
        return shown, "computed", computed, None

    def _b2b_readable_contracts(self, contracts):
        if not isinstance(contracts, models.BaseModel):
            contracts = self.env["b2b.contract"].browse(contracts)
        contracts = contracts.exists()
        contracts.check_access_rights("read")
        contracts.check_access_rule("read")
        return contracts

    # ------------------------------------------------------------------ stored debt state
    _B2B_STATE_FIELDS = ("b2b_debt_balance", "b2b_overdue_amount", "b2b_overdue_days",
                         "b2b_shipment_blocked", "b2b_debt_source", "b2b_debt_date")

    @staticmethod
    def _b2b_state_vals(entry, as_of):
        shown, source = entry[0], entry[1]
        return {
            "b2b_debt_balance": shown.balance / 100.0,
            "b2b_overdue_amount": shown.overdue / 100.0,
            "b2b_overdue_days": shown.oldest_days,
            "b2b_shipment_blocked": shown.blocked,
            "b2b_debt_source": source,
            "b2b_debt_date": fields.Date.to_string(as_of),
        }

    def _b2b_stored_states(self, table, ids):
        """{id: {field: stored value}} of the debt state of rows ``ids`` of ``table`` (one query)."""
        if not ids:
            return {}
        self.env.cr.execute("SELECT id, %s FROM %s WHERE id = ANY(%%s)"
                            % (", ".join(self._B2B_STATE_FIELDS), table), (list(ids),))
        return {row[0]: dict(zip(self._B2B_STATE_FIELDS, row[1:])) for row in self.env.cr.fetchall()}

    @staticmethod
    def _b2b_state_changed(stored, vals):
        for name, value in vals.items():
            old = stored.get(name)
            if isinstance(value, float):
                if round(old or 0.0, 2) != round(value, 2):
                    return True
            elif (old or False) != (value or False):
                return True
        return False

    @api.model
    def _b2b_recompute_debt(self, contracts=None, dealers=None, as_of=None):
        """Write the stored debt state (balance, overdue amount and days, shipment block, source,
        date) of ``contracts`` and ``dealers`` and, for a contract, of its dealer (summed over all
        of the dealer's contracts). Called after every ledger or summary change and by the daily
        cron; pages only read the stored fields. Only what changed is written. A dealer whose
        block starts or ends gets a note in its chatter."""
        Contract = self.env["b2b.contract"].sudo().with_context(active_test=False)
        Partner = self.env["res.partner"].sudo()
        contracts = Contract.browse((contracts or Contract).ids).exists()
        dealers = Partner.browse((dealers or Partner).ids).exists() | contracts.mapped("dealer_id")
        if dealers:
            contracts |= Contract.search([("dealer_id", "in", dealers.ids)])
        as_of = self._b2b_as_of(as_of)
        edges = self._b2b_aging_edges()
        agings = self._b2b_agings(contracts.ids, as_of, edges)
        stored = self._b2b_stored_states("b2b_contract", contracts.ids)
        for contract_id in contracts.ids:
            vals = self._b2b_state_vals(agings[contract_id], as_of)
            if self._b2b_state_changed(stored[contract_id], vals):
                Contract.browse(contract_id).write(vals)
        by_dealer = self._b2b_group_by_dealer(contracts.ids, agings)
        stored = self._b2b_stored_states("res_partner", dealers.ids)
        for dealer_id in dealers.ids:
            entry = self._b2b_sum(by_dealer.get(dealer_id, []), edges)
            vals = self._b2b_state_vals(entry, as_of)
            if not self._b2b_state_changed(stored[dealer_id], vals):
                continue
            dealer = Partner.browse(dealer_id)
            was_blocked = stored[dealer_id]["b2b_shipment_blocked"]
            dealer.write(vals)
            if vals["b2b_shipment_blocked"] and not was_blocked:
                dealer.message_post(body=_(
                    "Shipments stopped: overdue debt %(amount).2f, the oldest %(days)s days "
                    "overdue (over %(limit)s days).") % {"amount": vals["b2b_overdue_amount"],
                                                         "days": vals["b2b_overdue_days"],
                                                         "limit": edges[-1]})
            elif was_blocked and not vals["b2b_shipment_blocked"]:
                dealer.message_post(body=_("Shipment block lifted: no debt is overdue more than "
                                           "%s days.") % edges[-1])
        return True

    @api.model
    def b2b_cron_recompute_debt(self):
        """Daily: every dealer's debt state as of today (debts age even when nothing is posted)."""
        dealers = self.env["res.partner"].sudo().with_context(active_test=False).search(
            ["|", ("b2b_is_dealer", "=", True), ("b2b_debt_date", "!=", False)])
        for start in range(0, len(dealers), 500):
            self._b2b_recompute_debt(dealers=dealers[start:start + 500])
        return True
