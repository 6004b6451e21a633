"""A dealer's new legal entity as 1C receives it: the ``Контрагент`` of the exchange's requests and
the arguments of the web service's ``RegisterCounterparty``, which are those of the WSDL."""
import datetime
import os

from lxml import etree

from b2b_1c_bridge.lib import soap

NS = "{urn:1C.ru:commerceml_2}"
XS = "{http://www.w3.org/2001/XMLSchema}"
WSDL = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                    "static", "wsdl", "b2b_portal_1c.wsdl")
ORGANISATION = {
    "counterparty_id": "cp-1", "dealer_id": "dealer-1", "name": "ООО «Альфа-Север»",
    "inn": "7701987652", "kpp": "770101001", "ogrn": "1027700132195",
    "legal_address": "Москва, Тверская, 7", "postal_address": "Москва, а/я 45",
    "bik": "044525225", "bank_name": "ПАО Сбербанк", "account": "40702810200000012345",
    "corr_account": "30101810400000000225", "contact_name": "Сергей Воронов",
    "contact_phone": "+7 495 123-45-67", "contact_email": "s@example.com"}


def counterparty(payload):
    data = soap.requests_document(datetime.datetime(2026, 12, 1, 9, 0), [
        ("g1", "counterparty", datetime.datetime(2026, 12, 1, 8, 0), payload)])
    item = etree.fromstring(data).find(NS + "Запросы/" + NS + "Запрос")
    assert item.findtext(NS + "Вид") == "Контрагент"
    return item.find(NS + "Контрагент")


def test_an_organisation_is_a_commerceml_counterparty():
    body = counterparty(ORGANISATION)
    assert [body.findtext(NS + tag) for tag in ("Ид", "Наименование", "ИНН", "КПП", "ОГРН", "ИдДилера")] \
        == ["cp-1", "ООО «Альфа-Север»", "7701987652", "770101001", "1027700132195", "dealer-1"]
    assert body.findtext(NS + "ЮридическийАдрес/" + NS + "Представление") == "Москва, Тверская, 7"
    assert body.findtext(NS + "Адрес/" + NS + "Представление") == "Москва, а/я 45"
    account = body.find(NS + "РасчетныеСчета/" + NS + "РасчетныйСчет")
    assert account.findtext(NS + "НомерСчета") == "40702810200000012345"
    assert [account.findtext(NS + "Банк/" + NS + tag) for tag in
            ("Наименование", "БИК", "СчетКорреспондентский")] == \
        ["ПАО Сбербанк", "044525225", "30101810400000000225"]
    assert [(c.findtext(NS + "Тип"), c.findtext(NS + "Значение"))
            for c in body.iter(NS + "Контакт")] == [("Телефон рабочий", "+7 495 123-45-67"),
                                                    ("Почта", "s@example.com")]
    assert body.findtext(NS + "Представители/" + NS + "Представитель/" + NS + "Наименование") \
        == "Сергей Воронов"


def test_an_entrepreneur_has_no_kpp_and_the_legal_address_is_the_postal_one():
    body = counterparty(dict(ORGANISATION, inn="770198765434", kpp="", ogrn="", postal_address="",
                             contact_email=""))
    assert body.find(NS + "КПП") is None and body.find(NS + "ОГРН") is None
    assert body.findtext(NS + "Адрес/" + NS + "Представление") == "Москва, Тверская, 7"
    assert [c.findtext(NS + "Тип") for c in body.iter(NS + "Контакт")] == ["Телефон рабочий"]


def test_the_web_service_call_has_the_wsdl_arguments():
    arguments = soap.soap_arguments("counterparty", "g1", ORGANISATION)
    schema = etree.parse(WSDL).find(".//" + XS + "element[@name='RegisterCounterparty']")
    declared = [element.get("name") for element in schema.iter(XS + "element")][1:]
    assert list(arguments) == declared
    assert arguments["RequestId"] == "g1"
    assert (arguments["CounterpartyId"], arguments["Inn"], arguments["CorrAccount"]) == \
        ("cp-1", "7701987652", "30101810400000000225")
    assert soap.read_answer("counterparty", {"Accepted": True, "CounterpartyId": "cp-1"}) == \
        {"accepted": True, "message": "", "counterparty_id": "cp-1"}
