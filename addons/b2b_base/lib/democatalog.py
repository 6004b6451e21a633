"""A deterministic catalog of goods for demo data and benchmarks (no randomness between runs).

``catalog(n)`` yields n product dicts in 10 categories with a base price; ``prices(item)`` gives the
price per price-type key. Demo data and bench/prices.py build the same shapes at any size.
"""

# (category, SKU prefix, what one item is called)
CATEGORIES = [
    ("Смесители", "MIX", "Смеситель"),
    ("Раковины", "SNK", "Раковина"),
    ("Унитазы", "WC", "Унитаз"),
    ("Ванны", "BTH", "Ванна"),
    ("Душевые системы", "SHW", "Душевая система"),
    ("Полотенцесушители", "TWR", "Полотенцесушитель"),
    ("Мебель для ванной", "FRN", "Тумба"),
    ("Аксессуары", "ACC", "Держатель"),
    ("Инсталляции", "INS", "Инсталляция"),
    ("Собственная марка «Альфа»", "ALF", "Смеситель «Альфа»"),
]

_KINDS = ["Стандарт", "Комфорт", "Премиум", "Эконом", "Проф"]
_COLOURS = ["хром", "белый", "чёрный", "бронза", "сталь", "графит"]

# price type key -> factor of the base price
PRICE_FACTORS = {
    "wholesale": 0.70,
    "large_wholesale": 0.62,
    "dealer": 0.66,
    "dealer_net": 0.55,     # the dealer price without VAT (a price type with VAT on top)
    "rrp": 1.00,
}


def catalog(n):
    for i in range(n):
        cat_index = i % len(CATEGORIES)
        cat_name, cat_code, noun = CATEGORIES[cat_index]
        number = i // len(CATEGORIES) + 1
        base = 500 + (i * 7919) % 45000  # 500 .. 45,499 RUB, spread without randomness
        yield {
            "index": i,
            "sku": "%s-%05d" % (cat_code, number),
            "name": "%s %s %d, %s" % (noun, _KINDS[i % len(_KINDS)], number, _COLOURS[i % len(_COLOURS)]),
            "category": cat_name,
            "category_index": cat_index,
            "base_price": float(base),
            "on_order": i % 7 == 3,
            "lead_days": 14 + (i % 3) * 7 if i % 7 == 3 else 0,
            "min_qty": 2.0 if i % 13 == 5 else 1.0,
            "multiple": 6.0 if cat_code == "ACC" and number % 2 == 0 else 1.0,
            "forbidden_region": i % 11 == 4,
            "exclusive": cat_code == "ALF",
        }


def prices(item):
    return {key: round(item["base_price"] * factor, 2) for key, factor in PRICE_FACTORS.items()}
