"""pytest for the addons' plain-Python packages (``<addon>/lib`` at the repository root and
``addons/<addon>/lib``), without Odoo.

Each addon folder is registered as a bare package (its ``__init__.py``, which imports the ORM
models, is not run), so tests import ``<addon>.lib.<module>`` as plain Python, and the tests and
stand-ins find the checkout through ``b2b_base.tools.checkout``.

A lib module imports another addon's lib as Odoo names it (``from
odoo.addons.b2b_base.lib.messages import Problem``). pytest runs without Odoo, so here ``odoo`` and
``odoo.addons`` are empty packages and ``odoo.addons.<addon>.<module>`` is the very module
``<addon>.<module>``: a test and a lib module that name it either way share its classes."""
import importlib
import importlib.machinery
import os
import sys
import types

ROOT = os.path.dirname(os.path.abspath(__file__))
ODOO_ADDONS = "odoo.addons."

ADDONS = set()
for _base in (ROOT, os.path.join(ROOT, "addons")):
    for _name in sorted(os.listdir(_base)):
        _path = os.path.join(_base, _name)
        if os.path.isfile(os.path.join(_path, "__manifest__.py")) and _name not in sys.modules:
            _package = types.ModuleType(_name)
            _package.__path__ = [_path]
            sys.modules[_name] = _package
            ADDONS.add(_name)


class OdooAddonsAlias:
    """Finds ``odoo``, ``odoo.addons`` and ``odoo.addons.<addon>[.<module>]`` (see above)."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        if name in ("odoo", "odoo.addons"):
            return importlib.machinery.ModuleSpec(name, OdooAddonsAlias, is_package=True)
        if name.startswith(ODOO_ADDONS) and name[len(ODOO_ADDONS):].split(".")[0] in ADDONS:
            return importlib.machinery.ModuleSpec(name, OdooAddonsAlias)
        return None

    @staticmethod
    def create_module(spec):
        if spec.name in ("odoo", "odoo.addons"):
            package = types.ModuleType(spec.name)
            package.__path__ = []
            return package
        return importlib.import_module(spec.name[len(ODOO_ADDONS):])

    @staticmethod
    def exec_module(module):
        """Nothing left to run: ``create_module`` returned the package or the aliased module
        whole."""


sys.meta_path.insert(0, OdooAddonsAlias)
