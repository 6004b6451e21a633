"""Hostile input: each is refused with a clear reason, and nothing of it is kept."""
import base64
import io
import os
import tempfile
import time
import zipfile

from odoo.tools import mute_logger

from .common import CATALOG_XML, CONTROLLER_LOGGER, ExchangeCase


# a zip made by Info-ZIP's zip 3.0 (`zip -P secret enc.zip offers.xml`): one entry, offers.xml,
# encrypted with the password (traditional PKWARE encryption)
ENCRYPTED_ZIP = base64.b64decode(
    "UEsDBAoACQAAAKh7hl0+cTK6PQAAADEAAAAKAAAAb2ZmZXJzLnhtbM0UfDrLiIYRxVuGTv+sQNrWbfiuxQm2j3zZYd+i"
    "nTP5fSq8gFRz8HjgxhwJRstcZJE/NhQ1z7IHy0rGi29QSwcIPnEyuj0AAAAxAAAAUEsBAh4DCgAJAAAAqHuGXT5xMro9"
    "AAAAMQAAAAoAAAAAAAAAAQAAAKSBAAAAAG9mZmVycy54bWxQSwUGAAAAAAEAAQA4AAAAdQAAAAAA")


def zip_of(entries):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buf.getvalue()


class TestExchangeHostile(ExchangeCase):

    def refused(self, client, mode, filename, body=None):
        with mute_logger(CONTROLLER_LOGGER):
            answer = client.call("catalog", mode, filename, body=body)
        self.assertEqual((answer.status, answer.verdict), (200, "failure"), answer.text)
        return answer

    def storage(self):
        return self.xenv["b2b.onec.exchange.session"]._storage_root()

    def all_stored_bytes(self):
        """Every byte stored for this test's exchange sessions."""
        chunks = []
        for session in self.sessions():
            chunks.append(self._bytes_under(session._storage_dir()))
        return b"".join(chunks)

    @staticmethod
    def _bytes_under(top):
        chunks = []
        for folder, _dirs, names in os.walk(top):
            for name in names:
                with open(os.path.join(folder, name), "rb") as fh:
                    chunks.append(fh.read())
        return b"".join(chunks)

    def test_path_traversal_file_names_are_refused(self):
        client = self.connected()
        outside = os.path.join(os.path.dirname(self.storage()), "evil.xml")
        for name in ("../evil.xml", "../../evil.xml", "a/../../evil.xml", "/tmp/evil.xml",
                     "..\\evil.xml", "evil\x00.xml"):
            answer = self.refused(client, "file", name, body=b"<a/>")
            self.assertTrue(answer.lines[0].startswith("The file name "), answer.lines)
            self.assertEqual(len(answer.lines), 2, "a Russian reason follows the English one")
            self.refused(client, "import", name)
        self.assertFalse(os.path.exists(outside))
        self.assertFalse(os.path.exists("/tmp/evil.xml"))
        self.assertFalse(self.files())
        self.assertEqual(self.sessions().error_count, 12)

    def test_zip_with_a_traversal_entry_is_refused_and_nothing_unpacked(self):
        client = self.connected()
        data = zip_of([("import.xml", CATALOG_XML), ("../../evil.xml", b"<evil/>")])
        self.assertEqual(client.upload("catalog", "import.zip", data)[0].verdict, "success")
        answer = self.refused(client, "import", "import.xml")
        self.assertIn("Archive import.zip: entry refused", answer.lines[0])
        archive = self.files(name="import.zip")
        self.assertEqual(archive.state, "failed")
        self.assertFalse(archive.child_ids)
        self.assertFalse(os.path.exists(archive._full_path()))
        self.assertFalse(os.path.exists(archive._unpack_dir()))
        self.assertNotIn(b"<evil/>", self.all_stored_bytes())
        # 1C trying again with the same import gets the same reason
        answer = self.refused(client, "import", "import.zip")
        self.assertIn("was refused earlier", answer.lines[0])

    def test_zip_with_an_encrypted_entry_is_refused_and_nothing_imported(self):
        buf = io.BytesIO(ENCRYPTED_ZIP)
        with zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("import.xml", CATALOG_XML)     # a catalog that would import
        with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as archive:
            self.assertEqual([(i.filename, bool(i.flag_bits & 0x1)) for i in archive.infolist()],
                             [("offers.xml", True), ("import.xml", False)])
        client = self.connected()
        self.assertEqual(client.upload("catalog", "import.zip", buf.getvalue())[0].verdict, "success")
        answer = self.refused(client, "import", "import.xml")
        self.assertEqual(answer.lines[0], "Archive import.zip: entry offers.xml is encrypted.")
        self.assertEqual(answer.lines[1], "Архив import.zip: файл offers.xml зашифрован.")
        archive = self.files(name="import.zip")
        self.assertEqual(archive.state, "failed")
        self.assertIn("offers.xml is encrypted", archive.message)
        self.assertFalse(archive.child_ids)
        self.assertFalse(os.path.exists(archive._full_path()))
        self.assertFalse(os.path.exists(archive._unpack_dir()))
        self.assertEqual(self.all_stored_bytes(), b"")
        self.assertFalse(self.xenv["product.template"].with_context(active_test=False).search(
            [("b2b_onec_id", "=", "11111111-1111-1111-1111-111111111111")]), "nothing imported")

    def test_zip_bomb_is_refused_and_nothing_unpacked(self):
        client = self.connected()
        bomb = zip_of([("import.xml", b"<a>" + b" " * (64 * 1024 * 1024) + b"</a>")])
        self.assertLess(len(bomb), 200 * 1024)
        for answer in client.upload("catalog", "import.zip", bomb):
            self.assertEqual(answer.verdict, "success")
        started = time.time()
        answer = self.refused(client, "import", "import.xml")
        self.assertLess(time.time() - started, 10)
        self.assertIn("zip bomb", answer.lines[0])
        archive = self.files(name="import.zip")
        self.assertEqual(archive.state, "failed")
        self.assertFalse(archive.child_ids)
        self.assertFalse(os.path.exists(archive._unpack_dir()))
        self.assertEqual(self.all_stored_bytes(), b"")

    def test_zip_over_the_unpacked_size_limit_is_refused(self):
        self.set_param("unzip_max_size", 100000)
        client = self.connected()
        data = zip_of([("a.jpg", os.urandom(60000)), ("b.jpg", os.urandom(60000))])
        client.upload("catalog", "import.zip", data)
        answer = self.refused(client, "import", "import.zip")
        self.assertIn("unpacks to more than 100000 bytes", answer.lines[0])
        self.assertEqual(self.all_stored_bytes(), b"")

    def test_xxe_is_refused_and_the_secret_never_read(self):
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as secret:
            secret.write("SECRET-CONTENT-7f3a9")
        self.addCleanup(os.remove, secret.name)
        doc = ('<?xml version="1.0" encoding="UTF-8"?>\n'
               '<!DOCTYPE КоммерческаяИнформация [<!ENTITY xxe SYSTEM "file://%s">]>\n'
               '<КоммерческаяИнформация ВерсияСхемы="2.05"><Каталог><Ид>&xxe;</Ид></Каталог>'
               '</КоммерческаяИнформация>\n' % secret.name).encode("utf-8")
        client = self.connected()
        client.upload("catalog", "import.zip", zip_of([("import.xml", doc)]))
        answer = self.refused(client, "import", "import.xml")
        self.assertIn("import.xml, line 3: a document type declaration (DOCTYPE, entities) is not "
                      "allowed", answer.lines[0])
        session = self.sessions()
        seen = [answer.text, session.log, session.last_error]
        seen += [str(v) for f in session.file_ids for v in f.read()[0].values()]
        for text in seen:
            self.assertNotIn("SECRET-CONTENT", text or "")
        self.assertNotIn(b"SECRET-CONTENT", self.all_stored_bytes())
        self.assertEqual(self.files(name="import.xml").state, "failed")

    def test_billion_laughs_is_refused_quickly(self):
        entities = ['<!ENTITY lol0 "lol">'] + [
            '<!ENTITY lol%d "%s">' % (i, ("&lol%d;" % (i - 1)) * 10) for i in range(1, 12)]
        doc = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [%s]>\n<lolz>&lol11;</lolz>\n'
               % "".join(entities)).encode()
        self.set_param("zip", "no")
        client = self.connected()
        client.upload("catalog", "laughs.xml", doc)
        started = time.time()
        answer = self.refused(client, "import", "laughs.xml")
        self.assertLess(time.time() - started, 5)
        self.assertIn("laughs.xml, line 3: a document type declaration", answer.lines[0])

    def test_malformed_xml_is_refused_naming_file_and_line(self):
        broken = CATALOG_XML.replace("</Наименование><БазоваяЕдиница".encode(), "<БазоваяЕдиница".encode())
        client = self.connected()
        client.upload("catalog", "import.zip", zip_of([("import.xml", broken)]))
        answer = self.refused(client, "import", "import.xml")
        self.assertTrue(answer.lines[0].startswith("import.xml, line 7: the XML is not well-formed"),
                        answer.lines[0])
        self.assertTrue(answer.lines[1].startswith("import.xml, строка 7:"), answer.lines[1])
        stored = self.files(name="import.xml")
        self.assertEqual(stored.state, "failed")
        self.assertIn("line 7", stored.message)
        self.assertIn("line 7", self.sessions().last_error)

    def test_file_over_the_maximum_is_refused_and_nothing_kept(self):
        self.set_param("zip", "no")
        self.set_param("file_limit", 2048)
        self.set_param("file_max_size", 5000)
        client = self.connected()
        with mute_logger(CONTROLLER_LOGGER):
            answers = client.upload("catalog", "import.xml", os.urandom(2048 * 3))
        self.assertEqual([a.verdict for a in answers], ["success", "success", "failure"])
        self.assertEqual(answers[-1].lines[0],
                         "File import.xml exceeds the limit of 5000 bytes; nothing of it is kept.")
        stored = self.files(name="import.xml")
        self.assertEqual((stored.state, stored.size), ("failed", 0))
        self.assertFalse(os.path.exists(stored._full_path()))
        self.assertEqual(self.all_stored_bytes(), b"")
        answer = self.refused(client, "import", "import.xml")
        self.assertIn("was refused earlier", answer.lines[0])

    def test_a_form_body_is_refused(self):
        client = self.connected()
        with mute_logger(CONTROLLER_LOGGER):
            response = client.http.post(client.url, params={"type": "catalog", "mode": "file",
                                                            "filename": "import.xml"},
                                        data={"a": "b"}, headers={"Cookie": "%s=%s" % client.cookie})
        self.assertTrue(response.text.startswith("failure\nmode=file received a form"))
        self.assertFalse(self.files())

    def test_body_without_length_is_bounded_while_streaming(self):
        """A body sent without Content-Length (chunked transfer) is counted as it arrives."""
        self.set_param("zip", "no")
        self.set_param("file_max_size", 100000)
        client = self.connected()
        headers = {"Cookie": "%s=%s" % client.cookie, "Content-Type": "application/octet-stream"}
        params = {"type": "catalog", "mode": "file", "filename": "offers.xml"}
        pieces = [os.urandom(30000) for _i in range(3)]
        response = client.http.post(client.url, params=params, data=iter(pieces), headers=headers)
        self.assertEqual(response.text, "success\n")
        stored = self.files(name="offers.xml")
        with open(stored._full_path(), "rb") as fh:
            self.assertEqual(fh.read(), b"".join(pieces))
        with mute_logger(CONTROLLER_LOGGER):
            response = client.http.post(client.url, params=params, data=iter(pieces), headers=headers)
        self.assertTrue(response.text.startswith(
            "failure\nFile offers.xml exceeds the limit of 100000 bytes"), response.text)
        self.refresh()
        self.assertEqual((stored.state, stored.size), ("failed", 0))
        self.assertFalse(os.path.exists(stored._full_path()))
