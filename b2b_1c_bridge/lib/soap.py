"""What the portal asks of 1C on demand, without the ORM: the web-service calls (zeep) and, when
no web service answers, the same requests as an XML document 1C collects through the exchange
(``type=b2b&mode=query``).

Request kinds and their payloads (plain dicts, stored as JSON with the request):

- ``act`` — a reconciliation act: ``number`` (the portal's request number), ``contract_id``,
  ``contract_number``, ``counterparty_id`` (1C ids), ``date_from``, ``date_to`` (YYYY-MM-DD);
- ``availability`` — availability of an order's lines: ``order_id`` (the order's 1C Ид),
  ``order_number``, ``contract_id``, ``lines`` [{``product_id``, ``qty``}];
- ``commission_report`` — a commission agent's report: ``report_id``, ``counterparty_id``,
  ``contract_id`` (optional: the commission contract's 1C id), ``period`` (YYYY-MM), ``lines``
  [{``product_id``, ``qty``, ``amount``, and optional ``price`` (of one unit sold) and
  ``commission`` (the agent's commission on the line)}];
- ``complaint`` — a dealer's complaint about goods: ``number`` (the portal's), ``date``
  (YYYY-MM-DD), ``counterparty_id``, ``contract_id``, ``contract_number``, ``order_id`` and
  ``order_number`` (of the order line it is about; empty for a complaint on its own),
  ``product_id`` (1C ids), ``sku``, ``qty``, ``defect``, ``resolution`` (replace, refund, repair
  or discount), ``photos`` (how many the dealer attached);
- ``counterparty`` — a dealer's new legal entity approved by its manager: ``counterparty_id``
  (the Ид the portal gave it), ``dealer_id`` (the dealer's 1C id), ``name``, ``inn``, ``kpp``,
  ``ogrn``, ``legal_address``, ``postal_address``, ``bik``, ``bank_name``, ``account``,
  ``corr_account``, ``contact_name``, ``contact_phone``, ``contact_email`` (empty strings for
  what is not known).

The WSDL of the suite (``static/wsdl/b2b_portal_1c.wsdl``) names the operations
``RequestReconciliationAct``, ``CheckAvailability``, ``SubmitCommissionReport``,
``FileComplaint`` and ``RegisterCounterparty``.
"""
import base64
import datetime

from lxml import etree

from odoo.addons.b2b_base.lib.messages import Problem, ProblemError, _

from .orders import NAMESPACE, SCHEMA_VERSION, format_amount, format_qty

KINDS = ("act", "availability", "commission_report", "counterparty", "complaint")
KIND_NAMES = {"act": "АктСверки", "availability": "ПроверкаНаличия",
              "counterparty": "Контрагент", "complaint": "Рекламация",
              "commission_report": "ОтчетКомиссионера"}
OPERATIONS = {"act": "RequestReconciliationAct", "availability": "CheckAvailability",
              "counterparty": "RegisterCounterparty", "complaint": "FileComplaint",
              "commission_report": "SubmitCommissionReport"}

MSG_NOT_CONFIGURED = _("The 1C web service is not configured.")
MSG_UNREACHABLE = _("The 1C web service at %(url)s cannot be reached: %(error)s")
MSG_FAULT = _("The 1C web service refused the request: %(error)s")
MSG_REFUSED = _("1C did not accept the request: %(error)s")
MSG_BAD_ANSWER = _("The 1C web service gave an answer the portal cannot read: %(error)s")


class SoapError(ProblemError):
    """A web-service call that did not succeed. ``retry``: worth trying again later (the
    service could not be reached); a fault or a refusal is not. ``template`` and ``params`` as
    in protocol.ExchangeRefused."""

    def __init__(self, template, retry=False, **params):
        super(SoapError, self).__init__(Problem(template, params))
        self.retry = retry


# ---------------------------------------------------------------------- web service
def soap_arguments(kind, guid, payload):
    """The keyword arguments of the web-service operation for a request."""
    if kind == "act":
        return {"RequestId": guid, "RequestNumber": payload.get("number") or "",
                "ContractId": payload["contract_id"], "CounterpartyId": payload["counterparty_id"],
                "DateFrom": payload["date_from"], "DateTo": payload["date_to"]}
    if kind == "availability":
        return {"RequestId": guid, "OrderId": payload.get("order_id") or "",
                "OrderNumber": payload.get("order_number") or "",
                "ContractId": payload.get("contract_id") or "",
                "Lines": {"Line": [{"ProductId": line["product_id"], "Quantity": line["qty"]}
                                   for line in payload["lines"]]}}
    if kind == "commission_report":
        return {"RequestId": guid, "ReportId": payload.get("report_id") or "",
                "CounterpartyId": payload["counterparty_id"],
                "ContractId": payload.get("contract_id") or "", "Period": payload["period"],
                "Lines": {"Line": [_report_line(line) for line in payload["lines"]]}}
    if kind == "complaint":
        return {"RequestId": guid, "Number": payload["number"], "Date": payload["date"],
                "CounterpartyId": payload.get("counterparty_id") or "",
                "ContractId": payload.get("contract_id") or "",
                "OrderId": payload.get("order_id") or "",
                "OrderNumber": payload.get("order_number") or "",
                "ProductId": payload.get("product_id") or "", "Sku": payload.get("sku") or "",
                "Quantity": payload["qty"], "Defect": payload["defect"],
                "Resolution": payload["resolution"], "Photos": int(payload.get("photos") or 0)}
    if kind == "counterparty":
        return dict({"RequestId": guid}, **{
            argument: payload.get(key) or "" for argument, key in COUNTERPARTY_ARGUMENTS})
    raise ValueError("unknown request kind %r" % kind)


# RegisterCounterparty's arguments and the payload's keys they carry
COUNTERPARTY_ARGUMENTS = (
    ("CounterpartyId", "counterparty_id"), ("DealerId", "dealer_id"), ("Name", "name"),
    ("Inn", "inn"), ("Kpp", "kpp"), ("Ogrn", "ogrn"), ("LegalAddress", "legal_address"),
    ("PostalAddress", "postal_address"), ("Bik", "bik"), ("BankName", "bank_name"),
    ("Account", "account"), ("CorrAccount", "corr_account"), ("ContactName", "contact_name"),
    ("ContactPhone", "contact_phone"), ("ContactEmail", "contact_email"))


def _report_line(line):
    """A ``Line`` of ``SubmitCommissionReport``; price and commission when the payload has them."""
    values = {"ProductId": line["product_id"], "Quantity": line["qty"]}
    if line.get("price") is not None:
        values["Price"] = line["price"]
    values["Amount"] = line["amount"]
    if line.get("commission") is not None:
        values["Commission"] = line["commission"]
    return values


def _value(result, name, default=None):
    if result is None:
        return default
    if isinstance(result, dict):
        return result.get(name, default)
    return getattr(result, name, default)


def read_answer(kind, result):
    """A plain dict of the operation's answer ``result`` (a zeep object or dict).

    Every kind: ``accepted`` (bool), ``message``. ``act``: ``act_id``, ``act_number``,
    ``act_pdf`` (bytes or None). ``availability``: ``lines`` [{product_id, requested, available,
    date}]. ``commission_report``: ``document_id``. ``counterparty``: ``counterparty_id`` (1C's
    Ид of the counterparty, when 1C says it)."""
    answer = {"accepted": bool(_value(result, "Accepted", False)),
              "message": _value(result, "Message") or ""}
    if kind == "act":
        pdf = _value(result, "ActPdf")
        if isinstance(pdf, str):
            pdf = base64.b64decode(pdf)
        answer.update(act_id=_value(result, "ActId") or "", act_number=_value(result, "ActNumber") or "",
                      act_pdf=pdf or None)
    elif kind == "availability":
        lines = _value(_value(result, "Lines"), "Line") or []
        answer["lines"] = [{
            "product_id": _value(line, "ProductId") or "",
            "requested": float(_value(line, "Requested") or 0),
            "available": float(_value(line, "Available") or 0),
            "date": str(_value(line, "ExpectedDate") or "") or None,
        } for line in lines]
    elif kind == "commission_report":
        answer["document_id"] = _value(result, "DocumentId") or ""
    elif kind == "complaint":
        answer["document_id"] = _value(result, "DocumentId") or ""
    elif kind == "counterparty":
        answer["counterparty_id"] = _value(result, "CounterpartyId") or ""
    return answer


def call(wsdl_url, login, password, kind, guid, payload, timeout=30):
    """Call the operation of ``kind`` on the 1C web service described at ``wsdl_url``; returns
    ``read_answer``'s dict. Raises SoapError (``retry`` set when the service was unreachable).

    zeep parses the WSDL and the answers without DTDs, entities or external references."""
    import requests
    import zeep
    from zeep.exceptions import Error as ZeepError, Fault, TransportError
    from zeep.transports import Transport

    if not wsdl_url:
        raise SoapError(MSG_NOT_CONFIGURED)
    session = requests.Session()
    if login:
        session.auth = requests.auth.HTTPBasicAuth(login, password or "")
    settings = zeep.Settings(strict=False, xml_huge_tree=False, forbid_dtd=True,
                             forbid_entities=True, forbid_external=True)
    try:
        transport = Transport(session=session, timeout=timeout, operation_timeout=timeout)
        client = zeep.Client(wsdl_url, transport=transport, settings=settings)
        result = getattr(client.service, OPERATIONS[kind])(**soap_arguments(kind, guid, payload))
    except Fault as exc:
        raise SoapError(MSG_FAULT, error=exc.message or str(exc))
    except (requests.RequestException, TransportError, OSError) as exc:
        raise SoapError(MSG_UNREACHABLE, retry=True, url=wsdl_url, error=_short(exc))
    except (ZeepError, etree.XMLSyntaxError, ValueError, TypeError, AttributeError) as exc:
        raise SoapError(MSG_BAD_ANSWER, error=_short(exc))
    finally:
        session.close()
    try:
        answer = read_answer(kind, result)
    except (ValueError, TypeError) as exc:
        raise SoapError(MSG_BAD_ANSWER, error=_short(exc))
    if not answer["accepted"]:
        raise SoapError(MSG_REFUSED, error=answer["message"] or "-")
    return answer


def _short(exc):
    text = " ".join(str(exc).split())
    return text[:300] or exc.__class__.__name__


def backoff_seconds(attempt, base=60, cap=3600):
    """Seconds to wait before attempt number ``attempt + 1`` (1, 2, 4, ... minutes, at most an
    hour)."""
    return int(min(cap, base * (2 ** max(0, attempt - 1))))


# ---------------------------------------------------------------------- exchange
def _sub(parent, tag, text=None):
    element = etree.SubElement(parent, "{%s}%s" % (NAMESPACE, tag))
    if text is not None:
        element.text = str(text)
    return element


def _with_id(parent, tag, ident, number=None):
    element = _sub(parent, tag)
    _sub(element, "Ид", ident or "")
    if number is not None:
        _sub(element, "Номер", number)
    return element


def request_element(guid, kind, created, payload):
    """The ``Запрос`` element of one request for 1C."""
    item = etree.Element("{%s}Запрос" % NAMESPACE, nsmap={None: NAMESPACE})
    _sub(item, "Ид", guid)
    _sub(item, "Вид", KIND_NAMES[kind])
    _sub(item, "Дата", created.strftime("%Y-%m-%dT%H:%M:%S"))
    body = _sub(item, KIND_NAMES[kind])
    if kind == "act":
        _sub(body, "Номер", payload.get("number") or "")
        _with_id(body, "Договор", payload["contract_id"], payload.get("contract_number") or "")
        _with_id(body, "Контрагент", payload["counterparty_id"])
        _sub(body, "НачалоПериода", payload["date_from"])
        _sub(body, "КонецПериода", payload["date_to"])
    elif kind == "availability":
        _with_id(body, "Заказ", payload.get("order_id"), payload.get("order_number") or "")
        _with_id(body, "Договор", payload.get("contract_id"))
        goods = _sub(body, "Товары")
        for line in payload["lines"]:
            good = _sub(goods, "Товар")
            _sub(good, "Ид", line["product_id"])
            _sub(good, "Количество", format_qty(line["qty"]))
    elif kind == "commission_report":
        _sub(body, "Ид", payload.get("report_id") or "")
        _with_id(body, "Контрагент", payload["counterparty_id"])
        if payload.get("contract_id"):
            _with_id(body, "Договор", payload["contract_id"])
        _sub(body, "Период", payload["period"])
        goods = _sub(body, "Товары")
        for line in payload["lines"]:
            good = _sub(goods, "Товар")
            _sub(good, "Ид", line["product_id"])
            _sub(good, "Количество", format_qty(line["qty"]))
            if line.get("price") is not None:
                _sub(good, "Цена", format_amount(line["price"]))
            _sub(good, "Сумма", format_amount(line["amount"]))
            if line.get("commission") is not None:
                _sub(good, "Комиссия", format_amount(line["commission"]))
    elif kind == "complaint":
        _sub(body, "Номер", payload["number"])
        _sub(body, "Дата", payload["date"])
        _with_id(body, "Контрагент", payload.get("counterparty_id"))
        _with_id(body, "Договор", payload.get("contract_id"), payload.get("contract_number") or "")
        if payload.get("order_id") or payload.get("order_number"):
            _with_id(body, "Заказ", payload.get("order_id"), payload.get("order_number") or "")
        good = _sub(body, "Товар")
        _sub(good, "Ид", payload.get("product_id") or "")
        _sub(good, "Артикул", payload.get("sku") or "")
        _sub(good, "Количество", format_qty(payload["qty"]))
        _sub(body, "Дефект", payload["defect"])
        _sub(body, "ЖелаемоеРешение", payload["resolution"])
        _sub(body, "КоличествоФото", int(payload.get("photos") or 0))
    elif kind == "counterparty":
        _counterparty_element(body, payload)
    return item


def _counterparty_element(body, payload):
    """The ``Контрагент`` of a new legal entity, as CommerceML describes a counterparty (and as
    1C sends it back in its counterparties package: same Ид, ИНН, КПП, ИдДилера)."""
    _sub(body, "Ид", payload["counterparty_id"])
    _sub(body, "Наименование", payload["name"])
    _sub(body, "ПолноеНаименование", payload["name"])
    _sub(body, "ИНН", payload["inn"])
    if payload.get("kpp"):
        _sub(body, "КПП", payload["kpp"])
    if payload.get("ogrn"):
        _sub(body, "ОГРН", payload["ogrn"])
    _sub(body, "ИдДилера", payload["dealer_id"] or "")
    _sub(_sub(body, "ЮридическийАдрес"), "Представление", payload["legal_address"])
    _sub(_sub(body, "Адрес"), "Представление",
         payload.get("postal_address") or payload["legal_address"])
    account = _sub(_sub(body, "РасчетныеСчета"), "РасчетныйСчет")
    _sub(account, "НомерСчета", payload["account"])
    bank = _sub(account, "Банк")
    _sub(bank, "Наименование", payload["bank_name"])
    _sub(bank, "БИК", payload["bik"])
    _sub(bank, "СчетКорреспондентский", payload["corr_account"])
    contacts = _sub(body, "Контакты")
    for kind, key in (("Телефон рабочий", "contact_phone"), ("Почта", "contact_email")):
        if payload.get(key):
            contact = _sub(contacts, "Контакт")
            _sub(contact, "Тип", kind)
            _sub(contact, "Значение", payload[key])
    if payload.get("contact_name"):
        person = _sub(_sub(body, "Представители"), "Представитель")
        _sub(person, "Отношение", "Контактное лицо")
        _sub(person, "Наименование", payload["contact_name"])


def requests_document(generated_at, requests):
    """Bytes of the ``КоммерческаяИнформация`` with a ``Запросы`` section holding ``requests``
    [(guid, kind, created datetime, payload)] (empty section when nothing waits)."""
    root = etree.Element("{%s}КоммерческаяИнформация" % NAMESPACE, nsmap={None: NAMESPACE})
    root.set("ВерсияСхемы", SCHEMA_VERSION)
    root.set("ДатаФормирования", generated_at.strftime("%Y-%m-%dT%H:%M:%S"))
    holder = _sub(root, "Запросы")
    for guid, kind, created, payload in requests:
        holder.append(request_element(guid, kind, created, payload))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def as_datetime(value):
    if isinstance(value, datetime.datetime):
        return value
    return datetime.datetime.strptime(str(value)[:19], "%Y-%m-%d %H:%M:%S")
