"""Readers of the B2B data packages CommerceML lacks (plain Python, no Odoo).

Every package is an XML file in the style of CommerceML: the root ``КоммерческаяИнформация``
(namespace ``urn:1C.ru:commerceml_2``, attribute ``ВерсияСхемы``) holds one section element per
kind of package; the section holds the records. The readers stream the file through
``safexml.iterparse`` (no DTD, no entities, no network), turn each record into a plain dict
(values already checked and converted: dates as ``date``, amounts as ``float``) and free it before
reading on. A value that cannot be read stops the file with a message naming the file, the line
and the element (``PackageProblem``); references to other records (1C ids) are resolved by the
Odoo layer, which refuses unknown ones with the same kind of message.

The schemas are documented in the addon's doc/exchange_contract.rst (section "B2B data
packages"): they are the contract the 1C programmer implements.
"""
import datetime
import posixpath
import re
from decimal import ROUND_HALF_UP, Decimal

from odoo.addons.b2b_base.lib.messages import _
from odoo.addons.b2b_base.lib.numbers import QTY_DIGITS, format_plain

from . import values
from .protocol import ExchangeRefused, FileRefused, check_filename
from .reader import RecordReader
from .safexml import iterparse, local_name

ROOT = "КоммерческаяИнформация"

# section element -> package kind
COUNTERPARTIES = "Контрагенты"
SETTLEMENTS = "Взаиморасчеты"
OVERDUE = "ПросроченнаяЗадолженность"
BONUSES = "Бонусы"
PLANS = "ПланыЗакупок"
CONSIGNMENT = "ТоварыНаКомиссии"
PRINTED_FORMS = "ПечатныеФормы"
COMMISSION_DECISIONS = "РешенияПоОтчетамКомиссионера"

SECTIONS = (COUNTERPARTIES, SETTLEMENTS, OVERDUE, BONUSES, PLANS, CONSIGNMENT, PRINTED_FORMS,
            COMMISSION_DECISIONS)

# sections whose records belong to a feature the bridge does not require: their Odoo readers come
# with the glue addons (b2b_1c_bridge_bonus, b2b_1c_bridge_commission), installed with the feature
FEATURE_ADDONS = {BONUSES: "b2b_bonus", PLANS: "b2b_bonus", CONSIGNMENT: "b2b_commission",
                  COMMISSION_DECISIONS: "b2b_commission"}

# ---------------------------------------------------------------------------------- messages
MSG_WRONG_ROOT = _("%(file)s, line %(line)d: the root element is %(root)s; a B2B package starts "
                   "with КоммерческаяИнформация.")
MSG_NO_SECTION = _("%(file)s: the package has no %(section)s section.")
MSG_NO_FEATURE = _("%(file)s, line %(line)d: the %(section)s package cannot be imported here: "
                   "install the %(addon)s addon (the 1C bridge's reader of this package comes "
                   "with it). Nothing was imported.")
MSG_MISSING = _("%(file)s, line %(line)d: %(element)s has no %(field)s (required).")
MSG_NOT_NUMBER = _("%(file)s, line %(line)d, %(field)s: «%(value)s» is not a number.")
MSG_NOT_INTEGER = _("%(file)s, line %(line)d, %(field)s: «%(value)s» is not a whole number.")
MSG_NEGATIVE = _("%(file)s, line %(line)d, %(field)s: %(value)s cannot be negative.")
MSG_NOT_DATE = _("%(file)s, line %(line)d, %(field)s: «%(value)s» is not a date (expected "
                 "YYYY-MM-DD).")
MSG_NOT_MONTH = _("%(file)s, line %(line)d, %(field)s: «%(value)s» is not a month (expected "
                  "YYYY-MM).")
MSG_NOT_BOOLEAN = _("%(file)s, line %(line)d, %(field)s: «%(value)s» is not true or false.")
MSG_BAD_CHOICE = _("%(file)s, line %(line)d, %(field)s: unknown value «%(value)s»; expected one "
                   "of: %(choices)s.")
MSG_BAD_INN = _("%(file)s, line %(line)d, %(field)s: «%(value)s» is not an INN (10 or 12 "
                "digits).")
MSG_BAD_KPP = _("%(file)s, line %(line)d, %(field)s: «%(value)s» is not a KPP (9 characters).")
MSG_TOO_LONG = _("%(file)s, line %(line)d, %(field)s: the value is longer than %(limit)d "
                 "characters.")
MSG_DUPLICATE = _("%(file)s, line %(line)d, %(field)s: %(value)s appears twice in the file (first "
                  "at line %(first)d).")
MSG_DEBIT_AND_CREDIT = _("%(file)s, line %(line)d: document %(value)s has both a debit and a "
                         "credit; send one of them.")
MSG_PLAN_LINE_TARGET = _("%(file)s, line %(line)d: a plan line names either ИдТовара or ИдГруппы "
                         "(exactly one).")
MSG_PLAN_LINE_EMPTY = _("%(file)s, line %(line)d: a plan line needs КоличествоПлан or "
                        "СуммаПлан.")
MSG_BONUS_PRICE_ZERO = _("%(file)s, line %(line)d: product %(value)s is sold only for bonus "
                         "points, so its ЦенаВБаллах must be above zero.")
MSG_FORM_NO_LINK = _("%(file)s, line %(line)d: printed form %(value)s is linked to nothing; name "
                     "ИдКонтрагента, ИдДоговора, ИдЗаказа or ИдЗапросаАкта.")
MSG_CONSIGNMENT_BALANCE = _("%(file)s, line %(line)d, %(field)s: %(value)s held does not match "
                            "%(handed)s handed over less %(sold)s sold and %(returned)s returned "
                            "(= %(expected)s).")
MSG_BAD_FILE_PATH = _("%(file)s, line %(line)d, %(field)s: «%(value)s» is not a relative path "
                      "inside the exchange.")
# raised by the Odoo layer when a reference or a file cannot be found
MSG_UNKNOWN_CONTRACT = _("%(file)s, line %(line)d, %(field)s: no contract has the 1C id %(value)s.")
MSG_UNKNOWN_COUNTERPARTY = _("%(file)s, line %(line)d, %(field)s: no counterparty has the 1C id "
                             "%(value)s.")
MSG_NOT_A_DEALER = _("%(file)s, line %(line)d, %(field)s: counterparty %(value)s is not a "
                     "dealer.")
MSG_UNKNOWN_PRICE_TYPE = _("%(file)s, line %(line)d, %(field)s: no price type has the 1C id "
                           "%(value)s.")
MSG_UNKNOWN_CURRENCY = _("%(file)s, line %(line)d, %(field)s: unknown currency %(value)s.")
MSG_UNKNOWN_MANAGER = _("%(file)s, line %(line)d, %(field)s: no internal user has the login or "
                        "email %(value)s.")
MSG_UNKNOWN_PRODUCT = _("%(file)s, line %(line)d, %(field)s: no product has the 1C id %(value)s.")
MSG_UNKNOWN_GROUP = _("%(file)s, line %(line)d, %(field)s: no product group has the 1C id "
                      "%(value)s.")
MSG_UNKNOWN_ORDER = _("%(file)s, line %(line)d, %(field)s: no order has the 1C id or number "
                      "%(value)s.")
MSG_UNKNOWN_REQUEST = _("%(file)s, line %(line)d, %(field)s: no reconciliation act request has "
                        "the 1C id or number %(value)s.")
MSG_FILE_MISSING = _("%(file)s, line %(line)d, %(field)s: the file %(value)s is not in the "
                     "exchange.")
MSG_NOT_PDF = _("%(file)s, line %(line)d, %(field)s: the file %(value)s is not a PDF file.")
MSG_DECISION_NO_REPORT = _("%(file)s, line %(line)d: a decision names no report; name ИдОтчета "
                           "or ИдДокумента.")
MSG_DECISION_NO_REASON = _("%(file)s, line %(line)d, %(field)s: a rejected report needs the reason "
                           "the agent is to correct.")
MSG_UNKNOWN_REPORT = _("%(file)s, line %(line)d, %(field)s: no commission report has the id "
                       "%(value)s.")
MSG_REPORT_NOT_SUBMITTED = _("%(file)s, line %(line)d, %(field)s: commission report %(value)s is "
                             "not submitted: 1C decides only on a submitted report.")
MSG_REPORT_NOT_APPROVED = _("%(file)s, line %(line)d, %(field)s: commission report %(value)s is "
                            "not approved: its closing documents come once it is approved.")
MSG_DISCOUNT_RANGE = _("%(file)s, line %(line)d, %(field)s: a discount of %(value)s%% is not more "
                       "than 0%% and less than 100%%.")
MSG_DISCOUNT_NOT_DEALER = _("%(file)s, line %(line)d, %(field)s: counterparty %(value)s is a legal "
                            "entity of a dealer: personal discounts are sent with the dealer.")
MSG_BATCH_REFUSED = _("%(file)s: the records were refused: %(error)s")
MSG_RECORD_REFUSED = _("%(file)s, line %(line)d: %(element)s %(value)s was refused: %(error)s")


class PackageProblem(FileRefused):
    """A value of a package that cannot be taken; names the file, the line and the field."""


# ---------------------------------------------------------------------------------- values
_SPACES = values.SPACES


class Record:
    """Access to the children of one record element, with located, checked conversions."""

    def __init__(self, element, file, path=""):
        self.element = element
        self.file = file
        self.tag = local_name(element.tag)
        self.path = path or self.tag
        self.line = element.sourceline or 0

    def _child(self, name):
        for child in self.element:
            if local_name(child.tag) == name:
                return child
        return None

    def children(self, container, name):
        """Records of ``container/name`` (``container`` None: direct children ``name``)."""
        parent = self._child(container) if container else self.element
        if parent is None:
            return []
        path = "%s/%s/%s" % (self.path, container, name) if container else "%s/%s" % (self.path, name)
        return [Record(child, self.file, path) for child in parent
                if local_name(child.tag) == name]

    def has(self, name):
        return self._child(name) is not None

    def problem(self, template, name=None, value=None, line=None, **params):
        child = self._child(name) if name else None
        where = line or (child.sourceline if child is not None else None) or self.line
        field = "%s/%s" % (self.path, name) if name else self.path
        if value is not None:
            params["value"] = value
        params.setdefault("field", field)
        return PackageProblem(template, self.file, where, element=self.path, **params)

    def text(self, name, required=False, limit=255):
        """Stripped text of child ``name``; None when absent, "" when present and empty."""
        child = self._child(name)
        if child is None or not (child.text or "").strip():
            if required:
                raise self.problem(MSG_MISSING, name, field=name)
            return None if child is None else ""
        value = " ".join(child.text.split()) if limit else child.text.strip()
        if limit and len(value) > limit:
            raise self.problem(MSG_TOO_LONG, name, limit=limit)
        return value

    def number(self, name, required=False, negative=False):
        raw = self.text(name, required)
        if raw is None or raw == "":
            return None
        try:
            value = float(values.number(raw))
        except ValueError:
            raise self.problem(MSG_NOT_NUMBER, name, raw) from None
        if value < 0 and not negative:
            raise self.problem(MSG_NEGATIVE, name, raw)
        return value

    def integer(self, name, required=False):
        raw = self.text(name, required)
        if raw is None or raw == "":
            return None
        cleaned = _SPACES.sub("", raw)
        if not re.fullmatch(r"\d{1,9}", cleaned):
            if re.fullmatch(r"-\d+", cleaned):
                raise self.problem(MSG_NEGATIVE, name, raw)
            raise self.problem(MSG_NOT_INTEGER, name, raw)
        return int(cleaned)

    def date(self, name, required=False):
        raw = self.text(name, required)
        if raw is None or raw == "":
            return None
        try:
            day = values.date(raw)
        except ValueError:
            raise self.problem(MSG_NOT_DATE, name, raw) from None
        if day is None and required:     # 1C's empty date
            raise self.problem(MSG_MISSING, name, field=name)
        return day

    def month(self, name, required=False):
        raw = self.text(name, required)
        if raw is None or raw == "":
            return None
        match = re.fullmatch(r"(\d{4})-(\d{2})(?:-\d{2}(?:T[\d:.]+)?)?", raw)
        try:
            if not match:
                raise ValueError(raw)
            return datetime.date(int(match.group(1)), int(match.group(2)), 1)
        except ValueError:
            raise self.problem(MSG_NOT_MONTH, name, raw) from None

    def boolean(self, name, default=None):
        raw = self.text(name)
        try:
            return values.boolean(raw, default)
        except ValueError:
            raise self.problem(MSG_NOT_BOOLEAN, name, raw) from None

    def choice(self, name, choices, required=False):
        """``choices`` a Choices table; case, spaces and ё are ignored."""
        raw = self.text(name, required)
        if raw is None or raw == "":
            return None
        key = normalise_word(raw)
        if key not in choices:
            raise self.problem(MSG_BAD_CHOICE, name, raw, choices=", ".join(choices.labels))
        return choices[key]

    def locate(self, *names):
        """{name: (line, field path)} of children ``names``, for problems found later."""
        where = {}
        for name in names:
            child = self._child(name)
            where[name] = ((child.sourceline if child is not None else None) or self.line,
                           "%s/%s" % (self.path, name))
        where[""] = (self.line, self.path)
        return where


def refuse(values, template, name, value=None, **params):
    """A PackageProblem at child ``name`` of a record read earlier (``values["where"]``)."""
    line, field = values["where"].get(name) or values["where"][""]
    if value is not None:
        params["value"] = value
    return PackageProblem(template, values["source"], line, field=field,
                          element=values["where"][""][1], **params)


def without_feature(source, name, sections):
    """The refusal of a package whose section (the first of ``sections`` that FEATURE_ADDONS
    names) is read by an addon that is not installed, at the line of that section."""
    section = next(s for s in sections if s in FEATURE_ADDONS)
    line = 0
    for _event, element in iterparse(source, name, events=("start",)):
        if local_name(element.tag) == section:
            line = element.sourceline
            break
    return PackageProblem(MSG_NO_FEATURE, name, line, section=section,
                          addon=FEATURE_ADDONS[section])


def normalise_word(text):
    return "".join((text or "").lower().replace("ё", "е").split())


class Choices(dict):
    """{normalised word: value} built from [(word as documented, value)]."""

    def __init__(self, pairs):
        super().__init__((normalise_word(word), value) for word, value in pairs)
        self.labels = [word for word, _value in pairs]


SETTLEMENT_KINDS = Choices([
    ("НачальныйОстаток", "opening"), ("ВводОстатков", "opening"),
    ("Отгрузка", "shipment"), ("Реализация", "shipment"),
    ("Оплата", "payment"),
    ("Возврат", "return"),
    ("Корректировка", "adjustment"),
])
CONTRACT_STATES = Choices([("Действует", "active"), ("Закрыт", "closed")])
DOCUMENT_KINDS = Choices([
    ("Счет", "invoice"), ("УПД", "upd"), ("АктСверки", "act"),
    ("ЗакрывающиеДокументы", "closing"), ("Прочее", "other"),
])

DOCUMENT_TITLES = {"invoice": "Счет", "upd": "УПД", "act": "Акт сверки",
                   "closing": "Закрывающие документы", "other": "Документ"}


# ---------------------------------------------------------------------------------- streaming
class _PackageReader(RecordReader):
    """The records of one section of a B2B package (see ``iter_records``)."""

    def __init__(self, source, name, section, paths):
        super().__init__(source, name)
        self.section = section
        self.record_paths = frozenset((ROOT, section) + tuple(p) for p in paths)
        self.seen_section = False

    def start_root(self, element):
        tag = local_name(element.tag)
        if tag != ROOT:
            raise PackageProblem(MSG_WRONG_ROOT, self.name, element.sourceline, root=tag)
        return ()

    def start_section(self, element):
        if local_name(element.tag) == self.section:
            self.seen_section = True

    def record(self, path, element):
        return [Record(element, self.name, "/".join(path[2:]))]

    def finish(self):
        if not self.seen_section:
            raise PackageProblem(MSG_NO_SECTION, self.name, 0, section=self.section)
        return ()


def iter_records(source, name, section, paths):
    """Yield ``Record``s of the package ``source`` (path or binary file) named ``name``.

    ``paths`` are the record elements below the section, as tuples of local names (e.g.
    ``("Контрагент",)`` or ``("Остатки", "Остаток")``); a record is yielded when its element
    ends, and freed once the caller asks for the next one. Unknown elements are skipped.
    Raises PackageProblem for a wrong root and for a file without the section.
    """
    return iter(_PackageReader(source, name, section, paths))


class Seen:
    """Refuses a 1C id met twice in one file."""

    def __init__(self):
        self.lines = {}

    def check(self, record, name, value):
        first = self.lines.get(value)
        if first is not None:
            raise record.problem(MSG_DUPLICATE, name, value, first=first)
        self.lines[value] = record._child(name).sourceline or record.line


# ---------------------------------------------------------------------------------- packages
def _inn(record, name):
    value = record.text(name)
    if value and not re.fullmatch(r"\d{10}|\d{12}", value):
        raise record.problem(MSG_BAD_INN, name, value)
    return value


def _kpp(record, name):
    value = record.text(name)
    if value and not re.fullmatch(r"[0-9A-Z]{9}", value):
        raise record.problem(MSG_BAD_KPP, name, value)
    return value


def _discounts(record, name):
    """The dealer's personal discounts of a Контрагент (Скидки/Скидка: ИдГруппы, Процент, Ид):
    None without Скидки (the discounts stay as they are), else the whole list 1C gives the
    dealer (an empty Скидки: none)."""
    if not record.has("Скидки"):
        return None
    discounts, seen = [], Seen()
    for discount in record.children("Скидки", "Скидка"):
        group = discount.text("ИдГруппы", required=True)
        seen.check(discount, "ИдГруппы", group)
        percent = discount.number("Процент", required=True, negative=True)
        if not 0 < percent < 100:
            raise discount.problem(MSG_DISCOUNT_RANGE, "Процент", format_plain(percent, 2))
        discounts.append({"id": discount.text("Ид"), "group_id": group, "percent": percent,
                          "line": discount.line, "source": name,
                          "where": discount.locate("ИдГруппы", "Процент", "Ид")})
    return discounts


def read_counterparties(source, name):
    """Контрагенты/Контрагент → dicts: id, name, inn, kpp, dealer_id, region (None or dict),
    manager, contracts [dict], discounts (None or [dict]: group_id, percent, id), line. Absent optional elements are None (leave the stored value);
    present but empty ones are "" (clear it)."""
    seen, seen_contracts = Seen(), Seen()
    for record in iter_records(source, name, COUNTERPARTIES, [("Контрагент",)]):
        one_c_id = record.text("Ид", required=True)
        seen.check(record, "Ид", one_c_id)
        region = None
        region_records = record.children(None, "Регион")
        if region_records:
            reg = region_records[0]
            region = {"id": reg.text("Ид"), "name": reg.text("Наименование")
                      or (reg.element.text or "").strip() or None, "line": reg.line}
        contracts = []
        for contract in record.children("Договоры", "Договор"):
            contract_id = contract.text("Ид", required=True)
            seen_contracts.check(contract, "Ид", contract_id)
            note = contract.text("ОсобыеУсловия", limit=0)
            contracts.append({
                "id": contract_id,
                "number": contract.text("Номер", required=True, limit=64),
                "date": contract.date("Дата", required=True),
                "price_type_id": contract.text("ИдТипаЦены", required=True),
                "currency": contract.text("Валюта", limit=8),
                "payment_days": contract.integer("ОтсрочкаДней"),
                "credit_limit": contract.number("ЛимитКредита"),
                "special_conditions": note,
                "state": contract.choice("Статус", CONTRACT_STATES),
                "line": contract.line,
                "source": name, "where": contract.locate("ИдТипаЦены", "Валюта", "Ид"),
            })
        yield {
            "id": one_c_id,
            "discounts": _discounts(record, name),
            "name": record.text("Наименование", required=True),
            "inn": _inn(record, "ИНН"),
            "kpp": _kpp(record, "КПП"),
            "dealer_id": record.text("ИдДилера"),
            "region": region,
            "manager": record.text("Менеджер"),
            "contracts": contracts,
            "line": record.line,
            "source": name,
            "where": record.locate("ИдДилера", "Менеджер", "Регион", "Ид"),
        }


def read_settlements(source, name):
    """Взаиморасчеты/Документ → ledger line dicts (b2b.settlement.line values, 1C ids kept as
    ``contract_ref``)."""
    seen = Seen()
    for record in iter_records(source, name, SETTLEMENTS, [("Документ",)]):
        one_c_id = record.text("Ид", required=True)
        seen.check(record, "Ид", one_c_id)
        posted = record.boolean("Проведен", default=True)
        values = {"id": one_c_id, "posted": posted, "line": record.line, "source": name,
                  "where": record.locate("ИдДоговора", "Ид"),
                  "contract_ref": record.text("ИдДоговора", required=posted)}
        if not posted:
            yield values
            continue
        debit = record.number("Дебет") or 0.0
        credit = record.number("Кредит") or 0.0
        if debit and credit:
            raise record.problem(MSG_DEBIT_AND_CREDIT, value=one_c_id)
        values.update({
            "version": record.text("НомерВерсии", limit=64),
            "kind": record.choice("Вид", SETTLEMENT_KINDS, required=True),
            "number": record.text("Номер", limit=64),
            "date": record.date("Дата", required=True),
            "debit": debit,
            "credit": credit,
            "due_date": record.date("СрокОплаты"),
            "settles_id": record.text("ИдДокументаЗачета"),
            "note": record.text("Комментарий"),
        })
        yield values


OVERDUE_BUCKETS = (("НеПросрочено", "not_due"), ("Просрочено1", "overdue_1"),
                   ("Просрочено2", "overdue_2"), ("Просрочено3", "overdue_3"),
                   ("Просрочено4", "overdue_4"))


def read_overdue(source, name):
    """ПросроченнаяЗадолженность/Договор → dicts: contract_ref, date, balance, the buckets,
    overdue_days."""
    seen = Seen()
    for record in iter_records(source, name, OVERDUE, [("Договор",)]):
        contract_ref = record.text("Ид", required=True)
        date = record.date("Дата", required=True)
        seen.check(record, "Ид", "%s %s" % (contract_ref, date))
        values = {"contract_ref": contract_ref, "date": date, "line": record.line,
                  "source": name, "where": record.locate("Ид"),
                  "balance": record.number("Долг", required=True, negative=True),
                  "overdue_days": record.integer("ДнейПросрочки") or 0}
        for element, field in OVERDUE_BUCKETS:
            values[field] = record.number(element) or 0.0
        yield values


def read_bonuses(source, name):
    """Бонусы: Остатки/Остаток → ("balance", dict), БонусныеЦены/Товар → ("price", dict)."""
    seen_balances, seen_prices = Seen(), Seen()
    for record in iter_records(source, name, BONUSES, [("Остатки", "Остаток"),
                                                        ("БонусныеЦены", "Товар")]):
        if record.tag == "Остаток":
            dealer_ref = record.text("ИдКонтрагента", required=True)
            seen_balances.check(record, "ИдКонтрагента", dealer_ref)
            yield "balance", {"id": record.text("Ид"), "dealer_ref": dealer_ref,
                              "points": record.number("Баллы", required=True, negative=True),
                              "date": record.date("Дата", required=True),
                              "line": record.line, "source": name,
                              "where": record.locate("ИдКонтрагента")}
        else:
            product_ref = record.text("Ид", required=True)
            seen_prices.check(record, "Ид", product_ref)
            price = record.number("ЦенаВБаллах", required=True)
            only = record.boolean("ТолькоЗаБонусы", default=False)
            if only and not price:
                raise record.problem(MSG_BONUS_PRICE_ZERO, "ЦенаВБаллах", product_ref)
            yield "price", {"product_ref": product_ref, "price": price, "bonus_only": only,
                            "line": record.line, "source": name, "where": record.locate("Ид")}


def read_plans(source, name):
    """ПланыЗакупок/План → dicts: id, name, month, date_to (the period's last day, None: the
    month's), commitment (a seasonal commitment the dealer accepts), dealer_ref, lines [dict]."""
    seen = Seen()
    for record in iter_records(source, name, PLANS, [("План",)]):
        one_c_id = record.text("Ид", required=True)
        seen.check(record, "Ид", one_c_id)
        lines = []
        for line in record.children("Строки", "Строка"):
            product_ref, group_ref = line.text("ИдТовара"), line.text("ИдГруппы")
            if bool(product_ref) == bool(group_ref):
                raise line.problem(MSG_PLAN_LINE_TARGET)
            qty, amount = line.number("КоличествоПлан"), line.number("СуммаПлан")
            if qty is None and amount is None:
                raise line.problem(MSG_PLAN_LINE_EMPTY)
            lines.append({"product_ref": product_ref, "group_ref": group_ref,
                          "group_name": line.text("НаименованиеГруппы"),
                          "qty": qty or 0.0, "amount": amount or 0.0,
                          "line": line.line, "source": name,
                          "where": line.locate("ИдТовара", "ИдГруппы")})
        yield {"id": one_c_id, "name": record.text("Наименование"),
               "month": record.month("Месяц", required=True),
               "date_to": record.date("ДатаОкончания"),
               "commitment": record.boolean("Обязательство", default=False),
               "dealer_ref": record.text("ИдКонтрагента", required=True),
               "lines": lines, "line": record.line, "source": name,
               "where": record.locate("ИдКонтрагента", "Ид")}


def _quantity(value, digits):
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


# the optional movement figures of a consignment good: element -> key
CONSIGNMENT_MOVES = (("Передано", "qty_handed"), ("Продано", "qty_sold"),
                     ("Возвращено", "qty_returned"))


def read_consignment(source, name, digits=QTY_DIGITS):
    """ТоварыНаКомиссии/Список → dicts: contract_ref, date, goods [dict(product_ref, qty,
    price, qty_handed, qty_sold, qty_returned)]. A list is the whole of the goods held under its
    contract. ``qty`` is the quantity still held; the movement figures are optional: None when
    the element is absent (the stored figure stays), 0.0 when present and empty. When all three
    are given, handed over less sold and returned must be the quantity held (to ``digits``
    decimals, the precision of quantities)."""
    seen = Seen()
    for record in iter_records(source, name, CONSIGNMENT, [("Список",)]):
        contract_ref = record.text("ИдДоговора", required=True)
        seen.check(record, "ИдДоговора", contract_ref)
        goods, seen_goods = [], Seen()
        for item in record.children("Товары", "Товар"):
            product_ref = item.text("Ид", required=True)
            seen_goods.check(item, "Ид", product_ref)
            good = {"product_ref": product_ref,
                    "qty": item.number("Количество", required=True),
                    "price": item.number("Цена", required=True),
                    "line": item.line, "source": name, "where": item.locate("Ид")}
            moves = []
            for element, key in CONSIGNMENT_MOVES:
                value = item.number(element)
                good[key] = 0.0 if value is None and item.has(element) else value
                moves.append(value)
            if None not in moves:
                expected = (_quantity(moves[0], digits) - _quantity(moves[1], digits)
                            - _quantity(moves[2], digits))
                if expected != _quantity(good["qty"], digits):
                    raise item.problem(
                        MSG_CONSIGNMENT_BALANCE, "Количество",
                        format_plain(good["qty"], digits),
                        handed=format_plain(moves[0], digits), sold=format_plain(moves[1], digits),
                        returned=format_plain(moves[2], digits),
                        expected=format_plain(expected, digits))
            goods.append(good)
        yield {"contract_ref": contract_ref, "date": record.date("Дата", required=True),
               "goods": goods, "line": record.line, "source": name,
               "where": record.locate("ИдДоговора")}


def resolve_path(index_name, relative):
    """The exchange path of ``relative`` (a Файл of the index ``index_name``): relative to the
    folder of the index; None when it would leave the exchange or is not a plain path."""
    try:
        check_filename(relative)
    except ExchangeRefused:
        return None
    folder = posixpath.dirname(index_name)
    return posixpath.join(folder, relative) if folder else relative


def read_printed_forms(source, name):
    """ПечатныеФормы/Документ → dicts: id, kind, number, date, title, partner_ref, contract_ref,
    order_ref, request_ref, path (inside the exchange), file (as written)."""
    seen = Seen()
    for record in iter_records(source, name, PRINTED_FORMS, [("Документ",)]):
        one_c_id = record.text("Ид", required=True)
        seen.check(record, "Ид", one_c_id)
        refs = {key: record.text(element) for key, element in (
            ("partner_ref", "ИдКонтрагента"), ("contract_ref", "ИдДоговора"),
            ("order_ref", "ИдЗаказа"), ("request_ref", "ИдЗапросаАкта"))}
        if not any(refs.values()):
            raise record.problem(MSG_FORM_NO_LINK, value=one_c_id)
        file_value = record.text("Файл", required=True)
        path = resolve_path(name, file_value)
        if path is None:
            raise record.problem(MSG_BAD_FILE_PATH, "Файл", file_value)
        values = {"id": one_c_id, "kind": record.choice("Вид", DOCUMENT_KINDS, required=True),
                  "number": record.text("Номер", limit=64),
                  "date": record.date("Дата", required=True),
                  "title": record.text("Наименование"),
                  "file": file_value, "path": path, "line": record.line, "source": name,
                  "where": record.locate("ИдКонтрагента", "ИдДоговора", "ИдЗаказа",
                                         "ИдЗапросаАкта", "Файл", "Ид")}
        values.update(refs)
        yield values


DECISION_STATES = Choices([("Согласован", "approved"), ("Отклонен", "rejected")])


def read_commission_decisions(source, name):
    """РешенияПоОтчетамКомиссионера/Решение → dicts: report_ref (the report's id as the portal
    sent it, ``b2b.commission.report/<id>``), document_ref (1C's document of the report), state
    (``approved`` / ``rejected``), reason, date, stamp (status, date as written and reason: the
    same decision sent again has the same stamp). A decision names the report by at least one of
    the two ids; a rejection carries its reason."""
    seen = Seen()
    for record in iter_records(source, name, COMMISSION_DECISIONS, [("Решение",)]):
        report_ref, document_ref = record.text("ИдОтчета"), record.text("ИдДокумента")
        if not report_ref and not document_ref:
            raise record.problem(MSG_DECISION_NO_REPORT)
        seen.check(record, "ИдОтчета" if report_ref else "ИдДокумента", report_ref or document_ref)
        state = record.choice("Статус", DECISION_STATES, required=True)
        reason = record.text("Причина", limit=0) or ""
        if state == "rejected" and not reason:
            raise record.problem(MSG_DECISION_NO_REASON, "Причина")
        date = record.date("Дата", required=True)
        yield {"report_ref": report_ref or None, "document_ref": document_ref or None,
               "state": state, "reason": reason, "date": date,
               "stamp": "%s %s %s" % (state, record.text("Дата"), reason),
               "line": record.line, "source": name,
               "where": record.locate("ИдОтчета", "ИдДокумента", "Статус")}


def read_printed_form_reports(source, name):
    """The printed forms (ПечатныеФормы/Документ) that close a commission report: dicts id (the
    form's Ид), report_ref (``ИдОтчетаКомиссионера``: the report's id as the portal sent it, or
    1C's document of the report). Forms without the element are passed over; the forms
    themselves are read by ``read_printed_forms``."""
    for record in iter_records(source, name, PRINTED_FORMS, [("Документ",)]):
        report_ref = record.text("ИдОтчетаКомиссионера")
        if report_ref:
            yield {"id": record.text("Ид", required=True), "report_ref": report_ref,
                   "line": record.line, "source": name,
                   "where": record.locate("ИдОтчетаКомиссионера", "Ид")}
