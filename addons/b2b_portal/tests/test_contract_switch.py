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
