"""Complaints in Bitrix24, over real HTTP with the Bitrix24 stand-in: a complaint a dealer files
becomes one lead (found again by its ORIGIN_ID, never made twice) with the dealer's text and a
signed link to each photo that opens without a login; without Bitrix24 configured nothing is
sent."""
import io

import requests
from PIL import Image

from odoo.tests import common

from odoo.addons.b2b_bitrix_bridge.tests.standin import bitrix24_standin
from odoo.addons.b2b_portal.tests.test_portal_complaints import ComplaintPageCase
from odoo.addons.queue_job.job import Job


def png(color=(0, 90, 200)):
    out = io.BytesIO()
    Image.new("RGB", (16, 16), color).save(out, format="PNG")
    return out.getvalue()


class ComplaintCase(ComplaintPageCase):

    def setUp(self):
        super(ComplaintCase, self).setUp()
        self.existing = self.env["b2b.complaint"].search([])
        self.base = "http://%s:%s" % (common.HOST, common.PORT)

    def file(self, form, files=(), status=303):
        data = {"sku": "MIX-00001", "qty": "1", "description": "Трещина", "resolution": "replace",
                "contract_id": str(self.c_alfa.id)}
        data.update(form)
        answer = self.post("/b2b/complaints/new", data, files=[("photos", f) for f in files],
                           csrf_from="/b2b/complaints/new", allow_redirects=False)
        self.assertEqual(answer.status_code, status, answer.text[:800])
        return answer

    def complaints_of(self, dealer):
        self.settle()
        self.env.cache.invalidate()
        return self.env["b2b.complaint"].search([("dealer_id", "=", dealer.id),
                                                 ("id", "not in", self.existing.ids)])

    def jobs(self):
        self.settle()
        return self.env["queue.job"].search([("model_name", "=", "b2b.complaint"),
                                             ("state", "=", "pending")])


class TestComplaintsBitrix(ComplaintCase):

    def setUp(self):
        super(TestComplaintsBitrix, self).setUp()
        self.portal = bitrix24_standin().Bitrix24StandIn(rate=50, burst=1000).start()
        self.addCleanup(self.portal.stop)
        with self.saved():
            self.env["b2b.bitrix.api"]._b2b_configure_for_tests(self.portal)
            self.env["ir.config_parameter"].set_param("web.base.url", self.base)

    def run_jobs(self):
        with self.saved():
            for found in self.jobs():
                Job.load(self.env, found.uuid).perform()

    def test_a_complaint_becomes_one_lead_with_signed_photo_links(self):
        self.login(self.u_alfa_buyer, lang="en_US")
        self.file({"description": "Трещина [url=http://evil]здесь[/url]"},
                  [("скол.png", png(), "image/png"), ("коробка.png", png((9, 9, 9)), "image/png")])
        [complaint] = self.complaints_of(self.alfa)
        self.assertEqual(len(self.jobs()), 1, "sent by a queue job")
        self.run_jobs()
        self.env.cache.invalidate()
        [lead] = self.portal.leads.values()
        self.assertEqual((lead["ORIGINATOR_ID"], lead["ORIGIN_ID"]),
                         ("b2b_portal", "b2b.complaint:%d" % complaint.id))
        self.assertEqual(int(lead["ID"]), complaint.bitrix_lead_id)
        self.assertIn(complaint.name, lead["TITLE"])
        comments = lead["COMMENTS"]
        self.assertIn("MIX-00001", comments)
        # the dealer's text cannot make links of its own
        self.assertIn("Трещина &#91;url=http://evil&#93;здесь&#91;/url&#93;", comments)
        for photo in complaint.photo_ids:
            link = "%s/b2b/complaints/photo/%d?token=%s" % (self.base, photo.id,
                                                            complaint.sudo().access_token)
            self.assertIn("[url=%s]" % link, comments)
            # a Bitrix24 user opens it from the lead without a login to the portal
            opened = requests.get(link, timeout=30)
            self.assertEqual(opened.status_code, 200)
            self.assertEqual(Image.open(io.BytesIO(opened.content)).size, (16, 16))
            # another key opens nothing
            forged = requests.get(link[:-6] + "000000", timeout=30)
            self.assertEqual(forged.status_code, 404)

        # sent again (a lost answer, a manager's "send again"): the same lead, not a second one
        with self.saved():
            complaint.bitrix_lead_id = 0
            complaint.action_bitrix_send_again()
        self.run_jobs()
        self.env.cache.invalidate()
        self.assertEqual(len(self.portal.leads), 1)
        self.assertEqual(complaint.bitrix_lead_id, int(lead["ID"]))

    def test_a_refusal_is_shown_to_the_manager_who_sends_it_again(self):
        self.login(self.u_alfa_buyer, lang="en_US")
        self.file({})
        [complaint] = self.complaints_of(self.alfa)
        self.portal.force_error("ACCESS_DENIED", "Access denied.", status=403, method="crm.lead.add")
        self.run_jobs()
        self.env.cache.invalidate()
        self.assertFalse(self.portal.leads)
        self.assertIn("Access denied", complaint.bitrix_error)
        manager = self.env.ref("b2b_base.demo_user_manager_ivan")
        form = self.env["b2b.complaint"].sudo(manager).fields_view_get(view_type="form")["arch"]
        self.assertIn('name="action_bitrix_send_again"', form)
        self.assertIn("Bitrix24 did not take the complaint", form)
        with self.saved():
            complaint.sudo(manager).action_bitrix_send_again()
        self.run_jobs()
        self.env.cache.invalidate()
        self.assertEqual(len(self.portal.leads), 1)
        self.assertTrue(complaint.bitrix_lead_id)
        self.assertFalse(complaint.bitrix_error)

    def test_a_refused_form_sends_nothing(self):
        self.login(self.u_alfa_buyer, lang="en_US")
        self.file({"sku": "NOPE-1"}, status=400)
        self.assertFalse(self.jobs())
        self.assertFalse(self.portal.leads)


class TestComplaintsWithoutBitrix(ComplaintCase):

    def test_without_bitrix24_nothing_is_sent(self):
        self.login(self.u_alfa_buyer, lang="en_US")
        self.file({})
        [complaint] = self.complaints_of(self.alfa)
        self.assertFalse(self.jobs())
        self.assertFalse(complaint.bitrix_lead_id)
