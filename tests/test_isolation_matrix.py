"""The isolation matrix: nothing of one dealer reaches another dealer's users.

Dealer B («Бета-Трейд») is given one of everything a dealer has, made the way it is made in use
(its buyer fills a cart, saves it, orders, uploads an order file; its administrator requests a
reconciliation act; the supplier adds a document with its file, a ledger line, a message and an
attachment on B's order and a picture of B; the document reaches the notification feed of
B's users). Then every user of dealer A («Альфа-Дилер»: the
administrator, the buyer, the outlet) calls, with B's record ids in the path, the query, the form
and the JSON body:

* every route of the suite's controllers, read from Odoo's routing map (tests/isolation_routes.py
  classifies each; a route it does not know fails the matrix, naming the route);
* Odoo's generic entry points: JSON-RPC read / search_read / name_get / read_group / write /
  unlink / message_post on every model holding dealer data (the suite's models with a stored link
  to B's partners, contracts, users or their records, and sale.order, account.invoice,
  ir.attachment, mail.message, res.partner), /web/content, /web/image, /report/pdf|html of every
  report of the suite, the /mail/ routes that take a record, and the portal's /my/ record pages.

A call fails the matrix when B's data is in the answer (B's names, numbers, amounts, file
contents, or B's record ids returned as records) or when any record of B changed (every row of B
in the database, its messages, attachments and followers, read with psycopg2 before and after,
and no new row linked to B). A refusal (403, 404, an access error) or an empty answer passes.

It runs on its own copy of the database `make test` built (B2B_TEST_DB, tests/b2b_db.py) with its
own server started as conftest.py's `server` is (tests/b2b_server.py, workers=2): it adds B's
data, and the calls may change A's, so B2B_TEST_DB stays as the other tests expect it. The copy is
dropped at the end.
"""
import base64
import datetime
import html
import io
import json
import os
import re
import time
import zipfile

import pytest

from b2b_db import DatabaseName, connect, copy_database, drop_database
# Databases: for tests/test_browser_bonus.py
from b2b_db import Databases  # noqa: F401  pylint: disable=unused-import
from b2b_http import login
from b2b_server import Server
import isolation_routes as routing

DB = os.environ.get("B2B_TEST_DB")
pytestmark = pytest.mark.skipif(not DB, reason="needs B2B_TEST_DB (the database `make test` builds)")

DEALER_A = ("alfa.admin", "alfa.buyer", "alfa.outlet")  # one user of every role of dealer A
TAG = "7Q4ZB"  # in every string the test gives dealer B: found in an answer, it is B's
# Odoo's models holding a dealer's data besides the suite's own
GENERIC_MODELS = ("sale.order", "account.invoice", "ir.attachment", "mail.message", "res.partner")
# links that do not make a row someone's data
NOT_OWNERSHIP = ("create_uid", "write_uid")
MAX_IDS = 4  # B's records tried per model and call


# ------------------------------------------------------------------------------ HTTP helpers
def _csrf(session, base):
    page = session.get(base + "/my/home", timeout=60)
    found = re.search(r'csrf_token["\']?\s*(?:value=|:\s*)["\']([0-9a-f]+o?[0-9]*)["\']', page.text)
    assert found, "no CSRF token on /my/home"
    return found.group(1)


def _json(session, url, params, timeout=60):
    answer = session.post(url, json={"jsonrpc": "2.0", "method": "call", "params": params},
                          timeout=timeout)
    try:
        body = answer.json()
    except ValueError:
        body = None
    return answer, body


class Caller:
    """A logged-in user of dealer A: one session, its CSRF token."""

    def __init__(self, base, login_name):
        self.base, self.login = base, login_name
        self.session, answer = login(base, login_name, login_name)
        _answer, info = _json(self.session, base + "/web/session/get_session_info", {})
        assert answer.status_code == 200 and (info or {}).get("result", {}).get("uid"), \
            "%s could not log in" % login_name
        self.token = _csrf(self.session, base)


def _admin_rpc(admin, model, method, args, kwargs=None):
    answer, body = _json(admin.session, "%s/web/dataset/call_kw/%s/%s" % (admin.base, model, method),
                         {"model": model, "method": method, "args": args, "kwargs": kwargs or {}})
    assert answer.status_code == 200 and body and "error" not in body, \
        "setting up dealer B: %s.%s failed: %s" % (model, method, (body or {}).get("error") or answer.text[:500])
    return body["result"]


# ------------------------------------------------------------------------------ dealer B's data
def _png(seed):
    """A small PNG of its own (the bytes are B's picture: found in an answer, it is B's)."""
    import zlib
    width = height = 3
    raw = b"".join(b"\x00" + bytes([(seed * 37 + i * 11) % 256 for i in range(width * 3)])
                   for _ in range(height))

    def chunk(kind, data):
        return (len(data).to_bytes(4, "big") + kind + data
                + zlib.crc32(kind + data).to_bytes(4, "big"))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", width.to_bytes(4, "big") + height.to_bytes(4, "big")
                                         + b"\x08\x02\x00\x00\x00")
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _order_file(skus):
    import openpyxl
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(("Артикул", "Количество"))
    for sku in skus:
        sheet.append((sku, 12))
    sheet.append(("BETA-SKU-%s" % TAG, 3))  # unknown: shown back as an error of B's file
    data = io.BytesIO()
    workbook.save(data)
    return data.getvalue()


def _seed_dealer_b(base, conn):
    """Give dealer B one record of every kind a dealer has; return the ids the matrix puts in
    paths and forms ({"order": id, ...}) and B's pictures as the server sends them."""
    with conn.cursor() as cr:
        cr.execute("SELECT res_id FROM ir_model_data WHERE module = 'b2b_base' AND name = %s",
                   ("demo_dealer_beta",))
        beta = cr.fetchone()[0]
        cr.execute("SELECT id FROM b2b_contract WHERE partner_id = %s ORDER BY id", (beta,))
        contracts = [r[0] for r in cr.fetchall()]
        cr.execute("SELECT id, login FROM res_users WHERE login IN ('beta.buyer', 'beta.admin')")
        users = {login: uid for uid, login in cr.fetchall()}
        cr.execute("SELECT b2b_manager_id FROM res_partner WHERE id = %s", (beta,))
        manager = cr.fetchone()[0]

    buyer = Caller(base, "beta.buyer")
    _answer, body = _json(buyer.session, base + "/b2b/suggest", {"term": "а", "limit": 6})
    goods = body["result"]
    assert len(goods) >= 4, "dealer B sees too few goods to order: %s" % body
    for item in goods[:2]:
        _json(buyer.session, base + "/b2b/cart/add", {"product_id": item["id"], "qty": 12})
    saved = buyer.session.post(base + "/b2b/cart/save", timeout=60, data={
        "csrf_token": buyer.token, "name": "Сохранённая Беты %s" % TAG})
    assert saved.status_code == 200, saved.text[:500]
    _json(buyer.session, base + "/b2b/cart/add", {"product_id": goods[2]["id"], "qty": 12})
    placed = buyer.session.post(base + "/b2b/cart/checkout", timeout=60, data={
        "csrf_token": buyer.token, "comment": "Комментарий заказа Беты %s" % TAG})
    found = re.search(r"/b2b/cart/placed/(\d+)", placed.url)
    assert found, "dealer B's order was not placed: %s" % placed.text[:1000]
    order = int(found.group(1))
    _json(buyer.session, base + "/b2b/cart/add", {"product_id": goods[3]["id"], "qty": 12})
    _json(buyer.session, base + "/b2b/cart/update", {"comment": "Корзина Беты %s" % TAG})
    _json(buyer.session, base + "/b2b/favourite/toggle", {"product_id": goods[3]["id"]})
    uploaded = buyer.session.post(base + "/b2b/cart/upload", timeout=60, data={
        "csrf_token": buyer.token}, files={"order_file": (
            "заказ-беты-%s.xlsx" % TAG, _order_file([g["sku"] for g in goods[:2]]),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")})
    found = re.search(r"/b2b/cart/upload/(\d+)", uploaded.url)
    assert found, "dealer B's order file was not taken: %s" % uploaded.text[:1000]
    upload = int(found.group(1))

    admin_b = Caller(base, "beta.admin")
    today = datetime.date.today()
    requested = admin_b.session.post(base + "/b2b/acts", timeout=120, data={
        "csrf_token": admin_b.token, "contract_id": contracts[0],
        "date_from": (today - datetime.timedelta(days=60)).isoformat(), "date_to": today.isoformat()})
    found = re.search(r"requested=(\d+)", requested.url)
    assert found, "dealer B's act request was not taken: %s" % requested.text[:1000]

    supplier = Caller(base, "admin")
    document = _admin_rpc(supplier, "b2b.document", "create", [{
        "name": "Счёт Беты %s" % TAG, "number": "БТ-%s" % TAG, "kind": "invoice",
        "partner_id": beta, "contract_id": contracts[0], "order_id": order,
        "file_name": "schet-bety-%s.txt" % TAG,
        "file_data": base64.b64encode(("Файл счёта Беты %s" % TAG).encode()).decode()}])
    attachment = _admin_rpc(supplier, "ir.attachment", "create", [{
        "name": "vlozhenie-bety-%s.txt" % TAG, "datas_fname": "vlozhenie-bety-%s.txt" % TAG,
        "res_model": "sale.order", "res_id": order,
        "datas": base64.b64encode(("Вложение Беты %s" % TAG).encode()).decode()}])
    _admin_rpc(supplier, "sale.order", "message_post", [[order]], {
        "body": "Сообщение по заказу Беты %s" % TAG, "message_type": "comment",
        "subtype": "mail.mt_comment"})
    # B's confirmed order of a distinctive amount: B's purchases (/b2b/stats, its xlsx, the
    # dashboard's chart)
    purchase = _admin_rpc(supplier, "sale.order", "create", [{
        "partner_id": beta, "b2b_contract_id": contracts[0],
        "client_order_ref": "Закупка Беты %s" % TAG,
        "order_line": [(0, 0, {"product_id": goods[1]["id"], "product_uom_qty": 3,
                               "price_unit": 31415.92})]}])
    _admin_rpc(supplier, "sale.order", "write", [[purchase], {"state": "sale"}])
    _admin_rpc(supplier, "b2b.settlement.line", "create", [{
        "partner_id": beta, "contract_id": contracts[0], "date": today.isoformat(),
        "kind": "shipment", "doc_number": "РН-%s" % TAG, "debit": 271828.18,
        "note": "Отгрузка Беты %s" % TAG}])
    plan = None
    notification = None
    with conn.cursor() as cr:
        cr.execute("SELECT to_regclass('b2b_notification')")
        if cr.fetchone()[0]:
            # B's document is in B's buyer's notification feed (named with B's document)
            cr.execute("SELECT id FROM b2b_notification WHERE user_id = %s AND res_model = "
                       "'b2b.document' AND res_id = %s", (users["beta.buyer"], document))
            found = cr.fetchone()
            assert found, "dealer B's document did not reach B's buyer's notification feed"
            notification = found[0]
        cr.execute("SELECT partner_id FROM res_users WHERE id = %s", (users["beta.buyer"],))
        buyer_partner = cr.fetchone()[0]
        cr.execute("SELECT to_regclass('b2b_bonus_plan')")
        with_plans = bool(cr.fetchone()[0])
        cr.execute("SELECT to_regclass('b2b_commission_report')")
        with_commission = bool(cr.fetchone()[0])
        cr.execute("SELECT to_regclass('b2b_merch_request')")
        with_merch = bool(cr.fetchone()[0])
        cr.execute("SELECT product_tmpl_id FROM product_product WHERE id = %s", (goods[0]["id"],))
        template = cr.fetchone()[0]
    conn.rollback()
    if with_plans:
        # B's seasonal commitment, not yet accepted: accepting or filling it as A changes it
        plan = _admin_rpc(supplier, "b2b.bonus.plan", "create", [{
            "name": "Сезонная программа Беты %s" % TAG, "partner_id": beta, "is_commitment": True,
            "month": today.replace(day=1).isoformat(),
            "line_ids": [(0, 0, {"product_tmpl_id": template, "qty_planned": 917})]}])
    report = None
    if with_commission:
        # B is a commission agent: its consignment list and last month's report, submitted
        _admin_rpc(supplier, "res.partner", "write", [[beta], {"b2b_commission_agent": True}])
        _admin_rpc(supplier, "b2b.consignment.line", "create", [{
            "contract_id": contracts[0], "product_id": goods[0]["id"], "qty": 41, "qty_handed": 43,
            "qty_sold": 2, "price_unit": 3141.59, "date": today.isoformat()}])
        month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
        report = _admin_rpc(supplier, "b2b.commission.report", "create", [{
            "partner_id": beta, "contract_id": contracts[0], "period": month.isoformat(),
            "line_ids": [(0, 0, {"product_id": goods[0]["id"], "qty_sold": 7, "qty_consigned": 41,
                                 "price_unit": 2718.28})]}])
        _admin_rpc(supplier, "b2b.commission.report", "action_submit", [[report]])
    merch = None
    if with_merch:
        # B's merchandising request with a photo of its shop
        merch = _admin_rpc(supplier, "b2b.merch.request", "create", [{
            "b2b_dealer_id": beta, "outlet_id": beta, "outlet_name": "Салон Беты %s" % TAG,
            "address": "Адрес Беты %s" % TAG, "wanted": "Стойка для Беты %s" % TAG,
            "author_id": users["beta.buyer"]}])
        _admin_rpc(supplier, "ir.attachment", "create", [{
            "name": "beta-shop.png", "datas_fname": "beta-shop.png", "mimetype": "image/png",
            "res_model": "b2b.merch.request", "res_id": merch,
            "datas": base64.b64encode(_png(7)).decode()}])
    # a file of the library (its content too) and a news item the supplier published for B only
    category = _admin_rpc(supplier, "b2b.file.category", "create", [{
        "name": "Категория Беты %s" % TAG}])
    library_file = _admin_rpc(supplier, "b2b.file", "create", [{
        "name": "Файл Беты %s" % TAG, "description": "Описание файла Беты %s" % TAG,
        "category_id": category, "audience_all": False, "audience_dealer_ids": [(6, 0, [beta])],
        "version_ids": [(0, 0, {"file_name": "fail-bety-%s.txt" % TAG, "note": "Версия Беты %s" % TAG,
                                "datas": base64.b64encode(("Файл Беты %s" % TAG).encode()).decode()})]}])
    _admin_rpc(supplier, "b2b.file", "action_publish", [[library_file]])
    file_version = _admin_rpc(supplier, "b2b.file", "read", [[library_file], ["current_version_id"]])[0][
        "current_version_id"][0]
    news = _admin_rpc(supplier, "b2b.news", "create", [{
        "name": "Новость Беты %s" % TAG, "summary": "Кратко для Беты %s" % TAG,
        "body": "<p>Текст для Беты %s</p>" % TAG, "audience_all": False,
        "audience_dealer_ids": [(6, 0, [beta])], "published": True}])
    # B's complaint about its goods, with a photo of the defect
    complaint = _admin_rpc(supplier, "b2b.complaint", "create", [{
        "contract_id": contracts[0], "dealer_id": beta, "user_id": users["beta.buyer"],
        "product_id": goods[0]["id"], "qty": 3, "resolution": "refund",
        "description": "Дефект Беты %s" % TAG, "reject_reason": "Причина Беты %s" % TAG}])
    complaint_photo = _admin_rpc(supplier, "b2b.complaint.photo", "create", [{
        "complaint_id": complaint, "name": "defekt-bety-%s.png" % TAG, "mimetype": "image/png",
        "data": base64.b64encode(_png(8)).decode()}])
    # B's administrator's request for a new legal entity, waiting for the manager
    legal_request = _admin_rpc(supplier, "b2b.legal.entity.request", "create", [{
        "name": "ООО «Юрлицо Беты %s»" % TAG, "dealer_id": beta, "author_id": users["beta.admin"],
        "inn": "5406987651", "kpp": "540601001", "legal_address": "Юридический адрес Беты %s" % TAG,
        "bik": "045004641", "bank_name": "Банк Беты %s" % TAG, "account": "40702810000000098765",
        "corr_account": "30101810500000000641", "contact_name": "Контакт Беты %s" % TAG,
        "contact_phone": "+7 383 000-00-00"}])
    # B's buyer's message to the manager in the chat, which Bitrix24 refused
    chat_message = None
    with conn.cursor() as cr:
        cr.execute("SELECT 1 FROM ir_model_fields WHERE model = 'mail.message' "
                   "AND name = 'b2b_bitrix_state'")
        with_chat = bool(cr.fetchone())
    conn.rollback()
    if with_chat:
        written = buyer.session.post(base + "/b2b/chat/post", timeout=60, data={
            "csrf_token": buyer.token, "text": "Чат Беты %s" % TAG, "json": "1"})
        assert written.status_code == 200, written.text[:500]
        chat_message = written.json()["message"]["id"]
        _admin_rpc(supplier, "mail.message", "write", [[chat_message], {
            "b2b_bitrix_state": "failed", "b2b_bitrix_error": "Отказ Беты %s" % TAG}])
    for seed, partner in enumerate((beta, buyer_partner), 1):
        _admin_rpc(supplier, "res.partner", "write", [[partner], {
            "image": base64.b64encode(_png(seed)).decode()}])
    # B's buyer's question on the order (written down by the supplier's manager)
    _admin_rpc(supplier, "sale.order", "message_post", [[order]], {
        "body": "Вопрос Беты по заказу %s" % TAG, "message_type": "comment",
        "subtype": "mail.mt_comment", "author_id": buyer_partner})
    # B's pictures as the server sends them (the original and the sizes it makes of it)
    pictures = []
    for partner in (beta, buyer_partner):
        for field in ("image", "image_medium", "image_small"):
            picture = supplier.session.get("%s/web/image/res.partner/%d/%s" % (base, partner, field),
                                           timeout=60)
            assert picture.status_code == 200 and picture.content[:4] == b"\x89PNG", picture.text[:300]
            pictures.append(picture.content)
    pictures.append(_png(8))
    return {"pictures": pictures, "complaint": complaint, "complaint_photo": complaint_photo,
            "buyer_partner": buyer_partner, "partner": beta, "contract": contracts[0], "contracts": contracts, "order": order,
            "upload": upload, "document": document, "attachment": attachment, "manager": manager,
            "user": users["beta.buyer"], "users": sorted(users.values()),
            "product": goods[0]["id"], "page": 1, "plan": plan, "report": report or order,
            "purchase": purchase, "merch": merch or order, "file": library_file,
            "file_version": file_version, "news": news, "legal_request": legal_request,
            "notification": notification or order, "chat_message": chat_message or order}


def _dealer_models(cr, installed):
    """{model: [stored many-to-one (column, relation)]} of the models that may hold a dealer's
    data: the suite's models and Odoo's GENERIC_MODELS."""
    cr.execute("""
        SELECT DISTINCT m.model FROM ir_model m JOIN ir_model_data d
            ON d.model = 'ir.model' AND d.res_id = m.id AND d.module LIKE 'b2b%%'
         WHERE NOT m.transient""")
    models = {r[0] for r in cr.fetchall()} | set(GENERIC_MODELS)
    cr.execute("""
        SELECT f.model, f.name, f.relation FROM ir_model_fields f
         WHERE f.model = ANY(%s) AND f.ttype = 'many2one' AND f.store AND NOT f.name = ANY(%s)
         ORDER BY f.model, f.name""", (sorted(models), list(NOT_OWNERSHIP)))
    links = {}
    for model, column, relation in cr.fetchall():
        links.setdefault(model, []).append((column, relation))
    tables = {}
    for model in sorted(models):
        cr.execute("SELECT to_regclass(%s)", (model.replace(".", "_"),))
        if cr.fetchone()[0]:
            tables[model] = links.get(model, [])
    return tables


def _dealer_b_ids(cr, models, b):
    """{model: set(ids)} of dealer B: its partners (the company and its people), its contracts
    and users, then every row linked to one of those, and to those rows, until nothing is added;
    attachments, messages and followers of B's records."""
    cr.execute("SELECT id FROM res_partner WHERE id = %s OR commercial_partner_id = %s "
               "OR b2b_dealer_id = %s", (b["partner"],) * 3)
    owned = {"res.partner": {r[0] for r in cr.fetchall()}}
    changed = True
    while changed:
        changed = False
        for model, links in models.items():
            table = model.replace(".", "_")
            for column, relation in links:
                ids = owned.get(relation)
                if not ids or (model == "res.partner" and relation == "res.partner"
                               and column not in ("commercial_partner_id", "parent_id")):
                    continue
                cr.execute('SELECT id FROM "%s" WHERE "%s" = ANY(%%s)' % (table, column), (sorted(ids),))
                found = {r[0] for r in cr.fetchall()} - owned.get(model, set())
                if found:
                    owned.setdefault(model, set()).update(found)
                    changed = True
    # what hangs on B's records through (model, res_id)
    for model, table, model_col in (("ir.attachment", "ir_attachment", "res_model"),
                                    ("mail.message", "mail_message", "model"),
                                    ("mail.followers", "mail_followers", "res_model")):
        for owner, ids in list(owned.items()):
            if owner in ("ir.attachment", "mail.message", "mail.followers"):
                continue
            cr.execute('SELECT id FROM "%s" WHERE "%s" = %%s AND res_id = ANY(%%s)' % (table, model_col),
                       (owner, sorted(ids)))
            owned.setdefault(model, set()).update(r[0] for r in cr.fetchall())
    return {model: ids for model, ids in owned.items() if ids}


def _snapshot(conn, models, b):
    """Every row of dealer B, as text: {model: {id: row}}."""
    with conn.cursor() as cr:
        owned = _dealer_b_ids(cr, models, b)
        rows = {}
        for model, ids in owned.items():
            cr.execute('SELECT id, row_to_json(t)::text FROM "%s" t WHERE id = ANY(%%s)'
                       % model.replace(".", "_"), (sorted(ids),))
            rows[model] = dict(cr.fetchall())
    conn.rollback()
    return rows


def _changes(before, after):
    found = []
    for model in sorted(set(before) | set(after)):
        old, new = before.get(model, {}), after.get(model, {})
        for rid in sorted(set(old) - set(new)):
            found.append("%s #%d of dealer B was deleted" % (model, rid))
        for rid in sorted(set(new) - set(old)):
            found.append("a new %s #%d is linked to dealer B: %s" % (model, rid, new[rid][:300]))
        for rid in sorted(set(old) & set(new)):
            if old[rid] != new[rid]:
                a, b = json.loads(old[rid]), json.loads(new[rid])
                diff = {k: (a.get(k), b.get(k)) for k in set(a) | set(b) if a.get(k) != b.get(k)}
                found.append("%s #%d of dealer B changed: %s" % (model, rid, str(diff)[:300]))
    return found


def _markers(conn, owned, b):
    """What only dealer B's data contains: the strings the test gave B (TAG), the names,
    numbers and e-mails of B's partners, contracts and orders, B's order amount and B's picture."""
    texts = {TAG}
    with conn.cursor() as cr:
        cr.execute("SELECT name, email, vat, ref FROM res_partner WHERE id = ANY(%s)",
                   (sorted(owned["res.partner"]),))
        for row in cr.fetchall():
            texts.update(v for v in row if v)
        cr.execute("SELECT name, special_conditions_note FROM b2b_contract WHERE id = ANY(%s)",
                   (b["contracts"],))
        for row in cr.fetchall():
            texts.update(v for v in row if v)
        cr.execute("SELECT name, amount_total FROM sale_order WHERE id = ANY(%s)",
                   ([b["order"], b["purchase"]],))
        for name, amount in cr.fetchall():
            texts.add(name)
            texts.update(_amount_texts(float(amount)))
        cr.execute("SELECT login FROM res_users WHERE id = ANY(%s)", (b["users"],))
        texts.update(r[0] for r in cr.fetchall())
    conn.rollback()
    texts = {t for t in texts if len(t) >= 5}
    return sorted(texts, key=len, reverse=True), b["pictures"]


def _amount_texts(amount):
    integer, cents = ("%.2f" % amount).split(".")
    grouped = "{:,}".format(int(integer))
    return {"%.2f" % amount, repr(amount), grouped + "." + cents,
            grouped.replace(",", "\xa0") + "," + cents, grouped.replace(",", " ") + "," + cents}


def _readable(answer):
    """The answer as text a reader would see: JSON decoded (Odoo escapes non-ASCII), HTML
    entities resolved, the sheets of an xlsx unpacked."""
    content = answer.content
    parts = [content.decode("utf-8", "replace")]
    if content[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                parts.extend(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
        except zipfile.BadZipFile:
            pass
    try:
        parts.append(json.dumps(answer.json(), ensure_ascii=False))
    except ValueError:
        pass
    text = "\n".join(parts)
    return text + "\n" + html.unescape(text)


# what dealer B's own users see of B: the matrix must find B's data there, or it is blind
CONTROLS = (
    ("beta.buyer", "/b2b/orders/%(order)d"),
    ("beta.buyer", "/b2b/saved"),
    ("beta.buyer", "/b2b/cart/upload/%(upload)d"),
    ("beta.buyer", "/b2b/document/%(document)d"),
    ("beta.admin", "/b2b/finance"),
    ("beta.admin", "/b2b/stats"),
    ("beta.admin", "/b2b/staff"),
    ("beta.admin", "/b2b/legal-entities/%(legal_request)d"),
    ("beta.buyer", "/mail/sale.order/%(order)d/avatar/%(buyer_partner)d"),
    ("beta.buyer", "/b2b/files"),
    ("beta.buyer", "/b2b/files/%(file)d/version/%(file_version)d"),
    ("beta.admin", "/b2b/news/%(news)d"),
    ("beta.buyer", "/b2b/complaints/%(complaint)d"),
    ("beta.buyer", "/b2b/complaints/photo/%(complaint_photo)d"),
)


class Matrix:
    def __init__(self, base, conn, models, b):
        self.base, self.conn, self.models, self.b = base, conn, models, b
        self.owned = _dealer_b_ids(conn.cursor(), models, b)
        conn.rollback()
        self.texts, self.blobs = _markers(conn, self.owned, b)
        self.callers = [Caller(base, name) for name in DEALER_A]
        self.leaks = []
        self.calls = 0
        self.blind = []
        controls = CONTROLS + ((("beta.admin", "/b2b/plans"),) if b.get("plan") else ()) + (
            (("beta.admin", "/b2b/commission/report/%(report)d"),) if b["report"] != b["order"]
            else ()) + ((("beta.buyer", "/b2b/notifications"),) if b["notification"] != b["order"]
                   else ()) + ((("beta.buyer", "/b2b/merch/%(merch)d"),) if b["merch"] != b["order"] else ())
        for login_name, path in controls:
            control = Caller(base, login_name)
            answer = control.session.get(base + path % b, timeout=60)
            before = len(self.leaks)
            self.check(control, "GET " + path % b, answer)
            self.calls -= 1
            if len(self.leaks) == before:
                self.blind.append("%s sees nothing of dealer B on %s (%d): the matrix would not see "
                                  "a leak there either" % (login_name, path % b, answer.status_code))
            del self.leaks[before:]

    def check(self, caller, what, answer):
        """Record a leak when B's data is in ``answer``."""
        self.calls += 1
        text = _readable(answer)
        shown = []
        for marker in self.texts:
            at = text.find(marker)
            if at >= 0:
                shown.append("%r in ...%s..." % (marker, " ".join(
                    text[max(0, at - 40):at + len(marker) + 40].split())))
        shown += ["B's picture" for blob in self.blobs if blob in answer.content]
        if shown:
            self.leaks.append("%s: %s -> %d shows dealer B's %s" % (
                caller.login, what.replace(self.base, ""), answer.status_code, "; ".join(shown[:2])))
        return text


def _changed_by(matrix, what):
    """Record what of dealer B changed since the last look, naming the calls made since."""
    after = _snapshot(matrix.conn, matrix.models, matrix.b)
    matrix.leaks.extend("%s changed it: %s" % (what, change)
                        for change in _changes(matrix.state, after))
    matrix.state = after


@pytest.fixture(scope="module")
def routes():
    """The routes the suite's addons serve in B2B_TEST_DB: ({installed modules}, [route])."""
    return routing.suite_routes(DB)


@pytest.fixture(scope="module")
def matrix(tmp_path_factory, routes):
    # named as the suite names test databases: kept while this test runs, dropped by a later
    # `make test` if this one is killed before it drops it
    keeper = DatabaseName()
    copy = keeper.name
    running = conn = None
    try:
        copy_database(DB, copy)
        running = Server(copy, tmp_path_factory.mktemp("isolation"))
        running.wait()
        conn = connect(copy)
        conn.autocommit = False
        installed, suite_routes = routes
        with conn.cursor() as cr:
            models = _dealer_models(cr, installed)
        conn.rollback()
        b = _seed_dealer_b(running.url, conn)
        result = Matrix(running.url, conn, models, b)
        result.routes = suite_routes
        yield result
    finally:
        if conn is not None:
            conn.close()
        if running is not None:
            running.stop()
        drop_database(copy)
        keeper.release()


def _report(problems, started):
    return "the calls of dealer A's users (%.0f s) reached dealer B's data:\n%s" % (
        time.time() - started, "\n".join(problems[:60]))


# ------------------------------------------------------------------------------ the tests
def test_every_suite_route_is_classified(routes):
    """A route of the suite the matrix cannot classify fails here, naming what to add."""
    problems = routing.unclassified(routes[1])
    assert not problems, "\n".join(problems)


def test_the_matrix_sees_dealer_b_where_b_may_look(matrix):
    """Dealer B's own users find B's strings and pictures on B's pages: the checks are not blind."""
    assert not matrix.blind, "\n".join(matrix.blind)


def _substitute(rule, b):
    def value(match):
        name = match.group(2)
        return str(b[routing.PATH_VARIABLES[name]])
    return re.sub(r"<(?:(\w+):)?(\w+)>", value, rule)


def _b_params(b):
    """B's ids under every name a dealer form or JSON body carries."""
    return {"contract_id": b["contract"], "cart_id": b.get("cart") or b["order"],
            "order_id": b["order"], "saved_id": b.get("saved") or b["order"],
            "upload_id": b["upload"], "document_id": b["document"], "user_id": b["user"],
            "partner_id": b["partner"], "attachment_id": b["attachment"], "manager_id": b["manager"],
            "product_id": b["product"], "plan_id": b.get("plan") or b["order"],
            "report_id": b["report"], "file_id": b["file"], "version_id": b["file_version"],
            "news_id": b["news"], "notification_id": b["notification"], "month": "2020-01"}


def _call_route(matrix, caller, kind, url, methods, params, b):
    """Call one route of the suite as ``caller`` with B's ids, the way its kind is called."""
    if kind == routing.JSON:
        answer, _ = _json(caller.session, url, dict(
            params, lines=[[b["product"], 1]], qty=1, sku=str(b["product"]), text=str(b["product"]),
            term=TAG))
        matrix.check(caller, "JSON %s" % url, answer)
    elif kind == routing.MACHINE_1C:
        # the exchange answers only its own user (HTTP Basic, then its cookie): not a dealer's
        # session, not a dealer's login and password
        for exchange, mode in (("sale", "checkauth"), ("sale", "query"), ("catalog", "init")):
            for auth in (None, (caller.login, caller.login)):
                answer = caller.session.get(url, params={"type": exchange, "mode": mode},
                                            auth=auth, timeout=60)
                matrix.check(caller, "GET %s?type=%s&mode=%s with %s" % (
                    url, exchange, mode, "basic auth" if auth else "the session"), answer)
                if answer.status_code == 200 and not answer.text.startswith("failure"):
                    matrix.leaks.append("%s: the 1C exchange answered %s/%s to a dealer's user: "
                                        "%s" % (caller.login, exchange, mode, answer.text[:200]))
    elif kind == routing.MACHINE_BITRIX:
        # only a post carrying the application token configured for Bitrix24 is taken
        answer = caller.session.post(url, timeout=60, data={
            "event": "ONCRMCOMPANYUPDATE", "data[FIELDS][ID]": str(b["partner"]),
            "auth[application_token]": caller.token, "csrf_token": caller.token})
        matrix.check(caller, "POST %s" % url, answer)
        if answer.status_code == 200:
            matrix.leaks.append("%s: Bitrix24's webhook took a dealer's post" % caller.login)
    else:
        if "GET" in methods:
            matrix.check(caller, "GET %s" % url, caller.session.get(url, params=params, timeout=120))
        if "POST" in methods:
            data = dict(params, csrf_token=caller.token, name="", email="", role="buyer",
                        mode="replace", date_from="2020-01-01", date_to="2020-12-31")
            matrix.check(caller, "POST %s" % url, caller.session.post(url, data=data, timeout=120))


def test_suite_routes_leak_nothing_of_another_dealer(matrix):
    started = time.time()
    b = dict(matrix.b)
    with matrix.conn.cursor() as cr:
        cr.execute("SELECT id FROM b2b_cart WHERE user_id = ANY(%s) ORDER BY id", (b["users"],))
        b["cart"] = cr.fetchone()[0]
        cr.execute("SELECT id FROM b2b_saved_cart WHERE user_id = ANY(%s) ORDER BY id", (b["users"],))
        b["saved"] = cr.fetchone()[0]
    matrix.conn.rollback()
    matrix.state = _snapshot(matrix.conn, matrix.models, matrix.b)
    params = _b_params(b)
    routes = [r for r in matrix.routes if routing.ROUTES.get(routing.route_key(r))
              and all(name in routing.PATH_VARIABLES for name in r["arguments"])]
    # the posts first (a contract switch to B's contract would show in every page after it)
    routes.sort(key=lambda r: (r["methods"] != ["POST"], r["rule"]))
    calls = matrix.calls
    for caller in matrix.callers:
        for route in routes:
            url = matrix.base + _substitute(route["rule"], b)
            _call_route(matrix, caller, routing.ROUTES[routing.route_key(route)], url,
                        route["methods"] or ["GET", "POST"], params, b)
            _changed_by(matrix, "%s calling %s" % (caller.login, url.replace(matrix.base, "")))
    problems = matrix.leaks
    matrix.leaks = []
    print("isolation matrix: %d suite routes x %d users of dealer A, %d calls, %.1f s" % (
        len(routes), len(matrix.callers), matrix.calls - calls, time.time() - started))
    assert routes, "no route of the suite was called"
    assert not problems, _report(problems, started)


def _is_b_record(matrix, model, value):
    ids = matrix.owned.get(model, set())
    if isinstance(value, dict):
        return value.get("id") in ids
    if isinstance(value, (list, tuple)) and value and isinstance(value[0], int):
        return value[0] in ids
    return False


def _rpc_leak(matrix, caller, model, method, result):
    """B's records in a JSON-RPC result: records or names of B's ids, or a non-empty group."""
    if method == "name_get" and isinstance(result, list):
        # a model without a name answers "model,id" for any id it is given: nothing of B
        result = [row for row in result if isinstance(row, (list, tuple)) and len(row) == 2
                  and row[1] != "%s,%s" % (model, row[0])]
    if method in ("read", "search_read", "name_get") and isinstance(result, list):
        if any(_is_b_record(matrix, model, row) for row in result):
            matrix.leaks.append("%s: %s.%s returned records of dealer B: %s" % (
                caller.login, model, method, str(result)[:200]))
    if method == "read_group" and isinstance(result, list):
        counted = [g for g in result if isinstance(g, dict)
                   and any(k.endswith("_count") and v for k, v in g.items())]
        if counted:
            matrix.leaks.append("%s: %s.read_group counted records of dealer B: %s" % (
                caller.login, model, str(counted)[:200]))
    if method == "search_read" and isinstance(result, dict):  # /web/dataset/search_read
        _rpc_leak(matrix, caller, model, "search_read", result.get("records"))


def _model_facts(conn, models):
    """{model: (a writable stored char field or None, is a mail thread, [binary fields],
    [stored char fields to group by])}."""
    facts = {}
    with conn.cursor() as cr:
        for model in models:
            cr.execute("""
                SELECT name FROM ir_model_fields WHERE model = %s AND ttype = 'char' AND store
                   AND related IS NULL AND NOT coalesce(readonly, false)
                   AND name NOT IN ('display_name', '__last_update') ORDER BY id LIMIT 1""", (model,))
            row = cr.fetchone()
            cr.execute("SELECT name FROM ir_model_fields WHERE model = %s AND ttype = 'binary' "
                       "ORDER BY id", (model,))
            binaries = [r[0] for r in cr.fetchall()]
            cr.execute("SELECT name FROM ir_model_fields WHERE model = %s AND ttype = 'char' "
                       "AND store ORDER BY id LIMIT 4", (model,))
            chars = [r[0] for r in cr.fetchall()]
            cr.execute("SELECT 1 FROM ir_model_fields WHERE model = %s AND name = 'message_ids'",
                       (model,))
            facts[model] = (row[0] if row else None, bool(cr.fetchone()), binaries, chars)
    conn.rollback()
    return facts


def _suite_reports(conn):
    with conn.cursor() as cr:
        cr.execute("""
            SELECT r.report_name, r.model FROM ir_act_report_xml r JOIN ir_model_data d
                ON d.model = 'ir.actions.report' AND d.res_id = r.id
             WHERE d.module LIKE 'b2b%' ORDER BY r.report_name""")
        reports = cr.fetchall()
    conn.rollback()
    return reports


def test_odoo_entry_points_leak_nothing_of_another_dealer(matrix):
    started = time.time()
    base, b = matrix.base, matrix.b
    matrix.state = _snapshot(matrix.conn, matrix.models, b)
    calls = matrix.calls
    owned = {model: sorted(ids) for model, ids in matrix.owned.items()}
    # the models with B's records, or a link by which B's records would be found (empty for B)
    models = sorted(model for model, links in matrix.models.items()
                    if model in owned or model in GENERIC_MODELS
                    or any(relation in owned for _column, relation in links))
    facts = _model_facts(matrix.conn, models)
    reports = _suite_reports(matrix.conn)
    assert reports, "the suite defines no report? (ir.actions.report of the b2b_* modules)"
    counted = {"models": set(), "reports": len(reports)}

    def rpc(caller, model, method, args, kwargs=None):
        url = "%s/web/dataset/call_kw/%s/%s" % (base, model, method)
        answer, body = _json(caller.session, url, {"model": model, "method": method, "args": args,
                                                   "kwargs": kwargs or {}})
        matrix.check(caller, "call_kw %s.%s%s" % (model, method, str(args)[:80]), answer)
        if isinstance(body, dict) and "result" in body:
            _rpc_leak(matrix, caller, model, method, body["result"])

    for caller in matrix.callers:
        for model in models:
            ids = owned.get(model, [])[:MAX_IDS]
            counted["models"].add(model)
            links = [(col, rel) for col, rel in matrix.models.get(model, []) if rel in owned][:3]
            for column, relation in links:  # B's records found by their link to B
                rpc(caller, model, "search_read", [[(column, "in", owned[relation][:MAX_IDS])]],
                    {"fields": ["display_name"], "limit": 20})
            if not ids:
                continue
            rpc(caller, model, "read", [ids, ["display_name"]])
            rpc(caller, model, "search_read", [[("id", "in", ids)]], {"fields": ["display_name"]})
            rpc(caller, model, "name_get", [ids])
            # grouped by B's link and by its texts: a group would carry B's names
            groups = [links[0][0] if links else "create_uid"] + facts[model][3]
            rpc(caller, model, "read_group", [[("id", "in", ids)], groups, groups], {"lazy": False})
            answer, body = _json(caller.session, base + "/web/dataset/search_read", {
                "model": model, "domain": [("id", "in", ids)], "fields": ["display_name"]})
            matrix.check(caller, "/web/dataset/search_read %s" % model, answer)
            if isinstance(body, dict) and "result" in body:
                _rpc_leak(matrix, caller, model, "search_read", body["result"])
            char_field, thread = facts[model][:2]
            if char_field:
                rpc(caller, model, "write", [ids, {char_field: "dealer A %s" % caller.login}])
            if thread:
                rpc(caller, model, "message_post", [ids[:1]], {
                    "body": "dealer A %s" % caller.login, "message_type": "comment",
                    "subtype": "mail.mt_comment"})
            _changed_by(matrix, "%s calling JSON-RPC on %s" % (caller.login, model))

        # files: attachments, binary fields, pictures
        for attachment in owned.get("ir.attachment", [])[:8]:
            for url in ("/web/content/%d" % attachment, "/web/content/%d?download=true" % attachment,
                        "/web/image/%d" % attachment):
                matrix.check(caller, "GET " + url, caller.session.get(base + url, timeout=60))
        for model in models:
            for field in facts[model][2][:3]:
                for rid in owned.get(model, [])[:2]:
                    for url in ("/web/content?model=%s&id=%d&field=%s" % (model, rid, field),
                                "/web/image/%s/%d/%s" % (model, rid, field)):
                        matrix.check(caller, "GET " + url, caller.session.get(base + url, timeout=60))

        # the suite's reports
        for report_name, model in reports:
            ids = ",".join(map(str, owned.get(model, [])[:2]))
            if not ids:
                matrix.leaks.append("dealer B has no %s for report %s: the matrix set-up must give "
                                    "B one" % (model, report_name))
                continue
            for kind in ("html", "pdf"):
                url = "%s/report/%s/%s/%s" % (base, kind, report_name, ids)
                answer = caller.session.get(url, timeout=120)
                matrix.check(caller, "GET " + url, answer)
                if answer.status_code == 200 and answer.headers.get("Content-Type", "").startswith(
                        "application/pdf"):
                    matrix.leaks.append("%s: %s printed dealer B's records" % (caller.login, url))

        # Odoo's mail and portal routes that take a record
        for model in models:
            if not facts[model][1]:
                continue
            for rid in owned.get(model, [])[:2]:
                answer = caller.session.post(base + "/mail/chatter_post", timeout=60, headers={
                    "Referer": base + "/my/home"}, data={
                    "res_model": model, "res_id": rid, "message": "dealer A %s" % caller.login,
                    "csrf_token": caller.token})
                matrix.check(caller, "POST /mail/chatter_post %s,%d" % (model, rid), answer)
                for route in ("/mail/chatter_init", "/mail/chatter_fetch"):
                    answer, _ = _json(caller.session, base + route, {"res_model": model, "res_id": rid})
                    matrix.check(caller, "JSON %s %s,%d" % (route, model, rid), answer)
                for route in ("/mail/view", "/mail/follow", "/mail/unfollow", "/mail/assign"):
                    url = "%s%s?model=%s&res_id=%d" % (base, route, model, rid)
                    matrix.check(caller, "GET " + url, caller.session.get(url, timeout=60))
                for partner in (b["partner"], b["buyer_partner"]):
                    url = "%s/mail/%s/%d/avatar/%d" % (base, model, rid, partner)
                    matrix.check(caller, "GET " + url, caller.session.get(url, timeout=60))
        followers = owned.get("mail.followers", [])[:MAX_IDS]
        if followers:
            answer, _ = _json(caller.session, base + "/mail/read_followers",
                              {"follower_ids": followers, "res_model": "sale.order"})
            matrix.check(caller, "JSON /mail/read_followers", answer)
            answer, _ = _json(caller.session, base + "/mail/read_subscription_data",
                              {"res_model": "sale.order", "follower_id": followers[0]})
            matrix.check(caller, "JSON /mail/read_subscription_data", answer)
        for url in ["/my/orders/%d" % rid for rid in owned.get("sale.order", [])[:2]] + \
                   ["/my/quotes/%d" % rid for rid in owned.get("sale.order", [])[:2]] + \
                   ["/my/invoices/%d" % rid for rid in owned.get("account.invoice", [])[:2]]:
            matrix.check(caller, "GET " + url, caller.session.get(base + url, timeout=60))
        _changed_by(matrix, "%s calling /web/content, /web/image, /report, /mail and /my" % caller.login)

    # removing B's records last: the calls above need them
    for caller in matrix.callers:
        for model in models:
            ids = owned.get(model, [])[:MAX_IDS]
            if ids:
                rpc(caller, model, "unlink", [ids])
                _changed_by(matrix, "%s calling JSON-RPC unlink on %s" % (caller.login, model))

    problems = matrix.leaks
    matrix.leaks = []
    print("isolation matrix: %d models, %d report(s), %d users of dealer A, %d calls, %.1f s" % (
        len(counted["models"]), counted["reports"], len(matrix.callers), matrix.calls - calls,
        time.time() - started))
    assert not problems, _report(problems, started)
