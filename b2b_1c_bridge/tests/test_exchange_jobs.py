"""Imports as queue jobs (one file = one transaction), session statistics and replay."""
from contextlib import contextmanager
from unittest.mock import patch

from odoo import sql_db
from odoo.exceptions import AccessError
from odoo.tests.common import get_db_name
from odoo.tools import mute_logger

from ..lib import safexml
from ..lib.importers import Importer
from ..lib.protocol import ExchangeRefused
from .common import CONTROLLER_LOGGER, ExchangeCase, onec

FILE_LOGGER = "odoo.addons.b2b_1c_bridge.models.onec_exchange_file"
RUNJOB_LOGGERS = ("odoo.addons.queue_job.controllers.main", "odoo.http", "werkzeug")
PREFIX = "test.onec."


def goods_xml(goods, section="Каталог"):
    """A CommerceML file with ``goods`` [(1C id, name)] as Товар elements of ``section``."""
    items = "".join("<Товар><Ид>%s</Ид><Наименование>%s</Наименование></Товар>" % item
                    for item in goods)
    return ("""<?xml version="1.0" encoding="UTF-8"?>
<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" ВерсияСхемы="2.08">
  <%s><Ид>cat-1</Ид><Товары>
%s
  </Товары></%s>
</КоммерческаяИнформация>
""" % (section, items, section)).encode("utf-8")


def read_goods(model, exchange_file, path, info):
    """A reader as the bridge's readers are: streaming, matching by 1C id, idempotent, counting.

    Each good is kept as a system parameter ``test.onec.<1C id>`` = its name. A good named
    "FAIL" makes the reader refuse the file (line of that good) after it wrote the goods before
    it; a good named "CRASH" makes it crash."""
    Param = model.env["ir.config_parameter"].sudo()
    created = updated = unchanged = 0
    for _event, element in safexml.iterparse(path, exchange_file.name):
        if safexml.local_name(element.tag) != "Товар":
            continue
        values = {safexml.local_name(child.tag): child.text for child in element}
        line = element.sourceline
        safexml.clear(element)
        if values["Наименование"] == "FAIL":
            raise ExchangeRefused("%(file)s, line %(line)d: the good has no name.",
                                  file=exchange_file.name, line=line)
        if values["Наименование"] == "CRASH":
            raise ValueError("a bug in the reader")
        record = Param.search([("key", "=", PREFIX + values["Ид"])])
        if not record:
            Param.create({"key": PREFIX + values["Ид"], "value": values["Наименование"]})
            created += 1
        elif record.value != values["Наименование"]:
            record.value = values["Наименование"]
            updated += 1
        else:
            unchanged += 1
    exchange_file._onec_count(created=created, updated=updated, unchanged=unchanged)
    return "success", "%d goods" % (created + updated + unchanged)


GOODS = [("g-1", "Кран"), ("g-2", "Смеситель"), ("g-3", "Раковина")]
OFFERS = [("o-1", "Кран, хром"), ("o-2", "Смеситель, белый")]


class TestExchangeJobs(ExchangeCase):

    @contextmanager
    def goods_reader(self):
        File = type(self.xenv["b2b.onec.exchange.file"])
        importers = [Importer("test goods reader", "b2b.onec.exchange.file", "_test_read_goods",
                              filename="*.xml")]
        with patch.object(File, "_onec_importers", lambda self: importers), \
                patch.object(File, "_test_read_goods", read_goods, create=True):
            yield

    def stored_goods(self):
        self.refresh()
        params = self.xenv["ir.config_parameter"].sudo().search([("key", "=like", PREFIX + "%")])
        return {p.key[len(PREFIX):]: p.value for p in params}

    def run_job_as_the_runner(self, job):
        """What queue_job's runner does: mark the job enqueued, then call /queue_job/runjob."""
        self.xenv.cr.execute("UPDATE queue_job SET state = 'enqueued', date_enqueued = "
                             "now() at time zone 'utc' WHERE id = %s", [job.id])
        self.commit()
        response = self.url_open("/queue_job/runjob?db=%s&job_uuid=%s" % (get_db_name(), job.uuid),
                                 timeout=60)
        self.refresh()
        job.invalidate_cache()
        return response

    def upload(self, name, data):
        client = self.connected()
        client.zip = False
        for answer in client.upload("catalog", name, data):
            self.assertEqual(answer.verdict, "success")
        return client

    def test_import_over_the_inline_size_runs_as_a_job_progress_then_success(self):
        self.set_param("import_inline_size", 0)
        self.set_param("job_wait", 3600)
        with self.goods_reader():
            client = self.upload("import.xml", goods_xml(GOODS))
            first = client.call("catalog", "import", "import.xml")
            self.assertEqual(first.text, "progress\nimport.xml: waiting for the job queue\n")
            stored = self.files(name="import.xml")
            job = stored.job_id
            self.assertEqual((stored.state, job.state), ("importing", "pending"))
            self.assertEqual(job.model_name, "b2b.onec.exchange.file")
            self.assertEqual(job.record_ids, stored.ids)
            again = client.call("catalog", "import", "import.xml")
            self.assertEqual(again.verdict, "progress", "nothing imported while the job waits")
            self.assertEqual(self.stored_goods(), {})

            response = self.run_job_as_the_runner(job)
            self.assertEqual(response.status_code, 200)
            self.assertEqual(job.state, "done")
            self.assertEqual(self.stored_goods(), {"g-1": "Кран", "g-2": "Смеситель",
                                                   "g-3": "Раковина"})
            done = client.call("catalog", "import", "import.xml")
            self.assertEqual(done.text, "success\n3 goods\n")
        stored = self.files(name="import.xml")
        self.assertEqual((stored.state, stored.records_created, stored.records_updated,
                          stored.records_unchanged), ("imported", 3, 0, 0))
        self.assertTrue(stored.date_import_start and stored.date_import_end)
        session = stored.session_id
        self.assertIn("file import.xml: queued for test goods reader", session.log)
        self.assertIn("file import.xml: imported by test goods reader: 3 created, 0 updated, "
                      "0 unchanged", session.log)
        self.assertEqual(session.log.count("imported by test goods reader:"), 1,
                         "the outcome is noted once, by the call that saw it")

    def test_a_refusing_reader_in_a_job_leaves_no_writes_and_the_file_refused(self):
        self.set_param("import_inline_size", 0)
        self.set_param("job_wait", 3600)
        with self.goods_reader():
            client = self.upload("import.xml", goods_xml(GOODS + [("g-4", "FAIL")]))
            self.assertEqual(client.call("catalog", "import", "import.xml").verdict, "progress")
            job = self.files(name="import.xml").job_id
            # the test server logs the failed job's traceback after it has sent the 500: the
            # loggers stay muted until the next request has been answered
            with mute_logger(*(RUNJOB_LOGGERS + (CONTROLLER_LOGGER,))):
                response = self.run_job_as_the_runner(job)
                self.assertEqual(response.status_code, 500, "queue_job marks the job failed")
                self.assertEqual(job.state, "failed")
                self.assertIn("the good has no name", job.exc_info)
                answer = client.call("catalog", "import", "import.xml")
        self.assertEqual((answer.status, answer.verdict), (200, "failure"))
        self.assertEqual(answer.lines[0], "import.xml, line 4: the good has no name.")
        self.assertEqual(self.stored_goods(), {}, "the three goods before the bad one are gone")
        stored = self.files(name="import.xml")
        self.assertEqual((stored.state, stored.error_line, stored.records_created),
                         ("failed", 4, 0))
        self.assertEqual(stored.message, "import.xml, line 4: the good has no name.")
        self.assertEqual(stored.session_id.error_count, 1)
        self.assertEqual(stored.session_id.refused_count, 1)

    def test_a_crashing_reader_inline_leaves_no_writes_and_names_the_file(self):
        with self.goods_reader():
            with mute_logger(CONTROLLER_LOGGER, FILE_LOGGER), \
                    self.assertRaises(onec.ExchangeStopped) as stop:
                self.client().exchange([("import.xml", goods_xml(GOODS + [("g-9", "CRASH")]))])
        self.assertEqual(stop.exception.answer.lines[0],
                         "File import.xml could not be imported because of an internal error; "
                         "the database is unchanged. See the server log.")
        self.assertEqual(self.stored_goods(), {})
        stored = self.files(name="import.xml")
        self.assertEqual((stored.state, stored.job_id.state), ("failed", "failed"))

    def test_a_job_no_runner_started_is_run_by_the_next_call(self):
        self.set_param("import_inline_size", 0)
        self.set_param("job_wait", 0)
        with self.goods_reader():
            client = self.client()
            client.progress_pause = 0.01
            answers = client.exchange([("import.xml", goods_xml(GOODS))])
        imports = [a.verdict for a in answers if a.mode == "import"]
        self.assertEqual(imports, ["progress", "success"])
        stored = self.files(name="import.xml")
        self.assertEqual((stored.state, stored.job_id.state, stored.records_created),
                         ("imported", "done", 3))
        self.assertIn("no job runner started job %s; imported in this call" % stored.job_id.uuid,
                      stored.session_id.log)

    def another_file_being_read(self):
        """A transaction of its own holding the readers' turn, as a reader of another file does
        until it commits; ``rollback()`` on it ends that reading."""
        other = sql_db.db_connect(get_db_name()).cursor()
        self.addCleanup(other.close)
        other.execute("SELECT id FROM b2b_onec_reader_turn WHERE id = 1 FOR UPDATE")
        return other

    def test_a_file_sent_while_another_is_read_waits_for_it(self):
        """A small file (read in 1C's import call) sent while another file is read: 1C is told
        progress, the file's job waits in the queue, nothing of it is written; once the other
        reading ended, the file is read (here by 1C's next call, no job runner running)."""
        self.set_param("job_wait", 0)
        other = self.another_file_being_read()
        with self.goods_reader():
            client = self.upload("import.xml", goods_xml(GOODS))
            first = client.call("catalog", "import", "import.xml")
            self.assertEqual(first.text, "progress\nimport.xml: waiting for the job queue\n")
            stored = self.files(name="import.xml")
            self.assertEqual((stored.state, stored.job_id.state), ("importing", "pending"))
            self.assertEqual(self.stored_goods(), {})
            self.assertIn("file import.xml: another file is being read; job %s waits for it"
                          % stored.job_id.uuid, stored.session_id.log)
            other.rollback()
            done = client.call("catalog", "import", "import.xml")
            self.assertEqual(done.text, "success\n3 goods\n")
        stored = self.files(name="import.xml")
        self.assertEqual((stored.state, stored.job_id.state, stored.records_created),
                         ("imported", "done", 3))
        self.assertEqual(self.stored_goods(), {"g-1": "Кран", "g-2": "Смеситель",
                                               "g-3": "Раковина"})

    def test_an_import_job_finding_another_file_read_is_postponed(self):
        """The job runner runs a file's job while another file is read: the job is put back in
        the queue for a little later, not failed nor counted as a try, and 1C keeps being told
        progress; its next run reads the file."""
        self.set_param("import_inline_size", 0)
        self.set_param("job_wait", 3600)
        other = self.another_file_being_read()
        with self.goods_reader():
            client = self.upload("import.xml", goods_xml(GOODS))
            self.assertEqual(client.call("catalog", "import", "import.xml").verdict, "progress")
            stored = self.files(name="import.xml")
            job = stored.job_id
            response = self.run_job_as_the_runner(job)
            self.assertEqual(response.status_code, 200)
            self.assertEqual((job.state, job.retry, stored.state), ("pending", 0, "importing"))
            self.assertTrue(job.eta, "the job runs again after a pause")
            self.assertIn("another 1C file is being read", job.result)
            self.assertEqual(self.stored_goods(), {})
            self.assertEqual(client.call("catalog", "import", "import.xml").verdict, "progress")
            other.rollback()
            self.assertEqual(self.run_job_as_the_runner(job).status_code, 200)
            self.assertEqual(job.state, "done")
            self.assertEqual(client.call("catalog", "import", "import.xml").text,
                             "success\n3 goods\n")
        self.assertEqual(self.stored_goods(), {"g-1": "Кран", "g-2": "Смеситель",
                                               "g-3": "Раковина"})

    def test_statistics_and_replay_of_an_imported_package_change_nothing(self):
        package = [("import.xml", goods_xml(GOODS)),
                   ("offers.xml", goods_xml(OFFERS, section="ПакетПредложений"))]
        with self.goods_reader():
            self.client().exchange(package, zip_name="exchange.zip")
            session = self.sessions()
            self.assertEqual((session.records_created, session.records_updated,
                              session.records_unchanged, session.refused_count), (5, 0, 0, 0))
            self.assertGreaterEqual(session.import_duration, 0.0)
            by_name = {f.name: f for f in session.file_ids}
            self.assertEqual((by_name["import.xml"].records_created,
                              by_name["offers.xml"].records_created), (3, 2))
            self.assertEqual(by_name["import.xml"].job_id.state, "done",
                             "a small file is read in the import call, still as a queue job")
            before = self.stored_goods()
            self.assertEqual(len(before), 5)

            action = session.action_replay()
            replay = self.xenv["b2b.onec.exchange.session"].browse(action["res_id"])
            self.assertEqual((replay.replay_of_id, replay.user_id, replay.exchange_type,
                              replay.state), (session, self.exchange_user, "catalog", "done"))
            self.assertEqual((replay.records_created, replay.records_updated,
                              replay.records_unchanged, replay.error_count), (0, 0, 5, 0))
            self.assertEqual(self.stored_goods(), before)
            replayed = {f.name: f for f in replay.file_ids}
            self.assertEqual(sorted(replayed), ["exchange.zip", "import.xml", "offers.xml"])
            self.assertLess(replayed["import.xml"].import_sequence,
                            replayed["offers.xml"].import_sequence, "1C's order is kept")
            with open(replayed["exchange.zip"]._full_path(), "rb") as copy, \
                    open(by_name["exchange.zip"]._full_path(), "rb") as original:
                self.assertEqual(copy.read(), original.read())
            self.assertNotEqual(replayed["exchange.zip"]._full_path(),
                                by_name["exchange.zip"]._full_path())

            # 1C sends one changed good: one update, the rest unchanged
            changed = [("import.xml", goods_xml([("g-1", "Кран латунный")] + GOODS[1:]))]
            self.client().exchange(changed)
            latest = self.sessions()[0]
            self.assertEqual((latest.records_created, latest.records_updated,
                              latest.records_unchanged), (0, 1, 2))

            # replay of one file (the offers inside the first archive)
            single = by_name["offers.xml"].action_replay()
            only_offers = self.xenv["b2b.onec.exchange.session"].browse(single["res_id"])
            imported = only_offers.file_ids.filtered(lambda f: f.state == "imported")
            self.assertEqual(imported.mapped("name"), ["offers.xml"])
            self.assertEqual(only_offers.records_unchanged, 2)
        self.assertEqual(self.stored_goods()["g-1"], "Кран латунный")

    def test_replay_stops_at_the_first_refused_file(self):
        """A replay stops at the first refused file, as 1C does, and writes nothing of it."""
        bad = [("import.xml", goods_xml([("g-1", "FAIL")])), ("offers.xml", goods_xml(OFFERS))]
        with self.goods_reader():
            with mute_logger(CONTROLLER_LOGGER), self.assertRaises(onec.ExchangeStopped):
                self.client().exchange(bad)
            session = self.sessions()
            replay = self.xenv["b2b.onec.exchange.session"].browse(
                session.action_replay()["res_id"])
        self.assertEqual(replay.state, "failed")
        self.assertEqual(replay.error_count, 1)
        self.assertIn("import.xml, line 4: the good has no name.", replay.last_error)
        self.assertEqual(replay.file_ids.filtered(lambda f: f.name == "offers.xml").state,
                         "received", "1C never asked for offers.xml: not imported")
        self.assertEqual(self.stored_goods(), {})

    def test_only_administrators_may_replay(self):
        with self.goods_reader():
            self.client().exchange([("import.xml", goods_xml(GOODS))])
        session = self.sessions()
        with self.assertRaises(AccessError):
            session.sudo(self.exchange_user).action_replay()
        self.assertEqual(len(self.sessions()), 1)
