import threading

from psycopg2 import OperationalError, errorcodes

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.service.model import PG_CONCURRENCY_ERRORS_TO_RETRY
from odoo.tests.common import TransactionCase


class TestBonusConcurrency(TransactionCase):
    """Two dealer's users place bonus orders at the same moment, each in a transaction of its own
    (as two requests to two workers), against a balance that pays for only one of them. The data
    the two transactions see is committed here and deleted when the test ends. It runs once
    the addons are loaded: while they load, the registry's lock keeps other threads out."""

    at_install = False
    post_install = True

    def setUp(self):
        super(TestBonusConcurrency, self).setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            Users = env["res.users"].with_context(no_reset_password=True)
            dealer = env["res.partner"].create({
                "name": "ООО «Два окна»", "is_company": True, "customer": True,
                "b2b_is_dealer": True})
            portal = env.ref("base.group_portal")
            users = Users.browse()
            for number in (1, 2):
                contact = env["res.partner"].create({
                    "name": "Закупщик %d" % number, "parent_id": dealer.id, "type": "contact"})
                users |= Users.create({
                    "name": "Закупщик %d" % number, "login": "bonus-race-%d" % number,
                    "email": "bonus-race-%d@example.com" % number, "partner_id": contact.id,
                    "groups_id": [(6, 0, [portal.id])], "b2b_role": "buyer"})
            price_type = env["b2b.price.type"].create({"name": "Бонусная гонка"})
            contract = env["b2b.contract"].create({
                "name": "Д-гонка", "partner_id": dealer.id, "price_type_id": price_type.id})
            banner = env["product.product"].create({
                "name": "Баннер", "type": "consu", "list_price": 0.0,
                "b2b_bonus_only": True, "b2b_bonus_price": 150.0})
            env["b2b.bonus.balance"].create({
                "partner_id": dealer.id, "points": 200.0, "balance_date": "2024-05-01"})
            self.ids = {"dealer": dealer.id, "users": users.ids, "contract": contract.id,
                        "product": banner.id, "price_type": price_type.id}
        self.addCleanup(self._delete_committed_data)

    def _delete_committed_data(self):
        ids = self.ids
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            dealer = env["res.partner"].browse(ids["dealer"])
            orders = env["sale.order"].search([("partner_id", "child_of", dealer.id)])
            orders.action_cancel()
            orders.unlink()
            env["b2b.bonus.move"].search([("partner_id", "=", dealer.id)]).unlink()
            env["b2b.bonus.balance"].search([("partner_id", "=", dealer.id)]).unlink()
            users = env["res.users"].browse(ids["users"])
            contacts = users.mapped("partner_id")
            users.unlink()
            contacts.unlink()
            env["b2b.contract"].browse(ids["contract"]).unlink()
            product = env["product.product"].browse(ids["product"])
            template = product.product_tmpl_id
            product.unlink()
            template.unlink()
            env["b2b.price.type"].browse(ids["price_type"]).unlink()
            dealer.unlink()

    def _place(self, user_id, start, outcome):
        """Place one bonus order as ``user_id`` once both threads are ready; a transaction that
        fails to serialise is run again, as Odoo runs a request again; the cursor commits as
        its block ends without an error."""
        with api.Environment.manage():
            for _attempt in range(5):
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, user_id, {})
                    try:
                        # the transaction begins (and takes its snapshot) before the other's
                        self.assertIn(self.ids["contract"], env.user.b2b_allowed_contract_ids.ids)
                        if start is not None:
                            start.wait(timeout=30)
                            start = None
                        order_id = env["sale.order"].b2b_place_bonus_order(
                            self.ids["contract"], [(self.ids["product"], 1)])
                        outcome.append(("placed", order_id))
                        return  # the cursor commits as the block ends
                    except UserError as exc:
                        cr.rollback()
                        outcome.append(("refused", exc.name))
                        return
                    except OperationalError as exc:
                        cr.rollback()
                        if exc.pgcode not in PG_CONCURRENCY_ERRORS_TO_RETRY:
                            raise
            outcome.append(("gave up", errorcodes.SERIALIZATION_FAILURE))

    def test_two_bonus_orders_at_once_never_overspend(self):
        start = threading.Barrier(2)
        outcome = []
        threads = [threading.Thread(target=self._place, args=(user_id, start, outcome))
                   for user_id in self.ids["users"]]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        self.assertEqual(sorted(kind for kind, _value in outcome), ["placed", "refused"], outcome)
        self.assertIn(("refused", "The bonus order costs 150 points, 50 available: 100 short."),
                      outcome)
        summary = self.env["b2b.bonus.balance"].with_context().b2b_dealer_summary(
            partner_id=self.ids["dealer"])
        self.assertEqual(summary, {"stated": 200.0, "stated_date": "2024-05-01",
                                   "reserved": 150.0, "available": 50.0})
        self.assertEqual(self.env["sale.order"].search_count(
            [("partner_id", "child_of", self.ids["dealer"]), ("b2b_is_bonus_order", "=", True)]), 1)
