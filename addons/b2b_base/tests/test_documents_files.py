import base64

from odoo.exceptions import AccessError, UserError, ValidationError

from .common import DealerCase

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
XLSX_NAME = "Закрывающие документы 2026-03.xlsx"


class TestDealerDocuments(DealerCase):
    """Printed forms from 1C: one document per 1C id whatever 1C resends, linked consistently to
    the dealer's contract and orders, downloadable only by users of that dealer."""

    @classmethod
    def setUpClass(cls):
        super(TestDealerDocuments, cls).setUpClass()
        cls.Document = cls.env["b2b.document"]
        cls.accountant = cls.env.ref("b2b_base.demo_user_accountant")
        cls.o_alfa = cls.place(cls.u_alfa_buyer, cls.c_alfa, [(cls.mixer, 2)])
        cls.o_beta = cls.place(cls.u_beta_buyer, cls.c_beta, [(cls.sink, 1)])

    def upsert(self, vals, content=PDF, filename="УПД-15.pdf", user=None):
        model = self.Document.sudo(user) if user else self.Document
        return model.b2b_upsert_document(vals, content, filename)

    def upd(self, **extra):
        vals = {"b2b_onec_id": "doc-upd-15", "name": "УПД № 15 от 02.03.2026", "kind": "upd",
                "number": "15", "date": "2026-03-02", "contract_id": self.c_alfa.id}
        vals.update(extra)
        return vals

    def attachments(self, document):
        return self.env["ir.attachment"].search([("res_model", "=", "b2b.document"),
                                                 ("res_id", "=", document.id)])

    # ------------------------------------------------------------------ 1C intake
    def test_same_document_twice_is_one_document(self):
        document = self.upsert(self.upd(), user=self.accountant)
        self.assertEqual(document.partner_id, self.alfa, "the legal entity comes from the contract")
        attachment = document.attachment_id
        self.assertEqual((attachment.res_model, attachment.res_id), ("b2b.document", document.id))
        self.assertEqual((attachment.datas_fname, attachment.mimetype),
                         ("УПД-15.pdf", "application/pdf"))
        self.assertEqual(base64.b64decode(attachment.datas), PDF)
        checksum, write_date = attachment.checksum, document.write_date

        again = self.upsert(self.upd(), user=self.accountant)
        self.assertEqual(again, document)
        self.assertEqual(self.Document.search_count([("b2b_onec_id", "=", "doc-upd-15")]), 1)
        self.assertEqual(self.attachments(document), attachment, "one file")
        self.assertEqual((attachment.checksum, document.write_date), (checksum, write_date),
                         "an identical document changes nothing")

        # a newer version: same document, same attachment record, new content and name
        newer = PDF.replace(b"%%EOF", b"% v2\n%%EOF")
        self.upsert(self.upd(number="15/1", name="УПД № 15/1"), newer, "УПД-15-1.pdf",
                    user=self.accountant)
        self.assertEqual(self.Document.search_count([("b2b_onec_id", "=", "doc-upd-15")]), 1)
        self.assertEqual(document.number, "15/1")
        self.assertEqual(self.attachments(document), attachment)
        self.assertEqual(base64.b64decode(attachment.datas), newer)
        self.assertEqual(attachment.datas_fname, "УПД-15-1.pdf")
        self.assertEqual(document.file_name, "УПД-15-1.pdf")

    def test_file_type_follows_the_file(self):
        content = b"PK\x03\x04" + b"\x00" * 60
        document = self.upsert(self.upd(b2b_onec_id="doc-closing-3", kind="closing"), content,
                               XLSX_NAME, user=self.accountant)
        self.assertEqual(document.attachment_id.mimetype,
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        self.assertEqual(document.attachment_id.datas_fname, XLSX_NAME)

    def test_links_filled_and_checked(self):
        # an order's document gets the order's contract and legal entity
        document = self.upsert({"b2b_onec_id": "doc-inv-1", "name": "Счет 1", "kind": "invoice",
                                "order_id": self.o_alfa.id})
        self.assertEqual((document.contract_id, document.partner_id, document.dealer_id),
                         (self.c_alfa, self.alfa, self.alfa))
        before = (self.Document.search_count([]), self.env["ir.attachment"].search_count([]))
        bad = [
            ({"partner_id": self.alfa.id, "contract_id": self.c_beta.id}, "contract"),
            ({"partner_id": self.alfa.id, "order_id": self.o_beta.id}, "order"),
            ({"contract_id": self.c_alfa_retail.id, "order_id": self.o_alfa.id}, "placed under"),
            ({"partner_id": self.beta.id, "contract_id": self.c_alfa.id}, "contract"),
        ]
        for number, (links, words) in enumerate(bad):
            vals = dict(links, b2b_onec_id="doc-bad-%s" % number, name="Bad %s" % number,
                        number="B-%s" % number)
            with self.assertRaises(ValidationError) as caught:
                with self.cr.savepoint():
                    self.upsert(vals)
            self.assertIn("B-%s" % number, caught.exception.name, "the message names the document")
            self.assertIn(words, caught.exception.name)
        self.assertEqual((self.Document.search_count([]),
                          self.env["ir.attachment"].search_count([])), before, "nothing was stored")

    def test_bad_intake_refused(self):
        before = self.Document.search_count([])
        for vals, content, filename, words in [
            (self.upd(b2b_onec_id=""), PDF, "a.pdf", "no 1C id"),
            (self.upd(), b"", "a.pdf", "empty"),
            (self.upd(), PDF, " ", "no name"),
            (self.upd(colour="red"), PDF, "a.pdf", "unknown fields colour"),
        ]:
            with self.assertRaises(UserError) as caught:
                with self.cr.savepoint():
                    self.upsert(vals, content, filename)
            self.assertIn(words, caught.exception.name)
        self.assertEqual(self.Document.search_count([]), before)

    def test_backend_upload(self):
        """An accountant attaches a file in the form: it becomes the document's attachment."""
        document = self.Document.sudo(self.accountant).create({
            "name": "Акт выполненных работ", "kind": "closing", "partner_id": self.beta.id,
            "contract_id": self.c_beta.id, "file_name": "akt.pdf",
            "file_data": base64.b64encode(PDF)})
        attachment = document.attachment_id
        self.assertEqual((attachment.res_model, attachment.res_id, attachment.mimetype),
                         ("b2b.document", document.id, "application/pdf"))
        self.assertEqual(base64.b64decode(document.file_data), PDF)
        document.unlink()
        self.assertFalse(attachment.exists(), "deleting a document deletes its file")

    def test_portal_users_cannot_store_documents(self):
        with self.assertRaises(AccessError):
            with self.cr.savepoint():
                self.upsert(self.upd(b2b_onec_id="doc-forged"), user=self.u_alfa_admin)
        self.assertFalse(self.Document.search([("b2b_onec_id", "=", "doc-forged")]))

    # ------------------------------------------------------------------ who downloads
    def test_only_the_dealers_users_read_a_document_and_its_file(self):
        document = self.upsert(self.upd())
        attachment = document.attachment_id
        for user in (self.u_alfa_admin, self.u_alfa_buyer):
            document.sudo(user).read(["name"])
            attachment.sudo(user).check("read")
            self.assertEqual(base64.b64decode(attachment.sudo(user).read(["datas"])[0]["datas"]),
                             PDF)
        # another dealer, the holding's subsidiary, an outlet user of another contract
        for user in (self.u_beta_admin, self.u_beta_buyer, self.u_yug_admin, self.u_alfa_outlet):
            with self.assertRaises(AccessError):
                document.sudo(user).read(["name"])
            with self.assertRaises(AccessError):
                attachment.sudo(user).check("read")
            with self.assertRaises(AccessError):
                attachment.sudo(user).read(["datas"])
            self.assertFalse(self.env["ir.attachment"].sudo(user).search(
                [("id", "=", attachment.id)]), "not even found")
            self.assertNotIn(document, self.Document.sudo(user).search([]))

    def test_dealer_level_document(self):
        """A document without a contract: the dealer's administrators and buyers, not outlet users."""
        document = self.upsert({"b2b_onec_id": "doc-dealer-1", "name": "Письмо", "kind": "other",
                                "partner_id": self.alfa.id})
        self.assertFalse(document.contract_id)
        document.attachment_id.sudo(self.u_alfa_buyer).check("read")
        for user in (self.u_alfa_outlet, self.u_beta_admin):
            with self.assertRaises(AccessError):
                document.attachment_id.sudo(user).check("read")

    def test_order_documents_are_found_from_the_order(self):
        document = self.upsert({"b2b_onec_id": "doc-inv-2", "name": "Счет 2", "kind": "invoice",
                                "order_id": self.o_alfa.id})
        found = self.Document.sudo(self.u_alfa_buyer).search([("order_id", "=", self.o_alfa.id)])
        self.assertEqual(found, document)
