"""The demo bonus exchange (lib/demo_bonus.py): its packages are read by the bridge's readers,
and on every day of a month «Альфа-Дилер»'s plan of the month is partly fulfilled by the demo
orders 1C confirmed in that month (counted as b2b_bonus counts them: quantities of the plan's
goods in confirmed orders of the month, each line up to 100 %)."""
import datetime
import io

import pytest

from b2b_1c_bridge.lib import cml_packages, demo_b2b, demo_package
from b2b_base.lib import democatalog
from b2b_1c_bridge_bonus.lib import demo_bonus

CONFIRMED = ("Согласован", "Собран", "Отгружен")


def files(today):
    result = {}
    for _type, exchange_files, _imports in demo_bonus.exchanges(today):
        result.update(exchange_files)
    return result


def confirmed_in_month(today):
    """{good's sku: quantity} of «Альфа-Дилер»'s confirmed demo orders dated in today's month."""
    done = {}
    orders = [(key, days, status, demo_b2b.order_lines(key))
              for key, contract, days, status, _l, _c, _d in demo_b2b.ORDERS
              if demo_b2b.CONTRACTS[contract]["owner"] in (demo_b2b.ALFA, demo_b2b.ALFA_RETAIL)]
    orders.append((demo_bonus.TODAY_ORDER[0], 0, demo_bonus.TODAY_ORDER[3],
                   demo_bonus.order_lines()))
    for _key, days, status, lines in orders:
        date = today - datetime.timedelta(days=days)
        if status in CONFIRMED and (date.year, date.month) == (today.year, today.month):
            for good, qty, _price, _amount in lines:
                done[good["sku"]] = done.get(good["sku"], 0) + qty
    return done


def plans(today):
    return list(cml_packages.read_plans(io.BytesIO(files(today)["b2b_plans.xml"]),
                                        "b2b_plans.xml"))


def alfa_plan_percent(today, commitment=False):
    plan = next(p for p in plans(today) if p["dealer_ref"] == demo_b2b.ALFA
                and p["commitment"] == commitment)
    by_id = {demo_package.good_id(good["sku"]): good["sku"]
             for good in democatalog.catalog(demo_package.DEFAULT_SIZE)}
    done = confirmed_in_month(today)
    percents = [min(100.0, 100.0 * done.get(by_id[line["product_ref"]], 0) / line["qty"])
                for line in plan["lines"]]
    return plan, sum(percents) / len(percents)


@pytest.mark.parametrize("day", range(1, 32))
def test_alfa_plan_is_partly_done_on_every_day_of_a_month(day):
    today = datetime.date(2026, 12, day)
    plan, percent = alfa_plan_percent(today)
    assert str(plan["month"])[:7] == "2026-12"
    assert 0 < percent < 100
    # the seasonal commitment starts this month: today's order is under way on it
    plan, percent = alfa_plan_percent(today, commitment=True)
    assert 0 < percent < 100


def test_the_same_day_gives_the_same_bytes_and_a_commitment_over_three_months():
    today = datetime.date(2026, 12, 6)
    assert files(today) == files(today)
    read = plans(today)
    season = [p for p in read if p["commitment"]]
    assert [(p["dealer_ref"], str(p["month"])[:7], str(p["date_to"])) for p in season] == [
        (demo_b2b.ALFA, "2026-12", "2027-02-28")]
    assert {p["dealer_ref"] for p in read if not p["commitment"]} == {
        demo_b2b.ALFA, demo_b2b.ALFA_YUG, demo_b2b.BETA}
    balances = [value for kind, value in cml_packages.read_bonuses(
        io.BytesIO(files(today)["b2b_bonuses.xml"]), "b2b_bonuses.xml") if kind == "balance"]
    assert [(b["id"], b["dealer_ref"], b["points"]) for b in balances][0] == (
        demo_bonus.ALFA_BALANCE_ID, demo_b2b.ALFA, 4100.0)
    assert {b["dealer_ref"] for b in balances} == {demo_b2b.ALFA, demo_b2b.ALFA_YUG, demo_b2b.BETA}
