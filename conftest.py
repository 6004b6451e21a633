"""pytest for the addons' plain-Python packages (``<addon>/lib`` at the repository root and
``addons/<addon>/lib``), without Odoo.

Each addon folder is registered as a bare package (its ``__init__.py``, which imports the ORM
models, is not run), so tests import ``<addon>.lib.<module>`` as plain Python, and the tests and
stand-ins find the checkout through ``b2b_base.tools.checkout``."""
import os
import sys
import types

ROOT = os.path.dirname(os.path.abspath(__file__))

for _base in (ROOT, os.path.join(ROOT, "addons")):
    for _name in sorted(os.listdir(_base)):
        _path = os.path.join(_base, _name)
        if os.path.isfile(os.path.join(_path, "__manifest__.py")) and _name not in sys.modules:
            _package = types.ModuleType(_name)
            _package.__path__ = [_path]
            sys.modules[_name] = _package
