"""Renames for the addons' migration scripts (``migrations/<version>/pre-migrate.py``): a stored
field or an XML id gets a new name, or a field moves to another addon, and the data stays.

Run before the addon's models load, so Odoo then finds the column, the field's record, its XML id
and its translations under the new name, as if the field had always been called so."""
import logging

from psycopg2 import sql

_logger = logging.getLogger(__name__)


def _exists(cr, query, params):
    cr.execute(query, params)
    return bool(cr.fetchone())


def _ddl(cr, template, *names):
    """A statement on tables, columns, indexes or constraints named in ``names`` (quoted)."""
    statement = sql.SQL(template).format(*(sql.Identifier(name) for name in names))
    # psycopg2.sql quotes every name: the check cannot see that through the template argument
    cr.execute(statement)  # pylint: disable=sql-injection


def column_exists(cr, table, column):
    return _exists(cr, "SELECT 1 FROM information_schema.columns "
                       "WHERE table_name = %s AND column_name = %s", (table, column))


def rename_field(cr, model, table, old, new, module, new_module=None):
    """Field ``old`` of ``model`` (stored in ``table``, declared by ``module``) is now ``new``,
    declared by ``new_module`` (default: the same addon). Renames the column and its index, the
    field's record (its label's and help's translations stay with it) and its XML id. Does nothing
    when the field was renamed already (or never existed: a database older than the field)."""
    new_module = new_module or module
    if column_exists(cr, table, old) and not column_exists(cr, table, new):
        _ddl(cr, "ALTER TABLE {} RENAME COLUMN {} TO {}", table, old, new)
        _ddl(cr, "ALTER INDEX IF EXISTS {} RENAME TO {}",
             "%s_%s_index" % (table, old), "%s_%s_index" % (table, new))
        old_fkey, new_fkey = "%s_%s_fkey" % (table, old), "%s_%s_fkey" % (table, new)
        if _exists(cr, "SELECT 1 FROM pg_constraint WHERE conname = %s", (old_fkey,)):
            _ddl(cr, "ALTER TABLE {} RENAME CONSTRAINT {} TO {}", table, old_fkey, new_fkey)
        _logger.info("renamed column %s.%s to %s", table, old, new)
    cr.execute("UPDATE ir_model_fields SET name = %s WHERE model = %s AND name = %s",
               (new, model, old))
    cr.execute("UPDATE ir_model_data SET name = %s, module = %s "
               "WHERE model = 'ir.model.fields' AND module = %s AND name = %s",
               ("field_%s_%s" % (table, new), new_module, module, "field_%s_%s" % (table, old)))


def rename_constraint(cr, table, old, new, module, new_module=None):
    """SQL constraint ``old`` of ``table`` (the name the addon gives it, without the table's
    prefix) is now ``new``."""
    new_module = new_module or module
    old_full, new_full = "%s_%s" % (table, old), "%s_%s" % (table, new)
    if _exists(cr, "SELECT 1 FROM pg_constraint WHERE conname = %s", (old_full,)):
        _ddl(cr, "ALTER TABLE {} RENAME CONSTRAINT {} TO {}", table, old_full, new_full)
    cr.execute("UPDATE ir_model_constraint SET name = %s, module = "
               "(SELECT id FROM ir_module_module WHERE name = %s) WHERE name = %s",
               (new_full, new_module, old_full))
    cr.execute("UPDATE ir_model_data SET name = %s, module = %s "
               "WHERE model = 'ir.model.constraint' AND module = %s AND name = %s",
               ("constraint_%s" % new_full, new_module, module, "constraint_%s" % old_full))


def rename_xmlid(cr, module, old, new):
    """The record known as ``module.old`` is now ``module.new`` (a group, a view...)."""
    cr.execute("UPDATE ir_model_data SET name = %s WHERE module = %s AND name = %s",
               (new, module, old))
