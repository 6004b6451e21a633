"""Plain-Python part of the Bitrix24 bridge: the REST client and the rules for outbound events.

Nothing here imports Odoo, so it is tested with pytest against the local Bitrix24 stand-in.
"""
