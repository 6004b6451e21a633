from .common import PortalHttpCase


class TestContractSwitch(PortalHttpCase):
    """The session-wide contract switcher accepts only contracts the user acts for."""

    def test_switch_to_own_contract(self):
        self.login(self.u_alfa_buyer)
        answer = self.post("/b2b/contract/switch", {"contract_id": self.c_alfa_retail.id,
                                                    "redirect": "/my"}, allow_redirects=False)
        self.assertEqual(answer.status_code, 303)
        self.assertTrue(answer.headers["Location"].endswith("/my"))

    def test_other_dealers_contract_refused(self):
        self.login(self.u_alfa_buyer)
        answer = self.post("/b2b/contract/switch", {"contract_id": self.c_beta.id},
                           allow_redirects=False)
        self.assertEqual(answer.status_code, 403)

    def test_outlet_cannot_switch(self):
        self.login(self.u_alfa_outlet)
        answer = self.post("/b2b/contract/switch", {"contract_id": self.c_alfa_retail.id},
                           allow_redirects=False)
        self.assertEqual(answer.status_code, 403)

    def test_open_redirect_refused(self):
        self.login(self.u_alfa_buyer)
        answer = self.post("/b2b/contract/switch", {"contract_id": self.c_alfa.id,
                                                    "redirect": "//evil.example/x"},
                           allow_redirects=False)
        self.assertEqual(answer.status_code, 303)
        self.assertNotIn("evil.example", answer.headers["Location"])


class TestServerTiming(PortalHttpCase):
    """Every answer tells how long the server worked on it (standard Server-Timing header)."""

    def test_pages_and_json_routes_report_their_server_time(self):
        self.login(self.u_alfa_buyer)
        page = self.get("/b2b/catalog")
        self.assertEqual(page.status_code, 200)
        self.assertRegex(page.headers.get("Server-Timing", ""), r"^app;dur=\d+\.\d$")
        answer = self.opener.post(self.url("/b2b/suggest"), json={
            "jsonrpc": "2.0", "method": "call", "id": 1, "params": {"term": "MIX"}}, timeout=60)
        self.assertRegex(answer.headers.get("Server-Timing", ""), r"^app;dur=\d+\.\d$")
        self.assertTrue(answer.json()["result"])
