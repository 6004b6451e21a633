"""What the benchmarks share: a database of their own with the suite's core installed, an Odoo
environment on it in this process, timing, and the BENCH line format."""
import os
import statistics
import sys
import time
from contextlib import contextmanager

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "runtime"))

import suite  # noqa: E402


def prepare_database(name, modules):
    """A fresh database ``name`` from the test template with ``modules`` installed (no tests)."""
    dbs = suite.Databases()
    dbs.start_server()
    addons = suite.addon_dirs()
    template = suite.template_database(dbs, suite.stock_dependencies(addons))
    dbs.drop(name)
    dbs.copy(template, name)
    log = os.path.join(suite.RUN_DIR, "%s.log" % name)
    os.environ["B2B_QUIET"] = "1"
    suite.odoo(["-d", name, "-i", ",".join(modules), "--stop-after-init", "--workers=0",
                "--max-cron-threads=0", "--db-filter=^%s$" % name], log=log)
    return dbs


@contextmanager
def environment(dbname):
    """An Odoo environment (superuser) on ``dbname`` in this process; rolled back at the end."""
    import warnings
    warnings.filterwarnings("ignore", message="pkg_resources is deprecated")
    import b2b_compat
    b2b_compat.apply()
    import odoo
    from launcher import render_config
    conf = render_config(os.path.join(ROOT, "odoo.conf"), os.path.join(suite.RUN_DIR, "odoo.conf"))
    odoo.tools.config.parse_config(["-c", conf, "--workers=0", "--log-level=warn"])
    with odoo.api.Environment.manage():
        registry = odoo.registry(dbname)
        with registry.cursor() as cr:
            yield odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            cr.rollback()


def timed(fn, repeat=5):
    """Median wall time of ``fn()`` in milliseconds over ``repeat`` runs (after one warm-up)."""
    fn()
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


def bench_line(bench_id, what, value, unit, target, ok, peer=None, peer_unit=None, peer_note=None,
               ratio_of=None, ratio_note=None):
    """Print and return the line ``BENCH <id> <what>=<value><unit> target=<value> [peer=<value>
    ratio=<x>] ok|miss``.

    The ratio is ``peer / value``, or ``peer / ratio_of`` when another figure of ours is the
    one to compare with (``ratio_note`` names it). ``peer_note`` says how the peer's figure was
    obtained when it was not measured whole. A note follows its value in parentheses, its words
    joined by underscores, so that the line still splits on spaces into the same fields:
    ``peer=3600s(extrapolated_from_2500_goods) ratio=70x(of_import_25000)``."""
    parts = ["BENCH", bench_id, "%s=%s%s" % (what, _fmt(value), unit), "target=%s" % target]
    if peer is not None:
        parts.append("peer=%s%s%s" % (_fmt(peer), peer_unit or unit, _note(peer_note)))
        base = value if ratio_of is None else ratio_of
        parts.append("ratio=%sx%s" % (_fmt(peer / base if base else float("inf")), _note(ratio_note)))
    parts.append("ok" if ok else "miss")
    line = " ".join(parts)
    print(line, flush=True)
    return line


def _note(text):
    return "(%s)" % "_".join(text.split()) if text else ""


def _fmt(number):
    if isinstance(number, int):   # a count
        return str(number)
    if number >= 100:
        return "%.0f" % number
    if number >= 10:
        return "%.1f" % number
    return "%.2f" % number
