"""Which reader takes which file of an exchange: the bridge's own readers, registered in
``b2b.onec.exchange.file._onec_importers()`` (the glue addons add theirs the same way)."""
from odoo import api, models

from ..lib import cml_packages as cml
from ..lib.importers import Importer

CATALOG_MODEL = "b2b.onec.catalog.import"
PACKAGE_MODEL = "b2b.onec.package.import"
ROOT = "КоммерческаяИнформация"

# the names 1C gives the catalog's files: import.xml / offers.xml, and the split files of newer
# modules (``import___<guid>.xml``, ``offers___<guid>.xml``, ``rests___<guid>.xml`` ...)
CATALOG_FILES = ("import*.xml", "goods*.xml", "groups*.xml")
# CommerceML 3's parts of the classifier (``Классификатор``: properties of goods and of offers,
# price types, units) and its warehouses (read with the offers, whose rests name them)
CLASSIFIER_FILES = ("properties*.xml", "pricelists*.xml", "units*.xml")
WAREHOUSE_FILES = ("storages*.xml",)
OFFERS_FILES = ("offers*.xml", "prices*.xml", "rests*.xml")

# (reader name, section of the package, handler)
PACKAGES = (
    ("B2B counterparties and contracts", cml.COUNTERPARTIES, "_read_counterparties"),
    ("B2B settlement ledger", cml.SETTLEMENTS, "_read_settlements"),
    ("B2B overdue summary", cml.OVERDUE, "_read_overdue"),
    ("B2B printed forms", cml.PRINTED_FORMS, "_read_printed_forms"),
)
# the bonus and consignment packages are read by the glue addons (b2b_1c_bridge_bonus,
# b2b_1c_bridge_commission) at PACKAGE_SEQUENCE; without them these entries refuse the package
PACKAGE_SEQUENCE = 50
WITHOUT_FEATURE_SEQUENCE = 90


class OnecExchangeFile(models.Model):
    """The bridge's readers: catalog goods and offers files, 1C's orders files and the B2B data
    packages (see doc/exchange_contract.rst)."""

    _inherit = "b2b.onec.exchange.file"

    @api.model
    def _onec_importers(self):
        return (super(OnecExchangeFile, self)._onec_importers() + self._onec_catalog_importers()
                + self._onec_order_importers() + self._onec_package_importers())

    @api.model
    def _onec_catalog_importers(self):
        """Goods files (import.xml, and the split files of newer 1C modules: goods*.xml,
        groups*.xml and, in CommerceML 3, the classifier's parts properties*.xml,
        priceLists*.xml, units*.xml, named like ``import___<guid>.xml``) and offers files
        (offers.xml, prices*.xml, rests*.xml, and CommerceML 3's warehouses storages*.xml); files
        named otherwise (some modules number or prefix them) by what they hold."""
        goods = [Importer("catalog: %s" % pattern, CATALOG_MODEL, "_onec_read_catalog",
                          filename=pattern, root=ROOT, sequence=10)
                 for pattern in CATALOG_FILES]
        goods += [Importer("catalog: %s" % pattern, CATALOG_MODEL, "_onec_read_catalog",
                           filename=pattern, root=ROOT, section="Классификатор", sequence=10)
                  for pattern in CLASSIFIER_FILES]
        offers = [Importer("offers: %s" % pattern, CATALOG_MODEL, "_onec_read_offers",
                           filename=pattern, root=ROOT, section="ПакетПредложений", sequence=10)
                  for pattern in OFFERS_FILES]
        offers += [Importer("offers: %s" % pattern, CATALOG_MODEL, "_onec_read_offers",
                            filename=pattern, root=ROOT, section="Классификатор", sequence=10)
                   for pattern in WAREHOUSE_FILES]
        others = [
            Importer("catalog", CATALOG_MODEL, "_onec_read_catalog", root=ROOT,
                     section="Каталог", sequence=50),
            Importer("catalog groups", CATALOG_MODEL, "_onec_read_catalog", root=ROOT,
                     section="Классификатор", sequence=51),
            Importer("offers", CATALOG_MODEL, "_onec_read_offers", root=ROOT,
                     section="ПакетПредложений", sequence=50),
        ]
        return goods + offers + others

    @api.model
    def _onec_order_importers(self):
        """1C's orders files (``Документ`` elements: changes and statuses of portal orders,
        orders taken in 1C by phone)."""
        return [
            Importer("orders", "sale.order", "_b2b_onec_read_orders",
                     root=ROOT, section="Документ", sequence=40),
            Importer("orders (containers)", "sale.order", "_b2b_onec_read_orders",
                     root=ROOT, section="Контейнер", sequence=41),
        ]

    @api.model
    def _onec_package_importers(self):
        """The B2B data packages this addon reads, and a refusal for those of features that are
        not installed."""
        return [
            Importer(name, PACKAGE_MODEL, handler, root=cml.ROOT, section=section,
                     sequence=PACKAGE_SEQUENCE)
            for name, section, handler in PACKAGES
        ] + [
            Importer("B2B package of %s (not installed)" % addon, PACKAGE_MODEL,
                     "_refuse_without_feature", root=cml.ROOT, section=section,
                     sequence=WITHOUT_FEATURE_SEQUENCE)
            for section, addon in sorted(cml.FEATURE_ADDONS.items())
        ]
