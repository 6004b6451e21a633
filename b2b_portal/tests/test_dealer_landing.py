import odoo.tests


class TestDealerLanding(odoo.tests.HttpCase):
    """A dealer's staff member logs in and lands on the portal, never on the backend."""

    post_install = True
    at_install = False

    def _login(self, login, password):
        """Log in through the login form; return where Odoo sends the browser next."""
        page = self.url_open("/web/login", timeout=120)
        self.assertEqual(page.status_code, 200)
        token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        answer = self.url_open("/web/login", timeout=120, data={
            "login": login, "password": password, "csrf_token": token, "redirect": ""})
        self.assertEqual(answer.status_code, 200)
        # a successful login answers with a page that moves the browser on by script
        self.assertIn("window.location = ", answer.text, "the login failed")
        return answer.text.split("window.location = '")[1].split("'")[0]

    def test_dealer_login_lands_on_portal(self):
        self.assertEqual(self._login("alfa.admin", "alfa.admin"), "/my")
        page = self.url_open("/my", timeout=120)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Анна Смирнова", page.text)

    def test_dealer_opening_backend_is_sent_to_portal(self):
        self._login("alfa.admin", "alfa.admin")
        answer = self.url_open("/web", timeout=120)
        self.assertTrue(answer.url.endswith("/my"), answer.url)
        self.assertNotIn("error=access", answer.url)

    def test_supplier_staff_still_reach_backend(self):
        self.assertEqual(self._login("admin", "admin"), "/web")
        page = self.url_open("/web", timeout=120)
        self.assertTrue(page.url.endswith("/web"), page.url)
        self.assertIn("odoo.session_info", page.text)
