"""The lint step of `make test` (runtime/suite.py run_lint with the repository's .pylintrc): it reports
what OCA's checks for Odoo 11 forbid in an addon, and fails the run on any message."""
import os
import sys
import textwrap

import pytest

RUNTIME = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, RUNTIME)

import suite  # noqa: E402

MANIFEST = """{
    "name": "Probe",
    "version": "11.0.1.0.0",
    "license": "LGPL-3",
    "author": "B2B Portal Suite",
    "depends": ["base"],
}
"""


def probe_addon(folder, code):
    """An addon ``b2b_probe`` in ``folder`` whose models/probe.py is ``code``."""
    addon = folder / "b2b_probe"
    (addon / "models").mkdir(parents=True)
    (addon / "__manifest__.py").write_text(MANIFEST)
    (addon / "README.rst").write_text("Probe\n=====\n")
    (addon / "__init__.py").write_text("from . import models\n")
    (addon / "models" / "__init__.py").write_text("from . import probe\n")
    (addon / "models" / "probe.py").write_text(textwrap.dedent(code))
    return str(addon)


CLEAN = """\
    from odoo import _, models


    class ResPartner(models.Model):
        _inherit = "res.partner"

        def b2b_probe_label(self, done, total):
            self.env.cr.execute("SELECT id FROM res_partner WHERE id = %s", (self.id,))
            return _("%(done)s of %(total)s") % {"done": done, "total": total}
"""


def test_clean_addon_has_no_message(tmp_path, capsys):
    count, summary = suite.run_lint([probe_addon(tmp_path, CLEAN)])
    assert count == 0, capsys.readouterr().out
    assert summary.startswith("lint: 0 messages")


def test_positional_translation_print_and_sql_injection_are_reported(tmp_path, capsys):
    code = CLEAN.replace('_("%(done)s of %(total)s") % {"done": done, "total": total}',
                         '_("%s of %s") % (done, total)')
    code = code.replace('"SELECT id FROM res_partner WHERE id = %s", (self.id,)',
                        '"SELECT id FROM res_partner WHERE id = %s" % self.id')
    code = code.replace("        return", "        print(done)\n        return")
    count, summary = suite.run_lint([probe_addon(tmp_path, code)])
    out = capsys.readouterr().out
    assert count == 3, out
    for check in ("translation-positional-used", "sql-injection", "print-used"):
        assert "(%s)" % check in out
        assert "%s 1" % check in summary
    assert "b2b_probe/models/probe.py:" in out


@pytest.mark.parametrize("count, failures", [(0, 0), (5, 1), (None, 1)])
def test_a_message_or_a_lint_that_did_not_run_fails_the_run(count, failures):
    assert suite.lint_failures(count) == failures
