"""The Bitrix24 stand-in itself, over real HTTP: what the bridge's tests rely on it to play."""
import time

import pytest
import requests


def rest(portal, method, params=None, auth=None, webhook=False):
    """(HTTP status, JSON answer) of one REST call, as an application (``auth``) or the webhook."""
    if webhook:
        url = portal.webhook_url + method + ".json"
    else:
        url = portal.client_endpoint + method + ".json"
        params = dict(params or {}, auth=auth)
    response = requests.post(url, json=params or {}, timeout=10)
    return response.status_code, response.json()


def token(portal, **params):
    response = requests.get(portal.oauth_url, params=dict(
        {"client_id": portal.client_id, "client_secret": portal.client_secret}, **params), timeout=10)
    return response.status_code, response.json()


def test_oauth_refresh_rotates_and_old_refresh_token_is_refused(fast_portal):
    auth = fast_portal.install_app()
    assert set(auth) >= {"access_token", "refresh_token", "expires_in", "member_id",
                         "application_token", "domain", "client_endpoint", "server_endpoint"}
    assert rest(fast_portal, "profile", auth=auth["access_token"])[0] == 200

    fast_portal.expire_access_tokens()
    assert rest(fast_portal, "profile", auth=auth["access_token"]) == (401, {
        "error": "expired_token", "error_description": "The access token provided has expired"})

    status, new = token(fast_portal, grant_type="refresh_token", refresh_token=auth["refresh_token"])
    assert status == 200 and new["expires_in"] == 3600
    assert new["refresh_token"] != auth["refresh_token"]
    assert new["client_endpoint"] == fast_portal.client_endpoint
    assert rest(fast_portal, "profile", auth=new["access_token"])[0] == 200
    assert fast_portal.refreshes == 1
    assert fast_portal.current_refresh_token() == new["refresh_token"]

    status, answer = token(fast_portal, grant_type="refresh_token", refresh_token=auth["refresh_token"])
    assert (status, answer["error"]) == (400, "invalid_grant")
    status, answer = token(fast_portal, grant_type="refresh_token", refresh_token=new["refresh_token"],
                           client_secret="wrong")
    assert (status, answer["error"]) == (401, "invalid_client")
    assert rest(fast_portal, "profile", auth="nonsense")[1]["error"] == "NO_AUTH_FOUND"

    code = fast_portal.authorization_code()
    status, by_code = token(fast_portal, grant_type="authorization_code", code=code)
    assert status == 200 and rest(fast_portal, "profile", auth=by_code["access_token"])[0] == 200
    assert token(fast_portal, grant_type="authorization_code", code=code)[0] == 400  # used once


def test_application_only_methods_refuse_the_webhook(fast_portal):
    for method in ("imconnector.register", "imconnector.send.messages", "event.bind", "event.get"):
        assert rest(fast_portal, method, {}, webhook=True) == (403, {
            "error": "WRONG_AUTH_TYPE", "error_description":
            "Current authorization type is denied for this method Application context required"})
    # CRM calls keep working through the webhook, and through the application
    status, answer = rest(fast_portal, "crm.deal.add", {"fields": {"TITLE": "W"}}, webhook=True)
    assert status == 200 and answer["result"] == 1
    auth = fast_portal.install_app()
    assert rest(fast_portal, "crm.deal.get", {"id": 1}, auth=auth["access_token"])[1]["result"][
        "TITLE"] == "W"
    assert fast_portal.calls[-2:] == [("crm.deal.add", "webhook"), ("crm.deal.get", "app")]


def test_crm_entities_read_back_as_strings_and_pipelines_stay_consistent(fast_portal):
    p = fast_portal
    company = rest(p, "crm.company.add", {"fields": {
        "TITLE": "ООО Альфа", "ASSIGNED_BY_ID": p.manager_id,
        "EMAIL": [{"VALUE": "info@alfa.test", "VALUE_TYPE": "WORK"}]}}, webhook=True)[1]["result"]
    assert isinstance(company, int)
    contact = rest(p, "crm.contact.add", {"fields": {
        "NAME": "Пётр", "LAST_NAME": "Альфин", "COMPANY_ID": company,
        "PHONE": [{"VALUE": "+7 (999) 000-11-22", "VALUE_TYPE": "WORK"}]}}, webhook=True)[1]["result"]
    got = rest(p, "crm.contact.get", {"id": contact}, webhook=True)[1]["result"]
    assert (got["COMPANY_ID"], got["ASSIGNED_BY_ID"], got["PHONE"][0]["VALUE"]) == (
        str(company), str(p.user_id), "+7 (999) 000-11-22")
    found = rest(p, "crm.contact.list", {"filter": {"PHONE": "+79990001122"}}, webhook=True)[1]
    assert [c["ID"] for c in found["result"]] == [str(contact)] and "PHONE" not in found["result"][0]
    assert rest(p, "crm.duplicate.findbycomm", {"entity_type": "COMPANY", "type": "EMAIL",
                                                "values": ["INFO@alfa.test"]}, webhook=True)[1][
        "result"] == {"COMPANY": [company]}

    lead = rest(p, "crm.lead.add", {"fields": {"TITLE": "Выкладка", "ORIGINATOR_ID": "b2b_portal",
                                               "ORIGIN_ID": "b2b.merch.request:7"}}, webhook=True)[1]
    got = rest(p, "crm.lead.get", {"id": lead["result"]}, webhook=True)[1]["result"]
    assert (got["STATUS_ID"], got["STATUS_SEMANTIC_ID"], got["ORIGIN_ID"]) == (
        "NEW", "P", "b2b.merch.request:7")
    p.manager_update_lead(lead["result"], {"STATUS_ID": "JUNK"})
    assert (p.leads[1]["STATUS_ID"], p.leads[1]["MODIFY_BY_ID"]) == ("JUNK", str(p.manager_id))

    stages = rest(p, "crm.status.list", {"filter": {"ENTITY_ID": "DEAL_STAGE_1"}}, webhook=True)[1]
    assert [s["STATUS_ID"] for s in stages["result"]] == ["C1:NEW", "C1:PREPARATION", "C1:WON",
                                                         "C1:LOSE"]
    assert [c["name"] for c in rest(p, "crm.category.list", {"entityTypeId": 2}, webhook=True)[1][
        "result"]["categories"]] == ["Общая", "Мерчандайзинг"]
    deal = rest(p, "crm.deal.add", {"fields": {"CATEGORY_ID": 1}}, webhook=True)[1]["result"]
    assert (p.deals[deal]["CATEGORY_ID"], p.deals[deal]["STAGE_ID"]) == ("1", "C1:NEW")
    rest(p, "crm.deal.update", {"id": deal, "fields": {"STAGE_ID": "WON", "CATEGORY_ID": 0}},
         webhook=True)
    assert (p.deals[deal]["CATEGORY_ID"], p.deals[deal]["STAGE_ID"]) == ("1", "C1:NEW")
    p.manager_update_deal(deal, {"STAGE_ID": "C1:WON"})
    assert (p.deals[deal]["STAGE_SEMANTIC_ID"], p.deals[deal]["CLOSED"]) == ("S", "Y")
    assert p.deals[deal]["MODIFY_BY_ID"] == str(p.manager_id) != str(p.user_id)


def test_events_are_posted_form_encoded_with_the_application_token(fast_portal, sink):
    p = fast_portal
    auth = p.install_app()["access_token"]
    assert rest(p, "event.bind", {"event": "ONCRMDEALUPDATE", "handler": sink.url}, auth=auth)[1][
        "result"] is True
    assert rest(p, "event.bind", {"event": "onCrmDealUpdate", "handler": sink.url}, auth=auth)[1][
        "error"] == "ERROR_HANDLER_ALREADY_EXIST"
    assert [h["event"] for h in rest(p, "event.get", {}, auth=auth)[1]["result"]] == [
        "ONCRMDEALUPDATE"]
    deal = rest(p, "crm.deal.add", {"fields": {"TITLE": "E"}}, webhook=True)[1]["result"]
    rest(p, "crm.deal.update", {"id": deal, "fields": {"STAGE_ID": "EXECUTING"}}, webhook=True)
    p.manager_update_deal(deal, rows=[{"PRODUCT_NAME": "Кабель", "PRICE": 10, "QUANTITY": 3}])
    assert p.flush_events() == [("ONCRMDEALUPDATE", 200)] * 2   # no handler for the add
    path, ctype, pairs = sink.received[0]
    assert ctype == "application/x-www-form-urlencoded"
    form = dict(pairs)
    assert form["event"] == "ONCRMDEALUPDATE" and form["data[FIELDS][ID]"] == str(deal)
    assert form["auth[application_token]"] == p.application_token
    assert form["auth[domain]"] == p.domain and form["auth[member_id]"] == p.member_id
    assert form["ts"].isdigit() and abs(int(form["ts"]) - time.time()) < 60
    assert all(isinstance(v, str) for _k, v in pairs)
    assert rest(p, "event.unbind", {"event": "ONCRMDEALUPDATE", "handler": sink.url},
                auth=auth)[1]["result"] == {"count": 1}


def test_event_switches_duplicate_reorder_drop_delay(fast_portal, sink):
    p = fast_portal
    p.outgoing_webhook(sink.url, ["ONCRMLEADADD", "ONCRMLEADUPDATE"])
    p.duplicate_events = True
    lead = rest(p, "crm.lead.add", {"fields": {"TITLE": "L"}}, webhook=True)[1]["result"]
    assert p.flush_events() == [("ONCRMLEADADD", 200)] * 2
    p.duplicate_events = False
    p.reorder_events = True
    for title in ("a", "b", "c"):
        rest(p, "crm.lead.update", {"id": lead, "fields": {"TITLE": title}}, webhook=True)
    lead2 = rest(p, "crm.lead.add", {"fields": {"TITLE": "L2"}}, webhook=True)[1]["result"]
    p.flush_events()
    assert [f["event"] for f in sink.forms()[2:]] == ["ONCRMLEADADD"] + ["ONCRMLEADUPDATE"] * 3
    assert sink.forms()[2]["data[FIELDS][ID]"] == str(lead2)
    p.reorder_events = False
    p.drop_events = True
    p.manager_update_lead(lead, {"STATUS_ID": "IN_PROCESS"})
    assert p.flush_events() == [] and len(p.dropped) == 1 and len(sink.received) == 6
    p.drop_events = False
    p.event_delay = 0.3
    started = time.time()
    p.manager_update_lead(lead, {"STATUS_ID": "PROCESSED"})
    assert p.flush_events() == [("ONCRMLEADUPDATE", 200)] and time.time() - started >= 0.3


def open_line(portal, auth, connector="b2b_dealer_portal"):
    assert rest(portal, "imconnector.register", {"ID": connector, "NAME": "B2B"}, auth=auth)[1][
        "result"]["error"] == "ICON_REQUIRED"
    assert rest(portal, "imconnector.register", {
        "ID": connector, "NAME": "B2B", "ICON": {"DATA_IMAGE": "data:image/svg+xml,x"},
        "PLACEMENT_HANDLER": "http://127.0.0.1/b2b/bitrix/placement"}, auth=auth)[1][
        "result"] == {"result": True}
    message = {"user": {"id": "u1", "email": "petr@alfa.test"}, "chat": {"id": "dealer-1"},
               "message": {"id": "m1", "text": "Здравствуйте"}}
    status, answer = rest(portal, "imconnector.send.messages", {
        "CONNECTOR": connector, "LINE": portal.line_id, "MESSAGES": [message]}, auth=auth)
    assert (status, answer["error"]) == (400, "NOT_ACTIVE_LINE")
    assert rest(portal, "imconnector.activate", {"CONNECTOR": connector, "LINE": portal.line_id,
                                                 "ACTIVE": 1}, auth=auth)[1]["result"] is True
    return message


def test_open_line_routes_to_the_responsible_and_operator_answers(fast_portal, sink):
    p = fast_portal
    auth = p.install_app()["access_token"]
    rest(p, "crm.contact.add", {"fields": {"NAME": "Пётр", "ASSIGNED_BY_ID": p.manager_id, "EMAIL": [
        {"VALUE": "petr@alfa.test", "VALUE_TYPE": "WORK"}]}}, webhook=True)
    rest(p, "event.bind", {"event": "ONIMCONNECTORMESSAGEADD", "handler": sink.url}, auth=auth)
    message = open_line(p, auth)
    bad = dict(message, chat={})
    answer = rest(p, "imconnector.send.messages", {
        "CONNECTOR": "b2b_dealer_portal", "LINE": p.line_id, "MESSAGES": [message, bad]},
        auth=auth)[1]["result"]
    assert answer["SUCCESS"] is False
    ok, failed = answer["DATA"]["RESULT"]
    assert ok["SUCCESS"] is True and ok["session"]["CHAT_ID"] and failed["SUCCESS"] is False
    assert failed["message"]["id"] == "m1" and failed["ERRORS"] == ["chat.id is required"]
    assert p.sessions == {"dealer-1": p.manager_id}
    assert p.connector_messages[0]["LINE"] == p.line_id
    assert p.connector_messages[0]["message"]["text"] == "Здравствуйте"

    im_id = p.operator_reply("dealer-1", "Добрый день", files=[
        {"name": "price.pdf", "link": "http://127.0.0.1/price.pdf"}])
    assert p.flush_events() == [("ONIMCONNECTORMESSAGEADD", 200)]
    form = sink.forms()[0]
    assert form["data[MESSAGES][0][message][text]"] == "[b]Иван Менеджеров:[/b] [br]Добрый день"
    assert form["data[MESSAGES][0][message][user_id]"] == str(p.manager_id)
    assert form["data[MESSAGES][0][im][message_id]"] == str(im_id)
    assert form["data[MESSAGES][0][chat][id]"] == "dealer-1"
    assert form["data[MESSAGES][0][message][files][0][link]"] == "http://127.0.0.1/price.pdf"
    assert form["data[LINE]"] == str(p.line_id) and form["data[CONNECTOR]"] == "b2b_dealer_portal"

    receipt = {"im": {"chat_id": form["data[MESSAGES][0][im][chat_id]"], "message_id": im_id},
               "message": {"id": ["portal-1"]}, "chat": {"id": "dealer-1"}}
    assert rest(p, "imconnector.send.status.delivery", {
        "CONNECTOR": "b2b_dealer_portal", "LINE": p.line_id, "MESSAGES": [receipt]},
        auth=auth)[1]["result"] == {"SUCCESS": True, "DATA": []}
    assert p.delivery_receipts[0]["im"]["message_id"] == im_id


def test_auto_answer_to_a_chats_first_message_from_the_admin(fast_portal, sink):
    p = fast_portal
    auth = p.install_app()["access_token"]
    rest(p, "event.bind", {"event": "ONIMCONNECTORMESSAGEADD", "handler": sink.url}, auth=auth)
    message = open_line(p, auth)
    p.auto_answer = {"text": "Сейчас посмотрю"}
    for text in ("Первое", "Второе"):
        rest(p, "imconnector.send.messages", {"CONNECTOR": "b2b_dealer_portal", "LINE": p.line_id,
                                              "MESSAGES": [dict(message, message={"id": text,
                                                                                  "text": text})]},
             auth=auth)
    assert p.flush_events() == [("ONIMCONNECTORMESSAGEADD", 200)]   # the first message only
    assert sink.forms()[0]["data[MESSAGES][0][message][text]"].endswith("Сейчас посмотрю")
    assert p.sessions == {"dealer-1": p.user_id}   # no CRM match: the admin answers


def test_go_down_and_come_back_on_the_same_port(fast_portal):
    url = fast_portal.webhook_url + "profile.json"
    session = requests.Session()
    assert session.post(url, timeout=5).status_code == 200   # a kept-alive connection
    fast_portal.go_down()
    with pytest.raises(requests.ConnectionError):
        session.post(url, timeout=5)
    fast_portal.come_back()
    assert session.post(url, timeout=5).status_code == 200
    assert fast_portal.webhook_url + "profile.json" == url


def test_moved_portal_answers_302(fast_portal):
    fast_portal.moved_to = "http://new.example.test"
    response = requests.post(fast_portal.webhook_url + "profile.json", allow_redirects=False,
                             timeout=5)
    assert response.status_code == 302
    assert response.headers["Location"] == "http://new.example.test/rest/1/%s/profile.json" % (
        fast_portal.secret)


def test_application_token_in_query_or_form_and_its_lifetime(standin_module):
    with standin_module.Bitrix24StandIn(rate=None, token_lifetime=1) as portal:
        auth = portal.install_app()["access_token"]
        got = requests.get(portal.client_endpoint + "crm.status.list",
                           params={"auth": auth, "filter[ENTITY_ID]": "STATUS"}, timeout=5).json()
        assert [s["STATUS_ID"] for s in got["result"]] == [
            "NEW", "IN_PROCESS", "PROCESSED", "CONVERTED", "JUNK"]
        added = requests.post(portal.client_endpoint + "crm.lead.add.json", timeout=5, data={
            "auth": auth, "fields[TITLE]": "Форма", "fields[EMAIL][0][VALUE]": "a@b.test"}).json()
        assert portal.leads[added["result"]]["EMAIL"][0]["VALUE"] == "a@b.test"
        time.sleep(1.05)   # older than expires_in
        answer = requests.post(portal.client_endpoint + "profile", data={"auth": auth}, timeout=5)
        assert (answer.status_code, answer.json()["error"]) == (401, "expired_token")
