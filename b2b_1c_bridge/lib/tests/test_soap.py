import datetime

from lxml import etree

from b2b_1c_bridge.lib import soap

NS = "{urn:1C.ru:commerceml_2}"


def test_requests_document_lists_each_kind():
    data = soap.requests_document(datetime.datetime(2024, 5, 1, 9, 0), [
        ("g1", "act", datetime.datetime(2024, 5, 1, 8, 0),
         {"number": "R/1", "contract_id": "ct", "contract_number": "Д-1", "counterparty_id": "cp",
          "date_from": "2024-01-01", "date_to": "2024-03-31"}),
        ("g2", "availability", datetime.datetime(2024, 5, 1, 8, 30),
         {"order_id": "o", "order_number": "S1", "contract_id": "ct",
          "lines": [{"product_id": "p", "qty": 2.0}]}),
    ])
    root = etree.fromstring(data)
    items = root.findall(NS + "Запросы/" + NS + "Запрос")
    assert [i.findtext(NS + "Ид") for i in items] == ["g1", "g2"]
    assert [i.findtext(NS + "Вид") for i in items] == ["АктСверки", "ПроверкаНаличия"]
    act = items[0].find(NS + "АктСверки")
    assert act.findtext(NS + "Договор/" + NS + "Ид") == "ct"
    assert act.findtext(NS + "НачалоПериода") == "2024-01-01"
    good = items[1].find(NS + "ПроверкаНаличия/" + NS + "Товары/" + NS + "Товар")
    assert good.findtext(NS + "Количество") == "2"
    empty = etree.fromstring(soap.requests_document(datetime.datetime(2024, 5, 1), []))
    assert empty.find(NS + "Запросы") is not None and len(empty.find(NS + "Запросы")) == 0


def test_answers_are_read_and_refusals_raise():
    answer = soap.read_answer("availability", {"Accepted": True, "Lines": {"Line": [
        {"ProductId": "p", "Requested": "3", "Available": "1", "ExpectedDate": None}]}})
    assert answer["lines"] == [{"product_id": "p", "requested": 3.0, "available": 1.0, "date": None}]
    try:
        soap.call("", "", "", "act", "g", {})
    except soap.SoapError as exc:
        assert exc.template == soap.MSG_NOT_CONFIGURED and not exc.retry
    else:
        raise AssertionError("not configured must raise")
    assert [soap.backoff_seconds(n) for n in (1, 2, 3, 10)] == [60, 120, 240, 3600]
