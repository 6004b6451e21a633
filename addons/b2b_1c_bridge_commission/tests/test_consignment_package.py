"""The consignment lists of 1C (b2b_1c_bridge's doc/exchange_contract.rst) sent by the 1C
stand-in over real HTTP: the list lands, the same list twice changes nothing, a shorter list
replaces the contract's list, and a bad record stops the file with a message naming the file, the
line and the element, leaving the database as it was."""
from odoo.addons.b2b_1c_bridge.tests.test_packages_exchange import (
    P1, P2, P3, PackagesCase, example, line_of)


class TestConsignmentPackage(PackagesCase):

    def test_consignment_list_lands_once_and_replaces_the_contract_list(self):
        Line = "b2b.consignment.line"
        self.assertEqual(self.send("b2b_consignment.xml"), (2, 0, 0))
        held = self.search(Line, [("contract_id", "=", self.c_beta_special.id)])
        self.assertEqual(sorted((l.product_id.product_tmpl_id.b2b_onec_id, l.qty, l.price_unit, l.date)
                                for l in held),
                         [(P1, 24.0, 7450.0, "2026-11-20"), (P3, 6.0, 12990.0, "2026-11-20")])
        self.assertEqual(held.mapped("dealer_id"), self.beta)
        Consigned = self.xenv["b2b.consignment.line"]
        self.assertEqual(Consigned.sudo(self.ref("b2b_base.demo_user_beta_admin")).search([]), held)
        self.assertFalse(Consigned.sudo(self.ref("b2b_base.demo_user_alfa_admin")).search([]),
                         "another dealer's users see none of it")
        self.assertEqual(self.send("b2b_consignment.xml"), (0, 0, 2))
        data = example("b2b_consignment.xml").decode("utf-8")
        start = data.index("<Товар>", data.index(P1))  # the second good, P3
        end = data.index("</Товар>", data.index(P3)) + len("</Товар>")
        shorter = data[:start] + data[end:]
        self.assertNotIn(P3, shorter)
        self.assertEqual(self.send("b2b_consignment.xml", shorter.replace(P1, P2).encode()), (1, 2, 0),
                         "P2 now held; P1 and P3 no longer")
        held = self.search(Line, [("contract_id", "=", self.c_beta_special.id)])
        self.assertEqual(held.mapped("product_id.product_tmpl_id.b2b_onec_id"), [P2])
        bad = example("b2b_consignment.xml").replace(b"c0a1b2c3-0001-4000-8000-000000000005",
                                                     b"c0a1b2c3-0001-4000-8000-0000000000ff")
        reason = self.refused("b2b_consignment.xml", bad)
        self.assertEqual(reason, "b2b_consignment.xml, line %d, Список/ИдДоговора: no contract has the "
                                 "1C id c0a1b2c3-0001-4000-8000-0000000000ff." % line_of(bad, "0000000000ff"))
        self.assertEqual(self.search(Line, [("contract_id", "=", self.c_beta_special.id)]), held)
