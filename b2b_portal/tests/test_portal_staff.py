import email
import html
import re
import socket
import socketserver
import threading

import requests

import odoo.http
from odoo.addons.base.ir.ir_mail_server import extract_rfc2822_addresses
from odoo.tests.common import get_db_name

from .common import PortalHttpCase


class _SmtpHandler(socketserver.StreamRequestHandler):
    """One SMTP session (RFC 5321: EHLO/HELO, MAIL, RCPT, DATA with dot-stuffing, RSET, NOOP,
    QUIT); every session is counted and every message received kept as (recipients, raw bytes)."""

    def reply(self, text):
        self.wfile.write(text.encode() + b"\r\n")

    def handle(self):
        self.server.sessions += 1
        self.reply("220 127.0.0.1 ESMTP test sink")
        recipients, lines, in_data = [], [], False
        for line in self.rfile:
            if in_data:
                if line.rstrip(b"\r\n") == b".":
                    self.server.messages.append((recipients, b"".join(lines)))
                    recipients, lines, in_data = [], [], False
                    self.reply("250 2.0.0 queued")
                else:
                    lines.append(line[1:] if line.startswith(b"..") else line)
                continue
            verb = line[:4].upper()
            if verb == b"EHLO":
                self.reply("250-127.0.0.1")
                self.reply("250 8BITMIME")
            elif verb in (b"HELO", b"MAIL", b"RSET", b"NOOP"):
                self.reply("250 OK")
            elif verb == b"RCPT":
                recipients.append(re.search(rb"<([^>]*)>", line).group(1).decode())
                self.reply("250 OK")
            elif verb == b"DATA":
                in_data = True
                self.reply("354 end with <CRLF>.<CRLF>")
            elif verb == b"QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 command not implemented")


class SmtpSink(socketserver.ThreadingTCPServer):
    """A local SMTP server standing in for the supplier's outgoing mail server."""
    daemon_threads = True

    def __init__(self):
        socketserver.ThreadingTCPServer.__init__(self, ("127.0.0.1", 0), _SmtpHandler)
        self.messages = []
        self.sessions = 0
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    @property
    def port(self):
        return self.server_address[1]

    def stop(self):
        self.shutdown()
        self.server_close()


def closed_port():
    """A port on 127.0.0.1 nobody listens on (bound, then released)."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


class TestPortalStaff(PortalHttpCase):
    """Dealer staff management over real HTTP: a dealer administrator invites, changes and blocks
    the dealer's users; nobody else manages them."""

    def post(self, path, data=None, files=None, csrf_from="/b2b/orders", **kwargs):
        """POST a form with the CSRF token of a page of this area (every page of the web
        layout carries the session's token)."""
        return super(TestPortalStaff, self).post(path, data, files=files, csrf_from=csrf_from, **kwargs)

    def invite(self, name="Ирина Лебедева", email="irina@alfa-dealer.example", role="buyer",
               contract=None):
        data = {"name": name, "email": email, "role": role,
                "contract_id": str(contract.id) if contract else ""}
        return self.post("/b2b/staff/invite", data, allow_redirects=False)

    def follow(self, answer):
        """The page a redirect leads to."""
        location = answer.headers["Location"]
        if location.startswith("http"):
            return self.opener.get(location, timeout=60)
        return self.get(location)

    def users(self, login):
        return self.env["res.users"].with_context(active_test=False).search([("login", "=", login)])

    def staff_rows(self):
        page = self.get("/b2b/staff")
        self.assertEqual(page.status_code, 200, page.text[:300])
        return {int(uid): active == "1" for uid, active in re.findall(
            r'class="o_b2b_staff_row[^"]*" data-user-id="(\d+)" data-active="(\d)"', page.text)}

    def error_of(self, answer):
        self.assertEqual(answer.status_code, 200, answer.text[:300])
        found = re.search(r'class="alert alert-danger o_b2b_error">(.*?)</div>', answer.text, re.S)
        self.assertTrue(found, "no error shown")
        return found.group(1)

    def web_login(self, login, password):
        """Log in through the login page in a browser of its own (the test's session stays the
        administrator's); True when it lets the user in."""
        session = odoo.http.root.session_store.new()
        session.db = get_db_name()
        odoo.http.root.session_store.save(session)
        browser = requests.Session()
        browser.cookies.set("session_id", session.sid, domain="127.0.0.1", path="/")
        page = browser.get(self.url("/web/login"), timeout=60)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        answer = browser.post(self.url("/web/login"), timeout=60, data={
            "login": login, "password": password, "csrf_token": token, "redirect": ""})
        self.assertEqual(answer.status_code, 200)
        if "window.location = " not in answer.text:
            self.assertIn("alert-danger", answer.text, "a refused login says so")
            return False
        return browser.get(self.url("/b2b/orders"), timeout=60, allow_redirects=False).status_code == 200

    # ------------------------------------------------------------------ list and invite
    def test_list_shows_the_dealers_staff_only(self):
        self.login(self.u_alfa_admin)
        rows = self.staff_rows()
        self.assertTrue({self.u_alfa_admin.id, self.u_alfa_buyer.id, self.u_alfa_outlet.id} <= set(rows))
        yug_admin = self.env.ref("b2b_base.demo_user_yug_admin")
        self.assertFalse({self.u_beta_admin.id, self.u_beta_buyer.id, yug_admin.id} & set(rows),
                         "users of other dealers (even of the holding) are not listed")
        page = self.get("/b2b/staff").text
        self.assertIn(self.u_alfa_outlet.login, page)
        self.assertIn(self.c_alfa_retail.name, page)

    def mail_server(self, port):
        self.env["ir.mail_server"].search([]).write({"active": False})
        return self.env["ir.mail_server"].create({
            "name": "Supplier mail", "smtp_host": "127.0.0.1", "smtp_port": port,
            "smtp_encryption": "none", "sequence": 1})

    def deliver_mail(self):
        """Odoo's test mode stops ``ir.mail_server.send_email`` short of the SMTP conversation
        (it returns before handing the message over); for this test the message goes the rest
        of the way, as outside test mode: over the session Odoo opened to the configured mail
        server, from the bounce or sender address to every address of To, Cc and Bcc."""
        MailServer = self.env["ir.mail_server"]

        def send_email(self, message, mail_server_id=None, smtp_server=None, smtp_port=None,
                       smtp_user=None, smtp_password=None, smtp_encryption=None, smtp_debug=False,
                       smtp_session=None):
            message_id = send_email.origin(
                self, message, mail_server_id=mail_server_id, smtp_server=smtp_server,
                smtp_port=smtp_port, smtp_user=smtp_user, smtp_password=smtp_password,
                smtp_encryption=smtp_encryption, smtp_debug=smtp_debug, smtp_session=smtp_session)
            recipients = [address for header in ("To", "Cc", "Bcc")
                          for address in extract_rfc2822_addresses(message[header] or "")]
            sender = extract_rfc2822_addresses(message["Return-Path"] or message["From"])[0]
            smtp = smtp_session or self.connect(mail_server_id=mail_server_id)
            try:
                smtp.sendmail(sender, recipients, message.as_string())
            finally:
                if not smtp_session:
                    smtp.quit()
            return message_id
        MailServer._patch_method("send_email", send_email)
        self.addCleanup(MailServer._revert_method, "send_email")

    def test_admin_invites_a_buyer_and_an_outlet_user(self):
        sink = SmtpSink()
        self.addCleanup(sink.stop)
        self.mail_server(sink.port)
        self.deliver_mail()
        self.login(self.u_alfa_admin)
        answer = self.invite(email=" Irina@Alfa-Dealer.example ")
        self.assertEqual(answer.status_code, 303, answer.text[:500])
        user = self.users("irina@alfa-dealer.example")
        self.assertEqual(len(user), 1)
        self.assertIn("invited=%d&mail=1" % user.id, answer.headers["Location"])
        self.assertTrue(user.active)
        self.assertTrue(user.has_group("base.group_portal"))
        self.assertFalse(user.has_group("base.group_user"))
        self.assertEqual(user.b2b_role, "buyer")
        self.assertEqual(user.partner_id.parent_id, self.alfa, "a contact of the dealer")
        self.assertEqual(user.partner_id.b2b_dealer_id, self.alfa)
        self.assertEqual(user.email, "irina@alfa-dealer.example")
        # the standard invitation went to the mail server: one message to the new user, with
        # the link that sets the password
        token = user.partner_id.signup_token
        self.assertTrue(token, "the link to set a password is open")
        self.assertGreaterEqual(sink.sessions, 1, "the mail server was reached")
        delivered = [raw for recipients, raw in sink.messages
                     if recipients == ["irina@alfa-dealer.example"]]
        self.assertEqual(len(delivered), 1, [recipients for recipients, _raw in sink.messages])
        message = email.message_from_bytes(delivered[0])
        self.assertIn("irina@alfa-dealer.example", message["To"])
        body = html.unescape(b"".join(part.get_payload(decode=True) or b""
                                      for part in message.walk()).decode("utf-8"))
        link = re.search(r'href="[^"]*?(/web/(?:signup|reset_password)\?[^"]*)"', body)
        self.assertTrue(link, body[:1000])
        self.assertIn("token=%s" % token, link.group(1))
        # the link opens the form that sets the password (in a browser of its own)
        form = requests.Session().get(self.url(link.group(1)), timeout=60)
        self.assertEqual(form.status_code, 200)
        self.assertIn('name="password"', form.text)
        self.assertIn('name="confirm_password"', form.text)
        page = self.follow(answer).text
        self.assertIn("o_b2b_staff_invited", page)
        self.assertNotIn("o_b2b_staff_mail_failed", page)
        self.assertIn(self.c_alfa, user.b2b_allowed_contract_ids)
        self.assertIn(user.id, self.staff_rows())
        answer = self.invite(name="Олег", email="oleg@alfa-dealer.example", role="outlet",
                             contract=self.c_alfa_retail)
        self.assertEqual(answer.status_code, 303, answer.text[:500])
        outlet = self.users("oleg@alfa-dealer.example")
        self.assertEqual((outlet.b2b_role, outlet.b2b_contract_id), ("outlet", self.c_alfa_retail))
        self.assertEqual(outlet.b2b_allowed_contract_ids, self.c_alfa_retail)

    def test_invite_works_without_a_mail_server(self):
        self.mail_server(closed_port())
        self.login(self.u_alfa_admin)
        answer = self.invite(email="irina@alfa-dealer.example")
        self.assertEqual(answer.status_code, 303, answer.text[:500])
        user = self.users("irina@alfa-dealer.example")
        self.assertEqual(user.b2b_role, "buyer", "the user is created all the same")
        self.assertIn("invited=%d&mail=0" % user.id, answer.headers["Location"])
        self.assertIn("o_b2b_staff_mail_failed", self.follow(answer).text)

    def test_bad_invitations_are_refused_and_create_nothing(self):
        self.login(self.u_alfa_admin)
        partners = self.env["res.partner"].search_count([])
        error = self.error_of(self.invite(email="oleg@alfa-dealer.example", role="outlet",
                                          contract=self.c_beta))
        self.assertTrue(error.strip())
        self.assertFalse(self.users("oleg@alfa-dealer.example"), "another dealer's contract")
        self.error_of(self.invite(email="oleg@alfa-dealer.example", role="outlet"))
        self.assertFalse(self.users("oleg@alfa-dealer.example"), "an outlet needs its contract")
        answer = self.invite(name="", email="not-an-address", role="boss")
        self.assertEqual(len(self.error_of(answer).strip().splitlines()), 3, "every problem at once")
        self.assertIn('value="not-an-address"', answer.text, "the form keeps what was typed")
        self.error_of(self.invite(email=self.u_alfa_buyer.login))   # the login is taken
        self.assertEqual(self.env["res.partner"].search_count([]), partners)

    # ------------------------------------------------------------------ block and role
    def test_block_and_unblock(self):
        self.login(self.u_alfa_admin)
        self.invite(email="irina@alfa-dealer.example")
        user = self.users("irina@alfa-dealer.example")
        user.password = "irina-secret"
        self.assertTrue(self.web_login(user.login, "irina-secret"))
        answer = self.post("/b2b/staff/%d/block" % user.id, {}, allow_redirects=False)
        self.assertEqual(answer.status_code, 303)
        user.invalidate_cache()
        self.assertFalse(user.active)
        self.assertFalse(self.web_login(user.login, "irina-secret"), "a blocked user cannot log in")
        self.assertEqual(self.staff_rows()[user.id], False, "still listed, as blocked")
        self.post("/b2b/staff/%d/unblock" % user.id, {}, allow_redirects=False)
        user.invalidate_cache()
        self.assertTrue(user.active)
        self.assertTrue(self.web_login(user.login, "irina-secret"))

    def test_blocked_users_orders_stay_listed(self):
        order_id = self.env["sale.order"].sudo(self.u_alfa_buyer).b2b_place_order(
            self.c_alfa.id, [(self.mixer.id, 3)])
        self.login(self.u_alfa_admin)
        self.post("/b2b/staff/%d/block" % self.u_alfa_buyer.id, {}, allow_redirects=False)
        self.assertFalse(self.u_alfa_buyer.with_context(active_test=False).read(["active"])[0]["active"])
        page = self.get("/b2b/orders").text
        self.assertIn('data-order-id="%d"' % order_id, page)
        self.assertIn(self.u_alfa_buyer.name, page)
        self.assertEqual(self.get("/b2b/orders/%d" % order_id).status_code, 200)

    def test_admin_changes_role_and_outlet_contract(self):
        self.login(self.u_alfa_admin)
        answer = self.post("/b2b/staff/%d/update" % self.u_alfa_buyer.id,
                           {"role": "outlet", "contract_id": str(self.c_alfa_retail.id)},
                           allow_redirects=False)
        self.assertEqual(answer.status_code, 303, answer.text[:500])
        self.u_alfa_buyer.invalidate_cache()
        self.assertEqual((self.u_alfa_buyer.b2b_role, self.u_alfa_buyer.b2b_contract_id),
                         ("outlet", self.c_alfa_retail))
        self.error_of(self.post("/b2b/staff/%d/update" % self.u_alfa_buyer.id,
                                {"role": "outlet", "contract_id": str(self.c_beta.id)}))
        self.error_of(self.post("/b2b/staff/%d/update" % self.u_alfa_buyer.id,
                                {"role": "outlet", "contract_id": ""}))
        self.u_alfa_buyer.invalidate_cache()
        self.assertEqual(self.u_alfa_buyer.b2b_contract_id, self.c_alfa_retail)
        self.post("/b2b/staff/%d/update" % self.u_alfa_buyer.id,
                  {"role": "admin", "contract_id": str(self.c_alfa_retail.id)}, allow_redirects=False)
        self.u_alfa_buyer.invalidate_cache()
        self.assertEqual((self.u_alfa_buyer.b2b_role, self.u_alfa_buyer.b2b_contract_id.id),
                         ("admin", False), "only an outlet keeps a contract")

    def test_admin_cannot_block_or_demote_themselves(self):
        self.login(self.u_alfa_admin)
        self.error_of(self.post("/b2b/staff/%d/block" % self.u_alfa_admin.id, {}))
        self.error_of(self.post("/b2b/staff/%d/update" % self.u_alfa_admin.id, {"role": "buyer"}))
        self.u_alfa_admin.invalidate_cache()
        self.assertTrue(self.u_alfa_admin.active)
        self.assertEqual(self.u_alfa_admin.b2b_role, "admin")

    # ------------------------------------------------------------------ who may
    def test_buyers_and_outlets_do_not_manage_staff(self):
        for user in (self.u_alfa_buyer, self.u_alfa_outlet):
            self.login(user)
            self.assertEqual(self.get("/b2b/staff").status_code, 403, user.login)
            answer = self.invite(email="sneaky@alfa-dealer.example")
            self.assertEqual(answer.status_code, 403, user.login)
            answer = self.post("/b2b/staff/%d/block" % self.u_alfa_admin.id, {}, allow_redirects=False)
            self.assertEqual(answer.status_code, 403, user.login)
            self.assertNotIn('href="/b2b/staff"', self.get("/b2b/orders").text)
        self.assertFalse(self.users("sneaky@alfa-dealer.example"))
        self.assertTrue(self.u_alfa_admin.active)

    def test_other_dealers_admin_cannot_touch_alfa_users(self):
        self.login(self.u_beta_admin)
        answer = self.post("/b2b/staff/%d/block" % self.u_alfa_buyer.id, {}, allow_redirects=False)
        self.assertEqual(answer.status_code, 404)
        answer = self.post("/b2b/staff/%d/update" % self.u_alfa_buyer.id, {"role": "admin"},
                           allow_redirects=False)
        self.assertEqual(answer.status_code, 404)
        self.u_alfa_buyer.invalidate_cache()
        self.assertTrue(self.u_alfa_buyer.active)
        self.assertEqual(self.u_alfa_buyer.b2b_role, "buyer")
        # nor invite into another dealer's contract
        self.error_of(self.invite(email="x@beta-trade.example", role="outlet", contract=self.c_alfa_retail))
        self.assertFalse(self.users("x@beta-trade.example"))
