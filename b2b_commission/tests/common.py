from odoo.addons.b2b_base.tests.common import RefusalCase


class CommissionCase(RefusalCase):
    """Two dealers that are commission agents, each with a portal user; a supplier manager who
    looks after the first one; an accountant; two products."""

    def setUp(self):
        super(CommissionCase, self).setUp()
        Users = self.env["res.users"].with_context(no_reset_password=True)
        Partner = self.env["res.partner"]
        group = self.env.ref
        self.manager = Users.create({
            "name": "Менеджер поставщика", "login": "commission-manager",
            "email": "commission-manager@example.com",
            "groups_id": [(6, 0, [group("b2b_base.group_b2b_manager").id])]})
        self.other_manager = Users.create({
            "name": "Другой менеджер", "login": "commission-other-manager",
            "email": "commission-other-manager@example.com",
            "groups_id": [(6, 0, [group("b2b_base.group_b2b_manager").id])]})
        self.accountant = Users.create({
            "name": "Бухгалтер поставщика", "login": "commission-accountant",
            "email": "commission-accountant@example.com",
            "groups_id": [(6, 0, [group("b2b_base.group_b2b_accountant").id])]})
        self.agent = Partner.create({
            "name": "ООО «Комиссионер»", "is_company": True, "b2b_is_dealer": True,
            "b2b_commission_agent": True, "b2b_manager_id": self.manager.id})
        self.other_agent = Partner.create({
            "name": "ООО «Другой комиссионер»", "is_company": True, "b2b_is_dealer": True,
            "b2b_commission_agent": True})
        self.agent_user = self._portal_user(self.agent, "Ольга Комиссионер", "commission-agent")
        self.other_agent_user = self._portal_user(self.other_agent, "Иван Другой", "commission-other")
        Product = self.env["product.product"]
        self.drill = Product.create({"name": "Дрель", "type": "consu", "list_price": 2000.0})
        self.saw = Product.create({"name": "Пила", "type": "consu", "list_price": 3500.0})

    def _portal_user(self, dealer, name, login):
        contact = self.env["res.partner"].create({"name": name, "parent_id": dealer.id})
        return self.env["res.users"].with_context(no_reset_password=True).create({
            "name": name, "login": login, "email": login + "@example.com",
            "partner_id": contact.id,
            "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])]})

    def report(self, user=None, agent=None, period="2024-05-01", lines=None):
        """A draft report created by ``user`` (the agent's portal user by default)."""
        if lines is None:
            lines = [(self.drill, 3, 2000.0, 5), (self.saw, 1, 3500.0, 0)]
        Report = self.env["b2b.commission.report"].sudo(user or self.agent_user)
        return Report.create({
            "partner_id": (agent or self.agent).id,
            "period": period,
            "line_ids": [(0, 0, {"product_id": product.id, "qty_sold": qty, "price_unit": price,
                                 "qty_consigned": consigned})
                         for product, qty, price, consigned in lines],
        })
