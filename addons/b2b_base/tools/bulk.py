"""Create many records of one model in a fixed number of queries.

Odoo 11 creates records one at a time: an INSERT, then marking every dependent computed field
(``modified``), Python constraints and, unless deferred, a recomputation, per record. For a dealer
order of a thousand lines that is a minute of work, most of it repeated bookkeeping for the order
the lines belong to. ``bulk_create`` does what ``create`` does for the whole batch at once:

- defaults are those of ``default_get`` (computed once for the batch: the callers pass every value
  that differs per record), booleans default to False as in ``_create``;
- one INSERT for all rows (log-access columns set as ``_create`` sets them), one INSERT per
  many2many relation for all links;
- ``modified`` once for the batch; the stored computed fields of the new records computed in batch
  and written in one UPDATE; Python constraints checked; one recomputation of what depends on
  them (the order's totals);
- the current user's create access rights and record rules checked like ``create`` checks them.

It applies only to models ``create`` would handle without per-record side effects: no
``_inherits``, no parent store, no computed field, no field with an inverse or a translation among
the values, and
callers must not rely on ``create`` overrides (the sale order line's run only for confirmed orders,
see ``sale.order._b2b_add_lines``).
"""
from psycopg2.extras import execute_values

from odoo.models import MAGIC_COLUMNS


def _check_model(model, names):
    if model._inherits or model._parent_store:
        raise ValueError("bulk_create does not handle %s (inherits or parent store)" % model._name)
    for name in names:
        field = model._fields[name]
        if field.inverse or field.translate or field.compute or not field.store:
            raise ValueError("bulk_create cannot set %s.%s" % (model._name, name))
        if field.type not in ("many2many",) and not field.column_type:
            raise ValueError("bulk_create cannot set %s.%s" % (model._name, name))


def bulk_create(model, vals_list, known=None):
    """Create one record of ``model`` per dict of ``vals_list``; returns the new records in order.

    Many2many values are given as ``[(6, 0, ids)]``. ``known``: {field name: value} for stored
    computed fields whose value the caller knows to be the same for every new record (what their
    compute method gives for records in that state); they are stored without running it. A field
    computed together with others by one method is taken as known only when all of them are."""
    if not vals_list:
        return model.browse()
    model.check_access_rights("create")
    names = set()
    for vals in vals_list:
        names.update(vals)
    _check_model(model, names)
    defaults = model.default_get([name for name, field in model._fields.items()
                                  if field.store and name not in names and name not in MAGIC_COLUMNS
                                  and not field.compute])
    for name, field in model._fields.items():
        if field.type == "boolean" and field.store and not field.compute and name not in names:
            defaults.setdefault(name, False)
    _check_model(model, defaults)

    columns, relations = [], []
    for name in sorted(names | set(defaults)):
        field = model._fields[name]
        if field.type == "many2many":
            relations.append(field)
        elif field.column_type:
            columns.append(field)
    empty = model.browse()
    rows = []
    for vals in vals_list:
        row = []
        for field in columns:
            value = vals[field.name] if field.name in vals else defaults[field.name]
            if value and getattr(field, "selection", None):
                model._check_selection_field_value(field.name, value)
            row.append(field.convert_to_column(value, empty, vals))
        rows.append(tuple(row))

    cr = model.env.cr
    names_sql = ", ".join('"%s"' % field.name for field in columns)
    template = "(%s)" % ", ".join(["%s"] * len(columns))
    if model._log_access:
        names_sql += ", create_uid, write_uid, create_date, write_date"
        template = "(%s, %d, %d, (now() at time zone 'UTC'), (now() at time zone 'UTC'))" % (
            ", ".join(["%s"] * len(columns)), model.env.uid, model.env.uid)
    query = 'INSERT INTO "%s" (%s) VALUES %%s RETURNING id' % (model._table, names_sql)
    ids = [row[0] for row in execute_values(cr, query, rows, template=template,
                                            page_size=len(rows), fetch=True)]
    records = model.browse(ids)

    for field in relations:
        links = []
        for record_id, vals in zip(ids, vals_list):
            value = vals.get(field.name, defaults.get(field.name)) or []
            for command in value:
                if command[0] != 6:
                    raise ValueError("bulk_create takes many2many values as [(6, 0, ids)]")
                links.extend((record_id, target) for target in command[2])
        if links:
            execute_values(cr, 'INSERT INTO "%s" ("%s", "%s") VALUES %%s ON CONFLICT DO NOTHING' % (
                field.relation, field.column1, field.column2), links, page_size=len(links))

    # what create does per record, once for the batch: the records' own stored computed fields
    # and every field depending on the new records (the totals of their parent, ...)
    records.modified(model._fields)
    for field in model._fields.values():
        if field.compute and field.store:
            model.env.add_todo(field, records)
    _store_computed(records, known or {})
    records._validate_fields(names | set(defaults))
    if model.env.recompute and model._context.get("recompute", True):
        model.recompute()
    records.check_access_rule("create")
    return records


def _store_computed(records, known):
    """Compute the stored computed fields of the new ``records`` and write them in one UPDATE.

    Odoo's ``recompute`` writes each record whose values differ with a ``_write`` of its own (an
    UPDATE and a ``modified`` each); the fields depending on these values were all marked by the
    ``modified`` of the whole batch already, so one UPDATE for the batch is enough. Fields are
    computed in Odoo's dependency order (``field_sequence``), each group for all records at once,
    so that no computation invalidates a value computed before it."""
    model = records.browse()
    env = model.env
    pending = sorted((field for field in model._fields.values()
                      if field.compute and field.store and field.column_type),
                     key=env.registry.field_sequence)
    if not pending:
        return
    computed = {record.id: {} for record in records}
    done = set()
    for field in pending:
        if field in done:
            continue
        group = [f for f in model._field_computed[field] if f.store and f.column_type]
        if all(member.name in known for member in model._field_computed[field]):
            for member in group:
                value = known[member.name]
                for record in records:
                    cached = member.convert_to_cache(value, record)
                    env.cache.set(record, member, cached)
                    computed[record.id][member.name] = member.convert_to_record(cached, record)
        else:
            for record in records:
                values = computed[record.id]
                for member in group:
                    values[member.name] = record[member.name]
        for member in model._field_computed[field]:
            if member.store and member.column_type:
                env.remove_todo(member, records)
                done.add(member)
    rows = []
    for record in records:
        values = record._convert_to_write(computed[record.id])
        rows.append((record.id,) + tuple(field.convert_to_column(values[field.name], record, values)
                                         for field in pending))
    template = "(%%s, %s)" % ", ".join("%%s::%s" % field.column_type[1] for field in pending)
    execute_values(env.cr, 'UPDATE "%s" AS t SET %s FROM (VALUES %%s) AS v(id, %s) '
                   'WHERE t.id = v.id' % (
                       model._table,
                       ", ".join('"%s" = v."%s"' % (field.name, field.name) for field in pending),
                       ", ".join('"%s"' % field.name for field in pending)),
                   rows, template=template, page_size=len(rows))


UPDATE_BATCH = 2000


def insert_rows(model, vals_list, known=None):
    """INSERT one row of ``model``'s own table per dict of ``vals_list`` (one query); returns
    the new ids in order.

    Like ``bulk_create`` (defaults of ``default_get``, booleans False, log-access columns) but
    raw, for imports of tens of thousands of records (the 1C catalog): translated columns take
    the given text as their source value, which every language shows until someone translates
    it, and the stored computed columns take the values ``known`` gives (what their compute gives
    for such a new record). No method of the model runs, no access right is checked: callers
    run as the importing superuser and clear the caches depending on the model themselves."""
    if not vals_list:
        return []
    known = known or {}
    cr = model.env.cr
    # the table's columns from the catalog, not from ``field.column_type``: for a float field
    # with a named precision that reads the precision through a cursor of its own
    cr.execute("SELECT column_name FROM information_schema.columns WHERE table_name = %s",
               (model._table,))
    table_columns = {row[0] for row in cr.fetchall()}
    own = {name: field for name, field in model._fields.items()
           if field.store and name in table_columns and not field.inherited
           and field.type not in ("one2many", "many2many") and name not in MAGIC_COLUMNS}
    names = set(known)
    for vals in vals_list:
        names.update(vals)
    defaults = model.default_get([name for name, field in own.items()
                                  if name not in names and not field.compute])
    for name, field in own.items():
        if field.type == "boolean" and not field.compute and name not in names:
            defaults.setdefault(name, False)
    columns = [own[name] for name in sorted((names | set(defaults)) & set(own))]
    empty = model.browse()
    rows = []
    for vals in vals_list:
        row = []
        for field in columns:
            name = field.name
            value = vals[name] if name in vals else known[name] if name in known else defaults[name]
            if field.type in ("float", "monetary"):
                row.append(float(value or 0.0))     # numeric columns round it themselves
            else:
                row.append(field.convert_to_column(value, empty, vals))
        rows.append(tuple(row))
    uid = model.env.uid
    query = ('INSERT INTO "%s" (%s, create_uid, write_uid, create_date, write_date) VALUES %%s '
             'RETURNING id' % (model._table, ", ".join('"%s"' % f.name for f in columns)))
    template = "(%s, %d, %d, (now() at time zone 'UTC'), (now() at time zone 'UTC'))" % (
        ", ".join(["%s"] * len(columns)), uid, uid)
    return [row[0] for row in execute_values(model.env.cr, query, rows, template=template,
                                             page_size=len(rows), fetch=True)]


def update_rows(cr, table, columns, rows, casts, uid):
    """UPDATE ``table`` rows [(id, value, ...)] setting ``columns`` (one query per batch)."""
    if not rows:
        return
    template = "(%%s, %s)" % ", ".join("%%s::%s" % cast for cast in casts)
    execute_values(cr, 'UPDATE "%s" AS t SET %s, write_uid = %d, '
                   "write_date = (now() at time zone 'UTC') FROM (VALUES %%s) AS v(id, %s) "
                   "WHERE t.id = v.id" % (
                       table, ", ".join('"%s" = v."%s"' % (c, c) for c in columns), uid,
                       ", ".join('"%s"' % c for c in columns)),
                   rows, template=template, page_size=UPDATE_BATCH)
