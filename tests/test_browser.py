"""A dealer in a real browser (headless Chromium): log in, find goods by SKU in the catalog, add to
the cart, upload an xlsx order, check out.

Runs against the database `make test` has just built (B2B_TEST_DB) on the real server; the
screenshots of the catalog and of the cart are left in .run/test-output/browser/.
"""
import configparser
import io
import json
import os

import openpyxl
import psycopg2
import pytest

from browser import Browser, find_chromium, log_in
from b2b_http import OUTPUT, ROOT

DB = os.environ.get("B2B_TEST_DB")

pytestmark = [
    pytest.mark.skipif(not DB, reason="needs the database of `make test` (B2B_TEST_DB)"),
    pytest.mark.skipif(not find_chromium(), reason="chromium is not installed (runtime/bootstrap.sh)"),
]

# the demo catalog (b2b_base/lib/democatalog.py): plain goods sold by the piece, in stock
SEARCHED = "MIX-00003"
UPLOADED = [("MIX-00004", 3), ("SNK-00002", 2)]


def database():
    parser = configparser.RawConfigParser()
    parser.read(os.path.join(ROOT, "odoo.conf"))
    option = lambda key, default: parser.get("options", key, fallback=default)  # noqa: E731
    return psycopg2.connect(dbname=DB, host=option("db_host", "127.0.0.1"),
                            port=int(option("db_port", "55432")), user=option("db_user", "odoo"),
                            password=option("db_password", "odoo"))


@pytest.fixture
def browser():
    chromium = Browser()
    try:
        yield chromium
    finally:
        chromium.close()


def order_file(path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Артикул", "Количество"])
    for sku, qty in UPLOADED:
        sheet.append([sku, qty])
    out = io.BytesIO()
    book.save(out)
    with open(path, "wb") as fh:
        fh.write(out.getvalue())
    return path


def test_dealer_orders_in_the_browser(server, browser, tmp_path):
    shots = os.path.join(OUTPUT, "browser")
    os.makedirs(shots, exist_ok=True)
    with database() as cnx, cnx.cursor() as cr:   # the dealer starts with empty carts
        cr.execute("""DELETE FROM b2b_cart_line WHERE cart_id IN (
                          SELECT c.id FROM b2b_cart c JOIN res_users u ON u.id = c.user_id
                           WHERE u.login = 'alfa.buyer')""")

    # log in with the login form
    log_in(browser, server, "alfa.buyer")

    # search the catalog by SKU
    browser.goto(server + "/b2b/catalog")
    browser.fill("#o_b2b_search", SEARCHED[:7])
    browser.evaluate("document.querySelector('#o_b2b_catalog_search').submit()")
    row = "tr.o_b2b_product[data-sku='%s']" % SEARCHED
    browser.wait_for("/[?&]q=/.test(location.search) && document.readyState === 'complete'",
                     what="the search results")
    skus = browser.evaluate("Array.from(document.querySelectorAll('tr.o_b2b_product'))"
                            ".map(function (tr) { return tr.dataset.sku; })")
    assert SEARCHED in skus and all(sku.startswith(SEARCHED[:7]) for sku in skus), \
        (browser.text(".o_b2b_contract_name, #b2b_contract_select"), skus)
    price = browser.text(row + " .o_b2b_price")
    assert price and any(ch.isdigit() for ch in price), "no contract price shown: %r" % price
    browser.screenshot(os.path.join(shots, "catalog.png"))

    # add it to the cart without leaving the page
    before = int(browser.text(".o_b2b_cart_count") or 0)
    browser.fill(row + " input.o_b2b_add_qty", "4")
    browser.click(row + " button.o_b2b_add")
    browser.wait_for("parseInt(document.querySelector('.o_b2b_cart_count').textContent) === %d"
                     % (before + 1), what="the cart badge to count the new line")
    assert browser.evaluate("!!document.querySelector(%s)" % json.dumps(row + " .o_b2b_add_done"))
    assert browser.path() == "/b2b/catalog"

    # upload an xlsx order, look at the preview, add its lines
    browser.goto(server + "/b2b/cart/upload")
    browser.attach_file("#o_b2b_order_file", order_file(str(tmp_path / "order.xlsx")))
    browser.click(".o_b2b_upload_btn")
    browser.wait_for("/^\\/b2b\\/cart\\/upload\\/\\d+/.test(location.pathname) && "
                     "document.querySelector('.o_b2b_upload_preview')", what="the upload preview")
    assert browser.evaluate("document.querySelector('.o_b2b_upload_preview').dataset.lines") == "2"
    browser.click(".o_b2b_upload_confirm")
    browser.wait_for("location.pathname === '/b2b/cart' && "
                     "document.querySelectorAll('tr.o_b2b_cart_line').length >= 3",
                     what="the cart with the uploaded lines")
    in_cart = browser.evaluate("Array.from(document.querySelectorAll('tr.o_b2b_cart_line'))"
                               ".map(function (tr) { return [tr.dataset.sku, tr.dataset.qty]; })")
    quantities = {sku: float(qty) for sku, qty in in_cart}
    assert quantities.get(SEARCHED) == 4
    for sku, qty in UPLOADED:
        assert quantities.get(sku) == qty
    browser.screenshot(os.path.join(shots, "cart.png"))

    # check out
    browser.fill("#o_b2b_comment", "Заказ из браузерного теста")
    browser.click(".o_b2b_checkout_btn")
    browser.wait_for("/^\\/b2b\\/cart\\/placed\\/\\d+/.test(location.pathname) && "
                     "document.querySelector('.o_b2b_placed')",
                     what="the order confirmation", timeout=120)
    order_id = int(browser.evaluate("document.querySelector('.o_b2b_placed').dataset.orderId"))
    name = browser.text(".o_b2b_order_name").strip()
    assert name

    with database() as cnx, cnx.cursor() as cr:
        cr.execute("""SELECT o.name, o.note, u.login, array_agg(p.default_code || '=' || l.product_uom_qty)
                        FROM sale_order o
                        JOIN res_users u ON u.id = o.b2b_author_id
                        JOIN sale_order_line l ON l.order_id = o.id
                        JOIN product_product p ON p.id = l.product_id
                       WHERE o.id = %s GROUP BY o.name, o.note, u.login""", (order_id,))
        order_name, note, author, lines = cr.fetchone()
    assert order_name == name and author == "alfa.buyer"
    assert note == "Заказ из браузерного теста"
    ordered = dict(line.split("=") for line in lines)
    assert {sku: float(qty) for sku, qty in ordered.items()} == \
        dict([(SEARCHED, 4.0)] + [(sku, float(qty)) for sku, qty in UPLOADED])
    assert os.path.getsize(os.path.join(shots, "catalog.png")) > 10000
    assert os.path.getsize(os.path.join(shots, "cart.png")) > 10000
