"""The OKEI table: the units 1C sends by code, by name, and what is not in it."""
from b2b_1c_bridge.lib import okei


def test_units_of_goods_sold_by_piece_weight_length_surface_volume():
    expected = {
        "796": ("шт", okei.UNIT, 1), "715": ("пар", okei.UNIT, 2), "778": ("упак", okei.UNIT, 1),
        "839": ("компл", okei.UNIT, 1), "166": ("кг", okei.WEIGHT, 1),
        "163": ("г", okei.WEIGHT, 0.001), "168": ("т", okei.WEIGHT, 1000),
        "006": ("м", okei.LENGTH, 1), "004": ("см", okei.LENGTH, 0.01),
        "055": ("м2", okei.SURFACE, 1), "113": ("м3", okei.VOLUME, 1000),
        "112": ("л", okei.VOLUME, 1), "111": ("мл", okei.VOLUME, 0.001),
    }
    for code, (short, category, ratio) in expected.items():
        unit = okei.lookup(code)
        assert (unit.code, unit.short, unit.category, unit.ratio) == (code, short, category, ratio)


def test_codes_without_leading_zeros_and_names_of_any_case():
    assert okei.lookup("6").code == "006"
    assert okei.lookup("55").code == "055"
    assert okei.lookup("", ["Упак"]).code == "778"
    assert okei.lookup("", ["", "Квадратный метр"]).code == "055"
    assert okei.lookup("", ["кв.м"]).code == "055"
    assert okei.lookup("", ["PCE"]).code == "796"


def test_unknown_code_and_name():
    assert okei.lookup("999", ["бухта"]) is None
    assert okei.lookup("", []) is None
    # a known name wins over an unknown code
    assert okei.lookup("999", ["пар"]).code == "715"
