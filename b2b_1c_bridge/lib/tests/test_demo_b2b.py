"""The demo B2B exchange (lib/demo_b2b.py): every package is read by the exchange's readers
without a problem, the same day gives the same bytes, and on any day «Бета-Трейд» is blocked while
«Альфа-Дилер» owes nothing overdue."""
import datetime
import io

import pytest
from lxml import etree

from b2b_1c_bridge.lib import cml_packages, demo_b2b, demo_package
from b2b_1c_bridge.lib import orders as cml_orders

TODAY = datetime.date(2026, 12, 6)


def package(today=TODAY):
    """{name: bytes} of every file of the demo exchanges."""
    files = {}
    for _type, exchange_files, _imports in demo_b2b.exchanges(today):
        files.update(exchange_files)
    return files


def test_three_exchanges_in_the_order_1c_sends_them():
    plan = [(kind, imports) for kind, _files, imports in demo_b2b.exchanges(TODAY)]
    assert plan == [("b2b", ["b2b_counterparties.xml", "b2b_settlements.xml", "b2b_overdue.xml"]),
                    ("sale", ["orders.xml"]), ("b2b", ["b2b_printed_forms.xml"])]


def test_the_same_day_gives_the_same_bytes_and_another_day_moves_the_dates():
    assert demo_b2b.exchanges(TODAY) == demo_b2b.exchanges(TODAY)
    later = package(TODAY + datetime.timedelta(days=30))
    assert later["b2b_counterparties.xml"].replace(b"2027-01-05", b"2026-12-06") \
        == package()["b2b_counterparties.xml"]
    assert later["b2b_settlements.xml"] != package()["b2b_settlements.xml"]


def test_counterparties_name_the_demo_dealers_and_their_contracts():
    data = package()["b2b_counterparties.xml"]
    parties = list(cml_packages.read_counterparties(io.BytesIO(data), "b2b_counterparties.xml"))
    assert [p["name"] for p in parties] == ["ООО «Альфа-Дилер»", "ИП Смирнова А. В. («Альфа Розница»)",
                                            "ООО «Альфа-Юг»", "ООО «Бета-Трейд»"]
    assert parties[1]["dealer_id"] == demo_b2b.ALFA
    contracts = [c for p in parties for c in p["contracts"]]
    assert [c["number"] for c in contracts] == ["А-001/2026", "А-002/2026", "АЮ-001/2026",
                                                "Б-001/2026", "Б-002/2026"]
    assert {c["price_type_id"] for c in contracts} <= set(demo_b2b.PRICE_TYPE_IDS.values())
    assert contracts[-1]["special_conditions"].startswith("Отсрочка 45 дней")


def test_ledger_and_overdue_summary_agree():
    files = package()
    lines = list(cml_packages.read_settlements(io.BytesIO(files["b2b_settlements.xml"]), "s.xml"))
    assert len(lines) == len(demo_b2b.LEDGER)
    assert [line["date"] for line in lines] == sorted(line["date"] for line in lines)
    beta = demo_b2b.CONTRACTS["beta"]["id"]
    beta_debit = sum(l["debit"] - l["credit"] for l in lines if l["contract_ref"] == beta)
    summaries = {s["contract_ref"]: s for s in cml_packages.read_overdue(
        io.BytesIO(files["b2b_overdue.xml"]), "o.xml")}
    assert set(summaries) == {c["id"] for c in demo_b2b.CONTRACTS.values()}
    assert summaries[beta]["balance"] == pytest.approx(beta_debit) == 212450.0
    assert (summaries[beta]["overdue_4"], summaries[beta]["overdue_days"]) == (212450.0, 62)
    alfa = summaries[demo_b2b.CONTRACTS["alfa"]["id"]]
    assert alfa["balance"] > 0 and alfa["not_due"] == alfa["balance"] and alfa["overdue_days"] == 0
    yug = summaries[demo_b2b.CONTRACTS["yug"]["id"]]
    assert (yug["overdue_2"], yug["overdue_days"]) == (70000.0, 9)
    assert all(s["date"] == TODAY for s in summaries.values())


@pytest.mark.parametrize("today", [datetime.date(2024, 1, 1), datetime.date(2026, 3, 1),
                                   datetime.date(2031, 7, 15)])
def test_whatever_the_day_beta_is_blocked_and_alfa_is_within_terms(today):
    assert demo_b2b.contract_aging(today, "beta").blocked
    assert demo_b2b.contract_aging(today, "beta").oldest_days == 62
    for key in ("alfa", "alfa_retail", "beta_special"):
        state = demo_b2b.contract_aging(today, key)
        assert state.overdue == 0 and state.balance > 0, key
    assert not demo_b2b.contract_aging(today, "yug").blocked


def test_orders_are_valid_commerceml_and_read_back_with_their_statuses():
    data = package()["orders.xml"]
    for version in cml_orders.SCHEMA_VERSIONS:
        schema = cml_orders.schema(version)
        assert schema.validate(etree.fromstring(data)), (version, schema.error_log.last_error)
    orders = list(cml_orders.read_orders(io.BytesIO(data), "orders.xml"))
    assert [(o.number, o.status) for o in orders] == [
        ("ТД-00101", "Отгружен"), ("ТД-00102", "Согласован"), ("ТД-00103", "Новый"),
        ("ТД-00104", "Отгружен"), ("ТД-00105", "Собран"), ("ТД-00106", "Согласован")]
    first = orders[0]
    assert first.contract_id == demo_b2b.CONTRACTS["alfa"]["id"]
    assert first.counterparty_id == demo_b2b.ALFA
    assert first.date.date() == TODAY - datetime.timedelta(days=12)
    assert [line.product_id for line in first.lines] == [
        demo_package.good_id(good["sku"]) for good, _q, _p, _a in demo_b2b.order_lines("alfa-1")]
    assert sum(line.amount for line in first.lines) == pytest.approx(
        demo_b2b.order_total("alfa-1"))
    assert orders[2].desired_date == TODAY + datetime.timedelta(days=7)


def test_printed_forms_name_pdf_files_of_the_package():
    files = package()
    forms = list(cml_packages.read_printed_forms(io.BytesIO(files["b2b_printed_forms.xml"]),
                                                 "b2b_printed_forms.xml"))
    assert sorted(f["kind"] for f in forms) == ["act"] + ["invoice"] * 6 + ["upd"] * 3
    for form in forms:
        assert files[form["path"]].startswith(b"%PDF-"), form["path"]
    act = next(f for f in forms if f["kind"] == "act")
    assert act["contract_ref"] == demo_b2b.CONTRACTS["alfa"]["id"]
    assert act["title"].startswith("Акт сверки взаимных расчетов")
    order_ids = {demo_b2b.onec_id("order", key) for key, *_rest in demo_b2b.ORDERS}
    assert {f["order_ref"] for f in forms if f["kind"] == "invoice"} == order_ids
