"""Set-up shared by the orders and web-service tests: 1C ids on a few demo products and portal
orders placed through the dealer API."""
from odoo.addons.b2b_base.lib import pricing

from .common import NS, ExchangeCase



class OrdersCase(ExchangeCase):

    def setUp(self):
        super().setUp()
        ref = self.xenv.ref
        self.c_alfa = ref("b2b_base.demo_contract_alfa_main")
        self.c_beta = ref("b2b_base.demo_contract_beta_main")
        self.alfa = ref("b2b_base.demo_dealer_alfa")
        self.beta = ref("b2b_base.demo_dealer_beta")
        self.buyer = ref("b2b_base.demo_user_alfa_buyer")
        # products the Альфа contract can order in quantity 1; the catalog exchange gives them 1C ids
        offers = self.c_alfa._b2b_offers()
        fitting = [pid for pid in sorted(offers)
                   if not pricing.validate_lines(offers, [(pid, 1.0)])
                   and not pricing.validate_lines(self.c_beta._b2b_offers([pid]), [(pid, 1.0)])]
        self.products = self.xenv["product.product"].browse(fitting[:3])
        self.assertEqual(len(self.products), 3, "the demo catalog has goods for these tests")
        for number, product in enumerate(self.products, start=1):
            product.product_tmpl_id.b2b_onec_id = "00000000-test-0000-0000-%012d" % number
        self.commit()

    def onec_id(self, product):
        return product.product_tmpl_id.b2b_onec_id

    def place(self, lines, note="к обеду", user=None):
        """A portal order placed by the dealer's buyer: [(product, qty)]."""
        Order = self.xenv["sale.order"].sudo(user or self.buyer)
        order_id = Order.b2b_place_order(self.c_alfa.id, [(p.id, q) for p, q in lines], note=note)
        self.commit()
        return self.xenv["sale.order"].browse(order_id)

    def documents(self, content):
        from lxml import etree
        root = etree.fromstring(content, etree.XMLParser(resolve_entities=False, no_network=True))
        return {doc.findtext(NS + "Номер"): doc for doc in root.findall(NS + "Документ")}

    @staticmethod
    def requisites(doc):
        return {item.findtext(NS + "Наименование"): item.findtext(NS + "Значение")
                for item in doc.find(NS + "ЗначенияРеквизитов")}

    def orders_xml(self, *documents):
        return ("<?xml version='1.0' encoding='UTF-8'?>\n<КоммерческаяИнформация "
                "xmlns='urn:1C.ru:commerceml_2' ВерсияСхемы='2.08' "
                "ДатаФормирования='2024-05-01T10:00:00'>\n%s\n</КоммерческаяИнформация>\n"
                % "\n".join(documents)).encode("utf-8")

    @staticmethod
    def document(guid, number, contract_id, counterparty_id, status, lines, comment=""):
        """An order document as 1C sends it, its elements in the order of 1C's published schema
        (valid CommerceML 2.08–2.10); its lines one per line of the file."""
        goods = "".join(
            "<Товар><Ид>%s</Ид><Наименование>т</Наименование><БазоваяЕдиница Код=\"796\">шт"
            "</БазоваяЕдиница><ЦенаЗаЕдиницу>%s</ЦенаЗаЕдиницу><Количество>%s</Количество>"
            "<Сумма>%s</Сумма></Товар>\n" % (pid, price, qty, amount)
            for pid, qty, price, amount in lines)
        total = sum(float(amount) for _pid, _qty, _price, amount in lines)
        return ("<Документ>\n<Ид>%s</Ид><Номер>%s</Номер><Дата>2024-05-01</Дата>"
                "<ХозОперация>Заказ товара</ХозОперация><Роль>Продавец</Роль><Валюта>RUB</Валюта>"
                "<Курс>1</Курс><Сумма>%.2f</Сумма><Контрагенты><Контрагент><Ид>%s</Ид><Наименование>Дилер"
                "</Наименование><ОфициальноеНаименование>Дилер</ОфициальноеНаименование>"
                "<Роль>Покупатель</Роль></Контрагент></Контрагенты><Время>09:30:00</Время>"
                "<Комментарий>%s</Комментарий>\n<Товары>\n%s</Товары>"
                "<ЗначенияРеквизитов><ЗначениеРеквизита><Наименование>Договор</Наименование>"
                "<Значение>%s</Значение></ЗначениеРеквизита><ЗначениеРеквизита><Наименование>"
                "Статус заказа</Наименование><Значение>%s</Значение></ЗначениеРеквизита>"
                "</ЗначенияРеквизитов></Документ>") % (guid, number, total, counterparty_id, comment,
                                                       goods, contract_id, status)
