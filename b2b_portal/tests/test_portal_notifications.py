"""The notification feed: what the services tell dealers' users (order status, documents, debts,
acts), the bell on every page, the page, reading, the e-mail preferences, the bus, and that one
user's notifications stay that user's."""
import json
import re

import lxml.html

from odoo.addons.b2b_portal.lib import notifications as feed

from .finance_common import FinanceHttpCase

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class TestPortalNotifications(FinanceHttpCase):

    def setUp(self):
        super(TestPortalNotifications, self).setUp()
        self.Note = self.env["b2b.notification"]
        with self.saved():
            # a clean feed for the users of the test (the demo's notifications aside)
            self.env.cr.execute("DELETE FROM b2b_notification")
            self.env.cr.execute("DELETE FROM b2b_notification_pref")
            self.env.cr.execute("SELECT coalesce(max(id), 0) FROM bus_bus")
            self.bus_start = self.env.cr.fetchone()[0]
            self.env.cr.execute("SELECT coalesce(max(id), 0) FROM mail_mail")
            self.mail_start = self.env.cr.fetchone()[0]
            self.u_alfa_buyer.lang = "en_US"        # one reader in English, the others Russian

    # ------------------------------------------------------------------ helpers
    def notes(self, user, kind=None):
        domain = [("user_id", "=", user.id)] + ([("kind", "=", kind)] if kind else [])
        return self.Note.search(domain, order="id desc")

    def mails(self, user):
        """The e-mails queued for ``user`` in this test (subjects)."""
        self.settle()
        return self.env["mail.mail"].search([
            ("id", ">", self.mail_start),
            ("recipient_ids", "in", user.partner_id.ids)]).mapped("subject")

    def pushed(self):
        """{(db, model, id): [payload]} of the new notifications pushed on the bus in this test
        (the unread counts sent after reading aside)."""
        self.settle()
        self.env.cr.execute("SELECT channel, message FROM bus_bus WHERE id > %s ORDER BY id",
                            (self.bus_start,))
        found = {}
        for channel, message in self.env.cr.fetchall():
            payload = json.loads(message)
            if payload.get("type") == "b2b_notification" and payload.get("notification"):
                found.setdefault(tuple(json.loads(channel)), []).append(payload)
        return found

    def channel(self, user):
        return (self.env.cr.dbname, "res.partner", user.partner_id.id)

    def tree(self, path, status=200):
        answer = self.get(path)
        self.assertEqual(answer.status_code, status, "%s: %s" % (path, answer.text[:500]))
        return lxml.html.fromstring(answer.text)

    def bell(self, doc):
        badge = doc.xpath("//ul[@id='o_b2b_nav_right']//a[contains(@class, 'o_b2b_bell')]"
                          "/span[contains(@class, 'o_b2b_bell_count')]")
        self.assertEqual(len(badge), 1, "the bell is in the navigation bar")
        return int(badge[0].text_content()), "hidden" in badge[0].get("class")

    def order(self, user=None, contract=None):
        """An order placed from the portal by ``user`` (b2b_base's API)."""
        order_id = self.env["sale.order"].sudo(user or self.u_alfa_buyer).b2b_place_order(
            (contract or self.c_alfa).id, [(self.mixer.id, 2)])
        return self.env["sale.order"].browse(order_id)

    # ------------------------------------------------------------------ triggers
    def test_order_status_change_reaches_the_users_of_its_contract_in_their_language(self):
        with self.saved():
            order = self.order()
            self.assertFalse(self.Note.search([]), "a new order is not a change of status")
            order.action_confirm()
        # «Альфа»'s administrator (Russian) and buyer (English) see the contract; the outlet
        # (another contract) and «Бета» do not
        admin_note = self.notes(self.u_alfa_admin, "order")
        self.assertEqual(admin_note.mapped("title"), ["Заказ %s: Подтверждён" % order.name])
        self.assertEqual(admin_note.body, "Статус заказа %s теперь «Подтверждён»." % order.name)
        self.assertEqual(self.notes(self.u_alfa_buyer, "order").mapped("title"),
                         ["Order %s: Confirmed" % order.name])
        for user in (self.u_alfa_outlet, self.u_beta_admin, self.u_beta_buyer):
            self.assertFalse(self.notes(user), user.login)
        self.assertEqual(admin_note.url, "/b2b/orders/%d" % order.id)
        # an e-mail to each (order statuses are on by default), pushed on each one's own channel
        self.assertEqual(self.mails(self.u_alfa_admin), ["Заказ %s: Подтверждён" % order.name])
        self.assertEqual(self.mails(self.u_alfa_buyer), ["Order %s: Confirmed" % order.name])
        pushed = self.pushed()
        self.assertEqual(set(pushed), {self.channel(self.u_alfa_admin),
                                       self.channel(self.u_alfa_buyer)})
        payload = pushed[self.channel(self.u_alfa_admin)][0]
        self.assertEqual(payload["unread"], 1)
        self.assertEqual(payload["notification"]["title"], "Заказ %s: Подтверждён" % order.name)
        # 1C's own status, as 1C writes it
        if "b2b_onec_status" in order._fields:
            with self.saved():
                order.write({"b2b_onec_status": "Собран"})
            self.assertEqual(self.notes(self.u_alfa_admin, "order")[0].title,
                             "Заказ %s: Собран" % order.name)
        # the dealer's user who cancels an order hears nothing of it; a colleague does
        with self.saved():
            other = self.order()
        self.login(self.u_alfa_buyer)
        self.post("/b2b/orders/%d/cancel" % other.id, csrf_from="/b2b/orders/%d" % other.id)
        self.settle()
        other.invalidate_cache()
        self.assertEqual(other.state, "cancel")
        self.assertNotIn(other.name, " ".join(self.notes(self.u_alfa_buyer).mapped("title")))
        self.assertEqual(self.notes(self.u_alfa_admin, "order")[0].title,
                         "Заказ %s: Отменён" % other.name)

    def test_documents_of_a_contract_reach_its_users_once_and_open_there(self):
        with self.saved():
            document = self.env["b2b.document"].create({
                "name": "УПД № 77", "kind": "upd", "partner_id": self.c_alfa.partner_id.id,
                "contract_id": self.c_alfa.id, "file_name": "upd-77.pdf",
                "file_data": __import__("base64").b64encode(PDF)})
            self.env["b2b.document"].create({
                "name": "Предварительный", "kind": "other", "preliminary": True,
                "partner_id": self.c_alfa.partner_id.id, "contract_id": self.c_alfa.id})
        note = self.notes(self.u_alfa_admin)
        self.assertEqual(note.mapped("title"), ["Новый документ: УПД № 77"])
        self.assertEqual(note.kind, "document")
        self.assertEqual(self.notes(self.u_alfa_buyer).title, "New document: УПД № 77")
        self.assertFalse(self.notes(self.u_alfa_outlet) | self.notes(self.u_beta_admin))
        self.login(self.u_alfa_admin)
        opened = self.get("/b2b/notifications/%d" % note.id, allow_redirects=False)
        self.assertEqual(opened.status_code, 303)
        self.assertTrue(opened.headers["Location"].endswith("/b2b/document/%d" % document.id))
        self.settle()
        note.invalidate_cache()
        self.assertTrue(note.is_read)

    def test_overdue_debt_and_shipment_block_are_told_once_as_they_turn_on(self):
        with self.saved():
            self.env.cr.execute("DELETE FROM b2b_settlement_line WHERE contract_id = %s",
                                (self.c_alfa.id,))
            self.Line._b2b_recompute_debt(contracts=self.c_alfa)
            self.env.cr.execute("DELETE FROM b2b_notification")
        self.assertFalse(self.c_alfa.b2b_overdue_amount)
        with self.saved():
            self.post_line(self.c_alfa, "shipment", -30, debit=1000, due=-10)
        debt = self.notes(self.u_alfa_admin, "debt")
        self.assertEqual(debt.mapped("title"),
                         ["Просроченная задолженность по договору %s" % self.c_alfa.name])
        self.assertTrue(re.search(r"1\s000,00", debt.body), debt.body)
        self.assertIn("10", debt.body)
        self.assertEqual(self.notes(self.u_alfa_buyer, "debt").title,
                         "Overdue debt under contract %s" % self.c_alfa.name)
        # more overdue debt, a recompute: still the one notification
        with self.saved():
            self.post_line(self.c_alfa, "shipment", -25, debit=500, due=-5)
            self.Line._b2b_recompute_debt(contracts=self.c_alfa)
        self.assertEqual(len(self.notes(self.u_alfa_admin, "debt")), 1)
        # overdue beyond the last aging edge: shipments stop, told once
        with self.saved():
            self.post_line(self.c_alfa, "shipment", -90, debit=300, due=-60)
            self.Line._b2b_recompute_debt(contracts=self.c_alfa)
        self.assertTrue(self.c_alfa.b2b_shipment_blocked)
        titles = self.notes(self.u_alfa_admin, "debt").mapped("title")
        self.assertEqual(titles, ["Отгрузки по договору %s остановлены" % self.c_alfa.name,
                                  "Просроченная задолженность по договору %s" % self.c_alfa.name])
        self.assertFalse(self.notes(self.u_beta_admin) | self.notes(self.u_alfa_outlet))

    def test_act_from_1c_tells_its_requester(self):
        Request = self.env["b2b.reconciliation.request"]
        with self.saved():
            request = Request.sudo(self.u_alfa_admin).b2b_request_act(
                self.c_alfa.id, self.day(-60), self.day(-1)).sudo()
            self.assertFalse(self.Note.search([]), "the preliminary act is not news")
            document = request.b2b_receive_act(PDF, number="АС-5")
        note = self.notes(self.u_alfa_admin, "act")
        self.assertEqual(note.mapped("title"), ["Акт сверки %s готов" % request.name])
        self.assertEqual(note.url, "/b2b/document/%d" % document.id)
        self.assertFalse(self.notes(self.u_alfa_buyer), "only the requester")

    # ------------------------------------------------------------------ the bell and the page
    def test_bell_page_open_and_mark_all_read(self):
        with self.saved():
            for number in range(1, 8):
                self.Note._b2b_notify(self.u_alfa_admin, "news", "Новость %d" % number,
                                      url="/b2b/orders")
            self.Note._b2b_notify(self.u_alfa_admin | self.u_beta_admin | self.env.user, "news",
                                  "Ссылка наружу", url="https://evil.example/phish")
        self.assertFalse(self.notes(self.env.user), "the supplier's staff have no feed")
        self.login(self.u_alfa_admin)
        # the bell, on a catalog page too
        self.assertEqual(self.bell(self.tree("/b2b/catalog")), (8, False))
        home = self.tree("/my")
        self.assertEqual(self.bell(home)[0], 8)
        latest = home.xpath("//div[@id='o_b2b_dashboard_feed']//*[contains(@class, "
                            "'o_b2b_notification_title')]")
        self.assertEqual([t.text_content() for t in latest],
                         ["Ссылка наружу", "Новость 7", "Новость 6", "Новость 5", "Новость 4"])
        page = self.tree("/b2b/notifications")
        titles = [t.text_content() for t in page.xpath(
            "//div[contains(@class, 'o_b2b_notifications')]//*[contains(@class, "
            "'o_b2b_notification_title')]")]
        self.assertEqual(titles[:3], ["Ссылка наружу", "Новость 7", "Новость 6"])
        self.assertEqual(len(titles), 8)
        # opening leads to the portal only, and the count goes down
        outside = self.notes(self.u_alfa_admin)[0]
        opened = self.get("/b2b/notifications/%d" % outside.id, allow_redirects=False)
        self.assertTrue(opened.headers["Location"].endswith("/b2b/notifications"))
        self.assertEqual(self.bell(self.tree("/b2b/orders"))[0], 7)
        self.assertIn(self.channel(self.u_alfa_admin), self.pushed())
        answer = self.post("/b2b/notifications/read_all", csrf_from="/b2b/notifications")
        self.assertEqual(answer.status_code, 200)
        self.assertEqual(self.bell(lxml.html.fromstring(answer.text)), (0, True))
        self.assertFalse(self.Note.search([("user_id", "=", self.u_alfa_admin.id),
                                           ("is_read", "=", False)]))
        self.assertFalse(self.notes(self.u_beta_admin).is_read, "«Бета»'s own stays unread")
        # the fallback of the bell
        state, _error = self.rpc("/b2b/notifications/unread")
        self.assertEqual(state["unread"], 0)
        self.assertEqual(len(state["latest"]), feed.LATEST)

    def test_the_feed_is_paged(self):
        with self.saved():
            for number in range(feed.PAGE_SIZE + 3):
                self.Note._b2b_notify(self.u_alfa_buyer, "news", "Item %d" % number)
        self.login(self.u_alfa_buyer)
        second = self.tree("/b2b/notifications/page/2")
        titles = [t.text_content() for t in second.xpath(
            "//*[contains(@class, 'o_b2b_notification_title')]")]
        self.assertEqual(titles, ["Item 2", "Item 1", "Item 0"])

    def test_preferences_decide_the_email(self):
        self.login(self.u_alfa_buyer)
        form = self.tree("/b2b/notifications").xpath("//form[@id='o_b2b_notify_prefs']")[0]
        checked = {box.get("name"): box.get("checked") is not None
                   for box in form.xpath(".//input[@type='checkbox']")}
        self.assertEqual(checked, {"email_%s" % kind: feed.EMAIL_DEFAULTS[kind]
                                   for kind in feed.KINDS})
        self.assertFalse(checked["email_plan"] or checked["email_news"])
        answer = self.post("/b2b/notifications/preferences",
                           {"email_plan": "1", "email_debt": "1"}, csrf_from="/b2b/notifications")
        self.assertEqual(answer.status_code, 200)
        self.assertIn("o_b2b_notify_saved", answer.text)
        with self.saved():
            self.Note._b2b_notify(self.u_alfa_buyer | self.u_alfa_admin, "order", "Order status")
            self.Note._b2b_notify(self.u_alfa_buyer | self.u_alfa_admin, "plan", "Plan reminder")
        self.assertEqual(self.mails(self.u_alfa_buyer), ["Plan reminder"])
        self.assertEqual(self.mails(self.u_alfa_admin), ["Статус заказа"],
                         "another user's defaults hold")
        self.assertEqual(len(self.notes(self.u_alfa_buyer)), 2, "the feed has both")

    def test_page_in_russian(self):
        with self.saved():
            self.Note._b2b_notify(self.u_alfa_admin, "debt", "Overdue debt under contract %s"
                                  % self.c_alfa.name)
        self.login(self.u_alfa_admin)
        page = self.tree("/ru_RU/b2b/notifications")
        text = " ".join(page.text_content().split())
        for shown in ("Отметить все прочитанными", "Непрочитанных: 1", "Присылать на почту",
                      "Статус заказа", "Напоминания о планах", "Новости и акции", "Сохранить"):
            self.assertIn(shown, text)
        self.assertEqual(page.xpath("//a[contains(@class, 'o_b2b_bell')]/@title"), ["Уведомления"])
        self.assertEqual(page.xpath("//*[contains(@class, 'o_b2b_notification_title')]")[0]
                         .text_content(), "Overdue debt under contract %s" % self.c_alfa.name,
                         "a text with parameters already filled in is shown as it is")
        home = " ".join(self.tree("/ru_RU/my").xpath(
            "//div[@id='o_b2b_dashboard_feed']")[0].text_content().split())
        self.assertIn("Все уведомления", home)

    # ------------------------------------------------------------------ one user's own
    def test_another_users_notification_is_not_reachable(self):
        with self.saved():
            mine = self.Note._b2b_notify(self.u_alfa_admin, "order", "Заказ АЛЬФА-СЕКРЕТ",
                                         url="/b2b/orders")
        for user in (self.u_beta_admin, self.u_alfa_buyer):
            self.login(user)
            self.assertEqual(self.get("/b2b/notifications/%d" % mine.id,
                                      allow_redirects=False).status_code, 404)
            self.assertNotIn("АЛЬФА-СЕКРЕТ", self.get("/b2b/notifications").text)
            self.assertNotIn("АЛЬФА-СЕКРЕТ", self.get("/my").text)
            state, _error = self.rpc("/b2b/notifications/unread")
            self.assertEqual(state["latest"], [])
            self.post("/b2b/notifications/read_all", csrf_from="/b2b/notifications")
        mine.invalidate_cache()
        self.assertFalse(mine.is_read)
        # on the bus, the notification went to its user's own channel only (which Odoo's
        # /longpolling/poll adds for that user's session alone: tests/test_browser_notifications.py
        # polls it); the others were told their own unread count
        self.assertEqual(set(self.pushed()), {self.channel(self.u_alfa_admin)})
        self.settle()
        self.env.cr.execute("SELECT channel, message FROM bus_bus WHERE id > %s",
                            (self.bus_start,))
        for channel, message in self.env.cr.fetchall():
            if "АЛЬФА-СЕКРЕТ" in json.loads(message).get("notification", {}).get("title", ""):
                self.assertEqual(tuple(json.loads(channel)), self.channel(self.u_alfa_admin))
        # the generic RPC does not reach it either
        self.login(self.u_beta_admin)
        answer = self.opener.post(self.url("/web/dataset/call_kw/b2b.notification/read"),
                                  data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": {
                                      "model": "b2b.notification", "method": "read",
                                      "args": [[mine.id], ["title"]], "kwargs": {}}}),
                                  headers={"Content-Type": "application/json"}, timeout=60)
        self.assertNotIn("АЛЬФА-СЕКРЕТ", answer.text)
        self.assertTrue(re.search(r"403|error", answer.text) or answer.status_code == 403)
