"""``child_of`` / ``parent_of`` that stop at ids already seen (Odoo 11's expression engine).

Odoo 11 expands ``(field, 'child_of', ids)`` on a model without ``_parent_store`` by searching the
records whose parent is in the last ids found, again and again until a search finds none, and
``parent_of`` by walking up the parents until a record has none. On a many-to-one that points back
at the record itself neither ever ends: a company's ``commercial_partner_id`` is the company, so
``[('commercial_partner_id', 'child_of', company_id)]`` (or ``'parent_of'``) on ``res.partner``
searches the same ids without end and the worker spins until ``limit_time_cpu`` kills it. Any portal
user can send that domain through ``/web/dataset/call_kw``. Later Odoo versions stop at ids already
seen; so do the two functions below, and give the same ids as Odoo 11 on every hierarchy without a
cycle. The ``_parent_store`` branch (``parent_left`` / ``parent_right``, e.g. product.category) is
Odoo 11's own, unchanged.

Both functions are nested in ``odoo.osv.expression.expression.parse`` and read its variable
``context``; they cannot be replaced from outside, so the patch swaps their code objects among the
constants of ``parse``'s code (``patch_expression_hierarchy``). Everything else in ``parse`` stays
Odoo's.
"""
import types

# The functions below run as part of odoo.osv.expression.parse, with that module's globals; these
# are the same values, so that this module also reads (and imports) on its own.
FALSE_DOMAIN = [(0, "=", 1)]
AND_OPERATOR = "&"
OR_OPERATOR = "|"


def _parse_closure(context):
    """Stands for ``expression.parse``: compiles the two functions as nested functions whose only
    free variable is ``context``, as they are in Odoo's ``parse``."""

    def child_of_domain(left, ids, left_model, parent=None, prefix=''):
        """ Return a domain implementing the child_of operator for [(left,child_of,ids)],
            either as a range using the parent_left/right tree lookup fields
            (when available), or as an expanded [(left,in,child_ids)] """
        if not ids:
            return FALSE_DOMAIN
        if left_model._parent_store and (not left_model.pool._init) and (not context.get('defer_parent_store_computation')):
            doms = []
            for rec in left_model.browse(ids):
                if doms:
                    doms.insert(0, OR_OPERATOR)
                doms += [AND_OPERATOR, ('parent_left', '<', rec.parent_right), ('parent_left', '>=', rec.parent_left)]
            if prefix:
                return [(left, 'in', left_model.search(doms).ids)]
            return doms
        parent_name = parent or left_model._parent_name
        child_ids = set(ids)
        while ids:
            # b2b_compat: only the children not seen yet are searched in turn (Odoo 11 searched all
            # it found, so a record that is its own parent was searched again without end)
            ids = [child_id for child_id in left_model.search([(parent_name, 'in', ids)]).ids
                   if child_id not in child_ids]
            child_ids.update(ids)
        return [(left, 'in', list(child_ids))]

    def parent_of_domain(left, ids, left_model, parent=None, prefix=''):
        """ Return a domain implementing the parent_of operator for [(left,parent_of,ids)],
            either as a range using the parent_left/right tree lookup fields
            (when available), or as an expanded [(left,in,parent_ids)] """
        if left_model._parent_store and (not left_model.pool._init) and (not context.get('defer_parent_store_computation')):
            doms = []
            for rec in left_model.browse(ids):
                if doms:
                    doms.insert(0, OR_OPERATOR)
                doms += [AND_OPERATOR, ('parent_right', '>', rec.parent_left), ('parent_left', '<=', rec.parent_left)]
            if prefix:
                return [(left, 'in', left_model.search(doms).ids)]
            return doms
        parent_name = parent or left_model._parent_name
        parent_ids = set()
        for record in left_model.browse(ids):
            # b2b_compat: the walk up stops at a record already seen (its parents are in already)
            while record and record.id not in parent_ids:
                parent_ids.add(record.id)
                record = record[parent_name]
        return [(left, 'in', list(parent_ids))]

    return child_of_domain, parent_of_domain


HIERARCHY_FUNCTIONS = ("child_of_domain", "parent_of_domain")


def fixed_code_objects():
    """{name: code object} of the two functions above."""
    return {const.co_name: const for const in _parse_closure.__code__.co_consts
            if isinstance(const, types.CodeType) and const.co_name in HIERARCHY_FUNCTIONS}


def patch_expression_hierarchy(module):
    """Infinite loop (the worker spins until limit_time_cpu) on ``child_of`` / ``parent_of`` over a
    many-to-one that points back at the record itself, e.g. ``[('commercial_partner_id', 'child_of',
    company_id)]`` on res.partner.

    ``expression.parse`` gets the code of the two functions above in place of its nested
    ``child_of_domain`` and ``parent_of_domain``; Odoo's code of ``parse`` stays on the function as
    ``_b2b_odoo_code``. Refuses (RuntimeError) an Odoo whose ``parse`` does not nest both functions
    with ``context`` as their only free variable."""
    parse = module.expression.parse
    if getattr(parse, "_b2b_odoo_code", None) is not None:
        return
    code = parse.__code__
    fixed = fixed_code_objects()
    consts, replaced = [], set()
    for const in code.co_consts:
        if isinstance(const, types.CodeType) and const.co_name in fixed:
            new = fixed[const.co_name]
            if const.co_freevars != new.co_freevars:
                raise RuntimeError("odoo.osv.expression.parse: %s has free variables %r, the "
                                   "compatibility layer's %r" % (const.co_name, const.co_freevars,
                                                                new.co_freevars))
            const = new.replace(co_qualname=const.co_qualname)
            replaced.add(const.co_name)
        consts.append(const)
    if replaced != set(fixed):
        raise RuntimeError("odoo.osv.expression.parse does not nest %s"
                           % ", ".join(sorted(set(fixed) - replaced)))
    parse._b2b_odoo_code = code
    parse.__code__ = code.replace(co_consts=tuple(consts))
