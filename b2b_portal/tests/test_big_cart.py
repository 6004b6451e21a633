import logging
import math
import time

from odoo.tests.common import TransactionCase

_logger = logging.getLogger(__name__)


class TestBigCart(TransactionCase):
    """A cart of a thousand lines is set in one call and ordered in one call."""

    def test_thousand_lines_set_and_ordered(self):
        ref = self.env.ref
        contract = ref("b2b_base.demo_contract_alfa_main")
        user = ref("b2b_base.demo_user_alfa_buyer")
        self.env["b2b.demo"].load_catalog(1100)    # the demo has 300 goods: the catalog grows
        offers = contract._b2b_offers()
        chosen = [offer for _pid, offer in sorted(offers.items())
                  if offer.price is not None and not offer.forbidden][:1000]
        self.assertEqual(len(chosen), 1000)
        lines = []
        for offer in chosen:
            multiple = offer.multiple or 1.0
            lines.append((offer.product_id, math.ceil(max(offer.min_qty, multiple) / multiple) * multiple))

        Cart = self.env["b2b.cart"].sudo(user).with_context(lang="en_US")
        cart_id = Cart.b2b_get_cart(contract.id)
        started = time.time()
        summary = Cart.b2b_set_lines(cart_id, lines)
        set_seconds = time.time() - started
        self.assertEqual(len(summary["lines"]), 1000)
        self.assertEqual(summary["problem_count"], 0)
        self.assertTrue(summary["can_checkout"])
        self.assertEqual({l["product_id"]: l["price"] for l in summary["lines"]},
                         {offer.product_id: offer.price for offer in chosen})
        # changing a few lines of the big cart is one more call
        summary = Cart.b2b_set_lines(cart_id, [(lines[0][0], 0), (lines[1][0], lines[1][1] * 2)])
        self.assertEqual(len(summary["lines"]), 999)
        Cart.b2b_set_lines(cart_id, [lines[0]])

        started = time.time()
        order = self.env["sale.order"].browse(Cart.b2b_checkout(cart_id))
        checkout_seconds = time.time() - started
        _logger.info("1,000-line cart: set in %.2f s, ordered in %.2f s", set_seconds, checkout_seconds)
        self.assertEqual(order.b2b_contract_id, contract)
        self.assertEqual(len(order.order_line), 1000)
        self.assertEqual({l.product_id.id: l.price_unit for l in order.order_line},
                         {offer.product_id: offer.price for offer in chosen})
        self.assertEqual(order.order_line.filtered(lambda l: l.product_id.id == lines[1][0]).product_uom_qty,
                         lines[1][1] * 2)
        self.assertFalse(self.env["b2b.cart"].browse(cart_id).line_ids)
