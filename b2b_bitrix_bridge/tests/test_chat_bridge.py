"""The dealer's chat with the manager through Bitrix24's open lines (the local stand-in, over real
HTTP both ways): the dealer's message reaches the open line, the manager's reply comes back as an
event, is stored as the manager's message, acknowledged and pushed to the dealer's users."""
import base64
import datetime
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests
from lxml import etree

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import common
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import Job

from .common import BitrixHttpCase

PRICE_LIST = b"PK\x03\x04 price list of the manager"


class FileServer:
    """Where the manager's files lie in Bitrix24 (its disk links): a local HTTP server."""

    def __init__(self, files):
        served = files

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                content = served.get(self.path)
                if content is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/vnd.ms-excel")
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.server.server_address[1], path)

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class ChatBridgeCase(BitrixHttpCase):
    """«Альфа»'s chat, with the events bound and the open-lines connector active."""

    post_install = True
    at_install = False

    def setUp(self):
        super(ChatBridgeCase, self).setUp()
        outcome = self.env["b2b.bitrix.api"]._b2b_subscribe()
        self.assertTrue(all(ok for _what, ok, _detail in outcome), outcome)
        ref = self.env.ref
        self.alfa = ref("b2b_base.demo_dealer_alfa")
        self.buyer = ref("b2b_base.demo_user_alfa_buyer")
        self.admin = ref("b2b_base.demo_user_alfa_admin")
        self.manager = self.alfa.b2b_manager_id
        self.channel = self.env["mail.channel"]._b2b_dealer_channel(self.alfa)
        self.chat_id = "dealer-%d" % self.alfa.id

    def jobs(self, method, state="pending"):
        return self.env["queue.job"].search([("method_name", "=", method), ("state", "=", state)],
                                            order="id")

    def perform(self, jobs):
        for job in jobs:
            Job.load(self.env, job.uuid).perform()
            job.state = "done"
        self.env.cache.invalidate()

    def post(self, text, files=()):
        message = self.channel._b2b_dealer_post(self.buyer, text, files)
        self.assertEqual(message.b2b_bitrix_state, "queued")
        return message

    def deliver_events(self):
        """Wait for Bitrix24's events to reach Odoo, then run the jobs their intake queued."""
        with self.unlocked():
            deliveries = self.portal.flush_events(timeout=10)
        self.perform(self.jobs("_b2b_process"))
        return deliveries

    def replies(self):
        return self.env["mail.message"].search([
            ("model", "=", "mail.channel"), ("res_id", "=", self.channel.id),
            ("b2b_bitrix_im_message_id", "!=", False)], order="id")

    def bus_last(self):
        self.env.cr.execute("SELECT coalesce(max(id), 0) FROM bus_bus")
        return self.env.cr.fetchone()[0]

    def pushed(self, since):
        """{bus channel: [chat message]} of the chat notifications sent after bus row ``since``."""
        self.env.cr.execute("SELECT channel, message FROM bus_bus WHERE id > %s ORDER BY id",
                            (since,))
        found = {}
        for channel, message in self.env.cr.fetchall():
            payload = json.loads(message)
            if isinstance(payload, dict) and payload.get("type") == "b2b_chat_message":
                found.setdefault(tuple(json.loads(channel)), []).append(payload["message"])
        return found


class TestChatBridge(ChatBridgeCase):

    def test_dealer_message_reaches_the_open_line_of_the_dealers_chat(self):
        message = self.post("Добрый день! Нужен счёт на 10 миксеров.")
        self.assertEqual(len(self.jobs("_b2b_bitrix_send")), 1)
        self.perform(self.jobs("_b2b_bitrix_send"))
        self.assertEqual(message.b2b_bitrix_state, "sent")
        self.assertEqual(message.b2b_bitrix_external_id, "odoo-%d" % message.id)
        self.assertEqual(len(self.portal.connector_messages), 1)
        sent = self.portal.connector_messages[0]
        self.assertEqual((sent["CONNECTOR"], sent["LINE"]), ("b2b_dealer_portal", 1))
        self.assertEqual(sent["chat"]["id"], self.chat_id)
        self.assertEqual(sent["chat"]["name"], self.alfa.name)
        self.assertEqual(sent["message"]["id"], "odoo-%d" % message.id)
        self.assertEqual(sent["message"]["text"], "Добрый день! Нужен счёт на 10 миксеров.")
        self.assertEqual(sent["user"]["id"], "partner-%d" % self.buyer.partner_id.id)
        self.assertEqual(sent["user"]["email"], self.buyer.partner_id.email)
        # a job run again (the runner retrying after a crash) does not send it twice
        Job.load(self.env, self.jobs("_b2b_bitrix_send", "done")[-1].uuid).perform()
        self.assertEqual(len(self.portal.connector_messages), 1)

    def test_manager_reply_comes_back_acknowledged_and_pushed_once(self):
        self.post("Когда отгрузка?")
        self.perform(self.jobs("_b2b_bitrix_send"))
        since = self.bus_last()
        self.portal.duplicate_events = True       # Bitrix24 delivers the event twice
        im_id = self.portal.operator_reply(self.chat_id, "Отгрузим [b]завтра[/b], в 10:00")
        deliveries = self.deliver_events()
        self.assertEqual([status for _event, status in deliveries], [200, 200])
        reply = self.replies()
        self.assertEqual(len(reply), 1)
        self.assertEqual(reply.b2b_bitrix_im_message_id, str(im_id))
        self.assertEqual(reply.author_id, self.manager.partner_id)
        self.assertIn("Отгрузим <strong>завтра</strong>, в 10:00", reply.body)
        self.assertNotIn("[b]", reply.body)
        self.assertEqual(reply.b2b_bitrix_state, "received")
        # the delivery is confirmed to Bitrix24 by a job
        self.assertEqual(self.portal.delivery_receipts, [])
        self.perform(self.jobs("_b2b_bitrix_acknowledge"))
        self.assertEqual(reply.b2b_bitrix_state, "acknowledged")
        self.assertEqual(len(self.portal.delivery_receipts), 1)
        receipt = self.portal.delivery_receipts[0]
        self.assertEqual(str(receipt["im"]["message_id"]), str(im_id))
        self.assertEqual(receipt["chat"]["id"], self.chat_id)
        self.assertEqual(receipt["message"]["id"], ["odoo-%d" % reply.id])
        # the dealer's users are told on their own bus channel, once
        pushed = self.pushed(since)
        db = self.env.cr.dbname
        dealer_users = self.env["res.users"].search([("b2b_role", "!=", False),
                                                     ("partner_id.b2b_dealer_id", "=", self.alfa.id)])
        self.assertEqual(set(pushed), {(db, "res.partner", u.partner_id.id) for u in dealer_users})
        self.assertIn((db, "res.partner", self.buyer.partner_id.id), pushed)
        for messages in pushed.values():
            self.assertEqual([m["id"] for m in messages], [reply.id])
            self.assertTrue(messages[0]["from_manager"])
        self.assertEqual(self.env["mail.channel"]._b2b_unread_count(self.buyer), 1)
        # the same reply again, later (another delivery of Bitrix24's queue): nothing changes
        since = self.bus_last()
        with self.unlocked():
            status, _body = self.portal.send_event(
                "http://%s:%s/b2b/bitrix/event" % (common.HOST, common.PORT),
                "ONIMCONNECTORMESSAGEADD", {"CONNECTOR": "b2b_dealer_portal", "LINE": 1,
                                            "MESSAGES": [self.portal.operator_messages[-1]]},
                self.portal.application_token, ts=1999999999)
        self.assertEqual(status, 200)
        self.perform(self.jobs("_b2b_process"))
        self.assertEqual(self.replies(), reply)
        self.assertEqual(self.pushed(since), {})
        self.assertFalse(self.jobs("_b2b_bitrix_acknowledge"))

    def test_operator_mapped_to_an_odoo_user_is_the_author(self):
        olga = self.env.ref("b2b_base.demo_user_manager_olga")
        olga.b2b_bitrix_user_id = 7
        self.portal.add_user(7, "Ольга", "Сменщица", olga.login + "@example.com")
        self.post("Есть кто?")
        self.perform(self.jobs("_b2b_bitrix_send"))
        self.portal.operator_reply(self.chat_id, "Я за Ивана сегодня", operator_id=7)
        self.deliver_events()
        self.assertEqual(self.replies().author_id, olga.partner_id)

    def test_files_both_ways(self):
        # the dealer's file: Bitrix24 gets a link it opens without a login, to that file only
        message = self.post("Спецификация во вложении",
                            [("spec.pdf", b"%PDF-1.4 dealer spec", "application/pdf")])
        self.perform(self.jobs("_b2b_bitrix_send"))
        files = self.portal.connector_messages[-1]["message"]["files"]
        self.assertEqual([f["name"] for f in files], ["spec.pdf"])
        url = files[0]["url"]
        self.assertTrue(url.startswith("http://%s:%s/b2b/chat/file/%d?token="
                                       % (common.HOST, common.PORT, message.attachment_ids.id)))
        with self.unlocked():
            fetched = requests.get(url, timeout=30)
            forged = requests.get(url[:-4] + "0000", timeout=30)
        self.assertEqual((fetched.status_code, fetched.content), (200, b"%PDF-1.4 dealer spec"))
        self.assertEqual(forged.status_code, 404)
        # the manager's file: downloaded into the chat
        disk = FileServer({"/disk/price.xls": PRICE_LIST})
        self.addCleanup(disk.stop)
        self.portal.operator_reply(self.chat_id, "Прайс", files=[
            {"name": "price.xls", "link": disk.url("/disk/price.xls")},
            {"name": "gone.xls", "link": disk.url("/disk/gone.xls")}])
        with mute_logger("odoo.addons.b2b_bitrix_bridge.models.mail_channel"):
            self.deliver_events()
        reply = self.replies()
        self.assertEqual(reply.attachment_ids.mapped("name"), ["price.xls"])
        self.assertEqual(reply.attachment_ids.mapped("datas_fname"), ["price.xls"])
        self.assertEqual(base64.b64decode(reply.attachment_ids.datas), PRICE_LIST)
        event = self.env["b2b.bitrix.event"].search([("event", "=", "ONIMCONNECTORMESSAGEADD")])
        self.assertIn("gone.xls", event.result)

    def test_bitrix24_down_while_sending_retries_and_sends_once(self):
        message = self.post("Срочно: нужен менеджер")
        job = self.jobs("_b2b_bitrix_send")
        self.portal.go_down()
        try:
            with self.assertRaises(RetryableJobError):
                Job.load(self.env, job.uuid).perform()
            self.env.cache.invalidate()
            self.assertEqual(message.b2b_bitrix_state, "queued")
        finally:
            self.portal.come_back()
        self.assertEqual(self.portal.connector_messages, [])
        Job.load(self.env, job.uuid).perform()
        self.env.cache.invalidate()
        self.assertEqual(message.b2b_bitrix_state, "sent")
        self.assertEqual([m["message"]["id"] for m in self.portal.connector_messages],
                         ["odoo-%d" % message.id])


class TestChatRefused(ChatBridgeCase):
    """Bitrix24 refuses a dealer's message item by item (SUCCESS false, ERRORS): it is not lost."""

    def later(self, minutes):
        """An Odoo UTC datetime string ``minutes`` from now."""
        return fields.Datetime.to_string(datetime.datetime.utcnow()
                                         + datetime.timedelta(minutes=minutes, seconds=5))

    def send_due(self, minutes):
        """The cron, as it runs ``minutes`` from now, then the jobs it queued."""
        queued = self.env["mail.message"]._b2b_bitrix_resend_due(now=self.later(minutes))
        self.perform(self.jobs("_b2b_bitrix_send"))
        return queued

    def delivered(self, message):
        return [m for m in self.portal.connector_messages
                if m["message"]["id"] == "odoo-%d" % message.id]

    def test_refused_message_is_sent_again_by_itself_and_reaches_the_operator_once(self):
        self.portal.refuse_messages = 1
        message = self.post("Нужен счёт на смесители")
        since = self.bus_last()
        self.perform(self.jobs("_b2b_bitrix_send"))
        self.assertEqual(message.b2b_bitrix_state, "failed")
        self.assertEqual(message.b2b_bitrix_error,
                         "The message could not be delivered to the open line")
        self.assertEqual(message.b2b_bitrix_attempts, 1)
        self.assertEqual(self.delivered(message), [])
        # the dealer's users see at once that it did not reach the manager
        pushed = self.pushed(since)[(self.env.cr.dbname, "res.partner", self.buyer.partner_id.id)]
        self.assertEqual([(m["id"], m["delivery"]) for m in pushed], [(message.id, "failed")])
        # not before a minute has passed; then sent again, once, under the same id
        self.assertFalse(self.send_due(0))
        self.assertEqual(self.send_due(1), message)
        self.assertEqual(message.b2b_bitrix_state, "sent")
        self.assertFalse(message.b2b_bitrix_error)
        self.assertEqual(message.b2b_bitrix_attempts, 2)
        self.assertEqual(len(self.delivered(message)), 1)
        self.assertEqual(self.delivered(message)[0]["message"]["text"], "Нужен счёт на смесители")
        # and the mark goes for the dealer's users
        pushed = self.pushed(since)[(self.env.cr.dbname, "res.partner", self.buyer.partner_id.id)]
        self.assertEqual(pushed[-1]["delivery"], "")
        self.assertEqual(pushed[-1]["state"], "sent")
        # later runs of the cron, a job run again, the manager's button: never a second delivery
        self.assertFalse(self.send_due(60))
        Job.load(self.env, self.jobs("_b2b_bitrix_send", "done")[-1].uuid).perform()
        with self.assertRaises(UserError):
            message.sudo(self.manager).action_b2b_bitrix_resend()
        self.perform(self.jobs("_b2b_bitrix_send"))
        self.assertEqual(len(self.delivered(message)), 1)
        # the manager answers it: the operator's chat is the dealer's
        self.portal.operator_reply(self.chat_id, "Счёт выставлен")
        self.deliver_events()
        self.assertEqual(len(self.replies()), 1)

    def test_sent_again_after_1_5_30_minutes_then_left_to_the_manager(self):
        self.portal.refuse_messages = 4
        message = self.post("Ответьте, пожалуйста")
        self.perform(self.jobs("_b2b_bitrix_send"))
        waits = []
        for attempt in (1, 2, 3):
            self.assertEqual((message.b2b_bitrix_state, message.b2b_bitrix_attempts),
                             ("failed", attempt))
            left = fields.Datetime.from_string(message.b2b_bitrix_retry_at) - \
                datetime.datetime.utcnow()
            waits.append(int(round(left.total_seconds() / 60.0)))
            self.send_due(waits[-1])
        self.assertEqual(waits, [1, 5, 30])
        self.assertEqual((message.b2b_bitrix_state, message.b2b_bitrix_attempts),
                         ("failed", 4))
        self.assertFalse(message.b2b_bitrix_retry_at)
        self.assertFalse(self.send_due(24 * 60))
        self.assertEqual(self.delivered(message), [])
        # the manager finds it under "Not delivered to Bitrix24", with Bitrix24's error
        action = self.env.ref("b2b_bitrix_bridge.action_mail_message_b2b_chat_undelivered")
        search = self.env.ref("b2b_bitrix_bridge.view_mail_message_b2b_chat_search")
        self.assertIn("search_default_b2b_bitrix_undelivered", action.context)
        [undelivered] = etree.fromstring(search.arch_db).xpath(
            "//filter[@name='b2b_bitrix_undelivered']")
        self.assertEqual(undelivered.get("string"), "Not delivered to Bitrix24")
        domain = safe_eval(action.domain) + safe_eval(undelivered.get("domain"))
        found = self.env["mail.message"].sudo(self.manager).search(domain)
        self.assertEqual(found, message)
        self.assertEqual(found.b2b_bitrix_error,
                         "The message could not be delivered to the open line")
        # his "Send again" sends it at once
        found.action_b2b_bitrix_resend()
        self.assertEqual(message.b2b_bitrix_state, "queued")
        self.perform(self.jobs("_b2b_bitrix_send"))
        self.assertEqual(message.b2b_bitrix_state, "sent")
        self.assertEqual(len(self.delivered(message)), 1)
        self.assertFalse(self.env["mail.message"].sudo(self.manager).search(domain))
