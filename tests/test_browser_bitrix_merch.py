"""A merchandising request filed in a real browser (headless Chromium): «Альфа-Дилер»'s buyer
fills in the form (an outlet of the dealer, the address, what is wanted, a photo), sends it and
sees the request's page with its status and the photo.

Runs on its own copy of the database `make test` built (B2B_TEST_DB) with its own server: the
request it files must not reach the other tests. The screenshot of the filled-in form is left in
.run/test-output/browser/bitrix-merch.png.
"""
import os
import struct
import zlib

import pytest

from b2b_http import OUTPUT
from b2b_server import server_on_a_copy
from browser import Browser, find_chromium, log_in

DB = os.environ.get("B2B_TEST_DB")

pytestmark = [
    pytest.mark.skipif(not DB, reason="needs the database of `make test` (B2B_TEST_DB)"),
    pytest.mark.skipif(not find_chromium(), reason="chromium is not installed (runtime/bootstrap.sh)"),
]


def png(width, height, rgb):
    """A plain PNG picture of one colour."""
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    rows = b"".join(b"\x00" + bytes(rgb) * width for _row in range(height))
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


@pytest.fixture(scope="module")
def merch_server(tmp_path_factory):
    """(base URL, psycopg2 connection) of a server on a copy of B2B_TEST_DB, dropped at the end."""
    with server_on_a_copy(DB, tmp_path_factory.mktemp("merch-browser")) as running:
        yield running


def test_a_buyer_files_a_merchandising_request_with_a_photo(merch_server, tmp_path):
    base, conn = merch_server
    shots = os.path.join(OUTPUT, "browser")
    os.makedirs(shots, exist_ok=True)
    photo = tmp_path / "vitrina.png"
    photo.write_bytes(png(120, 80, (40, 120, 200)))
    with conn.cursor() as cr:
        cr.execute("""SELECT res_id FROM ir_model_data
                       WHERE module = 'b2b_base' AND name = 'demo_dealer_alfa'""")
        alfa = cr.fetchone()[0]

    browser = Browser()
    try:
        log_in(browser, base, "alfa.buyer")
        assert browser.evaluate("!!document.querySelector('.o_b2b_nav_merch a')")
        browser.goto(base + "/b2b/merch/new")
        browser.fill("#o_b2b_merch_outlet", str(alfa))
        browser.fill("#o_b2b_merch_address", "Москва, ул. Тверская, 12, ТЦ «Галерея»")
        browser.fill("#o_b2b_merch_wanted", "Стойка для смесителей у входа, 2 плаката А1 "
                                            "над кассой. Нужно к 15 января.")
        browser.attach_file("#o_b2b_merch_photos", str(photo))
        assert browser.evaluate("document.querySelector('#o_b2b_merch_photos').files.length") == 1
        browser.screenshot(os.path.join(shots, "bitrix-merch.png"))
        browser.click(".o_b2b_merch_submit")
        browser.wait_for("/^\\/b2b\\/merch\\/\\d+$/.test(location.pathname) && "
                         "document.readyState === 'complete'", what="the request's page",
                         timeout=120)
        request_id = int(browser.path().rsplit("/", 1)[1])
        assert browser.evaluate("!!document.querySelector('.o_b2b_merch_notice')")
        # the photo is shown from the request's own link, and it is the picture sent
        browser.wait_for("(function () { var i = document.querySelector('.o_b2b_merch_photo img');"
                         " return i && i.complete && i.naturalWidth === 120; })()",
                         what="the photo on the request's page")
    finally:
        browser.close()

    with conn.cursor() as cr:
        cr.execute("""SELECT r.b2b_dealer_id, r.outlet_id, r.state, count(a.id)
                        FROM b2b_merch_request r
                        LEFT JOIN ir_attachment a
                          ON a.res_model = 'b2b.merch.request' AND a.res_id = r.id
                       WHERE r.id = %s GROUP BY r.id""", (request_id,))
        [(dealer, outlet, state, photos)] = cr.fetchall()
    # filed for the dealer and its outlet with its photo, and handed to the Bitrix24 job (which
    # has no Bitrix24 to reach here: the request waits for it)
    assert (dealer, outlet, photos) == (alfa, alfa, 1)
    assert state in ("queued", "sent")
    assert os.path.getsize(os.path.join(shots, "bitrix-merch.png")) > 10000
