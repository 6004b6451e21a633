"""Make ``b2b_bitrix_bridge.lib`` importable without Odoo, and provide the Bitrix24 stand-in.

The addon's own ``__init__.py`` imports Odoo models, so the addon folder is registered as a bare
package (no code run) before ``b2b_bitrix_bridge.lib`` is imported.
"""
import importlib.util
import os
import sys
import types

import pytest

ADDON_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REPO_DIR = os.path.dirname(os.path.dirname(ADDON_DIR))

if "b2b_bitrix_bridge" not in sys.modules:
    package = types.ModuleType("b2b_bitrix_bridge")
    package.__path__ = [ADDON_DIR]
    sys.modules["b2b_bitrix_bridge"] = package


def _load_standin():
    name = "b2b_standin_bitrix24"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            name, os.path.join(REPO_DIR, "tests", "standins", "bitrix24.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture
def standin_module():
    return _load_standin()


@pytest.fixture
def portal(standin_module):
    """A running Bitrix24 stand-in with Bitrix24's own limits (2 requests/s, burst 50)."""
    with standin_module.Bitrix24StandIn() as running:
        yield running
