from b2b_bitrix_bridge.lib import deals

LINES = [{"sku": "KR-100", "name": "Кран шаровый", "qty": 2, "price": 150.5, "uom": "шт"},
         {"sku": "TR-20", "name": "Труба 20 мм", "qty": 10, "price": 80, "uom": "м"}]
ORDER = {"id": 42, "name": "SO042", "state": "sent", "amount": 1101, "currency": "RUB",
         "date": "2026-12-01T10:00:00+00:00", "note": "Позвонить [до] обеда", "dealer": "Альфа",
         "contract": "Д-1", "url": "https://odoo/web#id=42"}


def test_stages_follow_the_pipeline():
    stages = list(deals.DEFAULT_STAGES)
    assert deals.stage_of("sent", stages, 0) == "PREPARATION"
    assert deals.stage_of("sent", stages, 3) == "C3:PREPARATION"
    assert deals.state_of("C3:LOSE", stages, 3) == "cancel"
    assert deals.state_of("LOSE", stages, 3) is None
    assert deals.stage_of("sent", [("sent", "C2:UC_X")], 3) == "C2:UC_X"


def test_deal_fields_find_the_order_again_and_escape_the_dealer_text():
    fields = deals.deal_fields(ORDER, "PREPARATION", 0, company_id="17", contact_ids=["25"],
                               assigned_by=9)
    assert (fields["ORIGINATOR_ID"], fields["ORIGIN_ID"]) == ("b2b_portal", "sale.order:42")
    assert (fields["COMPANY_ID"], fields["CONTACT_IDS"], fields["ASSIGNED_BY_ID"]) == (17, [25], 9)
    assert "[до]" not in fields["COMMENTS"] and "(до)" in fields["COMMENTS"]
    assert deals.order_id_of(fields["ORIGIN_ID"]) == 42
    assert deals.order_id_of("b2b.merch.request:42") is None


def test_rows_carry_the_sku_and_come_back_to_it():
    rows = deals.deal_rows(LINES)
    assert rows[0]["PRODUCT_NAME"] == "[KR-100] Кран шаровый"
    assert deals.sku_of(rows[1]["PRODUCT_NAME"]) == "TR-20"
    assert deals.sku_of("Монтаж") is None


def test_the_echo_of_our_rows_is_no_change_whatever_the_types():
    rows = deals.deal_rows(LINES)
    # as crm.deal.productrows.get gives them back: ids as strings, numbers as numbers
    back = [dict(r, ID=str(i), OWNER_ID="5", PRICE=float(r["PRICE"]), QUANTITY=int(r["QUANTITY"]))
            for i, r in enumerate(rows)]
    assert deals.signature("C1:NEW", rows) == deals.signature("C1:NEW", back)
    change = deals.deal_change("sent", LINES, {"STAGE_ID": "PREPARATION"}, back,
                               list(deals.DEFAULT_STAGES), 0)
    assert change.empty and not change.problems


def test_a_manager_change_and_rows_that_cannot_be_lines():
    rows = deals.deal_rows(LINES)
    rows[0]["QUANTITY"] = 5
    rows.append({"PRODUCT_NAME": "Доставка", "PRICE": 500, "QUANTITY": 1})
    rows.append({"PRODUCT_NAME": "[X-1] Пробка", "PRICE": 5, "QUANTITY": 0})
    change = deals.deal_change("draft", LINES, {"STAGE_ID": "LOSE"}, rows,
                               list(deals.DEFAULT_STAGES), 0)
    assert change.state == "cancel"
    assert change.lines == [("KR-100", 5.0, 150.5), ("TR-20", 10.0, 80.0)]
    assert [(p.line, p.product, p.template) for p in change.problems] == [
        (3, "Доставка", "no SKU in the row's name"), (4, "[X-1] Пробка", "quantity is not above zero")]
    assert change.problems[0].render() == "line 3, product Доставка: no SKU in the row's name"
