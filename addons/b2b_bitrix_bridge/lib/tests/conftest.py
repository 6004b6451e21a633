"""The Bitrix24 stand-in for the client's tests (``b2b_bitrix_bridge.lib`` itself is importable
without Odoo through addons/conftest.py)."""
import importlib.util
import os
import sys
import pytest

ADDON_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REPO_DIR = os.path.dirname(os.path.dirname(ADDON_DIR))

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
