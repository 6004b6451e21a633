"""The local application's client (OAuth tokens) against the Bitrix24 stand-in, over real HTTP."""
import threading

import pytest

from b2b_bitrix_bridge.lib.client import BitrixClient
from b2b_bitrix_bridge.lib.errors import BitrixAuthError, BitrixRetryableError
from b2b_bitrix_bridge.lib.oauth import BitrixAppClient, MemoryTokenStore


def app_client(portal, store, **kw):
    return BitrixAppClient(store, portal.client_id, kw.pop("client_secret", portal.client_secret),
                           oauth_url=portal.oauth_url, rate=None, **kw)


@pytest.fixture
def store(fast_portal):
    return MemoryTokenStore(fast_portal.install_app())


def test_expired_token_is_refreshed_once_and_the_rotated_pair_kept(fast_portal, store):
    client = app_client(fast_portal, store)
    first = store.load()
    assert client.call("profile")["ID"] == str(fast_portal.user_id)
    assert fast_portal.refreshes == 0            # no refresh while the token works
    assert fast_portal.calls[-1] == ("profile", "app")

    fast_portal.expire_access_tokens()
    deal_id = client.call("crm.deal.add", {"fields": {"TITLE": "После обновления"}})
    assert fast_portal.deals[deal_id]["TITLE"] == "После обновления"   # the call was repeated once
    assert fast_portal.refreshes == 1
    kept = store.load()
    assert kept["access_token"] != first["access_token"]
    assert kept["refresh_token"] != first["refresh_token"]             # rotated and stored
    assert kept["application_token"] == first["application_token"]     # the rest kept
    assert kept["domain"] == fast_portal.domain
    assert client.call("profile") and fast_portal.refreshes == 1

    fast_portal.expire_access_tokens()          # the new refresh token works, the old one does not
    assert client.call("profile") and fast_portal.refreshes == 2
    assert [status for grant, status in fast_portal.token_requests] == [200, 200]


def test_concurrent_expired_calls_refresh_exactly_once(fast_portal, store):
    client = app_client(fast_portal, store)
    fast_portal.expire_access_tokens()
    fast_portal.oauth_delay = 0.3   # the refresh takes a while: every thread meets the 401 first
    threads, results, errors = 8, [], []
    barrier = threading.Barrier(threads)

    def work(n):
        barrier.wait()
        try:
            results.append(client.call("crm.deal.add", {"fields": {"TITLE": "Поток %d" % n}}))
        except Exception as exc:  # collected and asserted below
            errors.append(exc)

    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(20)
    assert errors == []
    assert len(results) == threads and len(fast_portal.deals) == threads
    assert fast_portal.refreshes == 1 and store.refreshes == 1
    assert [kind for _m, kind in fast_portal.calls] == ["app"] * threads   # one repeat each


def test_refused_refresh_token_says_reinstall(fast_portal, store):
    client = app_client(fast_portal, store)
    before = store.load()
    fast_portal.expire_access_tokens()
    fast_portal.expire_refresh_tokens()
    with pytest.raises(BitrixAuthError) as info:
        client.call("profile")
    err = info.value
    assert err.code == "invalid_grant" and not err.retryable
    assert "reinstalled" in err.message_en and "переустановить" in err.message_ru
    assert store.load() == before               # nothing half-saved


def test_wrong_client_secret_is_named(fast_portal, store):
    client = app_client(fast_portal, store, client_secret="not-the-secret")
    fast_portal.expire_access_tokens()
    with pytest.raises(BitrixAuthError) as info:
        client.call("profile")
    assert info.value.code == "invalid_client" and info.value.http_status == 401
    assert "client id or secret" in info.value.message_en and "client_secret" in info.value.message_ru


def test_other_auth_errors_do_not_refresh(fast_portal):
    client = app_client(fast_portal, MemoryTokenStore({
        "access_token": "unknown", "refresh_token": "x", "client_endpoint": fast_portal.client_endpoint}))
    with pytest.raises(BitrixAuthError) as info:
        client.call("profile")
    assert info.value.code == "NO_AUTH_FOUND" and "application" in info.value.message_en
    assert fast_portal.token_requests == []
    with pytest.raises(BitrixAuthError) as info:
        app_client(fast_portal, MemoryTokenStore()).call("profile")
    assert "not installed" in info.value.message_en


def test_connector_needs_the_application_not_the_webhook(fast_portal, store):
    webhook = BitrixClient(fast_portal.webhook_url, rate=None)
    with pytest.raises(BitrixAuthError) as info:
        webhook.call("imconnector.register", {"ID": "b2b_dealer_portal"})
    assert info.value.code == "WRONG_AUTH_TYPE" and info.value.http_status == 403
    assert "application" in info.value.message_en and "приложение" in info.value.message_ru
    app = app_client(fast_portal, store)
    assert app.call("imconnector.register", {
        "ID": "b2b_dealer_portal", "NAME": "B2B", "ICON": {"DATA_IMAGE": "data:image/svg+xml,x"},
        "PLACEMENT_HANDLER": "http://127.0.0.1/x"}) == {"result": True}
    outcome = app.batch({"status": ("crm.status.list", {"filter": {"ENTITY_ID": "STATUS"}}),
                         "events": ("event.get", {})})
    assert outcome.ok and outcome.results["events"] == []


def test_operation_time_limit_is_retried_after_a_minute(fast_portal, store):
    fast_portal.force_error("OPERATION_TIME_LIMIT", "Method is blocked due to operation time limit.",
                            status=429)
    with pytest.raises(BitrixRetryableError) as info:
        app_client(fast_portal, store).call("crm.deal.list")
    assert info.value.code == "OPERATION_TIME_LIMIT" and info.value.retry_after >= 60


def test_moved_portal_is_followed_with_the_same_post(standin_module, fast_portal):
    with standin_module.Bitrix24StandIn(rate=None) as old:
        old.moved_to = fast_portal.base_url
        client = BitrixClient(old.webhook_url, rate=None)
        deal_id = client.call("crm.deal.add", {"fields": {"TITLE": "Переехавший портал"}})
        assert fast_portal.deals[deal_id]["TITLE"] == "Переехавший портал"
        assert old.deals == {} and client.webhook_url == fast_portal.webhook_url
        assert client.call("crm.deal.get", {"id": deal_id})["ID"] == str(deal_id)
