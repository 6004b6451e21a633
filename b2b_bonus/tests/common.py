from odoo.addons.b2b_base.tests.common import RefusalCase


class BonusCase(RefusalCase):
    """A dealer with 1000 bonus points, a bonus-only mug (150 points) and a regular drill;
    a supplier salesman (not the superuser) works with them."""

    def setUp(self):
        super(BonusCase, self).setUp()
        Users = self.env["res.users"].with_context(no_reset_password=True)
        self.dealer = self.env["res.partner"].create({
            "name": "ООО «Бонус-Дилер»", "is_company": True, "customer": True, "b2b_is_dealer": True})
        self.buyer = self.env["res.partner"].create({
            "name": "Пётр Закупщик", "parent_id": self.dealer.id, "type": "contact"})
        self.salesman = Users.create({
            "name": "Supplier salesman", "login": "bonus-salesman",
            "email": "bonus-salesman@example.com",
            "groups_id": [(6, 0, [self.env.ref("b2b_base.group_b2b_manager").id])]})
        self.b2b_admin = Users.create({
            "name": "Supplier B2B admin", "login": "bonus-b2b-admin",
            "email": "bonus-b2b-admin@example.com",
            "groups_id": [(6, 0, [self.env.ref("b2b_base.group_b2b_admin").id])]})
        self.dealer.b2b_manager_id = self.salesman
        self.price_type = self.env["b2b.price.type"].create({"name": "Оптовая (бонусы)"})
        self.contract = self.contract_for(self.dealer)
        Product = self.env["product.product"].sudo(self.b2b_admin)
        self.mug = Product.create({"name": "Кружка", "type": "consu", "list_price": 0.0,
                                   "b2b_bonus_only": True, "b2b_bonus_price": 150.0})
        self.drill = Product.create({"name": "Дрель", "type": "consu", "list_price": 1000.0})
        # the dealer buys the drill at its contract's price type, not at the list price
        self.env["b2b.price"].create({
            "product_id": self.drill.id, "price_type_id": self.price_type.id, "price": 900.0})
        self.balance = self.env["b2b.bonus.balance"].sudo(self.b2b_admin).create({
            "partner_id": self.dealer.id, "points": 1000.0, "balance_date": "2024-05-01"})

    def contract_for(self, dealer):
        """Every dealer order is placed under a contract (b2b_base)."""
        return self.env["b2b.contract"].create({
            "name": "Д-%d" % dealer.id, "partner_id": dealer.id, "price_type_id": self.price_type.id})

    def order(self, lines, bonus=True, partner=None, user=None):
        """A quotation created by ``user`` (the salesman by default) with ``lines`` [(product, qty)]."""
        Order = self.env["sale.order"].sudo(user or self.salesman)
        partner = partner or self.dealer
        entity = partner.commercial_partner_id
        contract = entity.b2b_contract_ids[:1] or self.contract_for(entity)
        return Order.create({
            "partner_id": partner.id,
            "b2b_contract_id": contract.id,
            "b2b_is_bonus_order": bonus,
            "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": qty,
                                   "price_unit": 0.0 if bonus else product.list_price})
                           for product, qty in lines],
        })
