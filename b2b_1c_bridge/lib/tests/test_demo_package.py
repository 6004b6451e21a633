"""The demo exchange package: deterministic, well-formed, and the demo catalog as 1C sends it."""
import io
import zipfile

import pytest
from lxml import etree

from b2b_1c_bridge.lib import demo_package, safexml
from b2b_1c_bridge.lib import orders as cml_orders
from b2b_base.lib import democatalog

NS = "{urn:1C.ru:commerceml_2}"


def elements(data, name, tag):
    found = []
    for _event, element in safexml.iterparse(io.BytesIO(data), name):
        if safexml.local_name(element.tag) == tag:
            found.append({safexml.local_name(c.tag): (c.text or "") for c in element})
    return found


def test_the_package_is_the_same_every_time():
    first = demo_package.catalog_package(democatalog)
    assert first == demo_package.catalog_package(democatalog)
    assert [name for name, _data in first] == ["import.xml", "offers.xml"]
    assert demo_package.zip_package(first) == demo_package.zip_package(first)


def test_import_xml_holds_every_demo_good_with_its_group_and_deterministic_ids():
    files = dict(demo_package.catalog_package(democatalog, size=40))
    info = safexml.scan(io.BytesIO(files["import.xml"]), "import.xml")
    assert (info.root, info.version, info.sections) == (
        "КоммерческаяИнформация", "2.08", ["Классификатор", "Каталог"])
    goods = [g for g in elements(files["import.xml"], "import.xml", "Товар")]
    items = list(democatalog.catalog(40))
    assert [g["Артикул"] for g in goods] == [i["sku"] for i in items]
    assert [g["Наименование"] for g in goods] == [i["name"] for i in items]
    assert goods[0]["Ид"] == demo_package.good_id("MIX-00001")
    assert len({g["Ид"] for g in goods}) == 40
    groups = elements(files["import.xml"], "import.xml", "Группа")
    assert [g["Наименование"] for g in groups] == [c[0] for c in democatalog.CATEGORIES]


def test_offers_carry_the_demo_prices_of_every_price_type_and_the_stock():
    files = dict(demo_package.catalog_package(democatalog, size=20))
    info = safexml.scan(io.BytesIO(files["offers.xml"]), "offers.xml")
    assert info.sections == ["ПакетПредложений"]
    prices = elements(files["offers.xml"], "offers.xml", "Цена")
    assert len(prices) == 20 * len(demo_package.PRICE_TYPES)
    item = next(democatalog.catalog(1))
    expected = democatalog.prices(item)
    first_good = prices[:len(demo_package.PRICE_TYPES)]
    by_type = {p["ИдТипаЦены"]: float(p["ЦенаЗаЕдиницу"]) for p in first_good}
    assert by_type == {type_id: expected[key] for key, type_id, _n in demo_package.PRICE_TYPES}
    offers = elements(files["offers.xml"], "offers.xml", "Предложение")
    on_order = [o for o, i in zip(offers, democatalog.catalog(20)) if i["on_order"]]
    assert on_order and all(o["Количество"] == "0" for o in on_order)
    assert all(int(o["Количество"]) > 0 for o, i in zip(offers, democatalog.catalog(20))
               if not i["on_order"])


def test_the_package_can_be_written_as_files_and_zipped(tmp_path):
    files = demo_package.catalog_package(democatalog, size=5)
    folder = demo_package.write_package(str(tmp_path), files)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["import.xml", "offers.xml"]
    assert (tmp_path / "offers.xml").read_bytes() == dict(files)["offers.xml"]
    with zipfile.ZipFile(io.BytesIO(demo_package.zip_package(files))) as archive:
        assert archive.namelist() == ["import.xml", "offers.xml"]
    assert folder == str(tmp_path)


@pytest.mark.parametrize("name", ["import.xml", "offers.xml"])
def test_the_package_is_valid_against_the_schema_of_its_version(name):
    """1C's published schema (doc/commerceml) of the version the file declares: the classifier,
    the catalog and the offers package name their owner, prices their unit by OKEI code."""
    data = dict(demo_package.catalog_package(democatalog, size=30))[name]
    root = etree.fromstring(data)
    assert root.get("ВерсияСхемы") == demo_package.SCHEMA_VERSION
    schema = cml_orders.schema(root.get("ВерсияСхемы"))
    assert schema.validate(root), [str(error) for error in schema.error_log][:5]
    owners = root.findall(".//" + NS + "Владелец")
    assert len(owners) == (2 if name == "import.xml" else 1)
    assert {owner.findtext(NS + "ОфициальноеНаименование") for owner in owners} == {
        "ООО «СанТехОпт»"}


def test_stock_is_given_per_warehouse_and_in_total():
    data = dict(demo_package.catalog_package(democatalog, size=10))["offers.xml"]
    root = etree.fromstring(data)
    stores = [s.findtext(NS + "Наименование") for s in root.iter(NS + "Склад")
              if s.findtext(NS + "Ид")]
    assert stores == [name for _id, name in demo_package.WAREHOUSES]
    for offer, item in zip(root.iter(NS + "Предложение"), democatalog.catalog(10)):
        split = [int(s.get("КоличествоНаСкладе")) for s in offer.findall(NS + "Склад")]
        assert sum(split) == int(offer.findtext(NS + "Количество")) == demo_package.quantity(item)
        assert len(split) == 2


def test_the_benchmark_packages_are_valid_commerceml(tmp_path, monkeypatch):
    """bench/onec.py's generated catalog, offers and hourly offers update are valid against the
    schema of their version; its update with 5 % bad records breaks it only where it means to (a
    price that is not a number)."""
    import importlib.util
    import os
    import sys
    from b2b_base.tools import checkout
    bench = os.path.join(checkout.root(), "bench")
    monkeypatch.syspath_prepend(bench)
    spec = importlib.util.spec_from_file_location("b2b_bench_onec_generator",
                                                  os.path.join(bench, "onec.py"))
    generator = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(generator)   # imports bench/common.py as ``common``
    finally:
        sys.modules.pop("common", None)
    monkeypatch.setattr(generator, "N", 60)
    generator.write_package(str(tmp_path))
    generator.write_offers_update(str(tmp_path), "offers_update.xml", 3)
    generator.write_offers_update(str(tmp_path), "offers_update_bad.xml", 6, bad_share=0.05)
    for name in ("import.xml", "offers.xml", "offers_update.xml", "offers_update_bad.xml"):
        root = etree.parse(str(tmp_path / name)).getroot()
        schema = cml_orders.schema(root.get("ВерсияСхемы"))
        valid = schema.validate(root)
        errors = [error.message for error in schema.error_log]
        if name == "offers_update_bad.xml":
            assert errors and all("'12,3,4' is not a valid value" in e for e in errors), errors[:3]
        else:
            assert valid, (name, errors[:3])
