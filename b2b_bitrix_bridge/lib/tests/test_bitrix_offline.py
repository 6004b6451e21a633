"""Bitrix24's queue of offline events: reading its entries as deliveries (lib), and the stand-in
playing the queue over real HTTP."""
import pytest

from b2b_bitrix_bridge.lib.events import (EventFormError, offline_batch, offline_covered,
                                          offline_event_form, parse_event_form, unix_time)

from .test_bitrix_standin import rest

ENTRY = {"ID": "7", "TIMESTAMP_X": "2026-12-07T10:15:30+03:00", "EVENT_NAME": "ONCRMDEALUPDATE",
         "EVENT_DATA": {"FIELDS": {"ID": 759}}, "EVENT_ADDITIONAL": {"user_id": "7"},
         "MESSAGE_ID": "0123456789abcdef0123456789abcdef"}


def test_an_offline_entry_reads_as_the_online_delivery_of_the_same_change():
    form = offline_event_form(ENTRY, "portal.bitrix24.ru")
    event = parse_event_form(form)
    assert (event.event, event.record_id, event.domain) == ("ONCRMDEALUPDATE", 759,
                                                            "portal.bitrix24.ru")
    # ts is the change's time (TIMESTAMP_X), in Unix seconds: 07:15:30 UTC
    assert event.ts == "1796627730" == unix_time(ENTRY["TIMESTAMP_X"])
    assert event.delivery_key == "ONCRMDEALUPDATE:759:1796627730"
    assert form["offline[MESSAGE_ID]"] == ENTRY["MESSAGE_ID"]


@pytest.mark.parametrize("change, located", [
    ({"TIMESTAMP_X": "вчера"}, "'TIMESTAMP_X'"),
    ({"TIMESTAMP_X": "2026-12-07T10:15:30"}, "'TIMESTAMP_X'"),   # no offset: no moment
    ({"EVENT_NAME": ""}, "'event'"),
    ({"EVENT_DATA": {"FIELDS": {"ID": "7; --"}}}, "'data[FIELDS][ID]'"),
])
def test_a_malformed_offline_entry_is_refused_with_a_located_message(change, located):
    with pytest.raises(EventFormError) as info:
        offline_event_form(dict(ENTRY, **change))
    assert located in info.value.message_en and located in info.value.message_ru


def test_an_entrys_data_reads_as_phps_http_build_query():
    form = offline_event_form(dict(ENTRY, EVENT_DATA={
        "FIELDS": {"ID": 5, "X": None, "Y": True, "L": ["a", "b"]}}))
    assert [(k, v) for k, v in form.items() if k.startswith("data[")] == [
        ("data[FIELDS][ID]", "5"), ("data[FIELDS][Y]", "1"), ("data[FIELDS][L][0]", "a"),
        ("data[FIELDS][L][1]", "b")]


def test_offline_batch_reads_the_answer_or_nothing():
    assert offline_batch({"process_id": "p", "events": [ENTRY]}) == ("p", [ENTRY])
    assert offline_batch({"process_id": None, "events": []}) == (None, [])
    assert offline_batch([]) == (None, [])


def test_a_change_is_covered_by_a_delivery_of_its_second_or_later_not_failed():
    assert offline_covered(100, [(100, "done")])
    assert offline_covered(100, [(130, "new")])
    assert not offline_covered(100, [(99, "done")])
    assert not offline_covered(100, [(130, "failed"), (140, "ignored")])
    assert not offline_covered(100, [])


# ---------------------------------------------------------------------------- the stand-in
def test_the_offline_queue_keeps_the_latest_change_per_object_until_cleared(fast_portal):
    p = fast_portal
    auth = p.install_app()["access_token"]
    status, answer = rest(p, "event.bind", {"event": "ONCRMDEALUPDATE", "event_type": "offline"},
                          auth=auth)
    assert (status, answer["result"]) == (200, True)
    assert rest(p, "event.bind", {"event": "ONCRMDEALUPDATE", "event_type": "offline"},
                auth=auth)[1]["error"] == "ERROR_HANDLER_ALREADY_EXIST"
    assert {"event": "ONCRMDEALUPDATE", "connector_id": "", "offline": 1} in \
        rest(p, "event.get", {}, auth=auth)[1]["result"]
    first = rest(p, "crm.deal.add", {"fields": {"TITLE": "A"}}, webhook=True)[1]["result"]
    second = rest(p, "crm.deal.add", {"fields": {"TITLE": "B"}}, webhook=True)[1]["result"]
    for stage in ("PREPARATION", "EXECUTING", "WON"):
        p.manager_update_deal(first, {"STAGE_ID": stage})
    p.manager_update_deal(second, {"STAGE_ID": "LOSE"})
    assert p.offline_entries() == [("ONCRMDEALUPDATE", str(first), ""),
                                   ("ONCRMDEALUPDATE", str(second), "")]

    # clear=0: taken by a process, hidden from other reads, still there
    status, answer = rest(p, "event.offline.get", {"clear": 0, "limit": 1}, auth=auth)
    assert status == 200
    process, events = answer["result"]["process_id"], answer["result"]["events"]
    assert len(process) == 32 and [e["EVENT_DATA"] for e in events] == [{"FIELDS": {"ID": first}}]
    assert set(events[0]) == {"ID", "TIMESTAMP_X", "EVENT_NAME", "EVENT_DATA",
                              "EVENT_ADDITIONAL", "MESSAGE_ID"}
    assert len(events[0]["MESSAGE_ID"]) == 32
    # a change while it is taken makes a new entry; the other reader gets the rest
    p.manager_update_deal(first, {"STAGE_ID": "APOLOGY"})
    other = rest(p, "event.offline.get", {"clear": 0}, auth=auth)[1]["result"]
    assert [e["EVENT_DATA"]["FIELDS"]["ID"] for e in other["events"]] == [second, first]
    # read again by its process_id, then cleared by id
    again = rest(p, "event.offline.get", {"clear": 0, "process_id": process}, auth=auth)[1]
    assert again["result"]["events"] == events and again["result"]["process_id"] == process
    assert rest(p, "event.offline.clear", {"process_id": process, "id": [int(events[0]["ID"])]},
                auth=auth)[1]["result"] is True
    assert [pid for _e, _id, pid in p.offline_entries()] == [other["process_id"]] * 2
    # event.offline.error keeps one apart, read with error=1; the default read clears
    bad = other["events"][0]["MESSAGE_ID"]
    rest(p, "event.offline.error", {"process_id": other["process_id"], "message_id": [bad]},
         auth=auth)
    assert rest(p, "event.offline.get", {"error": 1}, auth=auth)[1]["result"]["events"][0][
        "MESSAGE_ID"] == bad
    assert rest(p, "event.offline.clear", {"process_id": other["process_id"]}, auth=auth)[1][
        "result"] is True
    assert p.offline_entries() == []
    assert rest(p, "event.offline.clear", {}, auth=auth)[0] == 400


def test_offline_events_are_for_an_administrator_and_the_application_only(fast_portal):
    p = fast_portal
    p.add_user(12, "Пётр", "Обычный", "petr@standin.test")
    auth = p.install_app(user_id=12)["access_token"]
    assert rest(p, "profile", auth=auth)[1]["result"]["ADMIN"] is False
    for method, params in (("event.bind", {"event": "ONCRMLEADUPDATE", "event_type": "offline"}),
                           ("event.offline.get", {}), ("event.offline.clear", {"process_id": "x"})):
        assert rest(p, method, params, auth=auth) == (403, {
            "error": "ACCESS_DENIED", "error_description": "Access denied!"}), method
    assert rest(p, "event.offline.get", {}, webhook=True)[1]["error"] == "WRONG_AUTH_TYPE"
    # the online binding is still his to make
    assert rest(p, "event.bind", {"event": "ONCRMLEADUPDATE", "handler": "http://h/"},
                auth=auth)[1]["result"] is True


def test_dropped_online_deliveries_still_reach_the_offline_queue_not_the_apps_own(fast_portal,
                                                                                    sink):
    p = fast_portal
    auth = p.install_app()["access_token"]
    rest(p, "event.bind", {"event": "ONCRMLEADUPDATE", "event_type": "offline"}, auth=auth)
    p.outgoing_webhook(sink.url, ["ONCRMLEADUPDATE"])
    lead = rest(p, "crm.lead.add", {"fields": {"TITLE": "L"}}, webhook=True)[1]["result"]
    p.drop_events = True
    p.manager_update_lead(lead, {"STATUS_ID": "IN_PROCESS"})
    assert p.flush_events() == [] and len(p.dropped) == 1
    assert p.offline_entries() == [("ONCRMLEADUPDATE", str(lead), "")]
    rest(p, "event.offline.get", {}, auth=auth)     # clear=1: read and gone
    rest(p, "crm.lead.update", {"id": lead, "fields": {"TITLE": "M"}}, auth=auth)
    assert p.offline_entries() == [], "the application's own change is not queued for it"
