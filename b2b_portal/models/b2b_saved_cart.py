from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.b2b_base.lib import pricing
from odoo.addons.b2b_base.tools.rule_messages import render

from ..lib import cart as rules


class B2bSavedCart(models.Model):
    """A cart a dealer's user saved under a name to order again later (a draft order)."""
    _name = "b2b.saved.cart"
    # the dealer API: what a dealer's user may call through Odoo's RPC (b2b_base lib/rpc_policy.py)
    _b2b_dealer_rpc = ("b2b_save_cart", "b2b_list", "b2b_restore", "b2b_delete")
    _inherit = ["b2b.portal.owned"]
    _description = "Saved Cart"
    _order = "id desc"
    _b2b_owner_fields = ("user_id", "contract_id")

    name = fields.Char(required=True)
    user_id = fields.Many2one("res.users", required=True, index=True, ondelete="cascade",
                              default=lambda self: self.env.uid, readonly=True)
    contract_id = fields.Many2one("b2b.contract", required=True, index=True,
                                  ondelete="cascade", readonly=True)
    dealer_id = fields.Many2one(related="contract_id.dealer_id", readonly=True, string="Dealer")
    line_ids = fields.One2many("b2b.saved.cart.line", "saved_cart_id", "Lines")
    line_count = fields.Integer("Lines", compute="_compute_line_count")
    comment = fields.Text()

    @api.depends("line_ids")
    def _compute_line_count(self):
        for saved in self:
            saved.line_count = len(saved.line_ids)

    @api.model
    def _b2b_not_yours(self):
        return _("The saved cart does not exist or is not yours.")

    # ------------------------------------------------------------------ dealer API
    @api.model
    def b2b_save_cart(self, cart_id, name):
        """Save the current user's cart ``cart_id`` under ``name``; returns the saved cart's id.

        Saving again under a name the user already has for the contract replaces that saved cart's
        lines. The cart itself stays as it is."""
        cart = self.env["b2b.cart"]._b2b_own(cart_id, "read")
        name, problems = rules.clean_name(name)
        if problems:
            raise UserError(render(self.env, problems))
        quantities = cart._b2b_quantities()
        if not quantities:
            raise UserError(_("The cart is empty: there is nothing to save."))
        lines = [(0, 0, {"product_id": pid, "qty": qty}) for pid, qty in quantities.items()]
        saved = self.search([("user_id", "=", self.env.uid), ("contract_id", "=", cart.contract_id.id),
                             ("name", "=", name)], limit=1)
        if saved:
            saved.line_ids.unlink()
            saved.write({"line_ids": lines, "comment": cart.comment})
        else:
            saved = self.create({"name": name, "user_id": self.env.uid,
                                 "contract_id": cart.contract_id.id, "comment": cart.comment,
                                 "line_ids": lines})
        return saved.id

    @api.model
    def b2b_list(self, contract_id=None):
        """The current user's saved carts (of one contract when given), newest first."""
        domain = [("user_id", "=", self.env.uid)]
        if contract_id:
            domain.append(("contract_id", "=", int(contract_id)))
        return [{
            "id": saved.id,
            "name": saved.name,
            "contract_id": saved.contract_id.id,
            "contract": saved.contract_id.sudo().display_name,
            "line_count": saved.line_count,
            "saved_on": saved.create_date,
        } for saved in self.search(domain)]

    @api.model
    def b2b_restore(self, saved_id, mode="merge", contract_id=None):
        """Bring a saved cart into the current user's cart of its contract (or of ``contract_id``,
        another contract the user acts for).

        ``merge`` adds the saved quantities to the cart; ``replace`` makes the cart hold the saved
        lines only. Products the user can no longer buy under that contract are not brought in:
        they are listed, with the reason, under ``skipped``. Returns
        {"cart_id", "restored": number of lines brought in, "skipped": [{product_id, sku, name,
        message}]}."""
        saved = self._b2b_own(saved_id, "read")
        _plan, problems = rules.plan_restore({}, {}, mode)
        if problems:
            raise UserError(render(self.env, problems))
        Cart = self.env["b2b.cart"]
        cart = Cart.browse(Cart.b2b_get_cart(contract_id or saved.contract_id.id))
        Cart._b2b_check_open(cart.contract_id)
        lines = saved.line_ids
        offers = cart.contract_id._b2b_offers(lines.mapped("product_id").ids)
        problems = pricing.validate_lines(offers, [(line.product_id.id, line.qty) for line in lines])
        refused = {problem.line: problem for problem in problems
                   if problem.code in Cart._B2B_UNAVAILABLE}
        Order = self.env["sale.order"]
        incoming, skipped = {}, []
        for number, line in enumerate(lines, start=1):
            problem = refused.get(number)
            if problem:
                product = line.product_id.sudo()
                skipped.append({"product_id": product.id, "sku": product.default_code or "",
                                "name": product.name, "message": Order._b2b_problem_text(problem)})
            else:
                incoming[line.product_id.id] = line.qty
        cart._b2b_apply(rules.plan_restore(cart._b2b_quantities(), incoming, mode)[0])
        return {"cart_id": cart.id, "restored": len(incoming), "skipped": skipped}

    @api.model
    def b2b_delete(self, saved_id):
        """Delete one of the current user's saved carts."""
        self._b2b_own(saved_id, "unlink").unlink()
        return True
