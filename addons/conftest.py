"""pytest for the addons' plain-Python packages (``addons/<addon>/lib``), without Odoo.

Each addon folder is registered as a bare package (its ``__init__.py``, which imports the ORM
models, is not run), so tests import ``<addon>.lib.<module>`` as plain Python."""
import os
import sys
import types

ADDONS = os.path.dirname(os.path.abspath(__file__))

for _name in sorted(os.listdir(ADDONS)):
    _path = os.path.join(ADDONS, _name)
    if os.path.isfile(os.path.join(_path, "__manifest__.py")) and _name not in sys.modules:
        _package = types.ModuleType(_name)
        _package.__path__ = [_path]
        sys.modules[_name] = _package
