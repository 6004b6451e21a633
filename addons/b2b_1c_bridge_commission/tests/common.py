"""A commission agent known to 1C (its counterparty, its commission contract with a 10 % default
commission, two goods) with a portal administrator, and the agent's reports submitted through
the portal's API, for the exchange tests of the commission reports."""
from odoo.addons.b2b_1c_bridge.tests.test_packages_exchange import PackagesCase

AGENT = "c0a1b2c3-0002-4000-8000-000000000001"
DRILL = "c0a1b2c3-0002-4000-8000-000000000002"
SAW = "c0a1b2c3-0002-4000-8000-000000000003"
CONTRACT = "c0a1b2c3-0002-4000-8000-000000000004"


class CommissionExchangeCase(PackagesCase):

    def setUp(self):
        super().setUp()
        env = self.xenv
        self.agent = env["res.partner"].create({
            "name": "ООО «Комиссионер»", "is_company": True, "b2b_is_dealer": True,
            "b2b_commission_agent": True, "b2b_onec_id": AGENT})
        price_type = env["b2b.price.type"].create({"name": "Комиссия"})
        self.contract = env["b2b.contract"].create({
            "name": "К-7/2024", "partner_id": self.agent.id, "price_type_id": price_type.id,
            "b2b_onec_id": CONTRACT})
        env["b2b.commission.term"].create({"contract_id": self.contract.id, "percent": 10.0})
        Product = env["product.product"]
        self.drill = Product.create({"name": "Дрель", "type": "consu", "default_code": "DR-1"})
        self.drill.product_tmpl_id.b2b_onec_id = DRILL
        self.saw = Product.create({"name": "Пила", "type": "consu", "default_code": "SW-1"})
        self.saw.product_tmpl_id.b2b_onec_id = SAW
        contact = env["res.partner"].create({"name": "Ольга Комиссионер", "parent_id": self.agent.id})
        self.agent_user = env["res.users"].with_context(no_reset_password=True).create({
            "name": "Ольга Комиссионер", "login": "commission-agent-1c",
            "email": "commission-agent-1c@example.com", "partner_id": contact.id,
            "b2b_role": "admin",
            "groups_id": [(6, 0, [env.ref("base.group_portal").id])]})
        self.commit()

    def draft(self, period="2024-05-01", lines=None):
        """A draft of the agent's contract, made as the agent's user."""
        if lines is None:
            lines = [(self.drill, 3, 2000.0), (self.drill, 1, 1850.5), (self.saw, 1, 3500.0)]
        report = self.xenv["b2b.commission.report"].sudo(self.agent_user).create({
            "partner_id": self.agent.id, "contract_id": self.contract.id, "period": period,
            "line_ids": [(0, 0, {"sequence": number, "product_id": product.id, "qty_sold": qty,
                                 "price_unit": price})
                         for number, (product, qty, price) in enumerate(lines, 1)]})
        self.commit()
        return report.sudo()

    def submit(self, report):
        """The agent presses Submit on the report's portal page."""
        report.env["b2b.commission.report"].sudo(self.agent_user).b2b_submit(report.id)
        self.commit()
        report.invalidate_cache()
        return report

    def request_of(self, report):
        return self.xenv["b2b.onec.request"].search([
            ("res_model", "=", report._name), ("res_id", "=", report.id)])

    def notices(self, report):
        """Subjects of the messages the agent's people got on ``report``."""
        report.invalidate_cache()
        partner = self.agent_user.partner_id
        return [message.subject for message in report.message_ids.sorted("id")
                if partner in message.partner_ids]
