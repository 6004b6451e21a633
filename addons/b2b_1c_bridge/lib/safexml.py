"""Streaming XML parsing of files received from 1C, safe against hostile input.

lxml parses with entity resolution and network access off and without ``huge_tree`` (so libxml2
keeps its limits on depth and text size). CommerceML never needs a document type declaration, so a
file that has one is refused as soon as its root element starts: that stops external entities
(XXE) and entity expansion bombs (billion laughs) before any content is read. Errors name the file
and the line.
"""
from lxml import etree

from .protocol import ExchangeRefused, _

PARSER_OPTIONS = dict(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                      dtd_validation=False, remove_blank_text=False)


class XmlRefused(ExchangeRefused):
    """A file that is not well-formed or not allowed; carries the file name and line."""

    def __init__(self, template, name, line, **params):
        self.name = name
        self.line = line
        super().__init__(template, file=name, line=line or 0, **params)


def local_name(tag):
    """``Товар`` for ``{urn:1C.ru:commerceml_2}Товар``."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def namespace(tag):
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


def iterparse(source, name, events=("end",), tag=None):
    """Yield (event, element) of ``source`` (a path or binary file) like lxml's iterparse.

    Raises XmlRefused for a document type declaration or a syntax error. The caller clears
    elements it has finished with to keep memory bounded (see ``clear``).
    """
    wanted = set(events)
    parse_events = tuple(sorted(wanted | {"start"}))
    context = etree.iterparse(source, events=parse_events, tag=tag, **PARSER_OPTIONS)
    first = True
    try:
        for event, element in context:
            if first and event == "start":
                first = False
                docinfo = element.getroottree().docinfo
                if docinfo.doctype or docinfo.internalDTD is not None:
                    raise XmlRefused(_("%(file)s, line %(line)d: a document type declaration "
                                       "(DOCTYPE, entities) is not allowed in exchange files."),
                                     name, element.sourceline)
            if event in wanted:
                yield event, element
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else exc.lineno
        raise XmlRefused(_("%(file)s, line %(line)d: the XML is not well-formed: %(error)s"),
                         name, line, error=exc.msg or str(exc)) from None
    if first:
        raise XmlRefused(_("%(file)s, line %(line)d: the file has no XML root element."), name, 1)


def clear(element):
    """Free a finished element and the siblings already processed before it."""
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


class XmlInfo:
    """What the dispatcher needs to know of a file: root, namespace, schema version, sections."""

    def __init__(self, root="", ns="", version="", sections=(), elements=0):
        self.root = root
        self.namespace = ns
        self.version = version
        self.sections = list(sections)
        self.elements = elements

    def __repr__(self):
        return "XmlInfo(root=%r, version=%r, sections=%r)" % (self.root, self.version, self.sections)


def scan(source, name):
    """Parse the whole file as a stream (bounded memory); return its XmlInfo.

    ``sections`` are the local names of the root's child elements, in order of first appearance
    (``Классификатор``, ``Каталог``, ``ПакетПредложений``, ``Документ``, ...).
    """
    info = XmlInfo()
    depth = 0
    for event, element in iterparse(source, name, events=("start", "end")):
        if event == "start":
            depth += 1
            if depth == 1:
                info.root = local_name(element.tag)
                info.namespace = namespace(element.tag)
                info.version = element.get("ВерсияСхемы") or ""
            elif depth == 2:
                section = local_name(element.tag)
                if section and section not in info.sections:
                    info.sections.append(section)
            continue
        depth -= 1
        info.elements += 1
        if depth >= 1:
            clear(element)
    return info
