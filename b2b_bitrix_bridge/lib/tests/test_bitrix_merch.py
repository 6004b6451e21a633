"""The rules of merchandising requests (lib/merch.py): the form, the photos, the lead or deal a
request becomes in Bitrix24 and the state its status gives back."""
from b2b_bitrix_bridge.lib import merch

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 8
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 8
WEBP = b"RIFF\x10\x00\x00\x00WEBPVP8 "
PDF = b"%PDF-1.4\n%\xe2\xe3"
OUTLETS = {7: "Казань, ул. Баумана, 1", 8: ""}


def form(**values):
    base = {"outlet_id": "7", "outlet_name": "", "address": "", "wanted": "Стойка у входа"}
    base.update(values)
    return base


def rendered(problems):
    return [merch.render_located(field, problem) for field, problem in problems]


def test_a_good_form_takes_the_outlets_address():
    values, problems = merch.validate_form(form(), OUTLETS, [("shop.png", 2000, PNG)])
    assert problems == []
    assert values == {"outlet_id": 7, "outlet_name": "", "address": "Казань, ул. Баумана, 1",
                      "wanted": "Стойка у входа", "photo_types": ["image/png"]}


def test_a_free_text_outlet_with_its_address():
    values, problems = merch.validate_form(
        form(outlet_id="", outlet_name="  Магазин   «Уют» ", address="Пермь,  Ленина 5"),
        OUTLETS, [])
    assert problems == []
    assert (values["outlet_id"], values["outlet_name"], values["address"]) == (
        None, "Магазин «Уют»", "Пермь, Ленина 5")


def test_every_problem_is_named_by_its_field():
    values, problems = merch.validate_form(
        {"outlet_id": "", "outlet_name": "", "address": "", "wanted": "   "}, OUTLETS,
        [("price.pdf", 100, PDF), ("big.jpg", merch.MAX_PHOTO_SIZE + 1, JPEG)])
    assert values is None
    assert [field for field, _problem in problems] == ["outlet", "address", "wanted", "photos",
                                                      "photos"]
    assert rendered(problems) == [
        "Outlet: choose the outlet from the list or write its name.",
        "Address: write the outlet's address.",
        "What is wanted: describe what is wanted.",
        'Photos: "price.pdf" is not a picture: attach photos (JPEG, PNG, GIF or WebP).',
        'Photos: "big.jpg" is 10.1 MB: a photo may be at most 10 MB.',
    ]


def test_an_outlet_of_another_dealer_or_a_forged_id_is_refused():
    for forged in ("99", "7; drop", "-1"):
        _values, problems = merch.validate_form(form(outlet_id=forged), OUTLETS, [])
        assert rendered(problems)[0] == (
            "Outlet: the chosen outlet is not one of your company's; choose it again."), forged


def test_an_outlet_without_address_asks_for_one():
    _values, problems = merch.validate_form(form(outlet_id="8"), OUTLETS, [])
    assert rendered(problems) == ["Address: write the outlet's address."]


def test_limits_of_text_and_photos():
    _values, problems = merch.validate_form(
        form(wanted="x" * (merch.MAX_WANTED + 1)), OUTLETS,
        [("p%d.png" % n, 10, PNG) for n in range(merch.MAX_PHOTOS + 1)])
    assert rendered(problems) == [
        "What is wanted: at most 4000 characters (now 4001).",
        "Photos: at most 10 photos (now 11).",
    ]
    _values, problems = merch.validate_form(form(), OUTLETS, [("a.png", merch.MAX_PHOTO_SIZE, PNG)])
    assert problems == []


def test_photo_type_reads_the_bytes_not_the_name():
    assert merch.photo_type(JPEG) == "image/jpeg"
    assert merch.photo_type(PNG) == "image/png"
    assert merch.photo_type(b"GIF89a\x01\x00") == "image/gif"
    assert merch.photo_type(WEBP) == "image/webp"
    assert merch.photo_type(PDF) is None
    assert merch.photo_type(b"<svg xmlns=") is None  # a picture that can carry a script
    assert merch.photo_type(b"") is None


def test_translated_messages_keep_their_place():
    russian = {merch.AT_FIELD: "%(field)s: %(message)s", merch.FIELD_LABELS["wanted"]: "Что нужно",
               merch.NO_WANTED: "опишите, что нужно."}
    _values, problems = merch.validate_form(form(wanted=""), OUTLETS, [])
    assert [merch.render_located(f, p, lambda t: russian.get(t, t)) for f, p in problems] == [
        "Что нужно: опишите, что нужно."]


REQUEST = {
    "id": 42, "title": "Merchandising: Альфа-Дилер, Магазин «Уют»", "dealer": "Альфа-Дилер",
    "outlet": "Магазин «Уют»", "address": "Пермь, Ленина 5", "author": "Анна Петрова",
    "wanted": "Стойка [b]срочно[/b]\n<script>alert(1)</script> & плакаты",
    "photos": [("вход.jpg", "https://portal.example/b2b/merch/photo/5?token=abc&x=1")],
    "company_id": "17", "assigned_id": 9,
}


def test_comments_are_bb_code_with_the_dealers_text_escaped():
    text = merch.comments(REQUEST)
    assert text.splitlines() == [
        "[b]Dealer:[/b] Альфа-Дилер",
        "[b]Outlet:[/b] Магазин «Уют»",
        "[b]Address:[/b] Пермь, Ленина 5",
        "[b]Filed by:[/b] Анна Петрова",
        "[b]What is wanted:[/b]",
        "Стойка &#91;b&#93;срочно&#91;/b&#93;",
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; плакаты",
        "[b]Photos:[/b]",
        "1. [url=https://portal.example/b2b/merch/photo/5?token=abc&amp;x=1]вход.jpg[/url]",
    ]


def test_a_lead_by_default_found_again_by_its_origin():
    method, fields = merch.crm_fields(REQUEST, {"merch_target": "lead"})
    assert method == "crm.lead.add"
    assert fields["ORIGINATOR_ID"] == "b2b_portal"
    assert fields["ORIGIN_ID"] == "b2b.merch.request:42"
    assert (fields["COMPANY_ID"], fields["ASSIGNED_BY_ID"], fields["STATUS_ID"]) == (17, 9, "NEW")
    assert "CATEGORY_ID" not in fields and "COMPANY_TITLE" not in fields
    assert merch.parse_origin(fields["ORIGIN_ID"]) == 42
    assert merch.parse_origin("sale.order:42") is None


def test_a_deal_in_the_merchandising_pipeline_when_set():
    request = dict(REQUEST, company_id=None, assigned_id=None)
    method, fields = merch.crm_fields(request, {"merch_target": "deal", "merch_category_id": 3,
                                                "merch_stage_id": "C3:NEW"})
    assert method == "crm.deal.add"
    assert (fields["CATEGORY_ID"], fields["STAGE_ID"]) == (3, "C3:NEW")
    assert "COMPANY_ID" not in fields and "ASSIGNED_BY_ID" not in fields
    assert "STATUS_ID" not in fields


def test_lead_status_to_state():
    assert merch.lead_state({"STATUS_ID": "NEW"}) == ("sent", "NEW")
    assert merch.lead_state({"STATUS_ID": "IN_PROCESS"}) == ("in_progress", "IN_PROCESS")
    assert merch.lead_state({"STATUS_ID": "CONVERTED"}) == ("done", "CONVERTED")
    assert merch.lead_state({"STATUS_ID": "JUNK"}) == ("refused", "JUNK")
    # a portal's own status: in progress, shown as it is, unless its semantics says the end
    assert merch.lead_state({"STATUS_ID": "UC_MEASURE"}) == ("in_progress", "UC_MEASURE")
    assert merch.lead_state({"STATUS_ID": "UC_LOST", "STATUS_SEMANTIC_ID": "F"}) == (
        "refused", "UC_LOST")


def test_deal_stage_to_state():
    assert merch.deal_state({"STAGE_ID": "C3:NEW", "STAGE_SEMANTIC_ID": "P"}, "C3:NEW") == (
        "sent", "C3:NEW")
    assert merch.deal_state({"STAGE_ID": "C3:UC_X", "STAGE_SEMANTIC_ID": "P"}, "C3:NEW") == (
        "in_progress", "C3:UC_X")
    assert merch.deal_state({"STAGE_ID": "C3:WON", "STAGE_SEMANTIC_ID": "S"}) == ("done", "C3:WON")
    assert merch.deal_state({"STAGE_ID": "C3:LOSE", "STAGE_SEMANTIC_ID": "F"}) == (
        "refused", "C3:LOSE")


def test_only_a_status_the_state_does_not_say_is_shown():
    assert merch.status_to_show("in_progress", "UC_MEASURE") == "UC_MEASURE"
    assert merch.status_to_show("in_progress", "IN_PROCESS") == ""
    assert merch.status_to_show("done", "CONVERTED") == ""
    assert merch.status_to_show("in_progress", None) == ""
