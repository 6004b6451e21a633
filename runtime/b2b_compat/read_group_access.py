"""``read_group`` of attachments and messages that counts only what the user may read (Odoo 11).

Who may read an ``ir.attachment`` or a ``mail.message`` is not a record rule in Odoo 11: each model
decides it in its own ``_search`` (an attachment follows the record it is attached to, a message
its document) and ``check``. ``read_group`` builds its query from the domain and the record rules
only, so it groups and counts every attachment and every message of the database, whoever asks:
``read_group([], ['res_name'], ['res_name'])`` on ``ir.attachment`` lists the names of the records
of every dealer that have a file (a contract «Б-001/2026», an act, an order), ``mail.message``
grouped by ``record_name`` the names of every document with a message. A supplier manager who
looks after one dealer reads another's that way; a dealer's user could before the RPC gate of
b2b_base (the isolation matrix, tests/test_isolation_matrix.py, found it).

The patch below gives each of the two models a ``read_group`` that first searches the domain as
the user (through the model's own ``_search``, which drops what the user may not read) and groups
only the records found. The superuser's grouping is Odoo's own.
"""


def _restricted(cls):
    # imported when the patched module is: odoo is loaded by then, never by the layer itself
    from odoo import SUPERUSER_ID, api

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
        if self._uid != SUPERUSER_ID:
            domain = [("id", "in", self.search(list(domain or [])).ids)]
        return super(cls, self).read_group(domain, fields, groupby, offset=offset, limit=limit,
                                           orderby=orderby, lazy=lazy)

    read_group._b2b_compat = True
    return read_group


def patch_attachment_read_group(module):
    """Every attachment of the database grouped by ``ir.attachment.read_group``, whoever asks."""
    cls = module.IrAttachment
    if not getattr(cls.__dict__.get("read_group"), "_b2b_compat", False):
        cls.read_group = _restricted(cls)


def patch_message_read_group(module):
    """Every message of the database grouped by ``mail.message.read_group``, whoever asks."""
    cls = module.Message
    if not getattr(cls.__dict__.get("read_group"), "_b2b_compat", False):
        cls.read_group = _restricted(cls)
