"""The catalog and the cart on a phone (headless Chromium, 375 px wide): no sideways scrolling;
each catalog row shows its price, its availability and its add button inside the screen, and the
add button works there; the cart's lines show price, quantity and amount. At desktop width the
catalog is still the table it was.

Runs on its own copy of the database `make test` built (B2B_TEST_DB) with its own server (the
test adds to a cart). Screenshots: .run/test-output/browser/catalog-phone.png and cart-phone.png.
"""
import base64
import json
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

PHONE = (375, 812)
ROWS = 6        # the first rows of the catalog page that are measured

# where the page scrolls sideways, and the boxes of the given parts of each row
MEASURE = """(function (rowSelector, parts, count) {
    function box(element) {
        if (!element) { return null; }
        var rect = element.getBoundingClientRect();
        return {left: rect.left, right: rect.right, width: rect.width, height: rect.height,
                text: element.textContent.replace(/\\s+/g, ' ').trim()};
    }
    var rows = Array.prototype.slice.call(document.querySelectorAll(rowSelector), 0, count);
    var boxes = Array.prototype.slice.call(document.querySelectorAll('.table-responsive'));
    return {
        viewport: document.documentElement.clientWidth,
        scrollWidth: document.documentElement.scrollWidth,
        bodyScrollWidth: document.body.scrollWidth,
        scrollingBoxes: boxes.filter(function (b) { return b.scrollWidth > b.clientWidth + 1; }).length,
        rows: rows.map(function (row) {
            var found = {id: row.getAttribute('data-product-id'),
                         display: getComputedStyle(row).display};
            Object.keys(parts).forEach(function (name) {
                found[name] = box(row.querySelector(parts[name]));
            });
            return found;
        })
    };
})(%s, %s, %d)"""


def measure(browser, row_selector, parts, count=ROWS):
    return browser.evaluate(MEASURE % (json.dumps(row_selector), json.dumps(parts), count))


def assert_inside(found, part, viewport):
    place = found[part]
    assert place is not None, "row %s has no %s" % (found["id"], part)
    assert place["width"] > 0 and place["height"] > 0, "row %s: %s is hidden" % (found["id"], part)
    assert place["left"] >= 0 and place["right"] <= viewport + 0.5, (
        "row %s: %s lies outside the screen (%s, width %s)" % (found["id"], part, place, viewport))


def screen_shot(browser, path, selector):
    """What the phone's screen shows when ``selector`` is scrolled to its top (a little above)."""
    top = browser.evaluate("document.querySelector(%s).getBoundingClientRect().top + "
                           "window.scrollY" % json.dumps(selector))
    data = browser.send("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                        clip={"x": 0, "y": max(0, top - 60), "width": PHONE[0],
                              "height": PHONE[1], "scale": 1})["data"]
    with open(path, "wb") as out:
        out.write(base64.b64decode(data))


@pytest.fixture(scope="module")
def phone_server(tmp_path_factory):
    with server_on_a_copy(DB, tmp_path_factory.mktemp("phone-browser")) as running:
        yield running


def test_catalog_and_cart_at_phone_width(phone_server):
    base, _conn = phone_server
    shots = os.path.join(OUTPUT, "browser")
    os.makedirs(shots, exist_ok=True)
    browser = Browser(width=PHONE[0], height=PHONE[1])
    # a phone: its scroll bars lie over the page, its layout width is the screen's
    browser.send("Emulation.setDeviceMetricsOverride", width=PHONE[0], height=PHONE[1],
                 deviceScaleFactor=1, mobile=True)
    try:
        log_in(browser, base, "alfa.buyer")
        # the goods on order first, so that the measured rows carry both kinds of badge
        browser.goto(base + "/b2b/catalog?avail=order")
        on_order = measure(browser, "tr.o_b2b_product", {"badge": ".o_b2b_availability .label"}, 2)
        assert on_order["rows"], "no goods on order in the demo catalog"
        browser.goto(base + "/b2b/catalog")
        page = measure(browser, "tr.o_b2b_product", {
            "price": ".o_b2b_price", "badge": ".o_b2b_availability .label", "add": ".o_b2b_add",
            "name": ".o_b2b_name"})
        screen_shot(browser, os.path.join(shots, "catalog-phone.png"), "#o_b2b_catalog_table")
        viewport = page["viewport"]
        assert viewport == PHONE[0]
        assert page["scrollWidth"] <= viewport and page["bodyScrollWidth"] <= viewport, page
        assert page["scrollingBoxes"] == 0, "a table still scrolls sideways"
        assert len(page["rows"]) == ROWS
        for found in page["rows"] + on_order["rows"]:
            assert_inside(found, "badge", viewport)
        for found in page["rows"]:
            assert_inside(found, "price", viewport)
            assert_inside(found, "add", viewport)
            assert_inside(found, "name", viewport)
            assert found["price"]["text"], "row %s shows no price" % found["id"]
        # the add button works at that width
        first = page["rows"][0]["id"]
        browser.click("tr.o_b2b_product[data-product-id='%s'] .o_b2b_add" % first)
        browser.wait_for("document.querySelector(\"tr.o_b2b_product[data-product-id='%s'] "
                         ".o_b2b_add_done\")" % first, what="the product added to the cart")

        browser.goto(base + "/b2b/cart")
        cart = measure(browser, "tr.o_b2b_cart_line", {
            "price": ".o_b2b_price", "qty": "input.o_b2b_qty", "amount": ".o_b2b_amount",
            "remove": ".o_b2b_line_remove"})
        screen_shot(browser, os.path.join(shots, "cart-phone.png"), ".o_b2b_cart_page")
        assert cart["scrollWidth"] <= cart["viewport"], cart
        assert cart["scrollingBoxes"] == 0, "the cart's table still scrolls sideways"
        assert cart["rows"], "the product added is not in the cart"
        for found in cart["rows"]:
            for part in ("price", "qty", "amount", "remove"):
                assert_inside(found, part, cart["viewport"])

        # at desktop width the catalog is the table it was: a header and table rows
        browser.send("Emulation.setDeviceMetricsOverride", width=1280, height=900,
                     deviceScaleFactor=1, mobile=False)
        browser.goto(base + "/b2b/catalog")
        desktop = measure(browser, "tr.o_b2b_product", {"price": ".o_b2b_price"})
        assert {found["display"] for found in desktop["rows"]} == {"table-row"}
        assert browser.evaluate(
            "getComputedStyle(document.querySelector('#o_b2b_catalog_table thead')).display"
        ) == "table-header-group"
    finally:
        browser.close()
    assert os.path.getsize(os.path.join(shots, "catalog-phone.png")) > 10000
