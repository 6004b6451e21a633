"""Streaming XML parsing of files received from 1C, safe against hostile input.

lxml parses with entity resolution and network access off and without ``huge_tree`` (so libxml2
keeps its limits on depth and text size). CommerceML never needs a document type declaration, so a
file that has one is refused as soon as its root element starts: that stops external entities
(XXE) and entity expansion bombs (billion laughs) before any content is read. Errors name the file
and the line.

``scan`` is the check every received XML file passes before a reader sees it: besides safety and
well-formedness it refuses, with a located reason, a file whose bytes are not in the encoding its
XML declaration names, a document that is not a CommerceML package (another root), and a
CommerceML 1 file (1C 7.7's attribute style) or a schema version no reader reads. The readers
read CommerceML 2 (``urn:1C.ru:commerceml_2``, 2.03 to 2.10) and 3 (``urn:1C.ru:commerceml_3``,
3.1), with or without the namespace.
"""
import codecs
import re

from lxml import etree

from odoo.addons.b2b_base.lib.messages import _

from .protocol import FileRefused

# comments and processing instructions are dropped while parsing: 1C and people editing its files
# put comments anywhere (between records, inside a value), and a value split by one reads whole
PARSER_OPTIONS = dict(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                      dtd_validation=False, remove_blank_text=False, remove_comments=True,
                      remove_pis=True)


ROOT = "КоммерческаяИнформация"
# the major versions of CommerceML the readers read (2.03-2.10, 3.1)
READ_MAJOR_VERSIONS = ("2", "3")
# CommerceML 1 (1C 7.7) names its records by attributes, CommerceML 2 and 3 by child elements
CML1_ID_ATTRIBUTE = "Идентификатор"

MSG_NOT_WELL_FORMED = _("%(file)s, line %(line)d: the XML is not well-formed: %(error)s")
MSG_NOT_IN_ENCODING = _("%(file)s, line %(line)d: the bytes of the file are not in "
                        "%(encoding)s, the encoding its XML declaration names (UTF-8 when it "
                        "names none); save the file in that encoding or declare the one it is "
                        "written in. Nothing of the file was imported.")
MSG_UTF8_DECLARED_OTHER = _("%(file)s, line %(line)d: the XML declaration names the encoding "
                            "%(encoding)s, but the file is written in UTF-8; declare "
                            "encoding=\"UTF-8\" or save the file in %(encoding)s. Nothing of the "
                            "file was imported.")
MSG_UNKNOWN_ENCODING = _("%(file)s, line %(line)d: the encoding %(encoding)s the XML declaration "
                         "names is not known; 1C writes UTF-8 or windows-1251. Nothing of the "
                         "file was imported.")
MSG_NOT_COMMERCEML = _("%(file)s, line %(line)d: the root element %(root)s is not that of a "
                       "CommerceML package (КоммерческаяИнформация); nothing of the file was "
                       "imported.")
MSG_COMMERCEML_1 = _("%(file)s, line %(line)d: the file is CommerceML %(version)s (the "
                     "attribute style of 1C 7.7), which the exchange does not read; it reads "
                     "CommerceML 2 (2.03 to 2.10) and 3 (3.1): choose one of them in 1C's "
                     "exchange settings. Nothing of the file was imported.")
MSG_VERSION_NOT_READ = _("%(file)s, line %(line)d: CommerceML schema version %(version)s is not "
                         "read; the exchange reads versions 2.03 to 2.10 and 3.1. Nothing of the "
                         "file was imported.")


def version_read(version):
    """True when the readers read CommerceML schema ``version`` ("" when the file names none)."""
    version = (version or "").strip()
    return not version or version.split(".", 1)[0] in READ_MAJOR_VERSIONS


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
        raise syntax_refusal(exc, name) from None
    if first:
        raise XmlRefused(_("%(file)s, line %(line)d: the file has no XML root element."), name, 1)


_DECLARED_ENCODING = re.compile(rb"^\s*<\?xml[^>]*?\sencoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']")
# libxml2's errors about the encoding: bytes not in UTF-8, an unsupported encoding, a declaration
# that contradicts the bytes (UTF-16 declared over UTF-8 ...)
_ENCODING_ERRORS = (32, 81)


def declared_encoding(head):
    """The encoding the XML declaration at the start of ``head`` (bytes) names, "" for none."""
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8):]
    found = _DECLARED_ENCODING.match(head)
    return found.group(1).decode("ascii") if found else ""


_LABELLED = re.compile(r"labelled (\S+) but has UTF-8 content")


def syntax_refusal(exc, name):
    """The XmlRefused of lxml's syntax error ``exc``; one naming the encoding when the bytes are
    not in the encoding the XML declaration names (UTF-8 when it names none)."""
    line = (exc.position[0] if exc.position else exc.lineno) or 0
    text = exc.msg or str(exc)
    if "not proper UTF-8" in text:
        return XmlRefused(MSG_NOT_IN_ENCODING, name, line, encoding="UTF-8")
    if exc.code in _ENCODING_ERRORS:
        labelled = _LABELLED.search(text)
        if labelled:
            return XmlRefused(MSG_UTF8_DECLARED_OTHER, name, line, encoding=labelled.group(1))
        if text.startswith("Unsupported encoding"):
            encoding = text[len("Unsupported encoding"):].strip().split(",")[0]
            return XmlRefused(MSG_UNKNOWN_ENCODING, name, line, encoding=encoding)
    return XmlRefused(MSG_NOT_WELL_FORMED, name, line, error=text)


def _wrong_declaration(head, name):
    """A refusal when ``head`` (the file's first bytes) declares an encoding nobody knows, or a
    single-byte encoding (windows-1251 ...) over UTF-8: a UTF-8 byte order mark, or letters
    beyond ASCII that all decode as UTF-8 (text in windows-1251 practically never does; libxml2
    would read such a file as gibberish, or, after a BOM, as nothing at all). None otherwise."""
    encoding = declared_encoding(head)
    if not encoding or encoding.lower().startswith("utf"):
        return None
    try:
        codecs.lookup(encoding)
    except LookupError:
        return XmlRefused(MSG_UNKNOWN_ENCODING, name, 1, encoding=encoding)
    if head.startswith(codecs.BOM_UTF8):
        return XmlRefused(MSG_UTF8_DECLARED_OTHER, name, 1, encoding=encoding)
    first = next((i for i, byte in enumerate(head) if byte >= 0x80), None)
    if first is None:
        return None
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return None
    return XmlRefused(MSG_UTF8_DECLARED_OTHER, name, head[:first].count(b"\n") + 1,
                      encoding=encoding)


def check_commerceml(info, name):
    """Raise XmlRefused unless ``info`` (of ``scan``) is a CommerceML 2 or 3 package."""
    if info.root != ROOT:
        raise XmlRefused(MSG_NOT_COMMERCEML, name, info.line, root=info.root)
    if info.attribute_style or info.version.startswith("1."):
        raise XmlRefused(MSG_COMMERCEML_1, name, info.line, version=info.version or "1")
    if not version_read(info.version):
        raise XmlRefused(MSG_VERSION_NOT_READ, name, info.line, version=info.version)


def clear(element):
    """Free a finished element and the siblings already processed before it."""
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


class XmlInfo:
    """What the dispatcher needs to know of a file: root, namespace, schema version, sections."""

    def __init__(self, root="", ns="", version="", sections=(), line=1, attribute_style=False):
        self.root = root
        self.namespace = ns
        self.version = version
        self.sections = list(sections)
        self.line = line        # of the root element
        # records named by attributes (CommerceML 1) rather than by child elements
        self.attribute_style = attribute_style

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
    return its XmlInfo. Raise XmlRefused, located, for what no reader may take (see the module).

    ``sections`` are the local names of the root's child elements, in order of first appearance,
    up to and including the first that tells the kind of file (``Каталог``,
    ``ПакетПредложений``, ``Документ``, a B2B package's section...; a leading ``Классификатор``
    is read through). The beginning of the file is read as the readers read it (a document type
    declaration is refused at the root, before any entity could be used); the whole file then
    goes through libxml2 with no tree and no callbacks.
    """
    info = XmlInfo()
    with _opened(source) as fh:
        head = fh.read(SCAN_CHUNK)
        fh.seek(0)
        wrong = _wrong_declaration(head, name)
        if wrong is not None:
            raise wrong
        depth = 0
        deciding = False            # inside the section telling the kind of file
        for event, element in iterparse(fh, name, events=("start", "end")):
            if event == "start":
                depth += 1
                if depth == 1:
                    info.root = local_name(element.tag)
                    info.namespace = namespace(element.tag)
                    info.version = (element.get("ВерсияСхемы") or "").strip()
                    info.line = element.sourceline or 1
                elif depth == 2:
                    section = local_name(element.tag)
                    if section and section not in info.sections:
                        info.sections.append(section)
                    info.attribute_style = CML1_ID_ATTRIBUTE in element.attrib
                    deciding = section not in LEADING_SECTIONS
                    if info.attribute_style:
                        break
                elif depth == 3:
                    # CommerceML 1 lists its records right in the section, named by attributes
                    info.attribute_style = CML1_ID_ATTRIBUTE in element.attrib
                    if deciding or info.attribute_style:
                        break
                continue
            depth -= 1
            if depth == 1 and deciding:
                break
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
            raise syntax_refusal(exc, name) from None
    check_commerceml(info, name)
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
