"""Make ``b2b_commission.lib`` importable without Odoo: the addon's own __init__ (which imports the
models) is skipped by registering a bare package whose path is the addon folder."""
import os
import sys
import types

ADDON_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
if "b2b_commission" not in sys.modules:
    package = types.ModuleType("b2b_commission")
    package.__path__ = [ADDON_DIR]
    sys.modules["b2b_commission"] = package
