import json

import pytz

from lxml import html

from odoo import fields
from odoo.tests import common

from odoo.addons.b2b_bitrix_bridge.tests.standin import bitrix24_standin
from odoo.addons.b2b_portal.tests.common import PortalHttpCase
from odoo.addons.queue_job.job import Job


def reply_form(dealer, im_message_id, text, operator_id="", ts="1773759161"):
    """The form Bitrix24 posts for a manager's reply in ``dealer``'s chat (flat PHP keys)."""
    return {
        "event": "ONIMCONNECTORMESSAGEADD", "ts": ts,
        "data[CONNECTOR]": "b2b_dealer_portal", "data[LINE]": "1",
        "data[MESSAGES][0][im][chat_id]": "1807",
        "data[MESSAGES][0][im][message_id]": str(im_message_id),
        "data[MESSAGES][0][message][user_id]": operator_id,
        "data[MESSAGES][0][message][text]": text,
        "data[MESSAGES][0][chat][id]": "dealer-%d" % dealer.id,
    }


class TestPortalChat(PortalHttpCase):
    """«Альфа-Дилер»'s users write to their manager Иван (manager.ivan) from the portal; his
    replies come from Bitrix24 into their chat. «Бета-Трейд»'s users never see any of it."""

    def setUp(self):
        super(TestPortalChat, self).setUp()
        self.manager = self.alfa.b2b_manager_id
        self.Channel = self.env["mail.channel"]

    # ------------------------------------------------------------------ helpers
    def channel_of(self, dealer):
        self.settle()
        self.env.cache.invalidate()
        return self.Channel.search([("b2b_dealer_id", "=", dealer.id)])

    def manager_replies(self, dealer, im_message_id, text):
        """Bitrix24 delivers the manager's reply (the event job's handler, run here)."""
        with self.saved():
            event, _created = self.env["b2b.bitrix.event"].sudo()._record_delivery(
                reply_form(dealer, im_message_id, text))
            self.Channel._b2b_bitrix_message_event(event)

    def tree(self, path):
        answer = self.get(path)
        self.assertEqual(answer.status_code, 200, answer.text[:300])
        return html.fromstring(answer.text)

    def unread(self):
        return self.rpc("/b2b/chat/unread")[0]["unread"]

    def badge(self, tree):
        """The unread counter of the navigation bar: its number, or None when it is hidden."""
        badge = tree.xpath("//li[contains(@class, 'o_b2b_nav_chat')]//span[contains(@class, "
                           "'o_b2b_chat_unread')]")[0]
        return None if "hidden" in badge.get("class") else int(badge.text)

    # ------------------------------------------------------------------ tests
    def test_dealer_writes_and_reads_the_managers_reply(self):
        self.login(self.u_alfa_buyer)
        tree = self.tree("/b2b/catalog")
        self.assertEqual(self.badge(tree), None)
        self.assertEqual(len(tree.xpath("//a[contains(@class, 'o_b2b_chat_button')]"
                                        "[@href='/b2b/chat']")), 1, "the button works without JS")
        # the test server serves the bus itself: the panel listens to it
        self.assertEqual(tree.xpath("//div[contains(@class, 'o_b2b_chat_panel')]"
                                    "/div[contains(@class, 'o_b2b_chat')]/@data-bus"), ["1"])
        # the demo dealers work in Russian
        self.assertEqual([t.strip() for t in tree.xpath(
            "//li[contains(@class, 'o_b2b_nav_chat')]/a/text()") if t.strip()], ["Чат с менеджером"])
        # the form of the page posts text and a file, and comes back to the page
        answer = self.post("/b2b/chat/post", {"text": "Нужен счёт на <b>миксеры</b>"},
                           files={"attachments": ("spec.pdf", b"%PDF-1.4 spec", "application/pdf")},
                           csrf_from="/b2b/chat", allow_redirects=False)
        self.assertEqual(answer.status_code, 303)
        self.assertTrue(answer.headers["Location"].endswith("/b2b/chat"))
        channel = self.channel_of(self.alfa)
        self.assertEqual(len(channel), 1)
        self.assertEqual(channel.public, "private")
        members = channel.channel_partner_ids
        self.assertIn(self.manager.partner_id, members)
        for user in (self.u_alfa_admin, self.u_alfa_buyer, self.u_alfa_outlet):
            self.assertIn(user.partner_id, members)
        self.assertFalse(members & (self.u_beta_admin | self.u_beta_buyer).mapped("partner_id"))
        message = self.env["mail.message"].search([("model", "=", "mail.channel"),
                                                   ("res_id", "=", channel.id)])
        self.assertEqual(len(message), 1)
        self.assertEqual(message.author_id, self.u_alfa_buyer.partner_id)
        self.assertIn("&lt;b&gt;миксеры&lt;/b&gt;", message.body)
        self.assertEqual(message.attachment_ids.mapped("name"), ["spec.pdf"])
        self.assertEqual(message.b2b_bitrix_state, "queued")
        job = self.env["queue.job"].search([("model_name", "=", "mail.message"),
                                            ("method_name", "=", "_b2b_bitrix_send")])
        self.assertEqual(job.record_ids, [message.id])
        self.assertEqual(job.channel, "root.b2b_bitrix")
        # the file opens from its link, for its own chat only
        page = self.tree("/b2b/chat")
        link = page.xpath("//div[contains(@class, 'o_b2b_chat_message')]//a[contains(@href, "
                          "'/b2b/chat/file/')]/@href")
        self.assertEqual(len(link), 1)
        self.assertEqual(self.get(link[0]).content, b"%PDF-1.4 spec")

        # the manager answers in Bitrix24: the dealer's users see it on every page
        self.manager_replies(self.alfa, 86497, "[b]Иван Менеджеров:[/b] [br]Счёт [i]выставлен[/i]")
        tree = self.tree("/b2b/catalog")
        self.assertEqual(self.badge(tree), 1)
        self.assertEqual(self.unread(), 1)
        last = self.env["mail.message"].search([("model", "=", "mail.channel"),
                                                ("res_id", "=", channel.id)], order="id desc", limit=1)
        self.assertEqual(self.rpc("/b2b/chat/unread")[0]["last_id"], last.id)
        # the chat page shows it, authored by the manager, and marks it read
        page = self.tree("/b2b/chat")
        manager_msg = page.xpath("//div[contains(@class, 'o_b2b_chat_manager')]")
        self.assertEqual(len(manager_msg), 1)
        self.assertEqual(manager_msg[0].xpath(".//span[@class='o_b2b_chat_author']/text()"),
                         [self.manager.partner_id.name])
        self.assertEqual(manager_msg[0].xpath(".//em/text()"), ["выставлен"])
        # its time in the supplier's time zone (the demo users have none of their own), not UTC
        moscow = pytz.utc.localize(fields.Datetime.from_string(last.date)).astimezone(
            pytz.timezone("Europe/Moscow"))
        self.assertEqual(manager_msg[0].xpath(".//span[@class='o_b2b_chat_date']/text()"),
                         [moscow.strftime("%d.%m.%Y %H:%M")])
        self.assertEqual(self.badge(page), None)
        self.assertEqual(self.unread(), 0)
        # another user of the same dealer has not read it yet
        self.login(self.u_alfa_admin)
        self.assertEqual(self.unread(), 1)
        history, _error = self.rpc("/b2b/chat/history")
        self.assertEqual([(m["mine"], m["from_manager"]) for m in history["messages"]],
                         [(False, False), (False, True)])
        self.assertEqual(self.rpc("/b2b/chat/read", message_id=history["last_id"])[0],
                         {"unread": 0})

    def bus_since(self, last):
        """{bus channel: [chat message]} of the chat notifications after bus row ``last``."""
        self.settle()
        self.env.cr.execute("SELECT channel, message FROM bus_bus WHERE id > %s ORDER BY id",
                            (last,))
        pushed = {}
        for bus_channel, message in self.env.cr.fetchall():
            payload = json.loads(message)
            if payload.get("type") == "b2b_chat_message":
                pushed.setdefault(tuple(json.loads(bus_channel)), []).append(payload["message"])
        return pushed

    def test_reply_is_pushed_on_the_dealer_users_own_bus_channel_once(self):
        self.login(self.u_alfa_buyer)
        self.settle()
        self.env.cr.execute("SELECT coalesce(max(id), 0) FROM bus_bus")
        first = self.env.cr.fetchone()[0]
        self.post("/b2b/chat/post", {"text": "Когда отгрузка?"}, csrf_from="/b2b/chat")
        # the buyer's colleagues see what the buyer wrote at once, as a colleague's message
        written = self.bus_since(first)
        db = self.env.cr.dbname
        colleague = written[(db, "res.partner", self.u_alfa_admin.partner_id.id)]
        self.assertEqual([(m["mine"], m["from_manager"]) for m in colleague], [(False, False)])
        self.assertIn("Когда отгрузка?", colleague[0]["body"])
        self.assertFalse([key for key in written if key[2] in (
            self.u_beta_admin | self.u_beta_buyer).mapped("partner_id").ids])
        self.env.cr.execute("SELECT coalesce(max(id), 0) FROM bus_bus")
        last = self.env.cr.fetchone()[0]
        self.manager_replies(self.alfa, 555, "[b]Иван:[/b] [br]Завтра")
        self.manager_replies(self.alfa, 555, "[b]Иван:[/b] [br]Завтра")  # delivered twice
        channel = self.channel_of(self.alfa)
        replies = self.env["mail.message"].search([("model", "=", "mail.channel"),
                                                   ("res_id", "=", channel.id),
                                                   ("b2b_bitrix_im_message_id", "=", "555")])
        self.assertEqual(len(replies), 1)
        self.assertEqual(replies.author_id, self.manager.partner_id)
        self.env.cr.execute("SELECT channel, message FROM bus_bus WHERE id > %s", (last,))
        pushed = {}
        for bus_channel, message in self.env.cr.fetchall():
            payload = json.loads(message)
            if payload.get("type") == "b2b_chat_message":
                pushed.setdefault(tuple(json.loads(bus_channel)), []).append(payload["message"])
        dbname = self.env.cr.dbname
        expected = {(dbname, "res.partner", u.partner_id.id)
                    for u in (self.u_alfa_admin, self.u_alfa_buyer, self.u_alfa_outlet)}
        self.assertEqual(set(pushed), expected)
        for messages in pushed.values():
            self.assertEqual([m["body"] for m in messages], ["<p>Завтра</p>"])
        self.assertEqual(self.unread(), 1)

    def test_panel_script_posts_and_pages_the_history(self):
        self.login(self.u_alfa_buyer)
        answer = self.post("/b2b/chat/post", {"text": "", "json": "1"}, csrf_from="/b2b/chat")
        self.assertEqual(answer.status_code, 400)
        self.assertIn("error", answer.json())
        answer = self.post("/b2b/chat/post", {"text": "Первое", "json": "1"}, csrf_from="/b2b/chat")
        self.assertEqual(answer.status_code, 200, answer.text[:300])
        first = answer.json()["message"]
        self.assertTrue(first["mine"])
        self.assertIn("Первое", first["body"])
        channel = self.channel_of(self.alfa)
        with self.saved():
            for number in range(34):
                channel._b2b_dealer_post(self.u_alfa_buyer, "Сообщение %d" % number)
        history, _error = self.rpc("/b2b/chat/history")
        self.assertEqual(len(history["messages"]), 30)
        self.assertTrue(history["more"])
        self.assertIn("Сообщение 33", history["messages"][-1]["body"])
        older, _error = self.rpc("/b2b/chat/history", before_id=history["messages"][0]["id"])
        self.assertEqual(len(older["messages"]), 5)
        self.assertFalse(older["more"])
        self.assertEqual(older["messages"][0]["id"], first["id"])
        # the page of its own pages back the same way
        page = self.tree("/b2b/chat?before=%d" % history["messages"][0]["id"])
        self.assertEqual(len(page.xpath(
            "//div[contains(concat(' ', @class, ' '), ' o_b2b_chat_message ')]")), 5)

    def test_another_dealer_reaches_nothing_of_the_chat(self):
        self.login(self.u_alfa_buyer)
        self.post("/b2b/chat/post", {"text": "Секрет Альфы"},
                  files={"attachments": ("alfa.pdf", b"%PDF alfa only", "application/pdf")},
                  csrf_from="/b2b/chat")
        self.manager_replies(self.alfa, 777, "[b]Иван:[/b] [br]Ответ Альфе")
        channel = self.channel_of(self.alfa)
        attachment = self.env["ir.attachment"].search([("res_model", "=", "mail.channel"),
                                                       ("res_id", "=", channel.id)])
        self.assertEqual(len(attachment), 1)
        token = channel._b2b_file_token(attachment.id)

        self.login(self.u_beta_buyer)
        history, _error = self.rpc("/b2b/chat/history")
        self.assertEqual(history["messages"], [])
        self.assertEqual(self.unread(), 0)
        page = self.get("/b2b/chat")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("Секрет Альфы", page.text)
        self.assertNotIn("Ответ Альфе", page.text)
        for path in ("/b2b/chat/file/%d" % attachment.id,
                     "/b2b/chat/file/%d?token=%s" % (attachment.id, "0" * 64),
                     "/b2b/chat/file/%d?token=%s" % (attachment.id + 1, token),
                     "/web/content/%d" % attachment.id,
                     "/web/content/ir.attachment/%d/datas" % attachment.id):
            answer = self.get(path)
            self.assertIn(answer.status_code, (403, 404), path)
            self.assertNotIn(b"alfa only", answer.content, path)
        # reading the history up to Alfa's last message does not touch Alfa's chat
        self.rpc("/b2b/chat/read", message_id=999999999)
        beta_members = self.channel_of(self.beta).channel_partner_ids
        self.assertTrue(beta_members)
        self.assertFalse(beta_members.filtered(lambda p: p.b2b_dealer_id == self.alfa))
        # the file's link works for the one who holds it (Bitrix24, the dealer's users)
        self.assertEqual(self.get("/b2b/chat/file/%d?token=%s" % (attachment.id, token)).content,
                         b"%PDF alfa only")

    def test_members_follow_the_dealers_users_and_manager(self):
        channel = self.Channel._b2b_dealer_channel(self.alfa)
        olga = self.env.ref("b2b_base.demo_user_manager_olga")
        self.assertIn(self.manager.partner_id, channel.channel_partner_ids)
        self.alfa.b2b_manager_id = olga
        self.u_alfa_outlet.active = False
        channel = self.Channel._b2b_dealer_channel(self.alfa)
        self.assertIn(olga.partner_id, channel.channel_partner_ids)
        self.assertNotIn(self.manager.partner_id, channel.channel_partner_ids)
        self.assertNotIn(self.u_alfa_outlet.partner_id, channel.channel_partner_ids)
        self.assertIn(self.u_alfa_buyer.partner_id, channel.channel_partner_ids)

    def test_chat_is_for_dealers_users_only(self):
        self.login(self.manager)
        self.assertEqual(self.get("/b2b/chat").status_code, 404)
        payload = {"jsonrpc": "2.0", "method": "call", "id": 1, "params": {}}
        answer = self.opener.post(self.url("/b2b/chat/history"), data=json.dumps(payload),
                                  headers={"Content-Type": "application/json"}, timeout=60)
        self.assertIn("error", answer.json())
        self.assertFalse(self.channel_of(self.alfa).channel_message_ids)


class TestPortalChatUndelivered(PortalHttpCase):
    """A message of «Альфа-Дилер»'s buyer that Bitrix24 (the stand-in) refused: the dealer sees it
    was not delivered and sends it again; «Бета-Трейд»'s users cannot touch it."""

    def setUp(self):
        super(TestPortalChatUndelivered, self).setUp()
        self.portal = bitrix24_standin().Bitrix24StandIn(rate=50, burst=1000).start()
        self.addCleanup(self.portal.stop)
        with self.saved():
            self.env["ir.config_parameter"].set_param(
                "web.base.url", "http://%s:%s" % (common.HOST, common.PORT))
            self.env["b2b.bitrix.api"]._b2b_configure_for_tests(self.portal)
            outcome = self.env["b2b.bitrix.api"]._b2b_subscribe()
        self.assertTrue(all(ok for _what, ok, _detail in outcome), outcome)

    def run_jobs(self):
        """The sending jobs the requests queued, as the job runner runs them; how many."""
        with self.saved():
            found = self.env["queue.job"].search([("method_name", "=", "_b2b_bitrix_send"),
                                                  ("state", "=", "pending")])
            for job in found:
                Job.load(self.env, job.uuid).perform()
                job.state = "done"
            self.env.cache.invalidate()
        return len(found)

    def delivered(self, message_id):
        return [m for m in self.portal.connector_messages
                if m["message"]["id"] == "odoo-%d" % message_id]

    def mark(self, message_id):
        """(the delivery mark under the message on /b2b/chat, its button) as the user reads them."""
        page = html.fromstring(self.get("/b2b/chat").text)
        [node] = page.xpath("//div[contains(@class, 'o_b2b_chat_message')][@data-id='%d']"
                            % message_id)
        marks = node.xpath(".//*[contains(@class, 'o_b2b_chat_delivery')]")
        if not marks:
            return None, None
        buttons = marks[0].xpath(".//button[contains(@class, 'o_b2b_chat_resend')]")
        return (marks[0].xpath("string(.//*[@class='o_b2b_chat_delivery_text'])"),
                (buttons[0].text_content().strip(), marks[0].get("action")) if buttons else None)

    def test_dealer_sees_the_refused_message_and_sends_it_again(self):
        self.login(self.u_alfa_buyer)
        self.portal.refuse_messages = 1
        answer = self.post("/b2b/chat/post", {"text": "Где мой заказ?", "json": "1"},
                           csrf_from="/b2b/chat")
        message_id = answer.json()["message"]["id"]
        self.assertEqual(answer.json()["message"]["delivery"], "")
        self.assertEqual(self.run_jobs(), 1)
        self.assertEqual(self.delivered(message_id), [])
        # the page (no script) and the panel's JSON show it was not delivered
        self.assertEqual(self.mark(message_id), (
            "Не доставлено менеджеру", ("Отправить снова", "/b2b/chat/resend/%d" % message_id)))
        history, _error = self.rpc("/b2b/chat/history")
        self.assertEqual([m["delivery"] for m in history["messages"] if m["id"] == message_id],
                         ["failed"])

        # another dealer's user: 404, nothing queued, the message as it was
        self.login(self.u_beta_buyer)
        answer = self.post("/b2b/chat/resend/%d" % message_id, {}, csrf_from="/b2b/chat",
                           allow_redirects=False)
        self.assertEqual(answer.status_code, 404)
        self.settle()
        self.env.cache.invalidate()
        message = self.env["mail.message"].browse(message_id)
        self.assertEqual(message.b2b_bitrix_state, "failed")
        self.assertEqual(self.run_jobs(), 0)

        # the buyer presses "Send again": a post without the session's CSRF token changes nothing
        self.login(self.u_alfa_buyer)
        answer = self.opener.post(self.url("/b2b/chat/resend/%d" % message_id),
                                  data={"csrf_token": "0" * 40}, timeout=60, allow_redirects=False)
        self.assertEqual(answer.status_code, 400)
        self.assertEqual(self.run_jobs(), 0)
        answer = self.post("/b2b/chat/resend/%d" % message_id, {}, csrf_from="/b2b/chat",
                           allow_redirects=False)
        self.assertEqual(answer.status_code, 303)
        self.assertTrue(answer.headers["Location"].endswith("/b2b/chat"))
        self.assertEqual(self.mark(message_id), ("Отправляется…", None))
        # pressed again from the panel while queued: shown as being sent, not queued twice
        answer = self.post("/b2b/chat/resend/%d" % message_id, {"json": "1"},
                           csrf_from="/b2b/chat")
        self.assertEqual(answer.status_code, 200, answer.text[:300])
        self.assertEqual(answer.json()["message"]["delivery"], "sending")
        self.assertEqual(self.run_jobs(), 1)
        self.assertEqual(len(self.delivered(message_id)), 1)
        self.assertEqual(self.delivered(message_id)[0]["message"]["text"], "Где мой заказ?")
        self.assertEqual(self.mark(message_id), (None, None))
        # once delivered, "Send again" sends nothing more
        self.post("/b2b/chat/resend/%d" % message_id, {}, csrf_from="/b2b/chat")
        self.assertEqual(self.run_jobs(), 0)
        self.assertEqual(len(self.delivered(message_id)), 1)
