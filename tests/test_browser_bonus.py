"""A dealer with bonus points in a real browser (headless Chromium): bonus goods priced in points in
the catalog, a cart of goods for money and bonus goods checked out as two linked orders, the
confirmation page showing both, and the dashboard with the points left and the progress of the
month's plan once the supplier confirmed the order for money.

Runs on its own copy of the database `make test` built (B2B_TEST_DB) with its own server (the
isolation matrix's helpers): the checkout places orders and reserves the dealer's points, which
the other tests must not see. The screenshots are left in .run/test-output/browser/
(bonus-dashboard.png, bonus-dashboard-phone.png, bonus-placed.png).
"""
import os

import pytest

from b2b_http import OUTPUT
from b2b_server import server_on_a_copy
from browser import Browser, find_chromium, log_in

DB = os.environ.get("B2B_TEST_DB")

pytestmark = [
    pytest.mark.skipif(not DB, reason="needs the database of `make test` (B2B_TEST_DB)"),
    pytest.mark.skipif(not find_chromium(), reason="chromium is not installed (runtime/bootstrap.sh)"),
]

MONEY_SKU = "MIX-00003"     # the demo catalog's plain goods, sold by the piece
MUG = "Кружка с логотипом (за бонусы)"   # b2b_bonus's demo: 150 points


@pytest.fixture(scope="module")
def bonus_server(tmp_path_factory):
    """(base URL, psycopg2 connection) of a server on a copy of B2B_TEST_DB, dropped at the end."""
    with server_on_a_copy(DB, tmp_path_factory.mktemp("bonus-browser")) as running:
        yield running


def add_from_catalog(browser, base, query, row, qty):
    before = int(browser.text(".o_b2b_cart_count") or 0)
    browser.goto(base + "/b2b/catalog?" + query)
    browser.fill(row + " input.o_b2b_add_qty", str(qty))
    browser.click(row + " button.o_b2b_add")
    browser.wait_for("parseInt(document.querySelector('.o_b2b_cart_count').textContent) === %d"
                     % (before + 1), what="the cart badge to count the new line")


def test_dealer_orders_bonus_goods_with_goods_for_money(bonus_server):
    base, conn = bonus_server
    shots = os.path.join(OUTPUT, "browser")
    os.makedirs(shots, exist_ok=True)
    with conn.cursor() as cr:
        cr.execute("""DELETE FROM b2b_cart_line WHERE cart_id IN (
                          SELECT c.id FROM b2b_cart c JOIN res_users u ON u.id = c.user_id
                           WHERE u.login = 'alfa.buyer')""")
        cr.execute("""SELECT p.id FROM product_product p
                        JOIN product_template t ON t.id = p.product_tmpl_id
                       WHERE t.b2b_bonus_only AND t.name = %s""", (MUG,))
        mug_id = cr.fetchone()[0]
        # this month's plan of «Альфа»: 10 of the goods the dealer buys for money below
        cr.execute("""INSERT INTO b2b_bonus_plan (name, partner_id, month, date_to, company_id,
                                                  is_commitment)
                      SELECT 'Товар месяца', p.b2b_dealer_id, date_trunc('month', now())::date,
                             (date_trunc('month', now()) + interval '1 month - 1 day')::date,
                             u.company_id, FALSE
                        FROM res_users u JOIN res_partner p ON p.id = u.partner_id
                       WHERE u.login = 'alfa.buyer' RETURNING id, partner_id""")
        plan_id, dealer_id = cr.fetchone()
        cr.execute("""INSERT INTO b2b_bonus_plan_line (plan_id, partner_id, product_tmpl_id,
                                                       qty_planned, amount_planned)
                      SELECT %s, %s, p.product_tmpl_id, 10, 0 FROM product_product p
                       WHERE p.default_code = %s""", (plan_id, dealer_id, MONEY_SKU))

    browser = Browser()
    try:
        log_in(browser, base, "alfa.buyer")
        # the points available: in the header and on the dashboard
        available = browser.evaluate(
            "document.querySelector('#o_b2b_dashboard_bonus_panel .o_b2b_bonus_available')"
            ".dataset.points")
        assert float(available) > 150
        assert browser.evaluate("document.querySelector('.o_b2b_nav_points .o_b2b_points_available')"
                                ".dataset.points") == available

        # a bonus good priced in points, and a good for money, into the cart from the catalog
        mug_row = "tr.o_b2b_product[data-product-id='%d']" % mug_id
        add_from_catalog(browser, base, "bonus=1", mug_row, 2)
        price = browser.text(mug_row + " .o_b2b_price").strip()
        assert price.startswith("150") and browser.evaluate(
            "document.querySelector(%r).dataset.price" % mug_row) == ""
        add_from_catalog(browser, base, "q=" + MONEY_SKU,
                         "tr.o_b2b_product[data-sku='%s']" % MONEY_SKU, 4)

        # check out: two orders, both on the confirmation page
        browser.goto(base + "/b2b/cart")
        assert browser.evaluate("document.querySelector('.o_b2b_total_points').dataset.points") \
            == "300.00"
        browser.fill("#o_b2b_comment", "Бонусы и товары из браузерного теста")
        browser.click(".o_b2b_checkout_btn")
        browser.wait_for("/^\\/b2b\\/cart\\/placed\\/\\d+/.test(location.pathname) && "
                         "document.querySelector('.o_b2b_placed_bonus')",
                         what="the confirmation of both orders", timeout=120)
        money_id = int(browser.evaluate("document.querySelector('.o_b2b_placed').dataset.orderId"))
        bonus_id = int(browser.evaluate(
            "document.querySelector('.o_b2b_placed_bonus').dataset.orderId"))
        shown = (browser.text(".o_b2b_order_name").strip(),
                 browser.text(".o_b2b_bonus_order_name").strip())
        browser.screenshot(os.path.join(shots, "bonus-placed.png"))

        # the supplier confirms the order for money: the plan is 40 % done, the points reserved
        with conn.cursor() as cr:
            cr.execute("UPDATE sale_order SET state = 'sale' WHERE id = %s", (money_id,))
        browser.goto(base + "/my")
        plan = "#o_b2b_dashboard_plans_panel .o_b2b_dashboard_plan[data-plan-id='%d']" % plan_id
        assert browser.evaluate("document.querySelector(%r).querySelector("
                                "'.o_b2b_plan_percent').dataset.percent" % plan) == "40.0"
        assert float(browser.evaluate(
            "document.querySelector('#o_b2b_dashboard_bonus_panel .o_b2b_bonus_available')"
            ".dataset.points")) == float(available) - 300
        browser.screenshot(os.path.join(shots, "bonus-dashboard.png"))
    finally:
        browser.close()

    phone = Browser(width=390, height=844)
    try:
        log_in(phone, base, "alfa.buyer")
        assert phone.evaluate("!!document.querySelector('#o_b2b_dashboard_plans_panel')")
        phone.screenshot(os.path.join(shots, "bonus-dashboard-phone.png"))
    finally:
        phone.close()

    with conn.cursor() as cr:
        cr.execute("""SELECT o.id, o.name, o.b2b_is_bonus_order, o.b2b_linked_order_id,
                             array_agg(l.product_id || '=' || l.product_uom_qty || '@' || l.price_unit)
                        FROM sale_order o JOIN sale_order_line l ON l.order_id = o.id
                       WHERE o.id IN %s GROUP BY o.id""", ((money_id, bonus_id),))
        orders = {row[0]: row[1:] for row in cr.fetchall()}
    assert (orders[money_id][0], orders[bonus_id][0]) == shown
    assert (orders[money_id][1], orders[bonus_id][1]) == (False, True)
    assert (orders[money_id][2], orders[bonus_id][2]) == (bonus_id, money_id)
    assert orders[bonus_id][3] == ["%d=2.000@0.00" % mug_id]
    assert len(orders[money_id][3]) == 1 and mug_id not in [
        int(line.split("=")[0]) for line in orders[money_id][3]]
    for name in ("bonus-dashboard.png", "bonus-dashboard-phone.png", "bonus-placed.png"):
        assert os.path.getsize(os.path.join(shots, name)) > 10000
