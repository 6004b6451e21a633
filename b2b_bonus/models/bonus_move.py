from odoo import api, fields, models

from ..lib import bonus

MOVE_KINDS = [
    ("statement", "1C statement"),
    ("reserve", "Reserved"),
    ("spend", "Spent"),
    ("release", "Released"),
]


class BonusMove(models.Model):
    """The history of a dealer's bonus points: each balance 1C states, each bonus order's
    reservation, its spending when 1C confirms the order and the points given back when it is
    cancelled. Written only by the code (the balance, the orders, 1C's exchange); read by the
    supplier's staff and by the dealer's own users.

    ``reserved_change`` and ``spent_change`` are what the move does to the points held by open
    bonus orders and to the points spent, so that the balance sums them in one query whatever
    became of the order since."""

    _name = "b2b.bonus.move"
    _description = "Bonus Points Move"
    _order = "date desc, id desc"

    partner_id = fields.Many2one("res.partner", "Dealer", required=True, index=True,
                                 ondelete="cascade", readonly=True)
    date = fields.Datetime(required=True, index=True, readonly=True,
                           default=fields.Datetime.now,
                           help="When it happened; for a 1C statement, the moment 1C's figure "
                                "covers (the end of the statement's day, or when it arrived).")
    kind = fields.Selection(MOVE_KINDS, required=True, readonly=True)
    points = fields.Float(digits=(16, bonus.POINTS_DIGITS), readonly=True,
                          help="The points of the order, or the balance 1C stated.")
    order_id = fields.Many2one("sale.order", "Bonus Order", index=True, ondelete="set null",
                               readonly=True)
    name = fields.Char("Description", readonly=True)
    reserved_change = fields.Float(digits=(16, bonus.POINTS_DIGITS), readonly=True)
    spent_change = fields.Float(digits=(16, bonus.POINTS_DIGITS), readonly=True)

    @api.model
    def _b2b_record(self, partner, kind, points, order=None, reserved_change=0.0,
                    spent_change=0.0, name=None, date=None):
        """Write one move of ``partner``'s dealer (as the system: nobody writes moves by hand)."""
        vals = {
            "partner_id": self.env["b2b.bonus.balance"]._b2b_dealer_of(partner).id,
            "kind": kind,
            "points": round(points, bonus.POINTS_DIGITS),
            "order_id": order.id if order else False,
            "name": name or (order.name if order else False),
            "reserved_change": round(reserved_change, bonus.POINTS_DIGITS),
            "spent_change": round(spent_change, bonus.POINTS_DIGITS),
        }
        if date:
            vals["date"] = date
        move = self.sudo().create(vals)
        self.env["b2b.bonus.balance"].invalidate_cache(
            ["reserved_points", "available_points", "move_ids"])
        return move
