"""The local Bitrix24 stand-in (``tests/standins/bitrix24.py`` of the checkout)."""
from odoo.addons.b2b_base.tools import checkout


def bitrix24_standin():
    """The stand-in module, loaded by its path in the checkout."""
    return checkout.load_standin("bitrix24")
