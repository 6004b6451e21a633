"""A complaint filed in a real browser (headless Chromium): «Альфа-Дилер»'s buyer fills in the
complaint form (the product by its SKU, the quantity, the defect, the resolution wanted, two
photos: a phone's JPEG with its GPS position and a PNG), files it and sees the complaint's page
with its status and both photos, the JPEG without its position.

Runs on its own copy of the database `make test` built (B2B_TEST_DB) with its own server: the
complaint it files must not reach the other tests. The screenshot of the filled-in form is left
in .run/test-output/browser/complaint-form.png.
"""
import io
import os

import pytest
from PIL import Image, ImageDraw

from b2b_http import OUTPUT
from b2b_server import server_on_a_copy
from browser import Browser, find_chromium, log_in

DB = os.environ.get("B2B_TEST_DB")
GPS_IFD = 0x8825

pytestmark = [
    pytest.mark.skipif(not DB, reason="needs the database of `make test` (B2B_TEST_DB)"),
    pytest.mark.skipif(not find_chromium(), reason="chromium is not installed (runtime/bootstrap.sh)"),
]


def phone_jpeg():
    """A phone's photo of a cracked mixer: the camera and the GPS position in its EXIF."""
    image = Image.new("RGB", (200, 150), (215, 218, 222))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 30, 160, 120), fill=(175, 180, 188), outline=(80, 80, 90))
    draw.line((60, 40, 100, 75, 90, 95, 140, 112), fill=(20, 20, 20), width=4)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[GPS_IFD] = {1: "N", 2: (55.0, 45.0, 21.0), 3: "E", 4: (37.0, 37.0, 4.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def box_png():
    image = Image.new("RGB", (160, 120), (196, 160, 110))
    ImageDraw.Draw(image).line((0, 60, 160, 60), fill=(120, 90, 50), width=6)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def complaint_server(tmp_path_factory):
    """(base URL, psycopg2 connection) of a server on a copy of B2B_TEST_DB, dropped at the end."""
    with server_on_a_copy(DB, tmp_path_factory.mktemp("complaint-browser")) as running:
        yield running


def test_a_buyer_files_a_complaint_with_two_photos(complaint_server, tmp_path):
    base, conn = complaint_server
    shots = os.path.join(OUTPUT, "browser")
    os.makedirs(shots, exist_ok=True)
    jpeg = tmp_path / "treshchina.jpg"
    jpeg.write_bytes(phone_jpeg())
    assert b"PhoneMaker" in jpeg.read_bytes()
    box = tmp_path / "korobka.png"
    box.write_bytes(box_png())

    browser = Browser()
    try:
        log_in(browser, base, "alfa.buyer")
        assert browser.evaluate("!!document.querySelector('.o_b2b_nav_complaints a')")
        browser.goto(base + "/b2b/complaints/new")
        browser.fill("#o_b2b_complaint_sku", "MIX-00001")
        browser.fill("#o_b2b_complaint_qty", "2")
        browser.fill("#o_b2b_complaint_description",
                     "Трещина на корпусе у двух смесителей из партии, обнаружена при распаковке.")
        browser.fill("#o_b2b_complaint_resolution", "replace")
        document = browser.send("DOM.getDocument")["root"]["nodeId"]
        node = browser.send("DOM.querySelector", nodeId=document,
                            selector="#o_b2b_complaint_photos")["nodeId"]
        browser.send("DOM.setFileInputFiles", nodeId=node,
                     files=[str(jpeg.resolve()), str(box.resolve())])
        assert browser.evaluate(
            "document.querySelector('#o_b2b_complaint_photos').files.length") == 2
        # the pictures picked show as thumbnails before they are sent
        browser.wait_for("(function () { var i = document.querySelectorAll("
                         "'#o_b2b_complaint_photo_previews img');"
                         " return i.length === 2 && i[0].complete && i[0].naturalWidth > 0"
                         " && i[1].complete && i[1].naturalWidth > 0; })()",
                         what="the thumbnails of the photos picked")
        browser.screenshot(os.path.join(shots, "complaint-form.png"))
        browser.click(".o_b2b_complaint_submit")
        browser.wait_for("/^\\/b2b\\/complaints\\/\\d+$/.test(location.pathname) && "
                         "document.readyState === 'complete'", what="the complaint's page",
                         timeout=120)
        complaint_id = int(browser.path().rsplit("/", 1)[1])
        assert browser.evaluate("!!document.querySelector('.o_b2b_complaint_notice')")
        assert browser.evaluate(
            "document.querySelector('.o_b2b_complaint_state').dataset.state") == "new"
        # both photos are shown from the complaint's own route, as the pictures sent
        browser.wait_for("(function () { var i = document.querySelectorAll("
                         "'.o_b2b_complaint_photo img'); return i.length === 2 && "
                         "i[0].complete && i[0].naturalWidth === 200 && i[1].complete && "
                         "i[1].naturalWidth === 160; })()", what="the photos on the page")
        # the JPEG the browser gets back has no EXIF left (no camera, no GPS position)
        kept = browser.evaluate(
            "(function () { var x = new XMLHttpRequest(); x.open('GET', document.querySelector("
            "'.o_b2b_complaint_photo img').src, false); x.overrideMimeType("
            "'text/plain; charset=x-user-defined'); x.send(); return x.responseText; })()")
        assert "PhoneMaker" not in kept and "Exif" not in kept
        browser.screenshot(os.path.join(shots, "complaint-page.png"))
    finally:
        browser.close()

    with conn.cursor() as cr:
        cr.execute("""SELECT c.state, c.qty, p.default_code, count(f.id)
                        FROM b2b_complaint c
                        JOIN product_product p ON p.id = c.product_id
                        LEFT JOIN b2b_complaint_photo f ON f.complaint_id = c.id
                       WHERE c.id = %s GROUP BY c.id, p.default_code""", (complaint_id,))
        [(state, qty, sku, photos)] = cr.fetchall()
    assert (state, qty, sku, photos) == ("new", 2.0, "MIX-00001", 2)
    assert os.path.getsize(os.path.join(shots, "complaint-form.png")) > 10000
