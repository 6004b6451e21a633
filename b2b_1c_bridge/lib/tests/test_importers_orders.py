import datetime
import io

from lxml import etree

from b2b_1c_bridge.lib.importers import Importer, find
from b2b_1c_bridge.lib.orders import orders_document
from b2b_1c_bridge.lib.safexml import XmlInfo, scan


def test_first_matching_importer_by_sequence_takes_the_file():
    offers = Importer("offers", "m", "h", section="ПакетПредложений", sequence=20)
    by_name = Importer("offers by name", "m", "h", filename="offers*.xml", sequence=5)
    catalog = Importer("catalog", "m", "h", root="КоммерческаяИнформация", section="Каталог")
    info = XmlInfo(root="КоммерческаяИнформация", sections=["ПакетПредложений"])
    assert find([offers, catalog, by_name], "dir/Offers0_1.xml", info) is by_name
    assert find([offers, catalog], "offers0_1.xml", info) is offers
    assert find([offers, catalog], "x.xml", XmlInfo(root="Другое", sections=["Каталог"])) is None
    assert find([], "import.xml", info) is None


def test_empty_orders_document_is_commerceml():
    data = orders_document(datetime.datetime(2024, 3, 5, 14, 7, 9))
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    info = scan(io.BytesIO(data), "orders.xml")
    assert info.root == "КоммерческаяИнформация"
    assert info.namespace == "urn:1C.ru:commerceml_2"
    assert info.sections == []
    root = etree.fromstring(data)
    assert root.get("ВерсияСхемы") == "2.08"
    assert root.get("ДатаФормирования") == "2024-03-05T14:07:09"
