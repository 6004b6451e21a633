"""Hostile input for the B2B packages and the orders from 1C (type=b2b and type=sale): external
entities, entity bombs and broken XML are refused with the file and line, nothing is written and
nothing secret is read."""
import os
import tempfile
import time

from .test_packages_exchange import PackagesCase, example

PACKAGE_FILES = ("b2b_counterparties.xml", "b2b_settlements.xml", "b2b_overdue.xml",
                 "b2b_bonuses.xml", "b2b_plans.xml", "b2b_consignment.xml",
                 "b2b_printed_forms.xml")


def with_doctype(data, doctype):
    """``data`` with ``doctype`` put before its root element (after the XML declaration)."""
    head, sep, rest = data.partition(b"?>")
    return head + sep + b"\n" + doctype + rest


class TestHostileReaders(PackagesCase):

    def secret_file(self):
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as secret:
            secret.write("SECRET-CONTENT-51c2")
        self.addCleanup(os.remove, secret.name)
        return secret.name

    def written(self):
        """What a package or an orders file could have written (the bonus and consignment
        records when their features are installed)."""
        self.refresh()
        env = self.xenv
        return tuple(env[model].with_context(active_test=False).search_count([])
                     for model in ("b2b.settlement.line", "b2b.overdue.summary", "b2b.contract",
                                   "res.partner", "b2b.document", "sale.order",
                                   "b2b.bonus.plan", "b2b.bonus.balance", "b2b.consignment.line")
                     if model in env)

    def assert_secret_kept(self):
        for record in self.files():
            for value in record.read()[0].values():
                self.assertNotIn("SECRET-CONTENT", str(value))
        for session in self.sessions():
            self.assertNotIn("SECRET-CONTENT", (session.log or "") + (session.last_error or ""))

    def test_external_entity_in_every_package_kind_is_refused(self):
        secret = self.secret_file()
        doctype = ('<!DOCTYPE КоммерческаяИнформация [<!ENTITY xxe SYSTEM "file://%s">]>\n'
                   % secret).encode("utf-8")
        before = self.written()
        for name in PACKAGE_FILES:
            data = with_doctype(example(name), doctype).replace(
                "<Ид>".encode("utf-8"), "<Ид>&xxe;".encode("utf-8"), 1)
            reason = self.refused(name, data)
            self.assertIn("a document type declaration (DOCTYPE, entities) is not allowed",
                          reason)
            self.assertTrue(reason.startswith("%s, line " % name), reason)
        self.assertEqual(self.written(), before)
        self.assert_secret_kept()

    def test_package_broken_at_its_end_writes_nothing(self):
        """The kind of file is told by its first section; its last line is still checked."""
        data = example("b2b_settlements.xml")
        broken = data.replace("</Взаиморасчеты>".encode("utf-8"), b"", 1)
        before = self.written()
        reason = self.refused("b2b_settlements.xml", broken)
        last = len(broken.decode("utf-8").splitlines())
        self.assertTrue(reason.startswith("b2b_settlements.xml, line %d: the XML is not "
                                          "well-formed" % last), reason)
        self.assertEqual(self.written(), before)

    def test_orders_file_with_entities_or_broken_xml_is_refused(self):
        secret = self.secret_file()
        before = self.written()
        xxe = ('<?xml version="1.0" encoding="UTF-8"?>\n'
               '<!DOCTYPE КоммерческаяИнформация [<!ENTITY xxe SYSTEM "file://%s">]>\n'
               '<КоммерческаяИнформация ВерсияСхемы="2.08"><Документ><Ид>&xxe;</Ид>'
               '<ХозОперация>Заказ товара</ХозОперация></Документ></КоммерческаяИнформация>\n'
               % secret).encode("utf-8")
        reason = self.refused("orders.xml", xxe, exchange_type="sale")
        self.assertIn("orders.xml, line 3: a document type declaration", reason)
        entities = ['<!ENTITY lol0 "lol">'] + [
            '<!ENTITY lol%d "%s">' % (i, ("&lol%d;" % (i - 1)) * 10) for i in range(1, 12)]
        laughs = ('<?xml version="1.0"?>\n<!DOCTYPE КоммерческаяИнформация [%s]>\n'
                  '<КоммерческаяИнформация><Документ><Ид>&lol11;</Ид></Документ>'
                  '</КоммерческаяИнформация>\n' % "".join(entities)).encode("utf-8")
        started = time.time()
        reason = self.refused("orders.xml", laughs, exchange_type="sale")
        self.assertLess(time.time() - started, 30)
        self.assertIn("orders.xml, line 3: a document type declaration", reason)
        broken = ('<?xml version="1.0" encoding="UTF-8"?>\n<КоммерческаяИнформация '
                  'ВерсияСхемы="2.08">\n<Документ><Ид>1</Ид>\n<Номер>ЗК-1</Документ>\n'
                  '</КоммерческаяИнформация>\n').encode("utf-8")
        reason = self.refused("orders.xml", broken, exchange_type="sale")
        self.assertTrue(reason.startswith("orders.xml, line 4: the XML is not well-formed"),
                        reason)
        self.assertEqual(self.written(), before)
        self.assert_secret_kept()
