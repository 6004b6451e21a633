"""Where the suite's checkout is, for the tests and the local stand-ins of 1C and Bitrix24.

The checkout is the folder that holds ``odoo.conf`` and ``runtime/launcher.py``; it is found by
walking up from this file, so the addons may sit at the repository root or under ``addons/``.
Plain Python: importable by Odoo's tests (``odoo.addons.b2b_base.tools.checkout``) and by pytest
(``b2b_base.tools.checkout``, through the repository's conftest.py)."""
import importlib.util
import os
import sys


def root():
    """The checkout's folder (absolute path)."""
    folder = os.path.dirname(os.path.realpath(__file__))
    while True:
        if (os.path.isfile(os.path.join(folder, "odoo.conf"))
                and os.path.isfile(os.path.join(folder, "runtime", "launcher.py"))):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            raise RuntimeError("b2b_base is not inside a checkout of the suite (no odoo.conf and "
                               "runtime/launcher.py above %s)" % os.path.realpath(__file__))
        folder = parent


def path(*parts):
    """A path inside the checkout."""
    return os.path.join(root(), *parts)


def addon_path(addon, *parts):
    """A path inside one of the suite's addons, wherever it lives (root or ``addons/``)."""
    for base in (root(), path("addons")):
        if os.path.isfile(os.path.join(base, addon, "__manifest__.py")):
            return os.path.join(base, addon, *parts)
    raise RuntimeError("addon %s is not in the checkout %s" % (addon, root()))


def load_standin(name):
    """The stand-in module ``tests/standins/<name>.py``, loaded by its path once (a module named
    ``tests`` may already be importable from elsewhere)."""
    module_name = "b2b_standin_%s" % name
    if module_name not in sys.modules:
        file_path = path("tests", "standins", "%s.py" % name)
        if not os.path.isfile(file_path):
            raise RuntimeError("the stand-in %s is missing (these tests run from the checkout)"
                               % file_path)
        spec = importlib.util.spec_from_file_location(module_name, file_path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[module_name]
            raise
    return sys.modules[module_name]
