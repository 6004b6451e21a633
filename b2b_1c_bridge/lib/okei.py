"""Units of measure of the OKEI (ОК 015-94, «Общероссийский классификатор единиц измерения»),
the codes 1C writes in ``БазоваяЕдиница/@Код``.

Each code maps to its short Russian name (the «условное обозначение» of the classifier), its full
name, the Odoo unit category it belongs to and its size against that category's reference unit
(the piece, the kilogram, the metre, the square metre, the litre): ``ratio`` is how many reference
units one unit is (a tonne is 1000 kg, a gram 0.001 kg, a pair 2 pieces). Packs and sets hold as
many pieces as the supplier packs: 1C does not say how many, so they count as one.
"""
from collections import namedtuple

# Odoo 11's unit categories, by their xml ids; Surface is not in Odoo and is created by its name
UNIT, WEIGHT, LENGTH, SURFACE, VOLUME, TIME = (
    "Unit", "Weight", "Length", "Surface", "Volume", "Time")
CATEGORY_XMLIDS = {
    UNIT: "product.product_uom_categ_unit", WEIGHT: "product.product_uom_categ_kgm",
    LENGTH: "product.uom_categ_length", VOLUME: "product.product_uom_categ_vol",
    TIME: "product.uom_categ_wtime",
}
CATEGORY_RUSSIAN = {SURFACE: "Площадь"}

# ``intl``: the international abbreviation (UN/ECE Recommendation 20) the classifier prints beside
# the code, ``МеждународноеСокращение`` in CommerceML
Okei = namedtuple("Okei", "code short full category ratio xmlid intl")

UNITS = {u.code: u for u in [
    Okei("796", "шт", "Штука", UNIT, 1, "product.product_uom_unit", "PCE"),
    Okei("715", "пар", "Пара (2 шт.)", UNIT, 2, None, "NPR"),
    Okei("778", "упак", "Упаковка", UNIT, 1, None, "NMP"),
    Okei("839", "компл", "Комплект", UNIT, 1, None, "SET"),
    Okei("704", "набор", "Набор", UNIT, 1, None, None),
    Okei("166", "кг", "Килограмм", WEIGHT, 1, "product.product_uom_kgm", "KGM"),
    Okei("163", "г", "Грамм", WEIGHT, 0.001, "product.product_uom_gram", "GRM"),
    Okei("168", "т", "Тонна", WEIGHT, 1000, "product.product_uom_ton", "TNE"),
    Okei("006", "м", "Метр", LENGTH, 1, "product.product_uom_meter", "MTR"),
    Okei("003", "мм", "Миллиметр", LENGTH, 0.001, None, "MMT"),
    Okei("004", "см", "Сантиметр", LENGTH, 0.01, "product.product_uom_cm", "CMT"),
    Okei("008", "км", "Километр", LENGTH, 1000, "product.product_uom_km", "KMT"),
    Okei("055", "м2", "Квадратный метр", SURFACE, 1, None, "MTK"),
    Okei("113", "м3", "Кубический метр", VOLUME, 1000, None, "MTQ"),
    Okei("112", "л", "Литр", VOLUME, 1, "product.product_uom_litre", "LTR"),
    Okei("111", "мл", "Миллилитр", VOLUME, 0.001, None, "MLT"),
    Okei("356", "ч", "Час", TIME, 1, "product.product_uom_hour", "HUR"),
    Okei("359", "сут", "Сутки", TIME, 8, "product.product_uom_day", "DAY"),
]}

# other spellings 1C configurations and suppliers use for the same units
_ALIASES = {
    "шт.": "796", "штук": "796", "pce": "796", "pcs": "796", "unit": "796", "unit(s)": "796",
    "ед": "796", "ед.": "796", "пара": "715", "пар.": "715", "pr": "715", "упак.": "778",
    "уп": "778", "уп.": "778", "nmp": "778", "компл.": "839", "к-т": "839", "set": "839",
    "kgm": "166", "kg": "166", "гр": "163", "грамм": "163", "grm": "163", "g": "163",
    "тонна": "168", "tne": "168", "mtr": "006", "m": "006", "mmt": "003", "cmt": "004",
    "сантиметр": "004", "километр": "008", "м²": "055", "кв.м": "055", "кв. м": "055",
    "кв.м.": "055", "mtk": "055", "м³": "113", "куб.м": "113", "куб. м": "113", "mtq": "113",
    "ltr": "112", "l": "112", "mlt": "111", "час": "356", "дн": "359", "день": "359",
    "npr": "715", "kmt": "008", "hur": "356", "pair": "715", "pairs": "715", "pack": "778",
    "packs": "778", "sets": "839", "kit": "839", "кв. м.": "055", "куб.м.": "113",
    # English names Odoo users give units
    "piece": "796", "pieces": "796", "units": "796", "pair(s)": "715", "pack(s)": "778",
    "package": "778", "set(s)": "839", "kilogram": "166", "kilograms": "166", "gram": "163",
    "grams": "163", "ton": "168", "tonne": "168", "t": "168", "meter": "006", "metre": "006",
    "meters": "006", "mm": "003", "cm": "004", "km": "008", "m²": "055", "m2": "055",
    "sq m": "055", "m³": "113",
    "square meter": "055", "square metre": "055", "m3": "113", "cubic meter": "113",
    "cubic metre": "113", "liter(s)": "112", "liter": "112", "litre": "112", "liters": "112",
    "litres": "112", "ml": "111", "hour(s)": "356", "hour": "356", "hours": "356",
    "day(s)": "359",
}
NAMES = dict(_ALIASES)
for _unit in UNITS.values():
    NAMES.setdefault(_unit.short.lower(), _unit.code)
    NAMES.setdefault(_unit.full.lower(), _unit.code)


def normal_code(code):
    """The OKEI code as the classifier writes it (three digits at least), "" for none."""
    code = (code or "").strip()
    return code.zfill(3) if code.isdigit() else code


_BY_XMLID = {unit.xmlid: unit for unit in UNITS.values() if unit.xmlid}


def lookup(code="", names=(), xmlid=None):
    """The classifier's unit of a code, else of Odoo's stock unit ``xmlid``, else of one of the
    names (any letter case and spacing); None when none is known."""
    found = UNITS.get(normal_code(code)) or _BY_XMLID.get(xmlid)
    if found:
        return found
    for name in names:
        found = UNITS.get(NAMES.get(" ".join((name or "").split()).lower(), ""))
        if found:
            return found
    return None
