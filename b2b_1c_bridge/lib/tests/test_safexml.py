import io
import os
import time

import pytest

from b2b_1c_bridge.lib.safexml import XmlRefused, iterparse, scan

ADDON_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

CATALOG = """<?xml version="1.0" encoding="UTF-8"?>
<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" ВерсияСхемы="2.05" ДатаФормирования="2024-01-01T00:00:00">
  <Классификатор><Ид>1</Ид></Классификатор>
  <Каталог><Товары><Товар><Ид>a</Ид></Товар><Товар><Ид>b</Ид></Товар></Товары></Каталог>
</КоммерческаяИнформация>
""".encode("utf-8")


def test_scan_reports_root_version_and_sections():
    info = scan(io.BytesIO(CATALOG), "import.xml")
    assert info.root == "КоммерческаяИнформация"
    assert info.namespace == "urn:1C.ru:commerceml_2"
    assert info.version == "2.05"
    assert info.sections == ["Классификатор", "Каталог"]


def test_windows_1251_file():
    data = CATALOG.decode("utf-8").replace('encoding="UTF-8"', 'encoding="windows-1251"').encode("cp1251")
    assert scan(io.BytesIO(data), "import.xml").sections == ["Классификатор", "Каталог"]


def test_iterparse_gives_elements():
    ids = [el.text for ev, el in iterparse(io.BytesIO(CATALOG), "import.xml",
                                           tag="{urn:1C.ru:commerceml_2}Ид")]
    assert ids == ["1", "a", "b"]


def test_xxe_refused_and_secret_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-42")
    doc = ('<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file://%s">]>\n<r>&x;</r>'
           % secret).encode()
    with pytest.raises(XmlRefused) as exc:
        scan(io.BytesIO(doc), "evil.xml")
    assert "DOCTYPE" in str(exc.value) and "evil.xml, line 3" in str(exc.value)
    assert "TOP-SECRET" not in str(exc.value)


def test_billion_laughs_refused_quickly():
    ents = ['<!ENTITY lol0 "lol">'] + ['<!ENTITY lol%d "%s">' % (i, ("&lol%d;" % (i - 1)) * 10)
                                       for i in range(1, 10)]
    doc = ('<?xml version="1.0"?><!DOCTYPE lolz [%s]><lolz>&lol9;</lolz>' % "".join(ents)).encode()
    started = time.time()
    with pytest.raises(XmlRefused, match="DOCTYPE"):
        scan(io.BytesIO(doc), "laughs.xml")
    assert time.time() - started < 2


def test_external_dtd_refused():
    with pytest.raises(XmlRefused):
        scan(io.BytesIO(b'<!DOCTYPE r SYSTEM "http://127.0.0.1:9/x.dtd"><r/>'), "a.xml")


def test_malformed_names_file_and_line():
    doc = b"<r>\n<a>\n<b></a>\n</r>"
    with pytest.raises(XmlRefused) as exc:
        scan(io.BytesIO(doc), "import.xml")
    assert exc.value.name == "import.xml"
    assert exc.value.line == 3
    assert str(exc.value).startswith("import.xml, line 3: the XML is not well-formed")


def test_undefined_entity_refused():
    with pytest.raises(XmlRefused):
        scan(io.BytesIO(b"<r>&nope;</r>"), "a.xml")


def test_empty_file_refused():
    with pytest.raises(XmlRefused):
        scan(io.BytesIO(b""), "a.xml")


def test_scan_memory_stays_bounded_on_a_large_file(tmp_path):
    """A 40 MB file is scanned in a fresh process whose peak memory stays far below what the
    whole tree would need."""
    import subprocess
    import sys
    path = tmp_path / "big.xml"
    item = "<Товар><Ид>%d</Ид><Наименование>" + "Товар номер " * 5 + "</Наименование></Товар>"
    with open(path, "w", encoding="utf-8") as out:
        out.write("<КоммерческаяИнформация><Каталог><Товары>")
        for start in range(0, 300000, 10000):
            out.write("".join(item % i for i in range(start, start + 10000)))
        out.write("</Товары></Каталог></КоммерческаяИнформация>")
    addon_parent = os.path.dirname(ADDON_DIR)
    # the repository's conftest (in the working folder) makes the addons importable without Odoo
    code = ("import resource, conftest; "
            "from b2b_1c_bridge.lib.safexml import scan; import lxml.etree; "
            "base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss; "
            "info = scan(%r, 'big.xml'); "
            "print(len(info.sections), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base)"
            % str(path))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=addon_parent).stdout.split()
    sections, grown_kb = int(out[0]), int(out[1])
    assert sections == 1
    assert grown_kb < 30 * 1024, "scanning %d bytes grew the process by %d KB" % (
        os.path.getsize(path), grown_kb)


def test_fault_far_after_the_sections_is_still_found():
    """The kind of file is known from its first sections; the rest is still checked to the end."""
    goods = "".join("<Товар><Ид>%d</Ид></Товар>\n" % i for i in range(20000))
    doc = ('<КоммерческаяИнформация ВерсияСхемы="2.08">\n<Классификатор><Ид>1</Ид></Классификатор>\n'
           '<Каталог><Товары>\n%s<Товар><Ид>x</Товар>\n</Товары></Каталог></КоммерческаяИнформация>'
           % goods).encode("utf-8")
    with pytest.raises(XmlRefused) as exc:
        scan(io.BytesIO(doc), "import.xml")
    assert exc.value.line == 20004
    info = scan(io.BytesIO(doc.replace("<Ид>x</Товар>".encode("utf-8"),
                                           "<Ид>x</Ид></Товар>".encode("utf-8"))), "import.xml")
    assert (info.root, info.version, info.sections) == (
        "КоммерческаяИнформация", "2.08", ["Классификатор", "Каталог"])
