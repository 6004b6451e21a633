import base64

import lxml.html

from odoo.exceptions import AccessError, UserError, ValidationError

from .common import PortalCase, PortalHttpCase
from .test_portal_news import LibraryAudience


def b64(text):
    return base64.b64encode(text.encode("utf-8"))


class LibraryFiles(LibraryAudience):

    def library(self):
        """A category and files for each kind of audience, with their first versions."""
        alfa, beta = self.segments()
        self.category = self.env["b2b.file.category"].create({"name": "Сертификаты теста",
                                                              "sequence": 1})
        File = self.env["b2b.file"]

        def make(name, versions=("v1",), published=True, **audience):
            vals = {"name": name, "category_id": self.category.id, "audience_all": False,
                    "version_ids": [(0, 0, {"file_name": "%s.txt" % tag, "note": tag,
                                            "datas": b64("%s: %s" % (name, tag))})
                                    for tag in versions]}
            vals.update(audience)
            record = File.create(vals)
            if published:
                record.action_publish()
            return record

        self.f_all = make("Файл для всех", versions=("v1", "v2"), audience_all=True)
        self.f_region = make("Файл Москвы", audience_region_ids=[(6, 0, self.msk.ids)])
        self.f_price = make("Файл по типу цен",
                            audience_price_type_ids=[(6, 0, self.alfa_only_types.ids)])
        self.f_tag = make("Файл по тегу", audience_tag_ids=[(6, 0, self.tag.ids)])
        self.f_beta = make("Файл только Беты", audience_dealer_ids=[(6, 0, beta.ids)])
        self.f_draft = make("Файл-черновик", published=False, audience_all=True)
        return alfa, beta


class TestFilesModel(PortalCase, LibraryFiles):
    """Versions, download counts and the record rules through the ORM."""

    def setUp(self):
        super(TestFilesModel, self).setUp()
        self.alfa, self.beta = self.library()

    def test_versions_are_numbered_and_the_newest_is_current(self):
        self.assertEqual(self.f_all.version_ids.mapped("number"), [2, 1])
        self.assertEqual(self.f_all.current_version_id.note, "v2")
        # the supplier's manager adds a version from the file's form
        self.f_all.sudo(self.u_manager_ivan).write({"version_ids": [(0, 0, {
            "file_name": "v3.pdf", "note": "третья", "datas": b64("%PDF-1.4 ...")})]})
        self.assertEqual(self.f_all.current_version_id.number, 3)
        self.assertEqual(self.f_all.current_version_id.mimetype, "application/pdf")
        self.assertEqual(self.f_all.file_name, "v3.pdf")
        # a version's content is not replaced; an empty upload is refused with its reason
        with self.refused(ValidationError) as caught:
            self.f_all.current_version_id.write({"datas": b64("другое")})
        self.assertIn("add a new version", caught.exception.name)
        with self.refused(ValidationError) as caught:
            self.f_all.write({"version_ids": [(0, 0, {"file_name": "x.txt", "datas": b""})]})
        self.assertIn("The file is empty", caught.exception.name)
        self.assertEqual(self.f_all.current_version_id.number, 3)

    def test_a_file_without_a_version_is_not_published(self):
        empty = self.env["b2b.file"].create({"name": "Пусто", "category_id": self.category.id})
        with self.refused(UserError):
            empty.action_publish()
        self.assertFalse(empty.published)

    def test_dealer_users_read_the_files_and_versions_of_their_audience_only(self):
        def visible(user, model="b2b.file"):
            return set(self.as_user(user, model).search([]).ids)
        alfa_files = visible(self.u_alfa_outlet)
        self.assertLessEqual({self.f_all.id, self.f_region.id, self.f_price.id, self.f_tag.id},
                             alfa_files)
        self.assertFalse({self.f_beta.id, self.f_draft.id} & alfa_files)
        beta_files = visible(self.u_beta_admin)
        self.assertIn(self.f_beta.id, beta_files)
        self.assertFalse({self.f_region.id, self.f_tag.id, self.f_draft.id} & beta_files)
        # versions follow their file
        alfa_versions = visible(self.u_alfa_admin, "b2b.file.version")
        self.assertLessEqual(set(self.f_all.version_ids.ids), alfa_versions)
        self.assertFalse(set((self.f_beta | self.f_draft).mapped("version_ids").ids) & alfa_versions)
        with self.assertRaises(AccessError):
            self.as_user(self.u_alfa_admin, "b2b.file.version").browse(
                self.f_beta.version_ids.id).read(["file_name"])
        # unpublishing hides it at once
        self.f_region.action_unpublish()
        self.assertNotIn(self.f_region.id, visible(self.u_alfa_admin))
        # dealers never change the library nor read the counts
        as_alfa = self.as_user(self.u_alfa_admin, "b2b.file").browse(self.f_all.id)
        with self.assertRaises(AccessError):
            as_alfa.write({"name": "x"})
        with self.assertRaises(AccessError):
            as_alfa.read(["download_count"])

    def test_audience_users_of_a_file(self):
        users = self.f_region._b2b_audience_users()
        self.assertTrue(users)
        self.assertEqual(users.mapped("b2b_dealer_id"), self.alfa)


class TestPortalFiles(PortalHttpCase, LibraryFiles):
    """/b2b/files, a file's page, its downloads and their counts."""

    def setUp(self):
        super(TestPortalFiles, self).setUp()
        self.env["b2b.file"].search([]).write({"published": False})
        self.library()
        self.settle()
        self.registry.test_cr.commit()

    def page(self, path):
        answer = self.get(path)
        self.assertEqual(answer.status_code, 200, answer.text[:300])
        return lxml.html.fromstring(answer.text)

    def listed(self, doc):
        return {int(row.get("data-file-id")) for row in doc.xpath(
            "//tr[contains(@class, 'o_b2b_file_row')]")}

    def test_each_audience_sees_its_files(self):
        self.login(self.u_alfa_buyer)
        doc = self.page("/b2b/files")
        self.assertEqual(self.listed(doc), {self.f_all.id, self.f_region.id, self.f_price.id,
                                            self.f_tag.id})
        self.assertEqual([c.text_content().strip() for c in doc.xpath(
            "//h3[contains(@class, 'o_b2b_files_category_name')]")], ["Сертификаты теста"])
        self.assertEqual(doc.xpath("//li[contains(@class, 'o_b2b_nav_files')]/a/@href"),
                         ["/b2b/files"])
        # search by name and by category
        self.assertEqual(self.listed(self.page("/b2b/files?search=москв")), {self.f_region.id})
        self.assertEqual(self.listed(self.page("/b2b/files?search=Беты")), set())
        self.assertEqual(self.listed(self.page("/b2b/files?category=%d" % self.category.id)),
                         {self.f_all.id, self.f_region.id, self.f_price.id, self.f_tag.id})
        self.login(self.u_beta_admin)
        self.assertEqual(self.listed(self.page("/b2b/files")), {self.f_all.id, self.f_beta.id})

    def test_another_dealers_or_unpublished_file_answers_404(self):
        self.login(self.u_alfa_admin)
        for record in (self.f_beta, self.f_draft):
            for path in ("/b2b/files/%d", "/b2b/files/%d/download"):
                answer = self.get(path % record.id)
                self.assertEqual(answer.status_code, 404, path % record.id)
                self.assertNotIn(record.name, answer.text)
            answer = self.get("/b2b/files/%d/version/%d" % (record.id, record.version_ids.id))
            self.assertEqual(answer.status_code, 404)
        # a version of another file, through a file the dealer may read
        answer = self.get("/b2b/files/%d/version/%d" % (self.f_all.id, self.f_beta.version_ids.id))
        self.assertEqual(answer.status_code, 404)
        self.settle()
        self.assertEqual(self.f_beta.download_count, 0)
        self.assertEqual(self.f_beta.version_ids.download_count, 0)

    def test_downloads_are_served_and_counted(self):
        self.login(self.u_alfa_admin)
        doc = self.page("/b2b/files/%d" % self.f_all.id)
        rows = doc.xpath("//tr[contains(@class, 'o_b2b_file_version_row')]")
        self.assertEqual([r.xpath(".//td[contains(@class, 'o_b2b_version_note')]")[0].text_content()
                          for r in rows], ["v2", "v1"])
        self.assertTrue(rows[0].xpath(".//span[contains(@class, 'o_b2b_version_current')]"))
        answer = self.get("/b2b/files/%d/download" % self.f_all.id)
        self.assertEqual(answer.status_code, 200)
        self.assertEqual(answer.content.decode("utf-8"), "Файл для всех: v2")
        self.assertTrue(answer.headers["Content-Type"].startswith("text/plain"))
        self.assertIn("v2.txt", answer.headers["Content-Disposition"])
        old = self.f_all.version_ids.filtered(lambda v: v.number == 1)
        answer = self.get("/b2b/files/%d/version/%d" % (self.f_all.id, old.id))
        self.assertEqual(answer.content.decode("utf-8"), "Файл для всех: v1")
        self.assertIn("v1.v1.txt", answer.headers["Content-Disposition"])
        self.get("/b2b/files/%d/download" % self.f_all.id)
        self.settle()
        self.f_all.invalidate_cache()
        self.assertEqual(self.f_all.download_count, 3)
        self.assertEqual({v.number: v.download_count for v in self.f_all.version_ids}, {1: 1, 2: 2})
        # the supplier sees the count in the backend's list
        read = self.env["b2b.file"].sudo(self.env.ref("b2b_base.demo_user_manager_ivan")) \
            .search_read([("id", "=", self.f_all.id)], ["download_count"])
        self.assertEqual(read[0]["download_count"], 3)

    def test_a_pdf_is_served_as_a_pdf(self):
        with self.saved():
            self.f_region.write({"version_ids": [(0, 0, {
                "file_name": "Инструкция.pdf", "note": "PDF",
                "datas": base64.b64encode(b"%PDF-1.4\n%%EOF\n")})]})
        self.login(self.u_alfa_admin)
        answer = self.get("/b2b/files/%d/download" % self.f_region.id)
        self.assertEqual(answer.headers["Content-Type"], "application/pdf")
        self.assertIn(".pdf", answer.headers["Content-Disposition"])
        self.assertTrue(answer.content.startswith(b"%PDF"))

    def test_russian_page(self):
        self.login(self.u_alfa_admin)
        text = self.get("/ru_RU/b2b/files").text
        self.assertIn("Файлы", text)
        self.assertIn("Скачать", text)
