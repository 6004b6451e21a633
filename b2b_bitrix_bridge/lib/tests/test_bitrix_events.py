import pytest

from b2b_bitrix_bridge.lib.events import (EventFormError, nested, parse_event_form, redacted,
                                          token_matches)

FORM = {
    "event": "ONCRMDEALUPDATE", "event_handler_id": "3", "data[FIELDS][ID]": "123",
    "ts": "1700000000", "auth[domain]": "portal.bitrix24.ru",
    "auth[application_token]": "tok-1",
}


def test_event_form_gives_name_record_and_delivery_key():
    event = parse_event_form(FORM)
    assert (event.event, event.record_id, event.ts, event.domain) == (
        "ONCRMDEALUPDATE", 123, "1700000000", "portal.bitrix24.ru")
    assert event.fields == {"ID": "123"}
    assert event.delivery_key == "ONCRMDEALUPDATE:123:1700000000"


@pytest.mark.parametrize("change, located", [
    ({"event": ""}, "'event'"),
    ({"event": "drop table;"}, "'event'"),
    ({"ts": "yesterday"}, "'ts'"),
    ({"data[FIELDS][ID]": "12; --"}, "'data[FIELDS][ID]'"),
])
def test_malformed_event_is_refused_with_located_message(change, located):
    with pytest.raises(EventFormError) as info:
        parse_event_form(dict(FORM, **change))
    assert located in info.value.message_en and located in info.value.message_ru


def test_token_check():
    assert token_matches("tok-1", "tok-1")
    assert not token_matches("tok-2", "tok-1")
    assert not token_matches("", "tok-1")
    assert not token_matches("tok-1", "")  # nothing configured: intake closed
    assert not token_matches("ток", "tok")


def test_token_is_not_kept():
    assert redacted(FORM)["auth[application_token]"] == "***"
    assert redacted(FORM)["data[FIELDS][ID]"] == "123"


def test_message_events_without_record_are_told_apart_by_their_data():
    base = {"event": "ONIMCONNECTORMESSAGEADD", "ts": "1700000000",
            "data[CONNECTOR]": "b2b_dealer_portal", "data[LINE]": "1",
            "data[MESSAGES][0][im][message_id]": "86497"}
    first = parse_event_form(base)
    second = parse_event_form(dict(base, **{"data[MESSAGES][0][im][message_id]": "86498"}))
    assert first.record_id is None
    assert first.delivery_key != second.delivery_key
    assert parse_event_form(dict(base)).delivery_key == first.delivery_key


def test_nested_data_as_php_reads_it():
    data = nested([("data[MESSAGES][0][im][chat_id]", "1807"),
                   ("data[MESSAGES][0][message][text]", "[b]Иван:[/b] [br]Добрый день"),
                   ("data[MESSAGES][1][im][chat_id]", "1808"), ("data[LINE]", "107")])["data"]
    assert data["LINE"] == "107"
    assert [m["im"]["chat_id"] for m in data["MESSAGES"]] == ["1807", "1808"]
    assert data["MESSAGES"][0]["message"]["text"].startswith("[b]")
