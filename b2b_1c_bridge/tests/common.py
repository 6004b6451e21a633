"""Shared set-up of the exchange tests: the 1C stand-in and an exchange user."""
from unittest.mock import patch

from lxml import etree

import odoo
from odoo import SUPERUSER_ID, api
from odoo.sql_db import LazyCursor
from odoo.tests import common

from odoo.addons.b2b_base.tools import checkout

NS = "{urn:1C.ru:commerceml_2}"

onec = checkout.load_standin("onec_client")

LOGIN = "1c-exchange"
PASSWORD = "1c-Exchange-Secret"
CONTROLLER_LOGGER = "odoo.addons.b2b_1c_bridge.controllers.exchange"

# the supplier that owns the classifier, the catalog and the offers (the schema requires one)
OWNER_XML = ("<Владелец><Ид>owner-1</Ид><Наименование>Поставщик</Наименование>"
             "<ОфициальноеНаименование>ООО «Поставщик»</ОфициальноеНаименование></Владелец>")

# a catalog and an offers package valid against 1C's published schemas (doc/commerceml)
CATALOG_XML = """<?xml version="1.0" encoding="UTF-8"?>
<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" ВерсияСхемы="2.05" ДатаФормирования="2024-05-01T10:00:00">
  <Классификатор><Ид>cls-1</Ид><Наименование>Классификатор</Наименование>%(owner)s</Классификатор>
  <Каталог СодержитТолькоИзменения="false">
    <Ид>cat-1</Ид><ИдКлассификатора>cls-1</ИдКлассификатора><Наименование>Каталог</Наименование>%(owner)s
    <Товары>
      <Товар><Ид>11111111-1111-1111-1111-111111111111</Ид><Артикул>A-1</Артикул><Наименование>Кран шаровой</Наименование><БазоваяЕдиница Код="796" НаименованиеПолное="Штука" МеждународноеСокращение="PCE">шт</БазоваяЕдиница></Товар>
    </Товары>
  </Каталог>
</КоммерческаяИнформация>
""".replace("%(owner)s", OWNER_XML).encode("utf-8")

OFFERS_XML = """<?xml version="1.0" encoding="UTF-8"?>
<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" ВерсияСхемы="2.05" ДатаФормирования="2024-05-01T10:00:00">
  <ПакетПредложений><Ид>cat-1#</Ид><Наименование>Пакет предложений</Наименование><ИдКаталога>cat-1</ИдКаталога>%(owner)s
    <ТипыЦен><ТипЦены><Ид>a1b2c3d4-0000-4000-8000-000000000001</Ид><Наименование>Оптовая</Наименование><Валюта>RUB</Валюта></ТипЦены></ТипыЦен>
    <Предложения><Предложение><Ид>11111111-1111-1111-1111-111111111111</Ид><Наименование>Кран шаровой</Наименование><БазоваяЕдиница Код="796" НаименованиеПолное="Штука" МеждународноеСокращение="PCE">шт</БазоваяЕдиница><Цены><Цена><ИдТипаЦены>a1b2c3d4-0000-4000-8000-000000000001</ИдТипаЦены><ЦенаЗаЕдиницу>100.00</ЦенаЗаЕдиницу><Валюта>RUB</Валюта></Цена></Цены><Количество>5</Количество></Предложение></Предложения>
  </ПакетПредложений>
</КоммерческаяИнформация>
""".replace("%(owner)s", OWNER_XML).encode("utf-8")


class SameTransactionLazyCursor(LazyCursor):
    """Odoo reads a decimal precision (digits of Float fields) through a LazyCursor, which in
    production is a cursor of its own. Under HttpCase it is the one test cursor, whose commit
    and close at the end of the ``with`` block release every savepoint opened since the test's
    last commit, among them the savepoint the exchange reads each file in. This one uses the
    test cursor as it is, without committing or closing it; outside test mode it is Odoo's."""

    def __getattr__(self, name):
        test_cr = odoo.registry(self.dbname).test_cr
        if test_cr is not None:
            return getattr(test_cr, name)
        return super().__getattr__(name)


@common.at_install(False)
@common.post_install(True)
class ExchangeCase(common.HttpCase):
    """Talks to the real endpoint over HTTP with the 1C stand-in.

    HTTP requests of an HttpCase run on the registry's test cursor; ``self.xenv`` works on that
    cursor, so what the test creates is seen by the endpoint and what the endpoint writes is seen
    by the test.
    """

    def setUp(self):
        super().setUp()
        # readers run in a savepoint per file; see SameTransactionLazyCursor
        lazy = patch("odoo.fields.LazyCursor", SameTransactionLazyCursor)
        lazy.start()
        self.addCleanup(lazy.stop)
        self.xenv = api.Environment(self.registry.test_cr, SUPERUSER_ID, {})
        self.group = self.xenv.ref("b2b_1c_bridge.group_onec_exchange")
        self.exchange_user = self.xenv["res.users"].create({
            "name": "1C exchange", "login": LOGIN, "password": PASSWORD,
            "groups_id": [(6, 0, [self.xenv.ref("base.group_user").id, self.group.id])],
        })
        self.base_url = "http://%s:%s" % (common.HOST, common.PORT)
        self.commit()

    def commit(self):
        """Make the test's writes survive a request that rolls back (test cursor savepoint)."""
        self.xenv.cr.commit()

    def client(self, login=LOGIN, password=PASSWORD):
        return onec.OnecExchangeClient(self.base_url, login, password)

    def set_param(self, key, value):
        self.xenv["ir.config_parameter"].set_param("b2b_1c_bridge." + key, str(value))
        self.commit()

    def refresh(self):
        self.xenv["b2b.onec.exchange.session"].invalidate_cache()

    def sessions(self):
        self.refresh()
        return self.xenv["b2b.onec.exchange.session"].search([("user_id", "=", self.exchange_user.id)])

    def files(self, **domain):
        self.refresh()
        return self.xenv["b2b.onec.exchange.file"].search(
            [("session_id.user_id", "=", self.exchange_user.id)]
            + [(key, "=", value) for key, value in domain.items()])

    def connected(self, exchange_type="catalog"):
        client = self.client()
        self.assertEqual(client.checkauth(exchange_type).verdict, "success")
        self.assertEqual(client.init(exchange_type).status, 200)
        return client

    def queried_requests(self, client):
        """What 1C collects through the exchange (``type=b2b&mode=query``): {Ид: Запрос}."""
        query = client.call("b2b", "query")
        self.assertEqual(query.status, 200)
        root = etree.fromstring(query.content, etree.XMLParser(resolve_entities=False))
        return {item.findtext(NS + "Ид"): item for item in root.iter(NS + "Запрос")}
