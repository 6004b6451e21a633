import lxml.html

from odoo.exceptions import AccessError, ValidationError

from .common import PortalCase, PortalHttpCase


class LibraryAudience(object):
    """Segments of the demo dealers: «Альфа-Дилер» (region Москва, its contracts' price types,
    a tag given here), «Бета-Трейд» (region Новосибирск)."""

    def segments(self):
        ref = self.env.ref
        self.msk = ref("b2b_base.demo_region_msk")
        self.nsk = ref("b2b_base.demo_region_nsk")
        self.tag = self.env["res.partner.category"].create({"name": "Ключевой дилер"})
        self.other_tag = self.env["res.partner.category"].create({"name": "Без дилеров"})
        alfa = ref("b2b_base.demo_dealer_alfa")
        beta = ref("b2b_base.demo_dealer_beta")
        alfa.category_id = [(4, self.tag.id)]
        contracts = self.env["b2b.contract"]
        self.alfa_types = contracts.search([("dealer_id", "=", alfa.id), ("state", "=", "active")]) \
            .mapped("price_type_id")
        self.beta_types = contracts.search([("dealer_id", "=", beta.id), ("state", "=", "active")]) \
            .mapped("price_type_id")
        # a price type «Альфа-Дилер» buys under and «Бета-Трейд» does not
        self.alfa_only_types = self.alfa_types - self.beta_types
        # the dealers' segments changed here are rolled back: so are the rules they cached
        self.addCleanup(self.env["ir.rule"].clear_caches)
        return alfa, beta


class TestNewsAudience(PortalCase, LibraryAudience):
    """The record rules and the audience's users, through the ORM as the dealers' users."""

    def setUp(self):
        super(TestNewsAudience, self).setUp()
        self.alfa, self.beta = self.segments()
        self.News = self.env["b2b.news"]

    def news(self, name, **audience):
        vals = {"name": name, "published": True, "audience_all": False}
        vals.update(audience)
        return self.News.create(vals)

    def visible(self, user):
        return set(self.as_user(user, "b2b.news").search([]).ids)

    def test_each_segment_reaches_its_dealers_only(self):
        cases = {
            "all": self.news("Всем", audience_all=True),
            "region": self.news("Москве", audience_region_ids=[(6, 0, self.msk.ids)]),
            "price type": self.news("Цена", audience_price_type_ids=[(6, 0, self.alfa_only_types.ids)]),
            "tag": self.news("Тег", audience_tag_ids=[(6, 0, self.tag.ids)]),
            "dealer": self.news("Бете", audience_dealer_ids=[(6, 0, self.beta.ids)]),
            "other tag": self.news("Пустой тег", audience_tag_ids=[(6, 0, self.other_tag.ids)]),
            "unpublished": self.News.create({"name": "Черновик", "audience_all": True}),
        }
        alfa_sees = self.visible(self.u_alfa_admin)
        beta_sees = self.visible(self.u_beta_buyer)
        for name in ("all", "region", "price type", "tag"):
            self.assertIn(cases[name].id, alfa_sees, name)
        for name in ("dealer", "other tag", "unpublished"):
            self.assertNotIn(cases[name].id, alfa_sees, name)
        self.assertIn(cases["all"].id, beta_sees)
        self.assertIn(cases["dealer"].id, beta_sees)
        for name in ("region", "price type", "tag", "other tag", "unpublished"):
            self.assertNotIn(cases[name].id, beta_sees, name)
        # read by id: refused to the dealer it is not for
        with self.assertRaises(AccessError):
            self.as_user(self.u_alfa_admin, "b2b.news").browse(cases["dealer"].id).read(["name"])
        # the region and the tag are the dealer's: a change shows at once
        self.alfa.category_id = [(3, self.tag.id)]
        self.assertNotIn(cases["tag"].id, self.visible(self.u_alfa_admin))
        self.beta.b2b_region_id = self.msk
        self.assertIn(cases["region"].id, self.visible(self.u_beta_buyer))

    def test_a_price_type_segment_follows_the_dealers_contracts(self):
        Contract = self.env["b2b.contract"]
        ptype = self.beta_types[:1]
        item = self.news("Оптовикам", audience_price_type_ids=[(6, 0, ptype.ids)])

        def dealers():
            return Contract.search([("price_type_id", "=", ptype.id),
                                    ("state", "=", "active")]).mapped("dealer_id")
        # «Альфа-Дилер» buys under another price type: its contracts under this one closed
        Contract.search([("dealer_id", "=", self.alfa.id), ("price_type_id", "=", ptype.id)]) \
            .write({"state": "closed"})
        self.assertIn(self.beta, dealers())
        self.assertNotIn(self.alfa, dealers())
        self.assertEqual(item._b2b_audience_users().mapped("b2b_dealer_id"), dealers())
        self.assertIn(item.id, self.visible(self.u_beta_buyer))
        self.assertNotIn(item.id, self.visible(self.u_alfa_admin))
        # its main contract moves to this price type: the news reaches it
        main = self.env.ref("b2b_base.demo_contract_alfa_main")
        main.write({"price_type_id": ptype.id, "state": "active"})
        self.assertIn(item.id, self.visible(self.u_alfa_admin))
        self.assertIn(self.alfa, item._b2b_audience_users().mapped("b2b_dealer_id"))

    def test_audience_users_are_the_active_portal_users_of_the_dealers_in_it(self):
        Users = self.env["res.users"]
        alfa_users = Users.search([("b2b_dealer_id", "=", self.alfa.id), ("b2b_role", "!=", False)])
        beta_users = Users.search([("b2b_dealer_id", "=", self.beta.id), ("b2b_role", "!=", False)])
        self.assertTrue(alfa_users and beta_users)
        region = self.news("Москве", audience_region_ids=[(6, 0, self.msk.ids)])
        self.assertEqual(region._b2b_audience_users(), alfa_users)
        both = self.news("Тег и Бета", audience_tag_ids=[(6, 0, self.tag.ids)],
                         audience_dealer_ids=[(6, 0, self.beta.ids)])
        self.assertEqual(both._b2b_audience_users(), alfa_users | beta_users)
        everyone = self.news("Всем", audience_all=True)
        self.assertTrue(alfa_users | beta_users <= everyone._b2b_audience_users())
        self.assertFalse(everyone._b2b_audience_users().filtered(lambda u: not u.share))
        # a blocked user is not told; an unpublished item reaches nobody
        self.u_alfa_buyer.active = False
        self.assertEqual(region._b2b_audience_users(), alfa_users - self.u_alfa_buyer)
        region.action_unpublish()
        self.assertFalse(region._b2b_audience_users())
        # the users told are exactly the dealer users the record rules let read it
        region.action_publish()
        for user in alfa_users - self.u_alfa_buyer | beta_users:
            reads = region.id in self.visible(user)
            self.assertEqual(reads, user in region._b2b_audience_users(), user.login)

    def test_published_for_nobody_is_refused(self):
        with self.assertRaises(ValidationError) as caught:
            with self.cr.savepoint():
                self.news("Никому")
        self.assertIn("Published for nobody", caught.exception.name)
        draft = self.News.create({"name": "Никому пока", "audience_all": False})
        self.assertFalse(draft.published)

    def test_a_promotion_has_a_period(self):
        with self.assertRaises(ValidationError):
            with self.cr.savepoint():
                self.news("Акция", audience_all=True, kind="promotion", date_start="2026-12-10",
                          date_end="2026-12-01")
        promo = self.news("Акция", audience_all=True, kind="promotion", date_start="2026-12-01",
                          date_end="2026-12-31")
        self.assertTrue(promo.date_published)

    def test_the_body_is_sanitized(self):
        item = self.news("HTML", audience_all=True,
                         body='<p onclick="alert(1)">Текст<script>alert(2)</script></p>')
        self.assertIn("Текст", item.body)
        self.assertNotIn("script", item.body)
        self.assertNotIn("onclick", item.body)

    def test_a_dealer_user_cannot_change_news_nor_read_the_audience(self):
        item = self.news("Всем", audience_all=True)
        as_alfa = self.as_user(self.u_alfa_admin, "b2b.news").browse(item.id)
        self.assertEqual(as_alfa.name, "Всем")
        with self.assertRaises(AccessError):
            as_alfa.write({"name": "Изменено"})
        with self.assertRaises(AccessError):
            as_alfa.read(["audience_dealer_ids"])


class TestPortalNews(PortalHttpCase, LibraryAudience):
    """/b2b/news, /b2b/news/<id>, the unread count of the Services menu and the dashboard."""

    def setUp(self):
        super(TestPortalNews, self).setUp()
        self.segments()
        News = self.env["b2b.news"]
        # only the news of this test
        News.search([]).write({"published": False})
        self.n_all = News.create({"name": "Новость для всех", "audience_all": True,
                                  "published": True, "summary": "Кратко для всех",
                                  "date_published": "2026-11-01 09:00:00",
                                  "body": "<p>Текст <b>для всех</b><script>alert(1)</script></p>"})
        self.n_region = News.create({"name": "Новость Москвы", "audience_all": False,
                                     "audience_region_ids": [(6, 0, self.msk.ids)],
                                     "published": True, "date_published": "2026-11-02 09:00:00"})
        self.n_beta = News.create({"name": "Новость только Беты", "audience_all": False,
                                   "audience_dealer_ids": [(6, 0, self.beta.ids)],
                                   "published": True, "date_published": "2026-11-03 09:00:00"})
        self.n_promo = News.create({"name": "Акция месяца", "kind": "promotion",
                                    "audience_all": False, "published": True,
                                    "audience_tag_ids": [(6, 0, self.tag.ids)],
                                    "date_start": "2026-11-01", "date_end": "2099-11-30",
                                    "date_published": "2026-11-04 09:00:00"})
        self.n_draft = News.create({"name": "Черновик новости", "audience_all": True})
        self.settle()
        self.registry.test_cr.commit()

    def page(self, path):
        answer = self.get(path)
        self.assertEqual(answer.status_code, 200, answer.text[:300])
        return lxml.html.fromstring(answer.text)

    def listed(self, doc):
        return {int(row.get("data-news-id")): "o_b2b_news_unread" in row.get("class")
                for row in doc.xpath("//div[contains(@class, 'o_b2b_news_page')]"
                                     "//div[contains(@class, 'o_b2b_news_row')]")}

    def menu_count(self, doc):
        badge = doc.xpath("//li[contains(@class, 'o_b2b_nav_news')]"
                          "//span[contains(@class, 'o_b2b_news_unread_count')]")
        return int(badge[0].text_content()) if badge else 0

    def test_a_dealer_reads_its_news_and_the_unread_marker_is_its_own(self):
        self.login(self.u_alfa_admin)
        doc = self.page("/b2b/news")
        self.assertEqual(self.listed(doc), {self.n_promo.id: True, self.n_region.id: True,
                                            self.n_all.id: True})
        self.assertEqual(self.menu_count(doc), 3)
        self.assertEqual(doc.xpath("//li[contains(@class, 'o_b2b_nav_news')]/a/@href"), ["/b2b/news"])
        # opening an item shows it (its body sanitized) and marks it read for this user
        doc = self.page("/b2b/news/%d" % self.n_all.id)
        body = doc.xpath("//div[contains(@class, 'o_b2b_news_body')]")[0]
        self.assertIn("для всех", body.text_content())
        self.assertFalse(body.xpath(".//script"))
        self.assertEqual(self.menu_count(doc), 2)
        self.assertEqual(self.listed(self.page("/b2b/news")),
                         {self.n_promo.id: True, self.n_region.id: True, self.n_all.id: False})
        # the promotion shows its period
        doc = self.page("/b2b/news/%d" % self.n_promo.id)
        self.assertTrue(doc.xpath("//*[contains(@class, 'o_b2b_news_period')]"))
        # another user of the same dealer still has everything unread
        self.login(self.u_alfa_buyer)
        doc = self.page("/b2b/news")
        self.assertEqual(self.listed(doc), {self.n_promo.id: True, self.n_region.id: True,
                                            self.n_all.id: True})
        self.assertEqual(self.menu_count(doc), 3)

    def test_another_dealers_and_unpublished_news_answer_404(self):
        self.login(self.u_alfa_admin)
        for item in (self.n_beta, self.n_draft):
            answer = self.get("/b2b/news/%d" % item.id)
            self.assertEqual(answer.status_code, 404, item.name)
            self.assertNotIn(item.name, answer.text)
        self.assertNotIn("Новость только Беты", self.get("/b2b/news").text)
        self.settle()
        self.assertFalse(self.n_beta.sudo().read_user_ids)
        self.login(self.u_beta_buyer)
        doc = self.page("/b2b/news")
        self.assertEqual(set(self.listed(doc)), {self.n_all.id, self.n_beta.id})
        self.assertEqual(self.get("/b2b/news/%d" % self.n_region.id).status_code, 404)

    def test_the_dashboard_shows_the_latest_three_unread_marked(self):
        self.login(self.u_alfa_admin)
        self.page("/b2b/news/%d" % self.n_region.id)
        doc = self.page("/my")
        rows = doc.xpath("//div[@id='o_b2b_dashboard_news']//div[contains(@class, 'o_b2b_news_row')]")
        self.assertEqual([int(r.get("data-news-id")) for r in rows],
                         [self.n_promo.id, self.n_region.id, self.n_all.id])
        self.assertEqual(["o_b2b_news_unread" in r.get("class") for r in rows], [True, False, True])
        # the newest of three (published later) pushes the oldest out
        with self.saved():
            self.env["b2b.news"].create({"name": "Свежая", "audience_all": True, "published": True,
                                         "date_published": "2026-11-05 09:00:00"})
        doc = self.page("/my")
        titles = [t.text_content().strip() for t in doc.xpath(
            "//div[@id='o_b2b_dashboard_news']//h4[contains(@class, 'o_b2b_news_title')]/a")]
        self.assertEqual(titles, ["Свежая", "Акция месяца", "Новость Москвы"])

    def test_russian_pages(self):
        self.login(self.u_alfa_admin)
        text = self.get("/ru_RU/b2b/news").text
        self.assertIn("Новости и акции", text)
        self.assertIn("акция", text)
