"""Each addon of the suite installs alone with its dependencies.

The product features (portal, bonuses, commission reports, the 1C and Bitrix24 bridges) build on
the core, b2b_base, and on no other feature; what joins two features lives in a glue addon under
addons/ that installs itself when both are there (``auto_install``), such as the 1C bridge's readers
of the bonus and consignment packages. The static tests read every manifest and README; the last
test installs each feature on its own database (a copy of the template `make test` uses, with the
core installed once) and checks that it installs cleanly and brings nothing it does not depend on.
The 1C bridge is installed with its test module of the packages of other features, which then
checks that those packages are refused with the addon to install.
"""
import ast
import importlib.util
import os
import re
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORE = "b2b_base"
FEATURES = ("b2b_portal", "b2b_bonus", "b2b_commission", "b2b_1c_bridge", "b2b_bitrix_bridge")
BRIDGES = ("b2b_1c_bridge", "b2b_bitrix_bridge")
README_SECTIONS = ["Description", "Configuration", "Usage", "Known issues / Roadmap"]
# imports that need no declaration: the server itself and what it is built on
SERVER = {"odoo", "psycopg2", "werkzeug"}
# the Odoo tests each feature runs when installed alone (B2B_TEST_ONLY), none when absent
ALONE_TESTS = {"b2b_1c_bridge": "test_packages_of_features"}
ALONE_PREFIX = "b2b_alone_"


def load_suite():
    """runtime/suite.py (the run/test driver), loaded from its file."""
    if "b2b_suite" not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            "b2b_suite", os.path.join(ROOT, "runtime", "suite.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules["b2b_suite"] = module
        spec.loader.exec_module(module)
    return sys.modules["b2b_suite"]


def addons():
    """{name: (folder, manifest)} of the suite's addons."""
    suite = load_suite()
    return {name: (path, suite.manifest(path)) for name, path in suite.addon_dirs().items()}


def own_depends(name, found):
    return set(found[name][1].get("depends", [])) & set(found)


def closure(names, found):
    """The suite's addons that installing ``names`` installs: they and their dependencies, then
    every glue addon (auto_install) whose dependencies are all among them."""
    result, todo = set(), list(names)
    while todo:
        current = todo.pop()
        if current not in result:
            result.add(current)
            todo.extend(own_depends(current, found))
    grew = True
    while grew:
        grew = False
        for other, (_path, manifest) in found.items():
            if other not in result and manifest.get("auto_install") \
                    and own_depends(other, found) <= result:
                result.add(other)
                grew = True
    return result


# ------------------------------------------------------------------------------------ manifests
def test_features_build_on_the_core_and_glue_addons_join_two():
    found = addons()
    assert set(FEATURES) | {CORE} <= set(found)
    assert not own_depends(CORE, found)
    for name in FEATURES:
        assert own_depends(name, found) == {CORE}, \
            "%s depends on %s: a feature builds on the core alone" % (name, own_depends(name, found))
        assert found[name][0] == os.path.join(ROOT, name)
    for name in sorted(set(found) - set(FEATURES) - {CORE}):
        path, manifest = found[name]
        deps = own_depends(name, found)
        assert path == os.path.join(ROOT, "addons", name), "a glue addon lives under addons/"
        assert manifest.get("auto_install") is True, "%s installs itself with its two sides" % name
        # a bridge and what it carries (1C's bonus packages), or the portal and the pages of a
        # feature (the bonus pages of b2b_portal_bonus)
        assert len(deps) == 2 and deps <= set(FEATURES) and deps & (set(BRIDGES) | {"b2b_portal"}), \
            "%s joins a bridge or the portal and a feature, not %s" % (name, sorted(deps))
    for name, (_path, manifest) in found.items():
        assert manifest.get("license") == "LGPL-3", name
    assert open(os.path.join(ROOT, "LICENSE"), encoding="utf-8").read().lstrip().startswith(
        "GNU LESSER GENERAL PUBLIC LICENSE\n                       Version 3")


def test_the_bridge_alone_brings_neither_bonuses_nor_commission_reports():
    found = addons()
    assert closure(["b2b_1c_bridge"], found) == {"b2b_1c_bridge", CORE}
    assert closure(["b2b_1c_bridge", "b2b_bonus"], found) == {
        "b2b_1c_bridge", "b2b_bonus", "b2b_1c_bridge_bonus", CORE}
    assert closure(["b2b_1c_bridge", "b2b_commission"], found) == {
        "b2b_1c_bridge", "b2b_commission", "b2b_1c_bridge_commission", CORE}
    for name in FEATURES:
        assert closure([name], found) == {name, CORE}


def imported_libraries(path):
    """Top-level names of the modules the addon's code imports (its tests left out)."""
    names = set()
    for folder, dirs, files in os.walk(path):
        dirs[:] = [d for d in dirs if d not in ("tests", "__pycache__")]
        for file_name in files:
            if not file_name.endswith(".py"):
                continue
            with open(os.path.join(folder, file_name), encoding="utf-8") as fh:
                tree = ast.parse(fh.read())
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and not node.level:
                    names.add(node.module.split(".")[0])
    return names


def test_every_addon_declares_the_python_libraries_it_imports():
    for name, (path, manifest) in sorted(addons().items()):
        libraries = {lib for lib in imported_libraries(path)
                     if lib not in sys.stdlib_module_names and lib not in SERVER}
        declared = set(manifest.get("external_dependencies", {}).get("python", []))
        assert declared == libraries, "%s imports %s, declares %s" % (
            name, sorted(libraries), sorted(declared))


def readme_sections(text):
    """The titles of the first-level sections of a README.rst (underlined with ``=``, the title
    itself having a line of ``=`` above it too)."""
    lines = text.split("\n")
    sections = []
    for number in range(1, len(lines)):
        title, under = lines[number - 1], lines[number]
        above = lines[number - 2] if number >= 2 else ""
        if title.strip() and re.fullmatch(r"=+", under) and not re.fullmatch(r"=+", title) \
                and not re.fullmatch(r"=+", above):
            sections.append(title.strip())
    return sections


def test_every_readme_has_the_oca_sections_in_order():
    for name, (path, _manifest) in sorted(addons().items()):
        with open(os.path.join(path, "README.rst"), encoding="utf-8") as fh:
            assert readme_sections(fh.read()) == README_SECTIONS, name


# ------------------------------------------------------------------------------------ installs
def install(suite, dbname, addon, log, only=None):
    """Install ``addon`` on ``dbname`` (with demo data); with ``only``, run those Odoo test
    modules of it. Returns (exit code, tests run, tests failed, error lines of the log)."""
    args = ["-d", dbname, "-i", addon, "--stop-after-init", "--workers=0", "--max-cron-threads=0",
            "--http-port=%d" % suite.free_port(), "--db-filter=^%s$" % dbname]
    env = dict(os.environ)
    env.pop("B2B_TEST_ONLY", None)
    if only:
        args += ["--test-enable", "--log-level=test"]
        env["B2B_TEST_ONLY"] = only
    with open(log, "w", encoding="utf-8") as out:
        code = subprocess.run(suite.ODOO + args, stdout=out, stderr=subprocess.STDOUT,
                              env=env, cwd=ROOT).returncode
    ran, failed, errors = suite.parse_odoo_test_log(log)
    return code, ran, failed, errors


def drop_ended(suite, dbs):
    """Databases of install-alone runs whose process has ended."""
    for name in dbs.list(ALONE_PREFIX):
        pid = name[len(ALONE_PREFIX):].split("_")[0]
        if not suite._pid_alive(pid):
            dbs.drop(name)


def test_each_feature_installs_alone(tmp_path):
    suite = load_suite()
    found = addons()
    dbs = suite.Databases()
    dbs.start_server()
    drop_ended(suite, dbs)
    template = suite.template_database(dbs, suite.stock_dependencies(suite.addon_dirs()))
    core_db = "%s%d_core" % (ALONE_PREFIX, os.getpid())
    made = [core_db]
    try:
        dbs.copy(template, core_db)
        log = str(tmp_path / "core.log")
        code, _ran, _failed, errors = install(suite, core_db, CORE, log)
        assert (code, errors) == (0, []), "installing %s alone failed; log: %s" % (CORE, log)
        for name in FEATURES:
            dbname = "%s%d_%s" % (ALONE_PREFIX, os.getpid(), name)
            made.append(dbname)
            dbs.copy(core_db, dbname)
            log = str(tmp_path / ("%s.log" % name))
            code, ran, failed, errors = install(suite, dbname, name, log, ALONE_TESTS.get(name))
            assert (code, failed, errors) == (0, 0, []), \
                "installing %s alone failed (exit %d, %d tests failed); log: %s:\n%s" % (
                    name, code, failed, log, "\n".join(errors[:10]))
            if name in ALONE_TESTS:
                assert ran > 0, "%s alone ran no test; log: %s" % (name, log)
            assert suite.installed_addons(dbs, dbname, found) == closure([name], found), name
            dbs.drop(dbname)
    finally:
        for dbname in made:
            dbs.drop(dbname)
