from odoo import _, api, models
from odoo.exceptions import AccessError


class B2bPortalOwned(models.AbstractModel):
    """Records a dealer's user keeps for themselves (carts, saved carts, favourites and their lines).

    Record rules let a user touch only their own records; Odoo checks them before a write, so the
    fields saying whose a record is (``_b2b_owner_fields``) cannot be changed afterwards: a record
    is never handed to another user, contract or cart."""
    _name = "b2b.portal.owned"
    _description = "Kept by one dealer user"
    _b2b_owner_fields = ()
    # lines: the field pointing at the record they belong to (a cart, a saved cart)
    _b2b_parent_field = None

    @api.model
    def create(self, vals):
        # a line is added only to a record the user may change, checked before anything is
        # written (Odoo checks record rules after the insert, when a unique constraint on the
        # other user's record may already have answered)
        parent_field = self._b2b_parent_field
        if parent_field and not self.env.user._is_superuser():
            comodel = self.env[self._fields[parent_field].comodel_name]
            comodel._b2b_own(vals.get(parent_field), "write")
        return super(B2bPortalOwned, self).create(vals)

    @api.multi
    def write(self, vals):
        moved = set(vals).intersection(self._b2b_owner_fields)
        if moved and not self.env.user._is_superuser():
            for record in self:
                for name in moved:
                    field = record._fields[name]
                    old = record[name]
                    new = vals[name]
                    if (old.id if field.type == "many2one" else old) != new:
                        raise AccessError(_(
                            "A cart, a saved cart or a favourite stays with its user, contract "
                            "and cart: it cannot be handed to another."))
        return super(B2bPortalOwned, self).write(vals)

    @api.model
    def _b2b_own(self, record_id, operation="write"):
        """The record ``record_id`` of the current user, checked for ``operation``; AccessError
        when it does not exist or is not theirs."""
        try:
            record = self.browse(int(record_id)).exists()
        except (TypeError, ValueError):
            record = self.browse()
        if record:
            try:
                record.check_access_rights(operation)
                record.check_access_rule(operation)
            except AccessError:
                record = self.browse()
        if not record:
            raise AccessError(self._b2b_not_yours())
        return record

    @api.model
    def _b2b_not_yours(self):
        return _("The record does not exist or is not yours.")
