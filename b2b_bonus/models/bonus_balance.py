import datetime

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

from odoo.addons.b2b_base.tools import business_date

from ..lib import bonus

# the points held by open bonus orders and the points spent since the last statement, per dealer
FIGURES_SQL = """
    WITH cut AS (
        SELECT DISTINCT ON (partner_id) partner_id, date, id
          FROM b2b_bonus_move
         WHERE kind = 'statement' AND partner_id IN %(dealers)s
         ORDER BY partner_id, id DESC)
    SELECT m.partner_id,
           COALESCE(SUM(m.reserved_change), 0),
           COALESCE(SUM(m.spent_change) FILTER (
               WHERE cut.id IS NULL OR (m.date, m.id) > (cut.date, cut.id)), 0)
      FROM b2b_bonus_move m
      LEFT JOIN cut ON cut.partner_id = m.partner_id
     WHERE m.partner_id IN %(dealers)s
     GROUP BY m.partner_id
"""


class BonusBalance(models.Model):
    _name = "b2b.bonus.balance"
    _description = "Dealer Bonus Balance"
    _rec_name = "partner_id"
    _order = "partner_id"
    _b2b_dealer_rpc = ("b2b_dealer_summary",)

    partner_id = fields.Many2one(
        "res.partner", "Dealer", required=True, index=True, ondelete="cascade",
        domain=[("b2b_is_dealer", "=", True), ("is_company", "=", True)],
        help="The dealer (commercial partner) whose bonus points these are.")
    points = fields.Float(digits=(16, bonus.POINTS_DIGITS),
                          help="Bonus points the dealer can spend on bonus orders.")
    balance_date = fields.Date("Date of the 1C Figure",
                               help="The date on which 1C stated this balance.")
    reserved_points = fields.Float(
        "Reserved", digits=(16, bonus.POINTS_DIGITS), compute="_compute_b2b_figures",
        help="Points held by the dealer's bonus orders that 1C has not confirmed yet.")
    available_points = fields.Float(
        "Available", digits=(16, bonus.POINTS_DIGITS), compute="_compute_b2b_figures",
        help="The points 1C stated, less the reserved points and less the points of bonus orders "
             "1C confirmed after its statement: what the dealer can still spend.")
    move_ids = fields.One2many("b2b.bonus.move", compute="_compute_b2b_move_ids", string="History")
    b2b_onec_id = fields.Char("1C Id", copy=False, index=True,
                              help="The balance record's identifier (Ид) in the supplier's 1C.")

    _sql_constraints = [
        ("partner_unique", "unique(partner_id)", "This dealer already has a bonus balance."),
        ("b2b_onec_id_unique", "unique(b2b_onec_id)", "Another bonus balance already has this 1C id."),
    ]

    @api.constrains("partner_id")
    def _check_dealer(self):
        for balance in self:
            partner = balance.partner_id
            if partner != partner.commercial_partner_id or not partner.b2b_is_dealer:
                raise ValidationError(
                    _('Bonus balances belong to dealers: "%s" is not a dealer company.')
                    % partner.display_name)

    @api.depends("points")
    def _compute_b2b_figures(self):
        figures = self._b2b_figures(self.mapped("partner_id").ids)
        for balance in self:
            reserved, spent = figures.get(balance.partner_id.id, (0.0, 0.0))
            balance.reserved_points = reserved
            balance.available_points = bonus.available_points(balance.points, reserved, spent)

    def _compute_b2b_move_ids(self):
        Move = self.env["b2b.bonus.move"]
        for balance in self:
            balance.move_ids = Move.search([("partner_id", "=", balance.partner_id.id)])

    @api.model
    def _b2b_figures(self, dealer_ids):
        """{dealer id: (reserved points, points spent since 1C's last statement)}, one query."""
        if not dealer_ids:
            return {}
        self.env.cr.execute(FIGURES_SQL, {"dealers": tuple(dealer_ids)})
        return {row[0]: (row[1], row[2]) for row in self.env.cr.fetchall()}

    @api.model
    def _b2b_available(self, dealer):
        """(stated points, reserved, available) of ``dealer`` (a commercial partner)."""
        balance = self.sudo().search([("partner_id", "=", dealer.id)], limit=1)
        reserved, spent = self._b2b_figures([dealer.id]).get(dealer.id, (0.0, 0.0))
        return balance.points, reserved, bonus.available_points(balance.points, reserved, spent)

    @api.model
    def b2b_dealer_summary(self, partner_id=None):
        """The bonus points of the current user's dealer (a supplier's user may name any dealer
        with ``partner_id``; a dealer's user only a dealer they act for): {"stated": 1C's figure,
        "stated_date": its date or False, "reserved": held by bonus orders 1C has not confirmed,
        "available": what can still be spent}."""
        user = self.env.user
        Partner = self.env["res.partner"].sudo()
        if partner_id:
            dealer = self._b2b_dealer_of(Partner.browse(int(partner_id)).exists())
            if user.has_group("base.group_user"):
                self.check_access_rights("read")
            elif not dealer or dealer not in user.sudo().b2b_scope_dealer_ids:
                raise AccessError(_("You cannot see the bonus points of this dealer."))
        else:
            dealer = self._b2b_dealer_of(user.sudo().partner_id)
        balance = self.sudo().search([("partner_id", "=", dealer.id)], limit=1)
        stated, reserved, available = self._b2b_available(dealer)
        return {"stated": stated, "stated_date": balance.balance_date or False,
                "reserved": reserved, "available": available}

    @api.model
    def _b2b_statement_date(self, balance_date):
        """The moment a figure 1C states for ``balance_date`` covers: the end of that day in the
        supplier's time zone, or now when the figure arrives before the day is over (spends
        confirmed after it are not in 1C's figure)."""
        now = datetime.datetime.utcnow().replace(microsecond=0)
        if not balance_date:
            return now
        day = fields.Date.from_string(balance_date) + datetime.timedelta(days=1)
        end = business_date.business_tz(self.env).localize(
            datetime.datetime.combine(day, datetime.time.min))
        return min(now, end.astimezone(datetime.timezone.utc).replace(tzinfo=None))

    def _b2b_record_statement(self):
        Move = self.env["b2b.bonus.move"]
        for balance in self:
            Move._b2b_record(
                balance.partner_id, "statement", balance.points,
                name=balance.b2b_onec_id or False,
                date=fields.Datetime.to_string(self._b2b_statement_date(balance.balance_date)))

    @api.model
    def create(self, vals):
        balance = super(BonusBalance, self).create(vals)
        balance._b2b_record_statement()
        return balance

    @api.multi
    def write(self, vals):
        stated = {balance.id: (balance.points, balance.balance_date) for balance in self}
        result = super(BonusBalance, self).write(vals)
        if "points" in vals or "balance_date" in vals:
            self.filtered(lambda b: stated[b.id] != (b.points, b.balance_date)
                          )._b2b_record_statement()
        return result

    @api.model
    def _b2b_dealer_of(self, partner):
        """The dealer whose points ``partner`` (a dealer, one of its contacts, another legal entity
        of the dealer or one of its contacts) spends: balances belong to dealers."""
        partner = partner.sudo()
        return partner.b2b_dealer_id or partner.commercial_partner_id

    @api.model
    def _for_dealer(self, partner, lock=False):
        """The balance of ``partner``'s dealer (empty recordset when none).

        ``lock`` writes the row (its write date), which holds it until the transaction ends: a
        second transaction reserving or spending the dealer's points waits for it and then fails
        to serialise (Odoo runs it again, and then it sees these points gone), so two bonus
        orders never spend the same points."""
        dealer = self._b2b_dealer_of(partner)
        balance = self.search([("partner_id", "=", dealer.id)], limit=1)
        if balance and lock:
            # a failure to serialise is expected contention, answered by running it again: not
            # an error to log
            self.env.cr.execute("UPDATE b2b_bonus_balance SET write_date = now() AT TIME ZONE 'UTC' "
                                "WHERE id = %s", (balance.id,), log_exceptions=False)
            balance.invalidate_cache(ids=balance.ids)
        return balance
