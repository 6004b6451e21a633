"""The demo commission exchange (lib/demo_commission.py): its packages are read whole by the
bridge's readers, the consignment list adds up, the report's goods are on the list and sold no
more than held, 1C's decision names the report and the closing documents name 1C's document of
it, and the same day gives the same bytes."""
import datetime
import io

from b2b_1c_bridge.lib import cml_packages, demo_b2b, demo_package
from b2b_1c_bridge_commission.lib import demo_commission

TODAY = datetime.date(2026, 12, 2)
REPORT = "b2b.commission.report/41"


def files(today=TODAY):
    (kind, exchange_files, imports), = demo_commission.exchanges(today, REPORT)
    assert kind == "b2b"
    result = dict(exchange_files)
    assert [name for name in imports if name not in result] == []
    return result, imports


def test_the_packages_are_read_whole_and_replay_the_same():
    package, imports = files()
    assert imports == ["b2b_consignment.xml", "b2b_commission_decisions.xml",
                       "b2b_commission_forms.xml"]
    lists = list(cml_packages.read_consignment(io.BytesIO(package["b2b_consignment.xml"]),
                                               "b2b_consignment.xml"))
    assert [l["contract_ref"] for l in lists] == [demo_b2b.CONTRACTS["yug"]["id"]]
    goods = {g["product_ref"]: g for g in lists[0]["goods"]}
    assert len(goods) == len(demo_commission.CONSIGNMENT)
    for good in goods.values():
        assert good["qty_handed"] - good["qty_sold"] - good["qty_returned"] == good["qty"]
    decisions = list(cml_packages.read_commission_decisions(
        io.BytesIO(package["b2b_commission_decisions.xml"]), "b2b_commission_decisions.xml"))
    assert [(d["report_ref"], d["document_ref"], d["state"], d["date"]) for d in decisions] == [
        (REPORT, demo_commission.REPORT_DOCUMENT, "approved", TODAY)]
    forms = list(cml_packages.read_printed_forms(io.BytesIO(package["b2b_commission_forms.xml"]),
                                                 "b2b_commission_forms.xml"))
    assert [f["kind"] for f in forms] == ["closing", "closing"]
    assert all(package[f["path"]].startswith(b"%PDF-") for f in forms)
    closing = list(cml_packages.read_printed_form_reports(
        io.BytesIO(package["b2b_commission_forms.xml"]), "b2b_commission_forms.xml"))
    assert [c["report_ref"] for c in closing] == [demo_commission.REPORT_DOCUMENT] * 2
    assert files()[0] == package, "the same day gives the same bytes"
    assert files(TODAY + datetime.timedelta(days=1))[0]["b2b_consignment.xml"] != \
        package["b2b_consignment.xml"]


def test_the_report_sells_goods_of_the_list_at_several_prices_within_what_is_held():
    lines = demo_commission.report_lines()
    listed = {demo_package.good_id(good["sku"]) for good in
              (demo_commission._goods()[index] for index, *_rest in demo_commission.CONSIGNMENT)}
    assert {demo_package.good_id(good["sku"]) for good, *_rest in lines} <= listed
    sold = {}
    for good, qty, price, held in lines:
        sold[good["sku"]] = sold.get(good["sku"], 0) + qty
        assert sold[good["sku"]] <= held and price > 0
    first = lines[0][0]["sku"]
    assert len({price for good, _qty, price, _held in lines if good["sku"] == first}) == 2
    by_list = {demo_commission._goods()[index]["sku"]: sold_qty
               for index, _handed, sold_qty, _returned in demo_commission.CONSIGNMENT}
    assert sold == {sku: qty for sku, qty in by_list.items() if qty}, \
        "1C's list counts what the approved report sold"
    assert demo_commission.last_month(TODAY) == datetime.date(2026, 11, 1)
    assert demo_commission.last_month(datetime.date(2027, 1, 31)) == datetime.date(2026, 12, 1)
