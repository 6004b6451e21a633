"""Merchandising requests to Bitrix24 (the local stand-in, over real HTTP) and their state back."""
from odoo import SUPERUSER_ID, api
from odoo.exceptions import AccessError
from odoo.tests import common
from odoo.tools import mute_logger

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import Job

from .standin import bitrix24_standin

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40


class LostAnswer(Exception):
    """What a timeout does to Odoo's side of a job: the transaction is rolled back."""


class MerchCase(common.HttpCase):
    """A stand-in Bitrix24 the settings point at; the HTTP server (Bitrix24's events, the photo
    links) and the test share the registry's test cursor (``self.env``), rolled back at the end.
    The server starts each request by rolling back to the cursor's last commit point: what the
    test writes is committed (``sync``) before a request must see it."""

    def setUp(self):
        super(MerchCase, self).setUp()
        self.portal = bitrix24_standin().Bitrix24StandIn(rate=50, burst=1000).start()
        self.addCleanup(self.portal.stop)
        self.env = api.Environment(self.registry.test_cr, SUPERUSER_ID, {})
        self.env["b2b.bitrix.api"]._b2b_configure_for_tests(self.portal)
        self.base = "http://%s:%s" % (common.HOST, common.PORT)
        self.env["ir.config_parameter"].set_param("web.base.url", self.base)
        self.portal.outgoing_webhook(self.base + "/b2b/bitrix/event", ["ONCRMLEADUPDATE"])
        ref = self.env.ref
        self.alfa = ref("b2b_base.demo_dealer_alfa")
        self.u_alfa = ref("b2b_base.demo_user_alfa_buyer")
        self.u_beta = ref("b2b_base.demo_user_beta_admin")
        self.Request = self.env["b2b.merch.request"]
        self.sync()

    def sync(self):
        """Wait until the server is done with its last request, then keep what the test wrote
        for the requests that follow."""
        self.registry.test_cr.acquire()
        self.registry.test_cr.release()
        self.registry.test_cr.commit()

    def file(self, user=None, **form):
        values = {"outlet_id": str(self.alfa.id), "outlet_name": "Магазин «Уют»",
                  "address": "Москва, Тверская, 1", "wanted": "Стойка для смесителей [b]у входа[/b]"}
        values.update(form)
        answer = self.Request.sudo(user or self.u_alfa).with_context(lang="en_US") \
            .b2b_file_request(values, [("вход.png", PNG)])
        self.assertNotIn("problems", answer)
        self.sync()
        return self.Request.browse(answer["request_id"])

    def job(self, request):
        found = self.env["queue.job"].search([("model_name", "=", "b2b.merch.request"),
                                              ("record_ids", "like", str(request.id)),
                                              ("state", "=", "pending")])
        self.assertEqual(len(found), 1, "filing the request queues one job")
        return Job.load(self.env, found.uuid)

    def leads(self, request):
        return [lead for lead in self.portal.leads.values()
                if lead.get("ORIGIN_ID") == "b2b.merch.request:%d" % request.id]

    def run_events(self):
        deliveries = self.portal.flush_events(timeout=10)
        self.sync()
        self.env.cache.invalidate()
        self.env["b2b.bitrix.event"].search([("state", "=", "new")], order="id")._b2b_process()
        self.sync()
        return deliveries


class TestMerchToBitrix(MerchCase):

    def test_a_request_becomes_one_lead_with_its_photos_linked(self):
        request = self.file()
        self.assertEqual((request.state, request.b2b_dealer_id, request.author_id),
                         ("queued", self.alfa, self.u_alfa))
        self.assertEqual(len(request.photo_ids), 1)
        self.job(request).perform()
        [lead] = self.leads(request)
        self.assertEqual(lead["ORIGINATOR_ID"], "b2b_portal")
        self.assertEqual((request.bitrix_entity, request.bitrix_id, request.state),
                         ("lead", int(lead["ID"]), "sent"))
        self.assertIn(self.alfa.name, lead["TITLE"])
        comments = lead["COMMENTS"]
        self.assertIn("Магазин «Уют»", comments)
        self.assertIn("Москва, Тверская, 1", comments)
        # the dealer's text cannot make markup of its own
        self.assertIn("Стойка для смесителей &#91;b&#93;у входа&#91;/b&#93;", comments)
        photo = request.photo_ids
        link = "%s/b2b/merch/photo/%d?token=%s" % (self.base, photo.id, request.access_token)
        self.assertIn("[url=%s]вход.png[/url]" % link.replace("&", "&amp;"), comments)
        self.assertEqual(len(request.access_token), 48)

    def test_the_job_run_again_after_a_lost_answer_makes_no_second_lead(self):
        request = self.file()
        job = self.job(request)
        # the lead is made, but Odoo never learns it: the answer was lost, the job rolled back
        with self.assertRaises(LostAnswer):
            with self.env.cr.savepoint():
                job.perform()
                raise LostAnswer()
        self.env.cache.invalidate()
        self.assertEqual((request.bitrix_id, request.state), (0, "queued"))
        self.assertEqual(len(self.leads(request)), 1)
        job.perform()
        [lead] = self.leads(request)
        self.assertEqual(request.bitrix_id, int(lead["ID"]))
        # and once it knows its lead, a further run calls nothing
        calls = len(self.portal.requests)
        job.perform()
        self.assertEqual(len(self.portal.requests), calls)

    def test_bitrix24_busy_retries_the_job_and_loses_nothing(self):
        request = self.file()
        job = self.job(request)
        self.portal.force_error("QUERY_LIMIT_EXCEEDED", "Too many requests", status=503)
        with self.assertRaises(RetryableJobError), mute_logger(
                "odoo.addons.b2b_bitrix_bridge.lib.client"):
            with self.env.cr.savepoint():
                job.perform()
        self.env.cache.invalidate()
        self.assertEqual(self.leads(request), [])
        job.perform()
        self.assertEqual(len(self.leads(request)), 1)
        self.assertEqual(request.state, "sent")

    def test_a_refusal_is_kept_for_the_managers(self):
        request = self.file()
        self.portal.force_error("", "Access denied.", status=400)
        with mute_logger("odoo.addons.b2b_bitrix_bridge.models.b2b_merch_request",
                         "odoo.addons.b2b_bitrix_bridge.lib.client"):
            self.job(request).perform()
        self.assertEqual((request.state, request.bitrix_id), ("queued", 0))
        self.assertIn("Access denied", request.error)
        request.action_send_again()
        self.assertFalse(request.error)
        found = self.env["queue.job"].search([("model_name", "=", "b2b.merch.request"),
                                              ("record_ids", "like", str(request.id)),
                                              ("state", "=", "pending")])
        Job.load(self.env, found[0].uuid).perform()
        self.assertEqual(len(self.leads(request)), 1)

    def test_a_deal_in_the_merchandising_pipeline_when_set(self):
        set_param = self.env["ir.config_parameter"].set_param
        set_param("b2b_bitrix_bridge.merch_target", "deal")
        set_param("b2b_bitrix_bridge.merch_category_id", "1")
        set_param("b2b_bitrix_bridge.merch_stage_id", "C1:NEW")
        settings = self.env["b2b.bitrix.api"]._b2b_settings()
        self.assertEqual((settings["merch_target"], settings["merch_category_id"]), ("deal", 1))
        request = self.file()
        self.job(request).perform()
        self.assertEqual(request.bitrix_entity, "deal")
        deal = self.portal.deals[request.bitrix_id]
        self.assertEqual((deal["CATEGORY_ID"], deal["STAGE_ID"], deal["ORIGIN_ID"]),
                         ("1", "C1:NEW", "b2b.merch.request:%d" % request.id))
        # the manager closes it: the deal's semantics is the request's state
        changed = self.portal.manager_update_deal(request.bitrix_id, {"STAGE_ID": "C1:WON"})
        self.Request._b2b_bitrix_deal_changed(changed)
        self.assertEqual(request.state, "done")


class TestMerchStatusBack(MerchCase):

    def test_the_managers_status_reaches_the_request_and_tells_the_dealer(self):
        request = self.file()
        self.job(request).perform()
        self.sync()
        self.portal.manager_update_lead(request.bitrix_id, {"STATUS_ID": "IN_PROCESS"})
        self.run_events()
        self.assertEqual(request.state, "in_progress")
        view = self.Request.sudo(self.u_alfa).with_context(lang="en_US").b2b_request_view(
            request.id)
        self.assertEqual(view["state_label"], "In progress")
        # the note is in the language of the dealer's user who filed the request
        self.assertEqual([m["body"].replace("<p>", "").replace("</p>", "")
                          for m in view["messages"]],
                         ["Статус: Отправлена поставщику", "Статус: В работе"])

    def lead_event(self, request, ts, **lead):
        """The lead as the manager left it (``lead``), and its ONCRMLEADUPDATE handled."""
        self.portal.leads[request.bitrix_id].update(lead)
        event = self.env["b2b.bitrix.event"]._record_delivery({
            "event": "ONCRMLEADUPDATE", "data[FIELDS][ID]": str(request.bitrix_id),
            "ts": str(ts)})[0]
        event._b2b_process()

    def test_an_unknown_status_is_in_progress_with_its_name(self):
        request = self.file()
        self.job(request).perform()
        # a status of the portal's own (Bitrix24 lets a portal add them)
        self.lead_event(request, 1700000000, STATUS_ID="UC_MEASURE", STATUS_SEMANTIC_ID="P")
        self.assertEqual((request.state, request.bitrix_status), ("in_progress", "UC_MEASURE"))
        row = self.Request.sudo(self.u_alfa).with_context(lang="en_US").b2b_requests()[0]
        self.assertEqual((row["id"], row["state_label"], row["status"]),
                         (request.id, "In progress", "UC_MEASURE"))
        self.lead_event(request, 1700000100, STATUS_ID="CONVERTED", STATUS_SEMANTIC_ID="S")
        self.assertEqual(request.state, "done")
        self.lead_event(request, 1700000200, STATUS_ID="JUNK", STATUS_SEMANTIC_ID="F")
        self.assertEqual(request.state, "refused")
        notes = [m.body for m in request.message_ids if m.subtype_id == self.env.ref(
            "mail.mt_comment")]
        self.assertEqual(len(notes), 4, "sent, in progress, done, refused: each told once")

    def test_a_lead_that_is_no_request_is_left_alone(self):
        self.portal.leads.clear()
        lead_id = self.env["b2b.bitrix.api"]._b2b_call("crm.lead.add", {"fields": {"TITLE": "x"}})
        calls = len(self.portal.requests)
        self.sync()
        self.portal.manager_update_lead(lead_id, {"STATUS_ID": "IN_PROCESS"})
        self.run_events()
        self.assertEqual(len(self.portal.requests), calls, "nothing fetched for another's lead")


class TestMerchAccess(MerchCase):

    def test_a_dealer_sees_and_files_only_its_own(self):
        request = self.file()
        Beta = self.Request.sudo(self.u_beta)
        self.assertEqual(Beta.b2b_requests(), [])
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            Beta.b2b_request_view(request.id)
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            Beta.browse(request.id).read(["wanted"])
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            Beta.create({"b2b_dealer_id": self.alfa.id, "wanted": "x"})
        # B's form naming A's partner as its outlet is refused
        answer = Beta.with_context(lang="en_US").b2b_file_request(
            {"outlet_id": str(self.alfa.id), "wanted": "x", "address": "y"}, [])
        self.assertEqual(answer["problems"], [
            ("outlet", "Outlet: the chosen outlet is not one of your company's; choose it again.")])
        # A's photo is not B's to read through the attachment either
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.env["ir.attachment"].sudo(self.u_beta).browse(request.photo_ids.id).read(["datas"])
        # the supplier's managers see every request
        manager = self.env.ref("b2b_base.demo_user_manager_olga")
        self.assertIn(request, self.Request.sudo(manager).search([]))
