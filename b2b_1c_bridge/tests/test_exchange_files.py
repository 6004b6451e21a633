import os
from unittest.mock import patch

from odoo.tools import mute_logger

from ..lib.importers import Importer
from ..lib.protocol import ExchangeRefused
from .common import CATALOG_XML, CONTROLLER_LOGGER, OFFERS_XML, ExchangeCase, onec


class TestExchangeFiles(ExchangeCase):
    """The protocol itself, with no reader installed (the readers have their own tests)."""

    def setUp(self):
        super().setUp()
        File = type(self.xenv["b2b.onec.exchange.file"])
        no_readers = patch.object(File, "_onec_importers", lambda self: [])
        no_readers.start()
        self.addCleanup(no_readers.stop)

    def test_init_answers_the_configured_parameters(self):
        self.set_param("zip", "no")
        self.set_param("file_limit", 4096)
        client = self.client()
        client.checkauth("catalog")
        self.assertEqual(client.init("catalog").text, "zip=no\nfile_limit=4096\n")
        self.assertEqual((client.zip, client.file_limit), (False, 4096))

    def test_chunked_upload_is_reassembled_byte_exactly(self):
        self.set_param("zip", "no")
        self.set_param("file_limit", 4096)
        photo = os.urandom(4096 * 4 + 123)
        answers = self.client().exchange([("import.xml", CATALOG_XML),
                                          ("import_files/ab/photo.jpg", photo)])
        self.assertTrue(all(a.status == 200 for a in answers))
        uploads = [a for a in answers if a.mode == "file"]
        self.assertEqual(len(uploads), 1 + 5, "the photo travels in 5 chunks of at most 4096 bytes")
        stored = self.files(name="import_files/ab/photo.jpg")
        self.assertEqual((stored.size, stored.chunks, stored.state), (len(photo), 5, "received"))
        with open(stored._full_path(), "rb") as fh:
            self.assertEqual(fh.read(), photo)
        self.assertTrue(stored._full_path().endswith("/files/import_files/ab/photo.jpg"))

    def test_zipped_exchange_is_unpacked_and_each_xml_dispatched(self):
        self.set_param("file_limit", 1024)
        photo = os.urandom(3000)
        client = self.client()
        answers = client.exchange([("import.xml", CATALOG_XML), ("offers.xml", OFFERS_XML),
                                   ("import_files/ab/photo.jpg", photo)], zip_name="v8_exchange.zip")
        self.assertTrue(client.zip)
        uploads = [a for a in answers if a.mode == "file"]
        self.assertGreater(len(uploads), 3, "the archive is larger than file_limit: sent in chunks")
        imports = [(a.filename, a.verdict) for a in answers if a.mode == "import"]
        self.assertEqual(imports, [("import.xml", "success"), ("offers.xml", "success")])

        archive = self.files(name="v8_exchange.zip")
        self.assertEqual((archive.is_zip, archive.state, archive.chunks), (True, "unpacked", len(uploads)))
        with open(archive._full_path(), "rb") as fh:
            self.assertEqual(fh.read(), client.sent["v8_exchange.zip"])
        unpacked = {f.name: f for f in archive.child_ids}
        self.assertEqual(sorted(unpacked), ["import.xml", "import_files/ab/photo.jpg", "offers.xml"])
        with open(unpacked["import_files/ab/photo.jpg"]._full_path(), "rb") as fh:
            self.assertEqual(fh.read(), photo)
        catalog = unpacked["import.xml"]
        self.assertEqual(catalog.state, "skipped", "no reader yet: kept, nothing imported")
        self.assertEqual((catalog.xml_root, catalog.xml_version, catalog.xml_sections),
                         ("КоммерческаяИнформация", "2.05", "Классификатор,Каталог"))
        self.assertEqual(unpacked["offers.xml"].xml_sections, "ПакетПредложений")
        session = archive.session_id
        self.assertIn("file import.xml: no reader takes this file", session.log)
        self.assertEqual(session.error_count, 0)
        self.assertEqual(session.file_count, 1)

    def test_import_of_a_file_never_received_is_refused(self):
        client = self.connected()
        with mute_logger(CONTROLLER_LOGGER):
            answer = client.call("catalog", "import", "offers.xml")
        self.assertEqual(answer.verdict, "failure")
        self.assertEqual(answer.lines[0], "File offers.xml was not received in this exchange session.")

    def test_complete_closes_the_session(self):
        client = self.connected()
        self.assertEqual(client.call("catalog", "complete").verdict, "success")
        self.assertEqual(self.sessions().state, "done")
        with mute_logger(CONTROLLER_LOGGER):
            self.assertEqual(client.init("catalog").status, 403)

    def test_reader_steps_run_in_one_transaction_per_file(self):
        """A reader that answers "progress" is called again in the same job, so the steps of
        one file form one transaction; a reader that refuses its file leaves the database as it
        was."""
        calls = []

        def read_offers(model, exchange_file, path, info):
            calls.append(exchange_file.name)
            model.env["ir.config_parameter"].set_param("test.reader.%d" % len(calls), "written")
            if "ПакетПредложений" not in info.sections:
                raise ExchangeRefused("%(file)s: not an offers file.", file=exchange_file.name)
            if len(calls) < 3:
                return "progress", "part %d of 3" % len(calls)
            return "success", "3 parts"

        File = type(self.xenv["b2b.onec.exchange.file"])
        importers = [Importer("test offers reader", "b2b.onec.exchange.file", "_test_read_offers",
                              filename="*.xml")]
        with patch.object(File, "_onec_importers", lambda self: importers), \
                patch.object(File, "_test_read_offers", read_offers, create=True):
            client = self.client()
            answers = client.exchange([("offers.xml", OFFERS_XML)])
            self.assertEqual([a.text for a in answers if a.mode == "import"], ["success\n3 parts\n"])
            self.assertEqual(calls, ["offers.xml"] * 3)
            self.assertEqual(self.files(name="offers.xml").state, "imported")

            with mute_logger(CONTROLLER_LOGGER), self.assertRaises(onec.ExchangeStopped) as stop:
                self.client().exchange([("import.xml", CATALOG_XML)])
            self.assertEqual(stop.exception.answer.lines[0], "import.xml: not an offers file.")
        self.refresh()
        written = self.xenv["ir.config_parameter"].search([("key", "=like", "test.reader.%")])
        self.assertEqual(sorted(written.mapped("key")),
                         ["test.reader.1", "test.reader.2", "test.reader.3"])
        self.assertEqual(self.files(name="import.xml").state, "failed")
