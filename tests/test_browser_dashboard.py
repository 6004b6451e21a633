"""The dealer's home page in a real browser (headless Chromium), as «Альфа»'s administrator sees it
in the demo: the notification bell with its count, the feed, the latest news and the chart of
purchases on the dashboard, in Russian.

Runs against the database `make test` has just built (B2B_TEST_DB) on the real server and only
reads: the screenshot is left in .run/test-output/browser/dashboard-services.png (and, at phone
width, dashboard-services-phone.png).
"""
import os

import pytest

from b2b_http import OUTPUT
from browser import Browser, find_chromium, log_in

DB = os.environ.get("B2B_TEST_DB")

pytestmark = [
    pytest.mark.skipif(not DB, reason="needs the database of `make test` (B2B_TEST_DB)"),
    pytest.mark.skipif(not find_chromium(), reason="chromium is not installed (runtime/bootstrap.sh)"),
]


def count(browser, selector):
    return browser.evaluate("document.querySelectorAll(%r).length" % selector)


@pytest.mark.parametrize("width,name", [(1280, "dashboard-services.png"),
                                        (375, "dashboard-services-phone.png")])
def test_the_dashboard_shows_feed_news_and_chart(server, width, name):
    shots = os.path.join(OUTPUT, "browser")
    os.makedirs(shots, exist_ok=True)
    browser = Browser(width=width, height=1600 if width > 400 else 2400)
    try:
        log_in(browser, server, "alfa.admin")
        browser.goto(server + "/ru_RU/my")
        browser.wait_for("document.readyState === 'complete' && "
                         "!!document.querySelector('#o_b2b_dashboard_feed')",
                         what="the dashboard")
        # the bell in the navigation bar, with the demo's unread notifications counted
        assert count(browser, "#o_b2b_nav_right .o_b2b_bell") == 1
        unread = browser.evaluate(
            "parseInt(document.querySelector('.o_b2b_bell_count').textContent || '0', 10)")
        assert unread > 0
        # the feed, the news and the chart each fill their place on the dashboard
        assert count(browser, "#o_b2b_dashboard_feed .o_b2b_notification") > 0
        assert count(browser, "#o_b2b_dashboard_news .o_b2b_news_row") > 0
        assert count(browser, "#o_b2b_dashboard_stats svg") == 1
        # the news meant for «Бета» only is not among «Альфа»'s
        news = browser.text("#o_b2b_dashboard_news")
        assert "Бета" not in news
        # the chart is drawn: it has bars, and it fits the screen
        assert count(browser, "#o_b2b_dashboard_stats svg rect") > 1
        assert browser.evaluate(
            "document.querySelector('#o_b2b_dashboard_stats svg').getBoundingClientRect().right"
            " <= window.innerWidth + 1")
        assert browser.evaluate(
            "document.documentElement.scrollWidth <= window.innerWidth + 1"), \
            "the dashboard scrolls sideways"
        browser.screenshot(os.path.join(shots, name))
        menu = "document.querySelector('#o_b2b_nav_main a[href=\"/b2b/catalog\"]')"
        visible = "(%s.getBoundingClientRect().height > 0)" % menu
        if width < 768:
            # on a phone the menu folds behind its button, the bell stays in view
            assert not browser.evaluate(visible), "the menu is folded on a phone"
            assert browser.evaluate(
                "document.querySelector('#o_b2b_nav_right .o_b2b_bell').getBoundingClientRect()"
                ".height > 0")
            browser.click(".o_b2b_navbar_toggle")
            browser.wait_for(visible + " && !document.querySelector('.o_b2b_navbar .collapsing')",
                             what="the menu unfolded")
            browser.screenshot(os.path.join(shots, "menu-phone.png"))
        else:
            assert browser.evaluate(visible), "the menu is open on a wide screen"
            assert not browser.evaluate(
                "document.querySelector('.o_b2b_navbar_toggle').getBoundingClientRect().height")
    finally:
        browser.close()
