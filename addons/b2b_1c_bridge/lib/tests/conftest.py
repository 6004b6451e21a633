"""Lets the tests import ``b2b_1c_bridge.lib`` without running the addon's Odoo ``__init__``."""
import os
import sys
import types

ADDON_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
if "b2b_1c_bridge" not in sys.modules:
    package = types.ModuleType("b2b_1c_bridge")
    package.__path__ = [ADDON_DIR]
    sys.modules["b2b_1c_bridge"] = package
