"""A commission agent in a real browser (headless Chromium): «Альфа-Дилер»'s page of commission
reports with its consignment list, the report form downloaded, filled in and uploaded from the
page, and the preview of the report with its commission, on a desktop and on a 390 px phone.

Runs on its own copy of the database `make test` built (B2B_TEST_DB) with its own server: the
upload makes a report, which the other tests must not see. The screenshots are left in
.run/test-output/browser/ (commission-page.png, commission-page-phone.png,
commission-report.png, commission-report-phone.png).
"""
import io
import os
import re

import openpyxl
import pytest

from b2b_http import OUTPUT, login
from b2b_server import admin_call, server_on_a_copy
from browser import Browser, find_chromium, log_in

DB = os.environ.get("B2B_TEST_DB")

pytestmark = [
    pytest.mark.skipif(not DB, reason="needs the database of `make test` (B2B_TEST_DB)"),
    pytest.mark.skipif(not find_chromium(), reason="chromium is not installed (runtime/bootstrap.sh)"),
]

GOODS = (("MIX-00001", 12, 3, 1, 1290.0), ("MIX-00003", 20, 0, 0, 2450.0),
         ("ACC-00002", 36, 6, 0, 310.0))   # SKU, handed over, sold, returned, price


@pytest.fixture(scope="module")
def commission_server(tmp_path_factory):
    """(base URL, psycopg2 connection) of a server on a copy of B2B_TEST_DB, dropped at the end."""
    with server_on_a_copy(DB, tmp_path_factory.mktemp("commission-browser")) as running:
        yield running


def set_up_agent(base, conn):
    """«Альфа»'s main contract: the goods of GOODS on consignment, 10 % commission, no report of
    this month or the one before yet. Returns the contract's id."""
    with conn.cursor() as cr:
        cr.execute("""SELECT res_id FROM ir_model_data
                       WHERE module = 'b2b_base' AND name = 'demo_contract_alfa_main'""")
        contract_id = cr.fetchone()[0]
        cr.execute("SELECT dealer_id FROM b2b_contract WHERE id = %s", (contract_id,))
        dealer_id = cr.fetchone()[0]
        cr.execute("""DELETE FROM b2b_commission_report_line WHERE report_id IN (
                          SELECT id FROM b2b_commission_report
                           WHERE partner_id = %s AND period >= date_trunc('month', now())::date)""",
                   (dealer_id,))
        cr.execute("""DELETE FROM b2b_commission_report
                       WHERE partner_id = %s
                         AND period >= (date_trunc('month', now()) - interval '1 month')::date""",
                   (dealer_id,))
        cr.execute("DELETE FROM b2b_consignment_line WHERE contract_id = %s", (contract_id,))
        cr.execute("DELETE FROM b2b_commission_term WHERE contract_id = %s", (contract_id,))
        cr.execute("SELECT default_code, id FROM product_product WHERE default_code IN %s",
                   (tuple(sku for sku, *_rest in GOODS),))
        products = dict(cr.fetchall())
    admin, _answer = login(base, "admin", "admin")
    for sku, handed, sold, returned, price in GOODS:
        admin_call(admin, base, "b2b.consignment.line", "create", [{
            "contract_id": contract_id, "product_id": products[sku], "qty_handed": handed,
            "qty_sold": sold, "qty_returned": returned, "qty": handed - sold - returned,
            "price_unit": price, "date": "2026-11-30"}])
    admin_call(admin, base, "b2b.commission.term", "create", [{
        "contract_id": contract_id, "percent": 10}])
    return contract_id


def filled_form(base, contract_id, path):
    """The report form of the month the page offers (the month just ended) downloaded as alfa.admin, with two mixers sold at 1 490 and
    one more at 1 390 (a second row) and 4 accessories at 350, saved to ``path``."""
    session, _answer = login(base, "alfa.admin", "alfa.admin")
    page = session.get(base + "/b2b/commission", timeout=60).text
    month = re.search(r'<option value="(\d{4}-\d{2})" selected', page).group(1)
    answer = session.get("%s/b2b/commission/%d/list.xlsx" % (base, contract_id),
                         params={"month": month}, timeout=60)
    assert answer.status_code == 200, answer.text[:500]
    book = openpyxl.load_workbook(io.BytesIO(answer.content))
    sheet = book.worksheets[0]
    for row in sheet.iter_rows():
        titles = {cell.value: cell.column for cell in row if isinstance(cell.value, str)}
        if "Артикул" in titles:
            header = row[0].row
            break
    sku_col, sold_col, price_col = titles["Артикул"], titles["Продано, шт"], titles["Цена продажи"]
    rows = {sheet.cell(row=r, column=sku_col).value: r for r in range(header + 1, sheet.max_row + 1)}
    extra = sheet.max_row + 1
    for sku, sold, price in (("MIX-00001", 2, 1490), ("ACC-00002", 4, 350)):
        sheet.cell(row=rows[sku], column=sold_col, value=sold)
        sheet.cell(row=rows[sku], column=price_col, value=price)
    sheet.cell(row=extra, column=sku_col, value="MIX-00001")
    sheet.cell(row=extra, column=sold_col, value=1)
    sheet.cell(row=extra, column=price_col, value=1390)
    book.save(path)
    return month


def test_agent_uploads_the_report_and_sees_its_commission(commission_server, tmp_path):
    base, conn = commission_server
    shots = os.path.join(OUTPUT, "browser")
    os.makedirs(shots, exist_ok=True)
    contract_id = set_up_agent(base, conn)
    form = str(tmp_path / "otchet.xlsx")
    filled_form(base, contract_id, form)

    browser = Browser()
    try:
        log_in(browser, base, "alfa.admin")
        assert browser.evaluate("!!document.querySelector('.o_b2b_nav_commission a')")
        browser.goto(base + "/b2b/commission")
        panel = ".o_b2b_consignment[data-contract-id='%d']" % contract_id
        assert browser.evaluate("document.querySelectorAll(%r).length" % (
            panel + " tr.o_b2b_consignment_line")) == len(GOODS)
        assert browser.evaluate("document.querySelector(%r).dataset.remaining" % (
            panel + " tr[data-sku='MIX-00001']")) == "8"
        browser.screenshot(os.path.join(shots, "commission-page.png"))
        # the filled-in form uploaded from the page: the preview of the report
        browser.attach_file("#o_b2b_commission_file", form)
        browser.evaluate("document.querySelector('#o_b2b_commission_upload_contract').value = '%d'"
                         % contract_id)
        browser.click(".o_b2b_commission_upload_btn")
        browser.wait_for("/^\\/b2b\\/commission\\/report\\/\\d+$/.test(location.pathname) && "
                         "document.readyState === 'complete'", what="the report's preview",
                         timeout=120)
        report_path = browser.path()
        assert browser.evaluate("document.querySelectorAll('tr.o_b2b_commission_line').length") == 3
        # (2 x 1 490 + 1 x 1 390 + 4 x 350) x 10 %
        assert browser.evaluate("document.querySelector('.o_b2b_commission_total').dataset.amount") \
            == "577.00"
        assert browser.evaluate("!!document.querySelector('.o_b2b_commission_submit')")
        browser.screenshot(os.path.join(shots, "commission-report.png"))
    finally:
        browser.close()

    phone = Browser(width=390, height=844)
    try:
        log_in(phone, base, "alfa.admin")
        phone.goto(base + "/b2b/commission")
        assert phone.evaluate("document.querySelectorAll('tr.o_b2b_commission_report_row').length") >= 1
        phone.screenshot(os.path.join(shots, "commission-page-phone.png"))
        phone.goto(base + report_path)
        assert phone.evaluate("!!document.querySelector('.o_b2b_commission_submit')")
        # the page fits the phone's width: nothing to scroll sideways but the tables' own boxes
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390 + 1
        phone.screenshot(os.path.join(shots, "commission-report-phone.png"))
    finally:
        phone.close()

    with conn.cursor() as cr:
        cr.execute("""SELECT r.state, count(l.id) FROM b2b_commission_report r
                        JOIN b2b_commission_report_line l ON l.report_id = r.id
                       WHERE r.id = %s GROUP BY r.state""", (int(report_path.rsplit("/", 1)[1]),))
        assert cr.fetchall() == [("draft", 3)]
    for name in ("commission-page.png", "commission-page-phone.png", "commission-report.png",
                 "commission-report-phone.png"):
        assert os.path.getsize(os.path.join(shots, name)) > 10000
