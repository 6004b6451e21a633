"""The Bitrix24 client against the local Bitrix24 stand-in (real HTTP on 127.0.0.1)."""
import time

import pytest

from b2b_bitrix_bridge.lib.client import BitrixClient, normalize_webhook_url
from b2b_bitrix_bridge.lib.errors import BitrixApiError, BitrixAuthError, BitrixRetryableError


@pytest.fixture
def client(portal):
    return BitrixClient(portal.webhook_url)


def test_deal_add_update_get(portal, client):
    deal_id = client.call("crm.deal.add", {"fields": {
        "TITLE": "Заказ B2B-00042", "OPPORTUNITY": 15000, "CURRENCY_ID": "RUB",
        "UF_CRM_B2B_ORDER": "B2B-00042"}})
    assert isinstance(deal_id, int) and deal_id in portal.deals

    assert client.call("crm.deal.update", {"id": deal_id, "fields": {"STAGE_ID": "PREPARATION"}}) is True
    deal = client.call("crm.deal.get", {"id": deal_id})
    assert deal["ID"] == str(deal_id)
    assert deal["TITLE"] == "Заказ B2B-00042"
    assert deal["STAGE_ID"] == "PREPARATION"
    assert deal["OPPORTUNITY"] == "15000.00"
    assert deal["UF_CRM_B2B_ORDER"] == "B2B-00042"


def test_missing_deal_is_an_error_naming_the_method(client):
    with pytest.raises(BitrixApiError) as info:
        client.call("crm.deal.get", {"id": 999})
    err = info.value
    assert not err.retryable
    assert err.method == "crm.deal.get" and err.description == "Not found"
    assert "crm.deal.get" in err.message_en and "crm.deal.get" in err.message_ru
    with pytest.raises(BitrixApiError) as info:
        client.call("crm.deal.nosuchthing", {})
    assert info.value.code == "ERROR_METHOD_NOT_FOUND"


def test_productrows_set_replaces_all_rows(portal, client):
    deal_id = client.call("crm.deal.add", {"fields": {"TITLE": "Rows"}})
    client.call("crm.deal.productrows.set", {"id": deal_id, "rows": [
        {"PRODUCT_ID": 11, "PRODUCT_NAME": "Кабель ВВГ 3x2.5", "PRICE": 100.5, "QUANTITY": 2},
        {"PRODUCT_ID": 12, "PRODUCT_NAME": "Розетка", "PRICE": 50, "QUANTITY": 10},
        {"PRODUCT_ID": 13, "PRODUCT_NAME": "Щиток", "PRICE": 1000, "QUANTITY": 1},
    ]})
    assert len(client.call("crm.deal.productrows.get", {"id": deal_id})) == 3
    assert client.call("crm.deal.get", {"id": deal_id})["OPPORTUNITY"] == "1701.00"

    client.call("crm.deal.productrows.set", {"id": deal_id, "rows": [
        {"PRODUCT_ID": 12, "PRODUCT_NAME": "Розетка", "PRICE": 50, "QUANTITY": 4}]})
    rows = client.call("crm.deal.productrows.get", {"id": deal_id})
    assert [(r["PRODUCT_ID"], r["PRODUCT_NAME"], float(r["QUANTITY"])) for r in rows] == [
        (12, "Розетка", 4.0)]
    assert client.call("crm.deal.get", {"id": deal_id})["OPPORTUNITY"] == "200.00"

    client.call("crm.deal.productrows.set", {"id": deal_id, "rows": []})
    assert client.call("crm.deal.productrows.get", {"id": deal_id}) == []


def test_batch_over_50_commands_goes_in_chunks(portal, client):
    calls = {"d%03d" % i: ("crm.deal.add", {"fields": {"TITLE": "Batch deal %d" % i}})
             for i in range(120)}
    outcome = client.batch(calls)
    assert outcome.ok and not outcome.errors
    assert portal.methods_called().count("batch") == 3  # 50 + 50 + 20
    assert len(outcome.results) == 120 and len(portal.deals) == 120
    for name, deal_id in outcome.results.items():
        assert portal.deals[deal_id]["TITLE"] == "Batch deal %d" % int(name[1:])


def test_server_refuses_more_than_50_commands_in_one_batch(portal, client):
    cmd = {"c%d" % i: "profile" for i in range(51)}
    with pytest.raises(BitrixApiError) as info:
        client.call("batch", {"cmd": cmd})
    assert info.value.code == "ERROR_BATCH_LENGTH_EXCEEDED"


def test_batch_reports_results_and_errors_per_name(portal, client):
    first = client.call("crm.deal.add", {"fields": {"TITLE": "Exists"}})
    outcome = client.batch({
        "ok": ("crm.deal.get", {"id": first}),
        "missing": ("crm.deal.get", {"id": 424242}),
        "after": ("crm.deal.update", {"id": first, "fields": {"STAGE_ID": "WON"}}),
    })
    assert outcome.results["ok"]["TITLE"] == "Exists"
    assert outcome.results["after"] is True
    assert set(outcome.errors) == {"missing"}
    assert outcome.errors["missing"].description == "Not found"
    assert "crm.deal.get" in str(outcome.errors["missing"])
    assert portal.deals[first]["STAGE_ID"] == "WON"


def test_batch_halt_stops_at_first_error_and_sends_no_further_chunk(portal, client):
    calls = {"a": ("crm.deal.add", {"fields": {"TITLE": "A"}}),
             "bad": ("crm.deal.update", {"id": 777, "fields": {"TITLE": "x"}})}
    calls.update(("n%02d" % i, ("crm.deal.add", {"fields": {"TITLE": "N%d" % i}})) for i in range(60))
    outcome = client.batch(calls, halt=True)
    assert list(outcome.results) == ["a"]
    assert list(outcome.errors) == ["bad"]
    assert len(outcome.not_run) == 60 and not outcome.ok
    assert portal.methods_called().count("batch") == 1
    assert [d["TITLE"] for d in portal.deals.values()] == ["A"]


def test_nested_params_survive_batch_encoding(portal, client):
    fields = {"TITLE": "ООО «Альфа» & Co = 100% ?", "COMMENTS": "строка 1\nстрока 2 +плюс",
              "UF_CRM_TAGS": ["опт", "срочно", "a&b"], "OPPORTUNITY": "99.90"}
    outcome = client.batch({"via_batch": ("crm.deal.add", {"fields": fields})})
    direct = client.call("crm.deal.add", {"fields": fields})
    via_batch = client.call("crm.deal.get", {"id": outcome.results["via_batch"]})
    via_json = client.call("crm.deal.get", {"id": direct})
    for key, value in fields.items():
        assert via_batch[key] == value, key
        assert via_json[key] == value, key


def test_batch_product_rows_round_trip(portal, client):
    deal_id = client.call("crm.deal.add", {"fields": {"TITLE": "Rows by batch"}})
    rows = [{"PRODUCT_ID": i, "PRODUCT_NAME": "Товар «%d» & ко" % i, "PRICE": 10 * i, "QUANTITY": i}
            for i in range(1, 4)]
    outcome = client.batch({"rows": ("crm.deal.productrows.set", {"id": deal_id, "rows": rows})})
    assert outcome.ok
    got = client.call("crm.deal.productrows.get", {"id": deal_id})
    assert [(r["PRODUCT_ID"], r["PRODUCT_NAME"], r["PRICE"], r["QUANTITY"]) for r in got] == [
        (1, "Товар «1» & ко", 10.0, 1.0), (2, "Товар «2» & ко", 20.0, 2.0),
        (3, "Товар «3» & ко", 30.0, 3.0)]


def test_list_all_follows_next(portal, client):
    client.batch({"d%d" % i: ("crm.deal.add", {"fields": {
        "TITLE": "Deal %d" % i, "STAGE_ID": "WON" if i % 2 else "NEW"}}) for i in range(1, 131)})
    deals = list(client.list_all("crm.deal.list", {"order": {"ID": "ASC"}, "select": ["ID", "TITLE"]}))
    assert [d["TITLE"] for d in deals] == ["Deal %d" % i for i in range(1, 131)]
    assert portal.methods_called().count("crm.deal.list") == 3  # 50 + 50 + 30

    won = list(client.list_all("crm.deal.list", {"filter": {"STAGE_ID": "WON"}, "select": ["ID"]}))
    assert len(won) == 65
    first_page = client.call_raw("crm.deal.list", {"filter": {"STAGE_ID": "WON"}})
    assert (first_page["total"], first_page["next"], len(first_page["result"])) == (65, 50, 50)
    assert set(first_page["time"]) >= {"start", "finish", "duration"}


def test_manager_from_user_get(portal, client):
    portal.add_user(17, "Мария", "Петрова", "petrova@example.test", work_position="Менеджер")
    users = client.call("user.get", {"ID": 17})
    assert [(u["ID"], u["LAST_NAME"], u["EMAIL"]) for u in users] == [
        ("17", "Петрова", "petrova@example.test")]


def test_wrong_secret_is_a_clear_auth_error(portal):
    bad = BitrixClient(portal.webhook_url.replace(portal.secret, "not-the-secret"))
    with pytest.raises(BitrixAuthError) as info:
        bad.call("crm.deal.list", {})
    err = info.value
    assert not err.retryable
    assert err.http_status == 401 and err.code == "INVALID_CREDENTIALS"
    assert "webhook" in err.message_en and "вебхука" in err.message_ru
    assert portal.deals == {} and portal.requests == []


def test_server_rate_limit_gives_retryable_error(portal):
    unpaced = BitrixClient(portal.webhook_url, rate=None)
    with pytest.raises(BitrixRetryableError) as info:
        for _ in range(80):
            unpaced.call("profile")
    err = info.value
    assert err.code == "QUERY_LIMIT_EXCEEDED" and err.http_status == 503
    assert err.retry_after > 0
    assert 50 <= len(portal.requests) < 80


def test_overload_suggests_a_long_pause(portal, client):
    portal.force_error("OVERLOAD_LIMIT", "REST API is blocked due to overload.", status=503)
    with pytest.raises(BitrixRetryableError) as info:
        client.call("profile")
    assert info.value.code == "OVERLOAD_LIMIT" and info.value.retry_after >= 60


def test_own_limiter_keeps_a_burst_of_60_from_being_refused(portal, client):
    started = time.monotonic()
    for i in range(60):
        client.call("profile")
    assert portal.refused == 0 and len(portal.requests) == 60
    assert time.monotonic() - started >= 4.5  # the ten calls past the burst were paced


def test_unreachable_portal_is_retryable(standin_module):
    with standin_module.Bitrix24StandIn() as gone:
        url = gone.webhook_url
    with pytest.raises(BitrixRetryableError) as info:
        BitrixClient(url, timeout=2).call("profile")
    assert info.value.retry_after > 0


@pytest.mark.parametrize("url, expected", [
    ("https://b24.example.ru/rest/1/abc123/", "https://b24.example.ru/rest/1/abc123/"),
    ("https://b24.example.ru/rest/1/abc123", "https://b24.example.ru/rest/1/abc123/"),
    ("  https://b24.example.ru/rest/1/abc123/profile.json ", "https://b24.example.ru/rest/1/abc123/"),
    ("http://127.0.0.1:5000/rest/7/s/", "http://127.0.0.1:5000/rest/7/s/"),
])
def test_webhook_url_forms(url, expected):
    assert normalize_webhook_url(url) == expected


@pytest.mark.parametrize("url", ["", "b24.example.ru/rest/1/abc/", "https://b24.example.ru/",
                                 "https://b24.example.ru/rest/1/"])
def test_bad_webhook_url_refused_in_both_languages(url):
    with pytest.raises(ValueError) as info:
        normalize_webhook_url(url)
    assert "webhook" in str(info.value) and "вебхука" in str(info.value)


def test_bitrix24_internal_error_is_tried_again_later(portal, client):
    portal.force_error("INTERNAL_SERVER_ERROR", "Internal server error", status=500)
    with pytest.raises(BitrixRetryableError) as info:
        client.call("crm.deal.list", {})
    assert info.value.retry_after == 30.0
    portal.force_error("PORTAL_DELETED", "Portal was deleted", status=500)
    with pytest.raises(BitrixApiError) as info:
        client.call("crm.deal.list", {})
    assert not info.value.retryable
