"""The bonus, plan and consignment packages belong to features the bridge does not require: the
glue addon installed with each feature (b2b_1c_bridge_bonus, b2b_1c_bridge_commission) reads them.
With the feature missing, 1C is told which addon to install, in English and in Russian, and
nothing is written. ``make test`` installs everything here; the install-alone check
(runtime/tests/test_addons_alone.py) runs this module with the bridge alone."""
from odoo.tools import mute_logger

from .common import CONTROLLER_LOGGER, onec
from .test_packages_exchange import PackagesCase, example, line_of

# (file, section, feature addon, glue addon that reads it, its reader)
FEATURE_PACKAGES = (
    ("b2b_bonuses.xml", "Бонусы", "b2b_bonus", "b2b_1c_bridge_bonus", "B2B bonuses"),
    ("b2b_plans.xml", "ПланыЗакупок", "b2b_bonus", "b2b_1c_bridge_bonus", "B2B monthly plans"),
    ("b2b_consignment.xml", "ТоварыНаКомиссии", "b2b_commission", "b2b_1c_bridge_commission",
     "B2B consignment lists"),
)


class TestPackagesOfFeatures(PackagesCase):

    def installed(self, addon):
        return bool(self.xenv["ir.module.module"].search_count(
            [("name", "=", addon), ("state", "=", "installed")]))

    def test_feature_packages_are_read_with_their_feature_or_refused_naming_it(self):
        for name, section, feature, glue, reader in FEATURE_PACKAGES:
            self.assertEqual(self.installed(feature), self.installed(glue),
                             "%s comes with %s and the bridge" % (glue, feature))
            data = example(name)
            if self.installed(glue):
                self.send(name)  # imported (the glue addons' tests check what it wrote)
                self.assertEqual(self.last_file(name).importer, reader)
                continue
            with mute_logger(CONTROLLER_LOGGER), self.assertRaises(onec.ExchangeStopped) as stop:
                self.client().exchange([(name, data)], exchange_type="b2b")
            answer = stop.exception.answer
            self.assertEqual((answer.mode, answer.verdict), ("import", "failure"))
            line = line_of(data, "<%s" % section)
            self.assertEqual(answer.lines[:2], [
                "%s, line %d: the %s package cannot be imported here: install the %s addon (the "
                "1C bridge's reader of this package comes with it). Nothing was imported."
                % (name, line, section, feature),
                "%s, строка %d: пакет %s здесь не загрузить: установите модуль %s (с ним "
                "устанавливается обработчик этого пакета в мосте с 1С). Ничего не загружено."
                % (name, line, section, feature)])
            record = self.last_file(name)
            self.assertEqual((record.state, record.error_line), ("failed", line))
            self.assertEqual(record.records_created + record.records_updated, 0)
