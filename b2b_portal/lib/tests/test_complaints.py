"""The rules of complaints (lib/complaints.py): the form and the way a complaint goes."""
from b2b_portal.lib import complaints


def form(**values):
    base = {"sku": "MIX-00001", "qty": "2", "description": "Трещина в корпусе",
            "resolution": "replace"}
    base.update(values)
    return base


def located(problems):
    return [complaints.render_located(field, problem) for field, problem in problems]


def test_a_good_form_gives_its_values():
    values, problems = complaints.validate_form(form(qty="1,5", description=" течёт\r\nкран "))
    assert problems == []
    assert values == {"qty": 1.5, "description": "течёт\nкран", "resolution": "replace"}


def test_each_problem_beside_its_field():
    _values, problems = complaints.validate_form(
        form(sku="", qty="два", description="  ", resolution="gift"))
    assert [field for field, _problem in problems] == ["product", "qty", "description",
                                                      "resolution"]
    assert located(problems) == [
        "Product: write the SKU of the product.",
        'Quantity: the quantity "два" is not a number.',
        "Defect: describe the defect.",
        "Resolution wanted: choose what you want: a replacement, a refund, a repair or a "
        "discount.",
    ]


def test_an_unknown_sku_and_quantities_out_of_bounds():
    _values, problems = complaints.validate_form(form(sku="NOPE-1", qty="0"), product_known=False)
    assert located(problems) == ['Product: there is no product with the SKU "NOPE-1".',
                                 "Quantity: the quantity must be more than 0."]
    _values, problems = complaints.validate_form(form(qty=""))
    assert located(problems) == ["Quantity: write the quantity of defective goods."]


def test_not_more_than_the_order_line():
    # from an order line the SKU is the line's: none is asked for
    values, problems = complaints.validate_form(form(sku="", qty="3"), line_qty=3.0)
    assert problems == [] and values["qty"] == 3.0
    _values, problems = complaints.validate_form(form(qty="3.5"), line_qty=3.0)
    assert located(problems) == ["Quantity: at most 3, the quantity of the order line."]


def test_the_text_is_limited():
    _values, problems = complaints.validate_form(
        form(description="x" * (complaints.MAX_DESCRIPTION + 1)))
    assert located(problems) == ["Defect: at most 4000 characters (now 4001)."]


def test_the_way_a_complaint_goes():
    assert complaints.check_step("new", "in_review") == []
    assert complaints.check_step("in_review", "accepted") == []
    assert complaints.check_step("accepted", "resolved") == []
    assert complaints.check_step("in_review", "rejected", "Не гарантийный случай") == []
    for state, target in (("new", "accepted"), ("rejected", "resolved"), ("resolved", "new"),
                          ("in_review", "resolved")):
        [(field, problem)] = complaints.check_step(state, target)
        assert field is None and problem.template == complaints.BAD_STEP


def test_a_rejection_needs_its_reason():
    assert located(complaints.check_step("in_review", "rejected", "  ")) == [
        "Reason: write why the complaint is rejected: the dealer reads it."]


def test_russian_beside_the_field():
    russian = {complaints.AT_FIELD: "%(field)s: %(message)s",
               complaints.FIELD_LABELS["description"]: "Дефект",
               complaints.NO_DESCRIPTION: "опишите дефект."}
    _values, problems = complaints.validate_form(form(description=""))
    assert [complaints.render_located(f, p, lambda t: russian.get(t, t))
            for f, p in problems] == ["Дефект: опишите дефект."]
