"""Helpers of b2b_base that are not business rules (those live in ``lib/``).

``tools/`` holds code the addons share that knows about Odoo or about the checkout, imported as
``odoo.addons.b2b_base.tools.<module>``; this package imports nothing by itself, so that a module
that needs no ORM (``checkout``) can also be imported by pytest without Odoo."""
