"""The consignment lists of 1C (b2b_1c_bridge's doc/exchange_contract.rst) sent by the 1C
stand-in over real HTTP: the list lands, the same list twice changes nothing, a shorter list
replaces the contract's list, and a bad record stops the file with a message naming the file, the
line and the element, leaving the database as it was."""
from odoo.tools import mute_logger

from odoo.addons.b2b_1c_bridge.tests.common import CONTROLLER_LOGGER, onec
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

    def test_consignment_movement_lands_and_a_list_that_does_not_add_up_writes_nothing(self):
        Line = "b2b.consignment.line"

        def movement():
            held = self.search(Line, [("contract_id", "=", self.c_beta_special.id)])
            return {l.product_id.product_tmpl_id.b2b_onec_id: (l.qty_handed, l.qty_sold, l.qty_returned,
                                                                l.qty, l.price_unit)
                    for l in held}

        self.assertEqual(self.send("b2b_consignment.xml"), (2, 0, 0))
        self.assertEqual(movement(), {P1: (30.0, 5.0, 1.0, 24.0, 7450.0),
                                      P3: (0.0, 0.0, 0.0, 6.0, 12990.0)},
                         "P3 is sent without its movement: none is known")
        data = example("b2b_consignment.xml").decode("utf-8")
        # 1C's later file: P1 without its movement (the stored figures stay) and an element the
        # reader does not know; P3 with its movement in decimal commas and one figure empty
        later = data.replace("<Передано>30</Передано>", "<Склад>Основной</Склад>") \
                    .replace("<Продано>5</Продано>", "").replace("<Возвращено>1</Возвращено>", "") \
                    .replace("<Количество>24</Количество>", "<Количество>23</Количество>") \
                    .replace("<Количество>6</Количество>",
                             "<Количество>5,5</Количество><Передано>8,5</Передано>"
                             "<Продано></Продано><Возвращено>3</Возвращено>")
        self.assertEqual(self.send("b2b_consignment.xml", later.encode()), (0, 2, 0))
        self.assertEqual(movement(), {P1: (30.0, 5.0, 1.0, 23.0, 7450.0),
                                      P3: (8.5, 0.0, 3.0, 5.5, 12990.0)})
        # P1 adds up (30 − 5 − 1 = 24) and comes first; P3 does not (12,5 − 5 − 1 ≠ 7)
        bad = data.replace("<Количество>6</Количество>",
                           "<Количество>7</Количество><Передано>12,5</Передано>"
                           "<Продано>5</Продано><Возвращено>1</Возвращено>").encode()
        with mute_logger(CONTROLLER_LOGGER), self.assertRaises(onec.ExchangeStopped) as stop:
            self.client().exchange([("b2b_consignment.xml", bad)], exchange_type="b2b")
        self.refresh()
        answer, line = stop.exception.answer, line_of(bad, "<Количество>7<")
        self.assertEqual((answer.mode, answer.verdict), ("import", "failure"))
        self.assertEqual(answer.lines[:2], [
            "b2b_consignment.xml, line %d, Список/Товары/Товар/Количество: 7 held does not match "
            "12.5 handed over less 5 sold and 1 returned (= 6.5)." % line,
            "b2b_consignment.xml, строка %d, Список/Товары/Товар/Количество: на комиссии 7, а "
            "передано 12.5, продано 5 и возвращено 1 (остаток 6.5)." % line])
        self.assertEqual(self.last_file("b2b_consignment.xml").state, "failed")
        self.assertEqual(movement(), {P1: (30.0, 5.0, 1.0, 23.0, 7450.0),
                                      P3: (8.5, 0.0, 3.0, 5.5, 12990.0)},
                         "nothing of the refused file is written, not even its first good")
