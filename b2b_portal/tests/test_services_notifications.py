"""What the portal's services tell dealers' users in their feed: news published to them (once),
a complaint's new status and the supplier's answers on it, the manager's decision on a request for
a new legal entity — each to the users who read it, in their language, and to nobody else."""
from .common import PortalCase, PortalHttpCase


class TestServicesNotifications(PortalCase):

    def setUp(self):
        super(TestServicesNotifications, self).setUp()
        self.env.cr.execute("DELETE FROM b2b_notification")
        self.Note = self.env["b2b.notification"]
        self.u_alfa_buyer.lang = "en_US"     # one reader in English, the others Russian
        self.alfa = self.c_alfa.dealer_id
        self.beta = self.c_beta.dealer_id

    def notes(self, user, kind):
        return self.Note.search([("user_id", "=", user.id), ("kind", "=", kind)], order="id")

    # ------------------------------------------------------------------ news
    def test_news_reaches_its_audience_once(self):
        news = self.env["b2b.news"].create({
            "name": "Новое поступление", "summary": "Смесители новой серии уже на складе",
            "audience_all": False, "audience_dealer_ids": [(6, 0, self.alfa.ids)]})
        self.assertFalse(self.notes(self.u_alfa_admin, "news"), "a draft tells nobody")
        news.action_publish()
        admin = self.notes(self.u_alfa_admin, "news")
        self.assertEqual(admin.mapped("title"), ["Новость: Новое поступление"])
        self.assertEqual(admin.body, "Смесители новой серии уже на складе")
        self.assertEqual(admin.url, "/b2b/news/%d" % news.id)
        self.assertEqual(self.notes(self.u_alfa_buyer, "news").mapped("title"),
                         ["News: Новое поступление"])
        self.assertFalse(self.notes(self.u_beta_admin, "news") | self.notes(self.u_beta_buyer, "news"),
                         "news meant for «Альфа» tells «Бета» nothing")
        # withdrawn and published again: not told twice
        news.action_unpublish()
        news.action_publish()
        self.assertEqual(len(self.notes(self.u_alfa_admin, "news")), 1)

    def test_a_promotion_published_at_once_is_told_as_a_promotion(self):
        self.env["b2b.news"].create({
            "name": "Скидка на душевые", "kind": "promotion", "audience_all": True,
            "date_start": "2026-01-01", "date_end": "2099-12-31",
            "published": True})
        self.assertEqual(self.notes(self.u_beta_admin, "news").mapped("title"),
                         ["Акция: Скидка на душевые"])

    # ------------------------------------------------------------------ complaints
    def make_complaint(self):
        product = self.env["product.product"].search([("default_code", "=", "MIX-00001")], limit=1)
        return self.env["b2b.complaint"].create({
            "contract_id": self.c_alfa.id, "dealer_id": self.alfa.id,
            "user_id": self.u_alfa_buyer.id, "product_id": product.id, "qty": 2,
            "resolution": "replace", "description": "Трещина на корпусе"})

    def test_complaint_status_and_answers_reach_its_readers(self):
        complaint = self.make_complaint().sudo(self.u_manager_ivan)
        complaint.action_review()
        admin = self.notes(self.u_alfa_admin, "complaint")
        self.assertEqual(admin.mapped("title"),
                         ["Рекламация %s: На рассмотрении" % complaint.name])
        self.assertEqual(self.notes(self.u_alfa_buyer, "complaint").mapped("title"),
                         ["Complaint %s: In review" % complaint.name])
        self.assertFalse(self.notes(self.u_beta_admin, "complaint"))
        # the supplier's answer is told with its text; an internal note is not
        complaint.message_post(body="<p>Пришлите, пожалуйста, фото упаковки.</p>",
                               message_type="comment", subtype="mail.mt_comment")
        answer = self.notes(self.u_alfa_admin, "complaint")[-1]
        self.assertEqual(answer.title, "Рекламация %s: поставщик ответил" % complaint.name)
        self.assertEqual(answer.body, "Пришлите, пожалуйста, фото упаковки.")
        complaint.message_post(body="<p>Проверить партию на складе</p>",
                               message_type="comment", subtype="mail.mt_note")
        self.assertEqual(len(self.notes(self.u_alfa_admin, "complaint")), 2)
        # the dealer's own answer does not come back to the dealer's users
        self.env["b2b.complaint"].sudo(self.u_alfa_buyer).b2b_reply(complaint.id, "Фото приложим")
        self.assertEqual(len(self.notes(self.u_alfa_admin, "complaint")), 2)
        # a rejection tells its reason
        complaint.write({"reject_reason": "Повреждение при перевозке покупателем"})
        complaint.action_reject()
        rejected = self.notes(self.u_alfa_admin, "complaint")[-1]
        self.assertEqual(rejected.title, "Рекламация %s: Отклонена" % complaint.name)
        self.assertIn("Повреждение при перевозке покупателем", rejected.body)

    # ------------------------------------------------------------------ legal entities
    def test_the_managers_decision_on_a_legal_entity_is_told(self):
        request = self.env["b2b.legal.entity.request"].create({
            "name": "ООО «Альфа-Север»", "dealer_id": self.alfa.id,
            "author_id": self.u_alfa_admin.id, "inn": "7707083893", "kpp": "773601001",
            "legal_address": "Москва, ул. Вавилова, 19", "bik": "044525225",
            "bank_name": "ПАО Сбербанк", "account": "40702810938000000001",
            "corr_account": "30101810400000000225", "contact_name": "Сергей Воронов",
            "contact_phone": "+7 495 000-00-00"})
        request.write({"reject_reason": "Нужна выписка из ЕГРЮЛ"})
        request.sudo(self.u_manager_ivan).action_reject()
        told = self.notes(self.u_alfa_admin, "legal_entity")
        self.assertEqual(told.mapped("title"), ["Юрлицо «ООО «Альфа-Север»» отклонено"])
        self.assertEqual(told.body, "Причина менеджера: Нужна выписка из ЕГРЮЛ")
        self.assertEqual(told.url, "/b2b/legal-entities/%d" % request.id)
        self.assertFalse(self.notes(self.u_alfa_buyer, "legal_entity"),
                         "only the dealer's administrators decide on legal entities")
        self.assertFalse(self.notes(self.u_beta_admin, "legal_entity"))


class TestNotificationTimes(PortalHttpCase):
    """The feed tells when a notification came as the dealer's clock reads it: in the user's time
    zone, else the supplier's (Moscow in the demo), to the minute."""

    def test_the_time_of_a_notification_is_local(self):
        admin = self.env.ref("b2b_base.demo_user_alfa_admin")
        buyer = self.env.ref("b2b_base.demo_user_alfa_buyer")
        self.env.cr.execute("DELETE FROM b2b_notification")
        notes = self.env["b2b.notification"]._b2b_notify(admin | buyer, "news", "Время")
        self.env.cr.execute("UPDATE b2b_notification SET create_date = '2026-03-01 21:30:00' "
                            "WHERE id IN %s", (tuple(notes.ids),))
        admin.partner_id.tz = False
        buyer.partner_id.tz = "Asia/Novosibirsk"
        self.login(admin)
        html = self.get("/ru_RU/b2b/notifications").text
        self.assertIn("02.03.2026 00:30", html, "21:30 UTC is 00:30 of the next day in Moscow")
        self.login(buyer)
        html = self.get("/ru_RU/b2b/notifications").text
        self.assertIn("02.03.2026 04:30", html, "the user's own time zone when it has one")
