"""The Bitrix24 stand-in for the client's tests (``b2b_bitrix_bridge.lib`` itself is importable
without Odoo through the repository's conftest.py)."""
import pytest

from b2b_base.tools import checkout


@pytest.fixture
def standin_module():
    return checkout.load_standin("bitrix24")


@pytest.fixture
def portal(standin_module):
    """A running Bitrix24 stand-in with Bitrix24's own limits (2 requests/s, burst 50)."""
    with standin_module.Bitrix24StandIn() as running:
        yield running
