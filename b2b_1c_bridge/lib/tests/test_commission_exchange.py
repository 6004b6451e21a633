"""The commission agents' side of the exchange contract: the report as the portal sends it to 1C
(web service arguments and the ``ОтчетКомиссионера`` request), 1C's decisions on reports
(``РешенияПоОтчетамКомиссионера``) and printed forms that close a report
(``ИдОтчетаКомиссионера``)."""
import datetime
import io
import os

import pytest
from lxml import etree

from b2b_1c_bridge.lib import cml_packages as cml
from b2b_1c_bridge.lib import soap

NS = "{urn:1C.ru:commerceml_2}"
EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                        "examples")
HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
        '<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" ВерсияСхемы="2.08">\n')
TAIL = "\n</КоммерческаяИнформация>\n"

PAYLOAD = {"report_id": "b2b.commission.report/7", "counterparty_id": "agent",
           "contract_id": "contract", "period": "2026-11",
           "lines": [{"product_id": "drill", "qty": 3.0, "price": 2000.0, "amount": 6000.0,
                      "commission": 600.0},
                     {"product_id": "drill", "qty": 1.0, "price": 1850.5, "amount": 1850.5,
                      "commission": 185.05}]}


def package(body):
    return io.BytesIO((HEAD + body + TAIL).encode("utf-8"))


def decisions(body):
    return list(cml.read_commission_decisions(
        package("<РешенияПоОтчетамКомиссионера>%s</РешенияПоОтчетамКомиссионера>" % body),
        "decisions.xml"))


def refusal(body):
    with pytest.raises(cml.PackageProblem) as info:
        decisions(body)
    return info.value.render()


def test_the_report_goes_with_its_contract_prices_and_commission():
    arguments = soap.soap_arguments("commission_report", "g1", PAYLOAD)
    assert (arguments["ContractId"], arguments["CounterpartyId"], arguments["Period"]) == \
        ("contract", "agent", "2026-11")
    assert arguments["Lines"]["Line"][1] == {"ProductId": "drill", "Quantity": 1.0,
                                             "Price": 1850.5, "Amount": 1850.5,
                                             "Commission": 185.05}
    data = soap.requests_document(datetime.datetime(2026, 12, 1, 9, 0), [
        ("g1", "commission_report", datetime.datetime(2026, 12, 1, 8, 0), PAYLOAD)])
    body = etree.fromstring(data).find(NS + "Запросы/" + NS + "Запрос/" + NS + "ОтчетКомиссионера")
    assert body.findtext(NS + "Договор/" + NS + "Ид") == "contract"
    assert [[child.tag[len(NS):] + "=" + child.text for child in good]
            for good in body.iter(NS + "Товар")] == [
        ["Ид=drill", "Количество=3", "Цена=2000.00", "Сумма=6000.00", "Комиссия=600.00"],
        ["Ид=drill", "Количество=1", "Цена=1850.50", "Сумма=1850.50", "Комиссия=185.05"]]


def test_a_report_of_the_old_payload_goes_as_before():
    old = {"report_id": "r", "counterparty_id": "agent", "period": "2024-05",
           "lines": [{"product_id": "saw", "qty": 1, "amount": 3500.0}]}
    assert soap.soap_arguments("commission_report", "g", old)["Lines"]["Line"] == [
        {"ProductId": "saw", "Quantity": 1, "Amount": 3500.0}]
    body = etree.fromstring(soap.requests_document(datetime.datetime(2024, 5, 1), [
        ("g", "commission_report", datetime.datetime(2024, 5, 1), old)]))
    report = body.find(NS + "Запросы/" + NS + "Запрос/" + NS + "ОтчетКомиссионера")
    assert report.find(NS + "Договор") is None
    assert [child.tag[len(NS):] for child in report.find(NS + "Товары/" + NS + "Товар")] == \
        ["Ид", "Количество", "Сумма"]


def test_the_example_decisions_are_read():
    read = list(cml.read_commission_decisions(
        os.path.join(EXAMPLES, "b2b_commission_decisions.xml"), "b2b_commission_decisions.xml"))
    assert [(d["report_ref"], d["document_ref"], d["state"], d["date"]) for d in read] == [
        ("b2b.commission.report/17", "d4e5f600-0001-4000-8000-000000000001", "approved",
         datetime.date(2026, 12, 3)),
        (None, "d4e5f600-0001-4000-8000-000000000002", "rejected", datetime.date(2026, 12, 3))]
    assert read[1]["reason"].startswith("Цена продажи ниже минимальной")
    assert read[0]["stamp"] != read[1]["stamp"]


def test_decisions_read_real_shaped_input_and_refuse_bad_records_at_their_place():
    read = decisions("<Решение><ИдОтчета> b2b.commission.report/5 </ИдОтчета>"
                     "<Статус>согласован</Статус><Дата>03.12.2026 10:00:00</Дата>"
                     "<Ответственный>Иванова</Ответственный></Решение>")
    assert [(d["report_ref"], d["state"], d["reason"], d["date"]) for d in read] == [
        ("b2b.commission.report/5", "approved", "", datetime.date(2026, 12, 3))]
    assert refusal("<Решение><Статус>Согласован</Статус><Дата>2026-12-03</Дата></Решение>") == \
        "decisions.xml, line 3: a decision names no report; name ИдОтчета or ИдДокумента."
    assert refusal("<Решение><ИдОтчета>r/1</ИдОтчета>\n<Статус>Отклонен</Статус>"
                   "<Причина> </Причина><Дата>2026-12-03</Дата></Решение>") == \
        "decisions.xml, line 4, Решение/Причина: a rejected report needs the reason the agent " \
        "is to correct."
    assert refusal("<Решение><ИдОтчета>r/1</ИдОтчета>\n<Статус>Проведен</Статус>"
                   "<Дата>2026-12-03</Дата></Решение>").startswith(
        "decisions.xml, line 4, Решение/Статус: unknown value «Проведен»; expected one of: "
        "Согласован, Отклонен")
    assert refusal("<Решение><ИдОтчета>r/1</ИдОтчета><Статус>Согласован</Статус></Решение>") == \
        "decisions.xml, line 3: Решение has no Дата (required)."
    twice = "<Решение><ИдОтчета>r/1</ИдОтчета><Статус>Согласован</Статус>" \
            "<Дата>2026-12-03</Дата></Решение>"
    assert refusal(twice + "\n" + twice) == \
        "decisions.xml, line 4, Решение/ИдОтчета: r/1 appears twice in the file (first at line 3)."


def test_printed_forms_name_the_report_they_close():
    forms = "<ПечатныеФормы>%s</ПечатныеФормы>" % "".join(
        "<Документ><Ид>%s</Ид><Вид>ЗакрывающиеДокументы</Вид><Дата>2026-12-04</Дата>"
        "<ИдДоговора>c</ИдДоговора>%s<Файл>f.pdf</Файл></Документ>" % (ident, extra)
        for ident, extra in (("doc-1", "<ИдОтчетаКомиссионера>b2b.commission.report/5"
                                       "</ИдОтчетаКомиссионера>"),
                             ("doc-2", "")))
    assert [(f["id"], f["report_ref"]) for f in cml.read_printed_form_reports(
        package(forms), "forms.xml")] == [("doc-1", "b2b.commission.report/5")]
    assert [f["id"] for f in cml.read_printed_forms(package(forms), "forms.xml")] == \
        ["doc-1", "doc-2"], "the forms themselves are read as before"
