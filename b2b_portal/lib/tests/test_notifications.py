from odoo.addons.b2b_base.lib.messages import Problem

from b2b_portal.lib.notifications import (EMAIL_DEFAULTS, FEED_URL, KINDS, ORDER_STATUS,
                                          excerpt, local_url, page_bounds, parse_preferences,
                                          plan_reminder_due, render)

RU = {ORDER_STATUS: "Заказ %(order)s: %(status)s", "Confirmed": "Подтверждён"}


def russian(text):
    return RU.get(text, text)


def test_email_defaults_are_on_but_for_plans_and_news():
    assert set(EMAIL_DEFAULTS) == set(KINDS)
    assert [kind for kind in KINDS if not EMAIL_DEFAULTS[kind]] == ["plan", "news"]


def test_preferences_form_names_every_kind():
    prefs = parse_preferences({"email_order": "on", "email_news": "1", "email_bogus": "on",
                               "csrf_token": "x"})
    assert set(prefs) == set(KINDS)
    assert prefs["order"] and prefs["news"]
    assert not prefs["debt"] and not prefs["plan"]


def test_only_local_urls_are_followed():
    assert local_url("/b2b/orders/7") == "/b2b/orders/7"
    assert local_url("/b2b/documents?page=2") == "/b2b/documents?page=2"
    for bad in ("//evil.example/x", "https://evil.example/", "javascript:alert(1)", "", None,
                "/\\evil.example", "b2b/orders", "/b2b\n/x"):
        assert local_url(bad) == FEED_URL, bad


def test_render_translates_template_then_fills_parameters():
    title = (ORDER_STATUS, {"order": "S00042", "status": lambda tr: tr("Confirmed")})
    assert render(title, russian) == "Заказ S00042: Подтверждён"
    assert render(title, lambda text: text) == "Order S00042: Confirmed"
    assert render(Problem(ORDER_STATUS, {"order": "S1", "status": "Собран"}), russian) == \
        "Заказ S1: Собран"
    assert render("Confirmed", russian) == "Подтверждён"
    assert render("Уже переведено", russian) == "Уже переведено"
    assert render(lambda tr: tr("Confirmed") + "!", russian) == "Подтверждён!"
    assert render("", russian) == "" and render(None, russian) == ""


def test_page_bounds():
    assert page_bounds(0, 1) == (1, 0, 1)
    assert page_bounds(45, 3, 20) == (3, 40, 3)
    assert page_bounds(45, 9, 20) == (3, 40, 3)
    assert page_bounds(45, "x", 20) == (1, 0, 3)
    assert page_bounds(45, -2, 20) == (1, 0, 3)


def test_plan_reminder_in_the_last_days_once_and_only_unfulfilled():
    assert plan_reminder_due(40.0, 3, False)
    assert plan_reminder_due(99.9, 1, False)
    assert not plan_reminder_due(40.0, 4, False), "too early"
    assert not plan_reminder_due(40.0, 0, False), "the month is over"
    assert not plan_reminder_due(100.0, 2, False), "fulfilled"
    assert not plan_reminder_due(40.0, 2, True), "reminded already"


def test_excerpt_keeps_a_short_text_and_cuts_a_long_one():
    assert excerpt("  Пришлите\n фото  упаковки ") == "Пришлите фото упаковки"
    long_text = "слово " * 100
    cut = excerpt(long_text)
    assert len(cut) == 200 and cut.endswith("…")
    assert cut[:-1] == long_text[:199].rstrip()
    assert excerpt(None) == ""
