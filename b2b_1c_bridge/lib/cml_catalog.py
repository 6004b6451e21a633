"""Readers of 1C's catalog files: goods (import.xml), offers (offers.xml) and the split files.

Every reader is a ``reader.RecordReader``: it streams its file through ``safexml.iterparse`` (no
DTD, no entities, no network) and clears each record once it is read, so memory stays bounded by
the largest single record whatever the file's size. The namespaces ``urn:1C.ru:commerceml_2`` and ``urn:1C.ru:commerceml_3`` and
no namespace are read alike, schema versions 2.03 to 2.10 and 3.1 (whose split files, classifier,
goods, offers, prices and rests, hold the same elements); unknown elements are ignored.

Files and what they yield (plain records, in the order of the file):

- ``import.xml`` and its split parts (``groups*.xml``, ``goods*.xml``, ``import___*.xml``):
  ``Group`` for each ``Классификатор/Группы/Группа`` (nested groups name their parent), then
  ``PriceType`` for ``Классификатор/ТипыЦен`` (2.08+) and ``Product`` for each
  ``Каталог/Товары/Товар``;
- ``offers.xml`` and its split parts (``prices*.xml``, ``rests*.xml``): ``PriceType`` for each
  ``ПакетПредложений/ТипыЦен/ТипЦены`` and ``Offer`` for each ``Предложения/Предложение``.

A record that cannot be used does not stop the reading: the reader yields a ``Problem`` naming the
file, the line and the element instead of the record, and goes on; a part of a record that cannot be
used (a picture path leaving the exchange folder) yields a ``Problem`` before the record, which is
yielded without that part. The import skips and reports what the problems name.
``FileHeader`` (yielded once, first) carries the schema version; ``changes_only`` is set on the
reader's ``header`` when the section says ``СодержитТолькоИзменения``.
"""
from collections import namedtuple
from decimal import Decimal

from odoo.addons.b2b_base.lib import messages
from odoo.addons.b2b_base.lib.messages import _

from . import values
from .protocol import ExchangeRefused, FileRefused
from .reader import RecordReader
from .safexml import local_name, version_read

NAMESPACE = "urn:1C.ru:commerceml_2"
ROOT = "КоммерческаяИнформация"

Group = namedtuple("Group", "id name parent_id line")
Unit = namedtuple("Unit", "code name full_name intl")
# ``characteristics``: ((name, value), ...) of ХарактеристикиТовара, for goods sent one per
# characteristic (``Ид`` = ``product#characteristic``): variants of one product
Product = namedtuple("Product", [
    "id", "sku", "name", "unit", "group_ids", "description", "requisites", "properties",
    "images", "archived", "line", "characteristics",
    "vat_rate",     # the VAT rate 1C gives the good (СтавкиНалогов), None when it gives none
], defaults=((), None))
PriceType = namedtuple("PriceType", "id name currency vat_included line")
# a property of goods; ``options`` maps the ids of its listed values (Справочник) to their text
Property = namedtuple("Property", "id name options line")
# ``price`` None: the price is left empty in 1C ("price on request"): no price of that type
Price = namedtuple("Price", "price_type_id price currency line")
# ``quantity``: the offer's stock in all (None: the offer says nothing of it); ``stocks``: per
# warehouse, ((warehouse id, quantity), ...), None when the offer names no warehouse
Offer = namedtuple("Offer", "id product_id characteristic_id sku name prices quantity line stocks",
                   defaults=(None,))
# a warehouse of the supplier (Склады/Склад of the offers package or the classifier)
Warehouse = namedtuple("Warehouse", "id name line")


class FileHeader:
    """What a file says about itself: root, schema version, and whether it holds changes only."""

    def __init__(self, version="", changes_only=False):
        self.version = version
        self.changes_only = changes_only

    def __repr__(self):
        return "FileHeader(version=%r, changes_only=%r)" % (self.version, self.changes_only)


class Problem(FileRefused):
    """A record of the file that cannot be imported: file, line, element and what is wrong."""

    def __init__(self, template, file, line, field, **params):
        super(Problem, self).__init__(template, file, line, field=field, **params)

    def __repr__(self):
        return "Problem(%s)" % self


MSG_MISSING = _("%(file)s, line %(line)d, %(field)s: the value is missing.")
MSG_NOT_NUMBER = _("%(file)s, line %(line)d, %(field)s: %(value)s is not a number.")
MSG_NEGATIVE = _("%(file)s, line %(line)d, %(field)s: %(value)s must not be negative.")
MSG_TOO_LONG = _("%(file)s, line %(line)d, %(field)s: the value is longer than %(limit)d "
                 "characters.")
MSG_BAD_ROOT = _("%(file)s, line %(line)d, %(field)s: the root element must be "
                 "КоммерческаяИнформация.")
MSG_BAD_VERSION = _("%(file)s, line %(line)d, %(field)s: schema version %(value)s is not "
                    "supported; versions 2.03 to 2.10 and 3.1 are read.")
MSG_BAD_IMAGE = _("%(file)s, line %(line)d, %(field)s: the picture path %(value)s leaves the "
                  "exchange folder.")

# What only the database can tell (the Odoo layer raises these as Problems too)
MSG_UNKNOWN_GROUP = _("%(file)s, line %(line)d, %(field)s: the group %(value)s is neither in this "
                      "file nor imported before.")
MSG_UNKNOWN_PRODUCT = _("%(file)s, line %(line)d, %(field)s: the product %(value)s is not in the "
                        "catalog; import its goods file first.")
MSG_UNKNOWN_PRICE_TYPE = _("%(file)s, line %(line)d, %(field)s: the price type %(value)s is "
                           "neither in this file nor imported before.")
MSG_UNKNOWN_PROPERTY = _("%(file)s, line %(line)d, %(field)s: the property %(value)s is neither in "
                         "this file nor imported before.")
MSG_UNKNOWN_CURRENCY = _("%(file)s, line %(line)d, %(field)s: the currency %(value)s is not "
                         "known.")
MSG_MORE = _("Other problems in this file: %(more)d. Nothing was imported.")


class Problems(ExchangeRefused):
    """Several problems of one file, refused together: the first one, located, and how many more.

    The template and fields are those of the first problem (so that a refusal stored and raised
    again later still names the file, line and element); the count follows it."""

    def __init__(self, problems, more=None):
        self.problems = list(problems)
        first = self.problems[0]
        more = len(self.problems) - 1 if more is None else more
        super().__init__(first.template, more=more, **first.params)

    def render(self, translate=None):
        more = messages.Problem(MSG_MORE, {"more": self.params["more"]})
        return messages.render([self.problem, more], translate or messages.same, separator=" ")


def refusal(file, problems):
    """The exception refusing a file for ``problems`` (one: itself; several: Problems)."""
    problems = list(problems)
    return problems[0] if len(problems) == 1 else Problems(problems)


ID_MAX = 255        # 1C ids are GUIDs (36 characters), optionally product#characteristic
TEXT_MAX = 1024     # names, SKUs


_truthy = values.truthy


def _text(element):
    """The element's own text, stripped ("" for none)."""
    return (element.text or "").strip() if element is not None else ""


def _children(element, name):
    return [child for child in element if local_name(child.tag) == name]


def _child(element, name):
    for child in element:
        if local_name(child.tag) == name:
            return child
    return None


def _child_text(element, name):
    return _text(_child(element, name))


def _unit_value(element, name):
    """A value of БазоваяЕдиница written as its attribute or as its child element."""
    return (element.get(name) or "").strip() or _child_text(element, name)


def _unit(element):
    """The Unit of a БазоваяЕдиница, None when it says nothing.

    1C writes it three ways: text only (``шт``), text with attributes (``Код``,
    ``НаименованиеПолное``, ``МеждународноеСокращение``), or child elements of those names with
    ``НаименованиеКраткое`` for the short name; the text beside child elements (conversion
    factors) is not a name.
    """
    if element is None:
        return None
    unit = Unit(code=_unit_value(element, "Код"),
                name=_text(element) or _unit_value(element, "НаименованиеКраткое"),
                full_name=_unit_value(element, "НаименованиеПолное"),
                intl=_unit_value(element, "МеждународноеСокращение"))
    return unit if any(unit) else None


def base_name(name, characteristics):
    """The name of a product sent one per characteristic, without the characteristic 1C appends
    to it: "Кроссовки (42, синий)" with the values 42 and синий is "Кроссовки"; a name whose
    last part in brackets is not made of the values is kept whole."""
    text = (name or "").strip()
    if not characteristics or not text.endswith(")") or "(" not in text:
        return text
    head, _sep, tail = text[:-1].rpartition("(")
    parts = [part.strip().lower() for part in tail.split(",") if part.strip()]
    values = {value.strip().lower() for _name, value in characteristics}
    if head.strip() and parts and all(part in values for part in parts):
        return head.strip()
    return text


class _Kids:
    """An element's children by local name, indexed once for the many look-ups of a record."""

    __slots__ = ("by_name",)

    def __init__(self, element):
        by_name = {}
        for child in element:
            by_name.setdefault(local_name(child.tag), []).append(child)
        self.by_name = by_name

    def all(self, name):
        return self.by_name.get(name, ())

    def one(self, name):
        found = self.by_name.get(name)
        return found[0] if found else None

    def text(self, name):
        found = self.by_name.get(name)
        return (found[0].text or "").strip() if found else ""


_PRICE_PARTS = {"ИдТипаЦены": 0, "ЦенаЗаЕдиницу": 1, "Валюта": 2}


def _price_parts(price):
    """(price type id, price per unit, currency) texts of a Цена element (first of each)."""
    parts = [None, None, None]
    for child in price:
        index = _PRICE_PARTS.get(local_name(child.tag))
        if index is not None and parts[index] is None:
            parts[index] = (child.text or "").strip()
    return tuple(part or "" for part in parts)


def _number(text):
    """Decimal of a 1C number ("1 234,50" and "1234.50" alike), or None when it is not one."""
    try:
        return values.number(text)
    except ValueError:
        return None


class _Reader(RecordReader):
    """The catalog readers' part of the one walk (``reader.RecordReader``): the root and its
    schema version, the header, changes-only sections, and what both catalog readers read."""

    def __init__(self, source, name):
        super().__init__(source, name)
        self.header = FileHeader()

    def problem(self, template, line, field, **params):
        return Problem(template, self.name, line, field, **params)

    def end_element(self, path, element):
        if len(path) == 3 and path[-1] == "СодержитТолькоИзменения":
            self.header.changes_only = _truthy(element.text)

    def start_root(self, element):
        tag = local_name(element.tag)
        version = (element.get("ВерсияСхемы") or "").strip()
        self.header.version = version
        problem = None
        if tag != ROOT:
            problem = self.problem(MSG_BAD_ROOT, element.sourceline, tag)
        elif not version_read(version):
            problem = self.problem(MSG_BAD_VERSION, element.sourceline, "ВерсияСхемы",
                                   value=version)
        if problem is not None:
            self.stopped = True
            return [problem]
        return [self.header]

    def start_section(self, element):
        if _truthy(element.get("СодержитТолькоИзменения")):
            self.header.changes_only = True

    def _id(self, element, line, field, required=True, kids=None):
        value = kids.text("Ид") if kids is not None else _child_text(element, "Ид")
        if not value:
            return None, (self.problem(MSG_MISSING, line, field) if required else None)
        if len(value) > ID_MAX:
            return None, self.problem(MSG_TOO_LONG, line, field, limit=ID_MAX)
        return value, None

    def _named(self, element, kind):
        """(children, Ид, Наименование, problem) of a record named ``kind`` that must have both
        (problem None when it has)."""
        line = element.sourceline
        kids = _Kids(element)
        record_id, problem = self._id(element, line, kind + "/Ид", kids=kids)
        name = kids.text("Наименование")
        if problem is None and not name:
            problem = self.problem(MSG_MISSING, line, kind + "/Наименование")
        return kids, record_id, name[:TEXT_MAX], problem

    def _warehouse(self, element):
        _kids, warehouse_id, name, problem = self._named(element, "Склад")
        if problem:
            return [problem]
        return [Warehouse(warehouse_id, name, element.sourceline)]

    def _price_type(self, element):
        line = element.sourceline
        problems = []
        type_id, problem = self._id(element, line, "ТипЦены/Ид")
        if problem:
            problems.append(problem)
        name = _child_text(element, "Наименование")
        if not name:
            problems.append(self.problem(MSG_MISSING, line, "ТипЦены/Наименование"))
        if problems:
            return problems
        vat_included = None
        tax = _child(element, "Налог")
        if tax is not None and _child(tax, "УчтеноВСумме") is not None:
            vat_included = _truthy(_child_text(tax, "УчтеноВСумме"))
        return [PriceType(type_id, name[:TEXT_MAX], _child_text(element, "Валюта"), vat_included,
                          line)]


class CatalogReader(_Reader):
    """Groups and goods of ``import.xml`` (and ``groups*.xml`` / ``goods*.xml``)."""

    # Groups nest: Классификатор/Группы/Группа/Группы/Группа/...; they are read as a whole
    # (the group tree is small), goods one by one.
    record_paths = {
        (ROOT, "Классификатор", "Группы"),
        (ROOT, "Классификатор", "ТипыЦен", "ТипЦены"),
        (ROOT, "Классификатор", "Свойства", "Свойство"),
        (ROOT, "Классификатор", "Свойства", "СвойствоНоменклатуры"),    # 2.03-2.04
        # CommerceML 3: the classifier's units, which goods name by their Ид (their OKEI code)
        (ROOT, "Классификатор", "ЕдиницыИзмерения", "ЕдиницаИзмерения"),
        (ROOT, "Классификатор", "Склады", "Склад"),
        (ROOT, "Каталог", "Товары", "Товар"),
    }

    def __init__(self, source, name, base_dir=""):
        super().__init__(source, name)
        self.base_dir = base_dir
        self.classifier_units = {}      # Ид and Код of the classifier's units: Unit

    def record(self, path, element):
        kind = path[-1]
        if kind == "Группы":
            return self._groups(element, None)
        if kind == "ТипЦены":
            return self._price_type(element)
        if kind in ("Свойство", "СвойствоНоменклатуры"):
            return self._property(element)
        if kind == "ЕдиницаИзмерения":
            return self._classifier_unit(element)
        if kind == "Склад":
            return self._warehouse(element)
        return [self._named_unit(item) for item in self._product(element)]

    def _classifier_unit(self, element):
        """A unit of the classifier's ЕдиницыИзмерения (CommerceML 3), yielded as a Unit so that
        the import finds or creates it; remembered by its Ид and Код for the goods after it."""
        kids = _Kids(element)
        unit = Unit(code=kids.text("Код") or kids.text("Ид"), name=kids.text("НаименованиеКраткое"),
                    full_name=kids.text("НаименованиеПолное"),
                    intl=kids.text("МеждународноеСокращение"))
        if not any(unit):
            return []
        for key in (kids.text("Ид"), kids.text("Код")):
            if key:
                self.classifier_units[key] = unit
        return [unit]

    def _named_unit(self, item):
        """A product whose БазоваяЕдиница is only a reference (CommerceML 3 writes the unit's Ид,
        its OKEI code: ``<БазоваяЕдиница>796</БазоваяЕдиница>``) gets the classifier's unit of
        that Ид, or the unit of that OKEI code when the classifier came in another file."""
        unit = getattr(item, "unit", None)
        if not isinstance(item, Product) or unit is None or unit.code or unit.full_name \
                or unit.intl:
            return item
        known = self.classifier_units.get(unit.name)
        if known is None and unit.name.isdigit() and len(unit.name) <= 4:
            known = Unit(code=unit.name, name="", full_name="", intl="")
        return item._replace(unit=known) if known is not None else item

    def _property(self, element):
        line = element.sourceline
        kids, property_id, name, problem = self._named(element, "Свойство")
        if problem:
            return [problem]
        options = {}
        for variants in kids.all("ВариантыЗначений"):
            for entry in _children(variants, "Справочник"):
                value_id = _child_text(entry, "ИдЗначения")
                if value_id:
                    options[value_id] = _child_text(entry, "Значение")[:TEXT_MAX]
        return [Property(property_id, name[:TEXT_MAX], options, line)]

    def _groups(self, container, parent_id):
        found = []
        for group in _children(container, "Группа"):
            line = group.sourceline
            group_id, problem = self._id(group, line, "Группа/Ид")
            name = _child_text(group, "Наименование")
            if problem:
                found.append(problem)
            elif not name:
                found.append(self.problem(MSG_MISSING, line, "Группа/Наименование"))
            else:
                found.append(Group(group_id, name[:TEXT_MAX], parent_id, line))
            for sub in _children(group, "Группы"):
                found.extend(self._groups(sub, group_id if not problem else None))
        return found

    def _product(self, element):
        line = element.sourceline
        problems = []
        kids = _Kids(element)
        product_id, problem = self._id(element, line, "Товар/Ид", kids=kids)
        if problem:
            problems.append(problem)
        name = kids.text("Наименование")
        if not name:
            problems.append(self.problem(MSG_MISSING, line, "Товар/Наименование"))
        sku = kids.text("Артикул")
        if len(sku) > TEXT_MAX:
            problems.append(self.problem(MSG_TOO_LONG, line, "Товар/Артикул", limit=TEXT_MAX))
        unit = _unit(kids.one("БазоваяЕдиница"))
        group_ids = []
        for groups in kids.all("Группы"):
            group_ids.extend(_text(g) for g in _children(groups, "Ид") if _text(g))
        requisites = {}
        for block in kids.all("ЗначенияРеквизитов"):
            for value in _children(block, "ЗначениеРеквизита"):
                key = _child_text(value, "Наименование")
                if key:
                    requisites[key] = _child_text(value, "Значение")
        # None: the file says nothing of the product's properties (they stay as they are)
        properties = {} if kids.all("ЗначенияСвойств") else None
        for block in kids.all("ЗначенияСвойств"):
            for value in _children(block, "ЗначенияСвойства"):
                key = _child_text(value, "Ид")
                if key:
                    properties[key] = [_text(v) for v in _children(value, "Значение")]
        images = []
        left_out = []       # problems of parts the product is imported without
        for picture in kids.all("Картинка"):
            path = _text(picture)
            if not path:
                continue
            parts = path.replace("\\", "/").split("/")
            if path.startswith("/") or any(p in ("", ".", "..") for p in parts) or ":" in parts[0]:
                left_out.append(self.problem(MSG_BAD_IMAGE, picture.sourceline, "Товар/Картинка",
                                             value=path))
                continue
            images.append("/".join(parts))
        characteristics = []
        for block in kids.all("ХарактеристикиТовара"):
            for entry in _children(block, "ХарактеристикаТовара"):
                key = _child_text(entry, "Наименование")
                value = _child_text(entry, "Значение")
                if key and value:
                    characteristics.append((key[:TEXT_MAX], value[:TEXT_MAX]))
        vat_rate = None
        for block in kids.all("СтавкиНалогов"):
            for rate in _children(block, "СтавкаНалога"):
                if _child_text(rate, "Наименование").strip().upper() != "НДС":
                    continue
                raw = _child_text(rate, "Ставка").strip()
                value = vat_rate_value(raw)
                if value is None:
                    left_out.append(self.problem(MSG_NOT_NUMBER, rate.sourceline,
                                                 "Товар/СтавкиНалогов/СтавкаНалога/Ставка",
                                                 value=raw))
                else:
                    vat_rate = value
        status = (element.get("Статус") or kids.text("Статус")).strip().lower()
        archived = (status in ("удален", "удалён", "deleted")
                    or _truthy(kids.text("ПометкаУдаления"))
                    or _truthy(element.get("ПометкаУдаления")))
        if problems:
            return problems + left_out
        return left_out + [Product(product_id, sku, name[:TEXT_MAX], unit, tuple(group_ids),
                                   kids.text("Описание"), requisites, properties, tuple(images),
                                   archived, line, tuple(characteristics), vat_rate)]


def vat_rate_value(text):
    """The VAT rate of 1C's ``Ставка``: '20', '20%', '10,0' -> the percent; 'Без НДС' -> 0.0;
    None for anything else."""
    cleaned = (text or "").replace("%", "").replace(",", ".").strip()
    if cleaned.lower() in ("без ндс", "без налога"):
        return 0.0
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if 0 <= value < 100 else None


class OffersReader(_Reader):
    """Price types and offers of ``offers.xml`` (and ``prices*.xml`` / ``rests*.xml``)."""

    record_paths = {
        (ROOT, "ПакетПредложений", "ТипыЦен", "ТипЦены"),
        (ROOT, "ПакетПредложений", "Предложения", "Предложение"),
        (ROOT, "Классификатор", "ТипыЦен", "ТипЦены"),
        (ROOT, "ПакетПредложений", "Склады", "Склад"),
        (ROOT, "Классификатор", "Склады", "Склад"),
    }

    def record(self, path, element):
        if path[-1] == "ТипЦены":
            return self._price_type(element)
        if path[-1] == "Склад":
            return self._warehouse(element)
        return self._offer(element)

    def _quantity(self, element, line, problems, kids):
        """(total, stocks) of the offer: ``stocks`` the quantities per warehouse, ((warehouse
        id, quantity), ...) in the file's order, from ``Склад ИдСклада КоличествоНаСкладе``
        and ``Остатки/Остаток/Склад/Ид`` + ``Количество`` (None when the offer names no
        warehouse); ``total`` their sum, else ``Количество``, else the sum of ``Остаток/
        Количество``; (None, None) when the offer says nothing of stock or a quantity is not a
        number (the stock stays as it is)."""
        stores, loose = [], []  # (warehouse id, text, line, field); (text, line, field)
        for store in kids.all("Склад"):
            store_id = (store.get("ИдСклада") or "").strip() or _child_text(store, "Ид")
            qty = store.get("КоличествоНаСкладе")
            field = "Склад/КоличествоНаСкладе"
            if qty is None and _child(store, "Количество") is not None:
                qty, field = _child_text(store, "Количество"), "Склад/Количество"
            if qty is not None:
                (stores.append((store_id, qty, store.sourceline, field)) if store_id
                 else loose.append((qty, store.sourceline, field)))
        for rests in kids.all("Остатки"):
            for rest in _children(rests, "Остаток"):
                rest_stores = _children(rest, "Склад")
                own = _child(rest, "Количество")
                for store in rest_stores:
                    qty = _child(store, "Количество")
                    if qty is None and len(rest_stores) == 1:
                        qty = own
                    if qty is None:
                        continue
                    store_id = _child_text(store, "Ид")
                    field = "Остатки/Остаток/Склад/Количество"
                    (stores.append((store_id, _text(qty), qty.sourceline, field)) if store_id
                     else loose.append((_text(qty), qty.sourceline, field)))
                if own is not None and not rest_stores:
                    loose.append((_text(own), own.sourceline, "Остатки/Остаток/Количество"))
        direct = kids.one("Количество")
        if direct is not None and not stores:
            loose = [(_text(direct), direct.sourceline, "Предложение/Количество")]
        if not stores and not loose:
            return None, None
        bad = False
        numbers = []
        for text, qline, field in [item[1:] for item in stores] + loose:
            number = _number(text)
            if number is None:
                problems.append(self.problem(MSG_NOT_NUMBER, qline or line, field, value=text))
                bad = True
            numbers.append(number)
        if bad:
            return None, None           # a quantity that is not a number: stock unchanged
        total = sum(numbers, Decimal(0))
        if not stores:
            return total, None
        per_store = {}
        for (store_id, _text_, _line, _field), number in zip(stores, numbers):
            per_store[store_id] = per_store.get(store_id, Decimal(0)) + number
        return total, tuple(per_store.items())

    def _offer(self, element):
        """The Offer of a Предложение and the problems of its parts: a price that cannot be used
        is left out (the others are kept), a quantity that is not a number leaves the stock as
        it is; only an offer without Ид is no Offer at all. An empty or missing ЦенаЗаЕдиницу
        ("price on request") is a Price of None: no price of that type."""
        line = element.sourceline
        problems = []
        kids = _Kids(element)
        offer_id, problem = self._id(element, line, "Предложение/Ид", kids=kids)
        if problem:
            return [problem]
        product_id, _sep, characteristic_id = offer_id.partition("#")
        if not product_id:
            return [self.problem(MSG_MISSING, line, "Предложение/Ид")]
        prices = []
        seen = set()
        for block in kids.all("Цены"):
            for price in _children(block, "Цена"):
                pline = price.sourceline
                type_id, raw, currency = _price_parts(price)
                if not type_id:
                    problems.append(self.problem(MSG_MISSING, pline, "Цена/ИдТипаЦены"))
                    continue
                value = _number(raw)
                if raw and value is None:
                    problems.append(self.problem(MSG_NOT_NUMBER, pline, "Цена/ЦенаЗаЕдиницу",
                                                 value=raw))
                elif value is not None and value < 0:
                    problems.append(self.problem(MSG_NEGATIVE, pline, "Цена/ЦенаЗаЕдиницу",
                                                 value=raw))
                elif type_id not in seen:   # one price per type (the first, for the base unit)
                    seen.add(type_id)
                    prices.append(Price(type_id, value, currency, pline))
        quantity, stocks = self._quantity(element, line, problems, kids)
        return problems + [Offer(offer_id, product_id, characteristic_id or "",
                                 kids.text("Артикул"), kids.text("Наименование"),
                                 tuple(prices), quantity, line, stocks)]


def read_catalog(source, name):
    """Iterate the header, groups, price types, goods and problems of an import-like file."""
    return CatalogReader(source, name)


def read_offers(source, name):
    """Iterate the header, price types, offers and problems of an offers-like file."""
    return OffersReader(source, name)
