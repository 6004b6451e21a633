"""CommerceML orders documents written for 1C (``type=sale&mode=query``)."""
from lxml import etree

NAMESPACE = "urn:1C.ru:commerceml_2"
SCHEMA_VERSION = "2.08"


def orders_document(generated_at, documents=()):
    """Bytes (UTF-8, with XML declaration) of a ``КоммерческаяИнформация`` holding ``documents``.

    ``generated_at`` is a naive datetime in the supplier's local time; ``documents`` are lxml
    ``Документ`` elements (none yet: portal orders are written by the orders work).
    """
    root = etree.Element("{%s}КоммерческаяИнформация" % NAMESPACE, nsmap={None: NAMESPACE})
    root.set("ВерсияСхемы", SCHEMA_VERSION)
    root.set("ДатаФормирования", generated_at.strftime("%Y-%m-%dT%H:%M:%S"))
    for document in documents:
        root.append(document)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
