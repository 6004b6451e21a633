"""Streaming XML parsing of files received from 1C, safe against hostile input.

lxml parses with entity resolution and network access off and without ``huge_tree`` (so libxml2
keeps its limits on depth and text size). CommerceML never needs a document type declaration, so a
file that has one is refused as soon as its root element starts: that stops external entities
(XXE) and entity expansion bombs (billion laughs) before any content is read. Errors name the file
and the line.
"""
from lxml import etree

from odoo.addons.b2b_base.lib.messages import _

from .protocol import FileRefused

PARSER_OPTIONS = dict(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                      dtd_validation=False, remove_blank_text=False)


class XmlRefused(FileRefused):
    """A file that is not well-formed or not allowed; carries the file name and line."""

    @property
    def name(self):
        return self.file


_LOCAL_NAMES = {}
_LOCAL_NAMES_MAX = 4096     # a file with more distinct tags is read, just without the cache


def local_name(tag):
    """``Товар`` for ``{urn:1C.ru:commerceml_2}Товар``."""
    try:
        return _LOCAL_NAMES[tag]
    except (KeyError, TypeError):   # not seen yet, or a comment's or entity's tag (a function)
        name = tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
        if isinstance(tag, str) and len(_LOCAL_NAMES) < _LOCAL_NAMES_MAX:
            _LOCAL_NAMES[tag] = name
        return name


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
            if not first and len(wanted) == len(parse_events):
                # checked: the parser's own iterator hands the rest over with no Python step
                # of this function per element
                yield from context
                break
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

    def __init__(self, root="", ns="", version="", sections=()):
        self.root = root
        self.namespace = ns
        self.version = version
        self.sections = list(sections)

    def __repr__(self):
        return "XmlInfo(root=%r, version=%r, sections=%r)" % (self.root, self.version, self.sections)


SCAN_CHUNK = 1 << 16
# sections that come before the one saying what the file is (CommerceML's classifier)
LEADING_SECTIONS = ("Классификатор",)


class _WellFormed:
    """Parser target with no callbacks: libxml2 checks the whole file and builds nothing, at the
    speed of C (a Python call per element would cost more than the parsing itself)."""

    def close(self):
        return None


def scan(source, name):
    """Tell what the file is and check that all of it is well-formed, streaming (bounded memory);
    return its XmlInfo.

    ``sections`` are the local names of the root's child elements, in order of first appearance,
    up to and including the first that tells the kind of file (``Каталог``,
    ``ПакетПредложений``, ``Документ``, a B2B package's section...; a leading ``Классификатор``
    is read through). The beginning of the file is read as the readers read it (a document type
    declaration is refused at the root, before any entity could be used); the whole file then
    goes through libxml2 with no tree and no callbacks.
    """
    info = XmlInfo()
    with _opened(source) as fh:
        depth = 0
        for event, element in iterparse(fh, name, events=("start", "end")):
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
                    if section not in LEADING_SECTIONS:
                        break
                continue
            depth -= 1
            if depth >= 1:
                clear(element)
        fh.seek(0)
        parser = etree.XMLParser(target=_WellFormed(), **PARSER_OPTIONS)
        try:
            while True:
                chunk = fh.read(SCAN_CHUNK)
                if not chunk:
                    break
                parser.feed(chunk)
            parser.close()
        except etree.XMLSyntaxError as exc:
            line = exc.position[0] if exc.position else exc.lineno
            raise XmlRefused(_("%(file)s, line %(line)d: the XML is not well-formed: %(error)s"),
                             name, line, error=exc.msg or str(exc)) from None
    return info


class _opened:
    """``source`` (a path or a binary file) as a binary file, closed at the end if opened here."""

    def __init__(self, source):
        self.source = source
        self.fh = None

    def __enter__(self):
        if isinstance(self.source, (str, bytes)) or hasattr(self.source, "__fspath__"):
            self.fh = open(self.source, "rb")
            return self.fh
        return self.source

    def __exit__(self, *exc):
        if self.fh is not None:
            self.fh.close()
