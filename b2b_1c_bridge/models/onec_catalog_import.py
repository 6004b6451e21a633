"""Import of 1C's catalog: groups, goods, price types, prices and stock flags.

Fast for tens of thousands of goods: what is in the database is read once per file as maps keyed
by 1C id, each record of the file is compared with it, new records are inserted in batches, only
changed records are written (by SQL, in batches), and the caches depending on goods and prices
(b2b.cache.mixin) are cleared once at the end. A second import of the same files writes nothing.
A record that cannot be used is skipped and reported (``b2b.onec.exchange.file._onec_skip``) and
the rest of the file is imported; a reference the database does not know (a group, a property) is
left out of the record that names it, with a warning. With the supplier's strict setting the file is
refused whole after the reader, and the savepoint around the reader undoes what was written.
"""
import base64
import hashlib
import json
import logging
import os
from decimal import Decimal

from psycopg2.extras import execute_values

from odoo import api, fields, models

from odoo.addons.b2b_base.tools.bulk import insert_rows, update_rows

from ..lib import cml_catalog as cml
from ..lib import okei

_logger = logging.getLogger(__name__)

ROOT_CATEGORY_ID = "1C"     # the 1C id of the category holding every 1C group
BATCH = 2000
SKIP_BATCH = 500        # skipped records are stored as warnings this many at a time
IMAGE_MAX = 20 * 1024 * 1024
CENT = Decimal("0.01")
MILLI = Decimal("0.001")

CURRENCY_ALIASES = {"руб": "RUB", "руб.": "RUB", "рубль": "RUB", "rur": "RUB", "643": "RUB",
                    "usd": "USD", "840": "USD", "eur": "EUR", "978": "EUR"}


def _milli(value):
    """A quantity as the stock table keeps it (3 decimals)."""
    return Decimal(value if not isinstance(value, float) else repr(value)).quantize(MILLI)


def _cents(value):
    return int((Decimal(value) if not isinstance(value, Decimal) else value).quantize(CENT) * 100) \
        if not isinstance(value, float) else int(round(value * 100))


class OnecCatalogImport(models.AbstractModel):
    """The readers of catalog files (called by b2b.onec.exchange.file, see its importers)."""

    _name = "b2b.onec.catalog.import"
    _description = "1C catalog import"

    # ------------------------------------------------------------------ import.xml & co
    @api.model
    def _onec_read_catalog(self, exchange_file, path, info):
        """Groups, price types and goods of an import-like file."""
        job = _CatalogJob(self.env, exchange_file, path)
        job.run()
        return "success", job.note()

    @api.model
    def _onec_read_offers(self, exchange_file, path, info):
        """Price types, prices and stock of an offers-like file."""
        job = _OffersJob(self.env, exchange_file, path)
        job.run()
        return "success", job.note()


class _Job:
    """What both readers share: the file, the problems found, the counts, price types."""

    def __init__(self, env, exchange_file, path):
        self.env = env(context=dict(env.context, lang=None, tracking_disable=True,
                                    active_test=False))
        self.header = cml.FileHeader()
        self.cr = env.cr
        self.uid = env.uid
        self.file = exchange_file
        self.name = exchange_file.name
        self.path = path
        self.skipped = []           # problems not yet stored as warnings of the file
        self.counts = {}
        self.changes_only = False
        self.touched = set()        # models whose caches must be cleared

    def count(self, kind, what):
        self.counts.setdefault(kind, {"created": 0, "updated": 0, "unchanged": 0})[what] += 1

    def problem(self, template, line, field, **params):
        """Skip what a record says at ``field`` and warn (the record's other data may still be
        used: the caller decides)."""
        self.skip(cml.Problem(template, self.name, line, field, **params))

    def skip(self, problem):
        self.skipped.append(problem)
        if len(self.skipped) >= SKIP_BATCH:
            self.flush_skipped()

    def flush_skipped(self):
        if self.skipped:
            self.file._onec_skip(self.skipped)
            self.skipped = []

    def records(self, reader):
        for item in reader:
            if isinstance(item, cml.Problem):
                self.skip(item)
            elif isinstance(item, cml.FileHeader):
                self.header = item
            else:
                yield item
        self.changes_only = self.header.changes_only

    def finish(self):
        self.flush_skipped()
        totals = {"created": 0, "updated": 0, "unchanged": 0}
        for counts in self.counts.values():
            for key, value in counts.items():
                totals[key] += value
        self.file._onec_count(**totals)
        self.env.cache.invalidate()
        if self.touched:
            # rows were written by SQL: the whole-catalog price tables (b2b.cache.mixin) are
            # renewed once for the file; Odoo's cache signalling tells the other workers
            self.env["b2b.price"].clear_caches()
            self.warm_precisions()

    def warm_precisions(self):
        """Read the decimal precisions back into Odoo's cache on this cursor right after a cache
        clear: a float field reads a missing precision through a cursor of its own, which inside
        the reader's savepoint (under the test suite's shared cursor) would end the savepoint."""
        Precision = self.env["decimal.precision"]
        for name in Precision.search([]).mapped("name"):
            Precision.precision_get(name)

    def note(self):
        parts = []
        for kind, counts in self.counts.items():
            parts.append("%s: %d created, %d updated, %d unchanged" % (
                kind, counts["created"], counts["updated"], counts["unchanged"]))
        if self.changes_only:
            parts.append("changes only")
        return "; ".join(parts)

    # ------------------------------------------------------------------ warehouses
    # in the offers package, and in the classifier of import.xml
    def load_warehouses(self):
        self.cr.execute("SELECT b2b_onec_id, id, name FROM b2b_warehouse "
                        "WHERE b2b_onec_id IS NOT NULL")
        self.warehouses = {row[0]: [row[1], row[2]] for row in self.cr.fetchall()}

    def warehouse(self, record, count=True):
        """The id of the warehouse of 1C id ``record.id``, created or renamed as the file says."""
        Warehouse = self.env["b2b.warehouse"]
        existing = self.warehouses.get(record.id)
        if existing is None:
            created = Warehouse.create({"name": record.name, "b2b_onec_id": record.id})
            self.warehouses[record.id] = existing = [created.id, record.name]
            self.count("warehouses", "created")
        elif not count:
            return existing[0]
        elif existing[1] != record.name:
            Warehouse.browse(existing[0]).write({"name": record.name})
            existing[1] = record.name
            self.count("warehouses", "updated")
        else:
            self.count("warehouses", "unchanged")
        return existing[0]

    # price types are in offers.xml, and in the classifier of newer import.xml
    def load_price_types(self):
        self.cr.execute("SELECT b2b_onec_id, id, name, currency_id, vat_included FROM b2b_price_type "
                        "WHERE b2b_onec_id IS NOT NULL")
        self.price_types = {row[0]: row[1:] for row in self.cr.fetchall()}

    def currency(self, code, line, field):
        key = (code or "").strip()
        if not key:
            return self.env.user.company_id.currency_id.id
        cache = self.__dict__.setdefault("_currencies", {})
        if key not in cache:
            name = CURRENCY_ALIASES.get(key.lower(), key.upper())
            cache[key] = self.env["res.currency"].search([("name", "=", name)], limit=1).id
        if not cache[key]:
            self.problem(cml.MSG_UNKNOWN_CURRENCY, line, field, value=key)
        return cache[key]

    def price_type(self, record):
        currency = self.currency(record.currency, record.line, "ТипЦены/Валюта")
        if not currency:
            return
        existing = self.price_types.get(record.id)
        PriceType = self.env["b2b.price.type"]
        if existing is None:
            vals = {"b2b_onec_id": record.id, "name": record.name, "currency_id": currency}
            if record.vat_included is not None:
                vals["vat_included"] = record.vat_included
            created = PriceType.create(vals)
            self.price_types[record.id] = (created.id, record.name, currency,
                                           vals.get("vat_included", True))
            self.count("price types", "created")
            return
        type_id, name, currency_id, vat = existing
        vals = {}
        if name != record.name:
            vals["name"] = record.name
        if currency_id != currency:
            vals["currency_id"] = currency
        if record.vat_included is not None and bool(vat) != record.vat_included:
            vals["vat_included"] = record.vat_included
        if vals:
            PriceType.browse(type_id).write(vals)
            self.cr.execute("DELETE FROM ir_translation WHERE name = 'b2b.price.type,name' "
                            "AND type = 'model' AND res_id = %s", (type_id,))
            self.price_types[record.id] = (type_id, record.name, currency,
                                           vals.get("vat_included", vat))
            self.count("price types", "updated")
        else:
            self.count("price types", "unchanged")


class _CatalogJob(_Job):

    def run(self):
        self.load_price_types()
        self.load_categories()
        self.load_goods()
        self.load_variants()
        self.load_warehouses()
        self.load_properties()
        self.units = {}
        batch = []
        for record in self.records(cml.read_catalog(self.path, self.name)):
            if isinstance(record, cml.Product):
                batch.append(record)
                if len(batch) >= BATCH:
                    self.goods(batch)
                    batch = []
            elif isinstance(record, cml.Group):
                self.group(record)
            elif isinstance(record, cml.PriceType):
                self.price_type(record)
            elif isinstance(record, cml.Property):
                self.take_property(record)
            elif isinstance(record, cml.Unit):
                self.take_unit(record)
            elif isinstance(record, cml.Warehouse):
                self.warehouse(record)
        self.goods(batch)
        self.mark_listed()
        self.finish()

    def mark_listed(self):
        """A full catalog (not changes only), when the supplier archives the goods 1C leaves
        out: mark the goods it lists with the exchange session, one query, so that 1C's
        deactivate call at the end of the exchange finds those it did not list, over all the
        catalog files of the exchange (b2b.onec.exchange.session._deactivate)."""
        if self.changes_only or not self.listed:
            return
        session = self.file.session_id
        if not session or not session._settings()["deactivate_missing"]:
            return
        template_ids = [self.goods_map[one_c_id][0] for one_c_id in self.listed
                        if one_c_id in self.goods_map]
        self.cr.execute("""
            UPDATE product_template SET b2b_onec_seen_session_id = %s
             WHERE id = ANY(%s) AND b2b_onec_seen_session_id IS DISTINCT FROM %s""",
                        (session.id, template_ids, session.id))

    # ------------------------------------------------------------------ groups
    def load_categories(self):
        self.cr.execute("SELECT b2b_onec_id, id, name, parent_id FROM product_category "
                        "WHERE b2b_onec_id IS NOT NULL")
        self.categories = {row[0]: list(row[1:]) for row in self.cr.fetchall()}
        if ROOT_CATEGORY_ID not in self.categories:
            root = self.env["product.category"].create({"name": "1C",
                                                        "b2b_onec_id": ROOT_CATEGORY_ID})
            self.categories[ROOT_CATEGORY_ID] = [root.id, "1C", False]
        self.root_category = self.categories[ROOT_CATEGORY_ID][0]

    def group(self, record):
        parent = self.root_category
        if record.parent_id:
            parent = self.categories[record.parent_id][0]   # parents come first in the file
        Category = self.env["product.category"]
        existing = self.categories.get(record.id)
        if existing is None:
            created = Category.create({"name": record.name, "parent_id": parent,
                                       "b2b_onec_id": record.id})
            self.categories[record.id] = [created.id, record.name, parent]
            self.count("groups", "created")
            return
        category_id, name, parent_id = existing
        if (name, parent_id or False) == (record.name, parent):
            self.count("groups", "unchanged")
            return
        Category.browse(category_id).write({"name": record.name, "parent_id": parent})
        self.cr.execute("DELETE FROM ir_translation WHERE name = 'product.category,name' "
                        "AND type = 'model' AND res_id = %s", (category_id,))
        existing[1:] = [record.name, parent]
        self.count("groups", "updated")

    # ------------------------------------------------------------------ goods
    def load_goods(self):
        cr = self.cr
        cr.execute("""
            SELECT t.b2b_onec_id, t.id, t.name, t.categ_id, t.uom_id, t.description, t.active,
                   t.type, v.id, v.default_code, v.active, t.b2b_onec_image_hash
              FROM product_template t
              LEFT JOIN LATERAL (SELECT p.id, p.default_code, p.active FROM product_product p
                                  WHERE p.product_tmpl_id = t.id AND p.b2b_onec_variant_id IS NULL
                                  ORDER BY p.id LIMIT 1) v ON true
             WHERE t.b2b_onec_id IS NOT NULL""")
        self.goods_map = {row[0]: row[1:] for row in cr.fetchall()}
        self.listed = set()         # 1C ids of the goods the file lists

    def unit(self, record):
        """The unit of measure of a product; units are looked up once per file."""
        unit = record.unit
        if unit is None:
            return self.env.ref("product.product_uom_unit").id
        if unit not in self.units:
            self.units[unit] = self._find_unit(unit)
        return self.units[unit]

    def take_unit(self, unit):
        """A unit of the classifier (CommerceML 3's ЕдиницыИзмерения): found or created now, with
        its OKEI code, so that goods naming it by that code get it, in this file or a later one."""
        if unit not in self.units:
            self.units[unit] = self._find_unit(unit)

    def _find_unit(self, unit):
        """By the OKEI code stored on a unit, then by name (1C's names, then the classifier's,
        in English or Russian), then Odoo's own unit of that code; else a new unit. Never none."""
        Uom = self.env["product.uom"].sudo()
        code = okei.normal_code(unit.code)
        if code:
            found = Uom.search([("b2b_onec_okei_code", "=", code)], limit=1)
            if found:
                return found.id
        names = [name for name in (unit.name, unit.full_name, unit.intl) if name]
        known = okei.lookup(code, names)
        if known:
            code = code or known.code
            names += [known.short, known.full]
        for name in names:
            # a unit the supplier created under 1C's name wins (any language)
            found = Uom.search([("name", "=ilike", name)], limit=1)
            if not found:
                found = Uom.with_context(lang="ru_RU").search([("name", "=ilike", name)], limit=1)
            if found:
                return self._stamp_unit(found, code)
        if known and known.xmlid:
            found = self.env.ref(known.xmlid, raise_if_not_found=False)
            if found:
                return self._stamp_unit(found.sudo(), code)
        return self._create_unit(unit, code, known)

    def _stamp_unit(self, uom, code):
        """Keep 1C's code on the unit found by name, so the next file finds it by code."""
        if code and not uom.b2b_onec_okei_code:
            uom.write({"b2b_onec_okei_code": code})
        return uom.id

    def _create_unit(self, unit, code, known):
        """A unit of the classifier in its category with its ratio; a unit the classifier does
        not know in the Unit category, as big as one piece, under 1C's name."""
        Uom = self.env["product.uom"].sudo()
        if known:
            name, category, ratio = known.short, known.category, known.ratio
        else:
            name = unit.name or unit.full_name or unit.intl or code
            category, ratio = okei.UNIT, 1
        category_id = self._unit_category(category)
        vals = {"name": name[:cml.TEXT_MAX], "category_id": category_id,
                "b2b_onec_okei_code": code or False}
        has_reference = Uom.with_context(active_test=False).search_count(
            [("category_id", "=", category_id), ("uom_type", "=", "reference")])
        if not has_reference and ratio == 1:
            vals.update(uom_type="reference", factor=1)
        elif ratio >= 1:
            vals.update(uom_type="bigger", factor_inv=ratio)
        else:
            vals.update(uom_type="smaller", factor=1 / ratio)
        created = Uom.create(vals)
        if known and self.env["res.lang"].search_count([("code", "=", "ru_RU")]):
            created.with_context(lang="ru_RU").write({"name": known.short})
        self.count("units", "created")
        _logger.info("1C unit %s (%s) created as %s", name, code, created.name)
        return created.id

    def _unit_category(self, category):
        xmlid = okei.CATEGORY_XMLIDS.get(category)
        found = self.env.ref(xmlid, raise_if_not_found=False) if xmlid else None
        if found:
            return found.id
        Category = self.env["product.uom.categ"].sudo()
        found = Category.search([("name", "=ilike", category)], limit=1)
        if not found:
            found = Category.with_context(lang="ru_RU").search(
                [("name", "=ilike", okei.CATEGORY_RUSSIAN.get(category, category))], limit=1)
        return found.id if found else Category.create({"name": category}).id

    def category(self, record):
        """The category of the product's first group; a group neither in the file nor imported
        before is warned and the product goes to the 1C root category."""
        for group_id in record.group_ids[:1]:
            if group_id not in self.categories:
                self.problem(cml.MSG_UNKNOWN_GROUP, record.line, "Товар/Группы/Ид", value=group_id)
                return self.root_category
            return self.categories[group_id][0]
        return self.root_category

    def goods(self, batch):
        if not batch:
            return
        new, template_rows, variant_rows, renamed, images = [], [], [], [], []
        properties, characteristics = [], []
        for record in batch:
            if "#" in record.id:
                characteristics.append(record)
                continue
            uom = self.unit(record)
            categ = self.category(record)
            self.listed.add(record.id)
            kind = "service" if (record.requisites.get("ТипНоменклатуры")
                                 or record.requisites.get("ВидНоменклатуры", "")).lower() \
                == "услуга" else "product"
            sku = record.sku or None
            description = record.description or None
            active = not record.archived
            if record.id in self.pending:
                continue    # twice in one batch: created once
            if record.images:
                images.append(record)
            if record.properties is not None:
                properties.append((record.id, self.property_values(record)))
            existing = self.goods_map.get(record.id)
            if existing is None:
                new.append(record)
                self.pending[record.id] = (uom, categ, kind)
                self.count("goods", "created")
                continue
            (tmpl_id, name, categ_id, uom_id, old_description, old_active, old_kind,
             variant_id, old_sku, variant_active, _hash) = existing
            changed = False
            if (name, categ_id, uom_id, old_description or None, old_active, old_kind) != (
                    record.name, categ, uom, description, active, kind):
                template_rows.append((tmpl_id, record.name, categ, uom, uom, description, active,
                                      kind, sku))
                if name != record.name or (old_description or None) != description:
                    renamed.append(tmpl_id)
                changed = True
            # the product's own variant is not for sale beside its characteristics
            base_active = active and tmpl_id not in self.with_characteristics
            if variant_id and ((old_sku or None, variant_active) != (sku, base_active)):
                variant_rows.append((variant_id, sku, base_active))
                if not changed:
                    template_rows.append((tmpl_id, record.name, categ, uom, uom, description,
                                          active, kind, sku))
                changed = True
            if changed:
                self.goods_map[record.id] = (tmpl_id, record.name, categ, uom, description,
                                             active, kind, variant_id, sku, base_active, _hash)
            self.count("goods", "updated" if changed else "unchanged")
        self.create_goods(new)
        cr = self.cr
        # the goods' VAT rates 1C gives (the others keep theirs: the standard one when new)
        rates = [(record.id, record.vat_rate) for record in batch
                 if record.vat_rate is not None and "#" not in record.id]
        if rates:
            execute_values(cr, "UPDATE product_template t SET b2b_vat_rate = v.rate "
                               "FROM (VALUES %s) v(onec_id, rate) WHERE t.b2b_onec_id = v.onec_id "
                               "AND t.b2b_vat_rate IS DISTINCT FROM v.rate::numeric", rates)
        update_rows(cr, "product_template", ["name", "categ_id", "uom_id", "uom_po_id",
                                              "description", "active", "type", "default_code"],
                     template_rows, ["varchar", "int", "int", "int", "text", "bool", "varchar",
                                     "varchar"], self.uid)
        update_rows(cr, "product_product", ["default_code", "active"], variant_rows,
                     ["varchar", "bool"], self.uid)
        if renamed:
            # the 1C text is the source value; a translation made earlier would hide the change
            cr.execute("DELETE FROM ir_translation WHERE type = 'model' AND res_id = ANY(%s) "
                       "AND name IN ('product.template,name', 'product.template,description')",
                       (renamed,))
        if template_rows or variant_rows or new:
            self.touched.add("product.template")
        self.write_images(images)
        self.write_property_values(properties)
        self.characteristic_goods(characteristics)

    # ------------------------------------------------------------------ characteristics
    def load_variants(self):
        """The variants made from 1C's characteristics: {1C id: [id, template id, SKU, active]}."""
        self.cr.execute("SELECT b2b_onec_variant_id, id, product_tmpl_id, default_code, active "
                        "FROM product_product WHERE b2b_onec_variant_id IS NOT NULL")
        self.variants = {row[0]: list(row[1:]) for row in self.cr.fetchall()}
        self.with_characteristics = {row[1] for row in self.variants.values()}
        self.attributes = None      # ({name: id}, {(attribute id, value): id}), when needed

    def characteristic_goods(self, records):
        """Goods sent one per characteristic (``Ид`` = ``product#characteristic``): variants of
        the product before ``#``, with the attribute values of their ХарактеристикиТовара. A
        product 1C did not send on its own is made from its first characteristic, named
        without the characteristic's suffix. The product's own variant is archived: only its
        characteristics are for sale."""
        if not records:
            return
        bases, seen = [], set()
        for record in records:
            base_id = record.id.partition("#")[0]
            if base_id not in self.goods_map and base_id not in seen:
                seen.add(base_id)
                bases.append(record._replace(
                    id=base_id, characteristics=(),
                    name=cml.base_name(record.name, record.characteristics)))
        self.goods(bases)
        new, changed, links = [], [], {}
        for record in records:
            base_id = record.id.partition("#")[0]
            self.listed.add(base_id)
            tmpl_id = self.goods_map[base_id][0]
            self.with_characteristics.add(tmpl_id)
            sku, active = record.sku or None, not record.archived
            existing = self.variants.get(record.id)
            if existing is None:
                new.append(record)
                self.variants[record.id] = [None, tmpl_id, sku, active]
                self.count("variants", "created")
            elif existing[1:] != [tmpl_id, sku, active]:
                changed.append((existing[0], tmpl_id, sku, active))
                existing[1:] = [tmpl_id, sku, active]
                self.count("variants", "updated")
            else:
                self.count("variants", "unchanged")
            links[record.id] = self.attribute_values(record.characteristics)
        if new:
            ids = insert_rows(self.env["product.product"], [
                {"product_tmpl_id": self.variants[r.id][1], "b2b_onec_variant_id": r.id,
                 "default_code": r.sku or None, "active": not r.archived} for r in new],
                known={"activity_date_deadline": None})
            for record, variant_id in zip(new, ids):
                self.variants[record.id][0] = variant_id
        update_rows(self.cr, "product_product", ["product_tmpl_id", "default_code", "active"],
                     changed, ["int", "varchar", "bool"], self.uid)
        self.write_attribute_values({self.variants[one_c_id][0]: wanted
                                     for one_c_id, wanted in links.items()})
        templates = sorted({self.variants[r.id][1] for r in records})
        self.cr.execute("UPDATE product_product SET active = false WHERE product_tmpl_id = ANY(%s)"
                        " AND b2b_onec_variant_id IS NULL AND active", (templates,))
        self.touched.add("product.product")

    def attribute_values(self, characteristics):
        """[(attribute id, value id)] of ``characteristics`` [(name, value)]: attributes and
        their values are found by name (any letter case) or created."""
        if self.attributes is None:
            self.cr.execute("SELECT lower(name), id FROM product_attribute")
            names = dict(self.cr.fetchall())
            self.cr.execute("SELECT attribute_id, lower(name), id FROM product_attribute_value")
            self.attributes = (names, {(a, v): i for a, v, i in self.cr.fetchall()})
        names, values = self.attributes
        found = []
        for name, value in characteristics:
            attribute_id = names.get(name.lower())
            if attribute_id is None:
                attribute_id = self.env["product.attribute"].create({"name": name}).id
                names[name.lower()] = attribute_id
            value_id = values.get((attribute_id, value.lower()))
            if value_id is None:
                value_id = self.env["product.attribute.value"].create(
                    {"attribute_id": attribute_id, "name": value}).id
                values[(attribute_id, value.lower())] = value_id
            found.append((attribute_id, value_id))
        return found

    def write_attribute_values(self, wanted):
        """Give the variants {variant id: [(attribute id, value id)]} exactly these values, and
        their products the attribute lines listing them; only what differs is written."""
        if not wanted:
            return
        cr = self.cr
        cr.execute("SELECT product_product_id, product_attribute_value_id "
                   "FROM product_attribute_value_product_product_rel "
                   "WHERE product_product_id = ANY(%s)", (list(wanted),))
        stored = {}
        for variant_id, value_id in cr.fetchall():
            stored.setdefault(variant_id, set()).add(value_id)
        inserts, deletes = [], []
        for variant_id, pairs in wanted.items():
            values = {value_id for _attribute, value_id in pairs}
            old = stored.get(variant_id, set())
            inserts += [(variant_id, value_id) for value_id in values - old]
            deletes += [(variant_id, value_id) for value_id in old - values]
        if deletes:
            execute_values(cr, "DELETE FROM product_attribute_value_product_product_rel AS r "
                               "USING (VALUES %s) AS v(p, a) WHERE r.product_product_id = v.p "
                               "AND r.product_attribute_value_id = v.a", deletes,
                           template="(%s::int, %s::int)")
        if inserts:
            execute_values(cr, "INSERT INTO product_attribute_value_product_product_rel "
                               "(product_product_id, product_attribute_value_id) VALUES %s",
                           inserts)
        # the attribute lines of the products: each attribute with the values its variants have
        cr.execute("SELECT id, product_tmpl_id FROM product_product WHERE id = ANY(%s)",
                   (list(wanted),))
        template_of = dict(cr.fetchall())
        lines_wanted = {}
        for variant_id, pairs in wanted.items():
            for attribute_id, value_id in pairs:
                lines_wanted.setdefault((template_of[variant_id], attribute_id), set()).add(
                    value_id)
        cr.execute("SELECT l.product_tmpl_id, l.attribute_id, l.id, r.product_attribute_value_id "
                   "FROM product_attribute_line l LEFT JOIN "
                   "product_attribute_line_product_attribute_value_rel r "
                   "ON r.product_attribute_line_id = l.id WHERE l.product_tmpl_id = ANY(%s)",
                   (sorted({t for t, _a in lines_wanted}),))
        lines, line_values = {}, {}
        for tmpl_id, attribute_id, line_id, value_id in cr.fetchall():
            lines[(tmpl_id, attribute_id)] = line_id
            if value_id:
                line_values.setdefault(line_id, set()).add(value_id)
        # new lines created by SQL, all in one query: Odoo's own variant generation must not
        # run on 1C's products
        new_keys = sorted(key for key in lines_wanted if key not in lines)
        new_ids = insert_rows(self.env["product.attribute.line"], [
            {"product_tmpl_id": tmpl_id, "attribute_id": attribute_id}
            for tmpl_id, attribute_id in new_keys])
        lines.update(zip(new_keys, new_ids))
        links = []
        for key, values in sorted(lines_wanted.items()):
            line_id = lines[key]
            links += [(line_id, value_id)
                      for value_id in sorted(values - line_values.get(line_id, set()))]
        if links:
            execute_values(cr, "INSERT INTO product_attribute_line_product_attribute_value_rel"
                               " (product_attribute_line_id, product_attribute_value_id) "
                               "VALUES %s", links)

    # ------------------------------------------------------------------ properties
    def load_properties(self):
        self.cr.execute("SELECT b2b_onec_id, id, name, b2b_onec_options, sequence "
                        "FROM b2b_product_property WHERE b2b_onec_id IS NOT NULL")
        self.properties = {}
        for one_c_id, prop_id, name, options, sequence in self.cr.fetchall():
            try:
                options = json.loads(options) if options else {}
            except ValueError:
                options = {}
            self.properties[one_c_id] = [prop_id, name, options, sequence]
        self._values = None     # {template id: {property id: (value id, value)}}, when needed

    def take_property(self, record):
        options = json.dumps(record.options, ensure_ascii=False, sort_keys=True) \
            if record.options else None
        Property = self.env["b2b.product.property"]
        existing = self.properties.get(record.id)
        if existing is None:
            # new properties follow 1C's order, after those already known
            created = Property.create({"name": record.name, "b2b_onec_id": record.id,
                                       "b2b_onec_options": options,
                                       "sequence": 10 + len(self.properties)})
            self.properties[record.id] = [created.id, record.name, record.options or {},
                                          created.sequence]
            self.count("properties", "created")
            return
        prop_id, name, old_options, _sequence = existing
        if name == record.name and (old_options or {}) == (record.options or {}):
            self.count("properties", "unchanged")
            return
        Property.browse(prop_id).write({"name": record.name, "b2b_onec_options": options})
        existing[1:3] = [record.name, record.options or {}]
        self.count("properties", "updated")

    def property_values(self, record):
        """{property id: text} the file gives the product (values named by id are looked up in
        the property's list; several values are joined); a property neither in the file nor
        imported before is warned and left out."""
        values = {}
        for one_c_id, raw_values in record.properties.items():
            entry = self.properties.get(one_c_id)
            if entry is None:
                self.problem(cml.MSG_UNKNOWN_PROPERTY, record.line,
                             "Товар/ЗначенияСвойств/ЗначенияСвойства/Ид", value=one_c_id)
                continue
            options = entry[2]
            texts = [options.get(raw, raw) for raw in raw_values]
            text = ", ".join(t for t in texts if t)[:cml.TEXT_MAX]
            if text:
                values[entry[0]] = text
        return values

    def write_property_values(self, products):
        """Store the products' property values: only what differs is written."""
        if not products:
            return
        cr = self.cr
        if self._values is None:
            self._values = {}
            cr.execute("SELECT product_tmpl_id, property_id, id, value "
                       "FROM b2b_product_property_value")
            for tmpl_id, prop_id, value_id, value in cr.fetchall():
                self._values.setdefault(tmpl_id, {})[prop_id] = (value_id, value)
        sequences = {entry[0]: entry[3] for entry in self.properties.values()}
        inserts, updates, deletes = [], [], []
        for record_id, wanted in products:
            tmpl_id = self.goods_map[record_id][0]
            stored = self._values.setdefault(tmpl_id, {})
            for prop_id, text in wanted.items():
                old = stored.get(prop_id)
                if old is None:
                    inserts.append((tmpl_id, prop_id, text, sequences.get(prop_id) or 0))
                    self.count("property values", "created")
                elif old[1] != text:
                    updates.append((old[0], text))
                    stored[prop_id] = (old[0], text)
                    self.count("property values", "updated")
                else:
                    self.count("property values", "unchanged")
            for prop_id in [p for p in stored if p not in wanted]:
                deletes.append(stored.pop(prop_id)[0])
                self.count("property values", "updated")
        uid = self.uid
        new_ids = insert_rows(self.env["b2b.product.property.value"], [
            {"product_tmpl_id": tmpl_id, "property_id": prop_id, "value": value,
             "property_sequence": sequence} for tmpl_id, prop_id, value, sequence in inserts])
        for (tmpl_id, prop_id, value, _sequence), value_id in zip(inserts, new_ids):
            self._values[tmpl_id][prop_id] = (value_id, value)
        update_rows(cr, "b2b_product_property_value", ["value"], updates, ["varchar"], uid)
        if deletes:
            cr.execute("DELETE FROM b2b_product_property_value WHERE id = ANY(%s)", (deletes,))

    @property
    def pending(self):
        return self.__dict__.setdefault("_pending", {})

    def create_goods(self, records):
        if not records:
            return
        Template = self.env["product.template"]
        vals_list = []
        for record in records:
            uom, categ, kind = self.pending.pop(record.id)
            vals_list.append({
                "b2b_onec_id": record.id, "name": record.name, "categ_id": categ,
                "uom_id": uom, "uom_po_id": uom, "type": kind,
                "description": record.description or None, "active": not record.archived,
                "sale_ok": True, "default_code": record.sku or None,
            })
        template_ids = insert_rows(Template, vals_list, known={
            "b2b_exclusive": False, "volume": 0.0, "weight": 0.0,
            "activity_date_deadline": None})
        variant_ids = insert_rows(self.env["product.product"], [
            {"product_tmpl_id": tmpl_id, "default_code": vals["default_code"],
             "active": vals["active"]}
            for tmpl_id, vals in zip(template_ids, vals_list)], known={
            "activity_date_deadline": None})
        for tmpl_id, variant_id, vals in zip(template_ids, variant_ids, vals_list):
            self.goods_map[vals["b2b_onec_id"]] = (
                tmpl_id, vals["name"], vals["categ_id"], vals["uom_id"], vals["description"],
                vals["active"], vals["type"], variant_id, vals["default_code"], vals["active"],
                None)

    def write_images(self, records):
        base = os.path.realpath(os.path.dirname(self.path))
        for record in records:
            target = os.path.realpath(os.path.join(base, *record.images[0].split("/")))
            if not target.startswith(base + os.sep) or not os.path.isfile(target) \
                    or os.path.getsize(target) > IMAGE_MAX:
                continue    # 1C leaves out pictures it sent before; kept as they are
            with open(target, "rb") as fh:
                data = fh.read()
            digest = hashlib.sha1(data).hexdigest()
            entry = self.goods_map[record.id]
            if entry[10] == digest:
                continue
            template = self.env["product.template"].browse(entry[0])
            template.write({"image": base64.b64encode(data), "b2b_onec_image_hash": digest})
            self.warm_precisions()      # the write cleared the caches (b2b.cache.mixin)
            self.goods_map[record.id] = entry[:10] + (digest,)


class _OffersJob(_Job):
    """Price types, prices and stock of an offers-like file, record by record: what cannot be
    used is skipped and reported with the file's warnings (``exchange_file._onec_skip``) — an
    offer of goods the catalog does not know (left out of 1C's catalog, or sent by an earlier
    exchange that failed), a price of an unknown price type or currency, a number that is not
    one — and the rest of the file is imported. A price 1C left empty ("price on request")
    removes the product's price of that type. Goods the file does not name are not touched.

    Stock: an offer's quantities replace the stock of its product (b2b.product.stock: one row
    per warehouse it names, or one row without a warehouse for a plain ``Количество``); an
    offer without any leaves it as it is. The availability of each product whose stock the
    file gave is then the sum over its variants' rows: more than zero *In stock*, else *On
    order*. Warehouses come with ``Склады``; one a quantity names before any ``Склады`` said
    its name is created under its 1C id (a later ``Склады`` renames it)."""

    def run(self):
        self.skipped_types = set()  # price types of this file that were skipped, with their prices
        self.load_price_types()
        cr = self.cr
        cr.execute("""SELECT t.b2b_onec_id, t.id, t.b2b_availability,
                             (SELECT min(p.id) FROM product_product p
                               WHERE p.product_tmpl_id = t.id AND p.b2b_onec_variant_id IS NULL)
                        FROM product_template t WHERE t.b2b_onec_id IS NOT NULL""")
        self.goods_map = {row[0]: row[1:] for row in cr.fetchall()}
        cr.execute("SELECT b2b_onec_variant_id, id FROM product_product "
                   "WHERE b2b_onec_variant_id IS NOT NULL")
        self.variants = dict(cr.fetchall())
        self.prices = None          # {(type id, product id): cents}, read at the first offer
        self.load_warehouses()
        self.stock = None           # {product id: {warehouse id or 0: [row id, quantity]}}
        self.stock_templates = set()    # templates whose stock the file gave
        self.new_stock, self.changed_stock, self.removed_stock = [], [], []
        self.new_prices, self.changed_prices, self.removed_prices = [], [], []
        self.pending = set()        # (type id, product id) of the prices waiting to be written
        for record in self.records(cml.read_offers(self.path, self.name)):
            if isinstance(record, cml.PriceType):
                self.price_type(record)
                if record.id not in self.price_types:
                    self.skipped_types.add(record.id)
            elif isinstance(record, cml.Warehouse):
                self.warehouse(record)
            else:
                self.offer(record)
            if len(self.new_prices) + len(self.changed_prices) >= BATCH * 5:
                self.flush_prices()
            if len(self.new_stock) + len(self.changed_stock) >= BATCH * 5:
                self.flush_stock()
        self.flush_prices()
        self.flush_stock()
        self.write_availability()
        self.finish()

    def load_prices(self):
        self.cr.execute("SELECT price_type_id, product_id, price FROM b2b_price")
        self.prices = {(row[0], row[1]): _cents(row[2]) for row in self.cr.fetchall()}

    def variant(self, record, tmpl_id, base_variant):
        if not record.characteristic_id:
            return base_variant
        if record.id not in self.variants:
            (variant_id,) = insert_rows(self.env["product.product"], [{
                "product_tmpl_id": tmpl_id, "b2b_onec_variant_id": record.id,
                "default_code": record.sku or None, "active": True}],
                known={"activity_date_deadline": None})
            self.variants[record.id] = variant_id
            self.touched.add("product.product")
        return self.variants[record.id]

    def offer(self, record):
        goods = self.goods_map.get(record.product_id)
        if goods is None:
            self.problem(cml.MSG_UNKNOWN_PRODUCT, record.line, "Предложение/Ид",
                         value=record.product_id)
            return
        resolved = []
        for price in record.prices:
            type_row = self.price_types.get(price.price_type_id)
            if type_row is None:
                if price.price_type_id not in self.skipped_types:   # else reported with the type
                    self.problem(cml.MSG_UNKNOWN_PRICE_TYPE, price.line, "Цена/ИдТипаЦены",
                                 value=price.price_type_id)
            elif not price.currency or self.currency(price.currency, price.line, "Цена/Валюта"):
                resolved.append((type_row[0], price.price))
        tmpl_id, _availability, base_variant = goods
        product_id = self.variant(record, tmpl_id, base_variant)
        if self.prices is None:
            self.load_prices()
        created = updated = False
        for type_id, value in resolved:
            key = (type_id, product_id)
            old = self.prices.get(key)
            if value is None:           # left empty in 1C: no price of this type
                if old is not None:
                    if key in self.pending:
                        self.flush_prices()
                    self.removed_prices.append(key)
                    del self.prices[key]
                    updated = True
                continue
            cents = _cents(value)
            if old is None:
                self.new_prices.append((product_id, type_id, value.quantize(CENT)))
                created = True
            elif old != cents:
                self.changed_prices.append((type_id, product_id, value.quantize(CENT)))
                updated = True
            else:
                continue
            self.prices[key] = cents
            self.pending.add(key)
        if record.quantity is not None:
            self.take_stock(record, product_id)
            self.stock_templates.add(tmpl_id)
        self.count("offers", "created" if created and not updated else
                   "updated" if created or updated else "unchanged")

    def flush_prices(self):
        """Write the prices waiting: removed ones first (a price removed and given again in the
        same batch is then inserted anew), then new and changed ones."""
        cr, uid = self.cr, self.uid
        if self.removed_prices:
            execute_values(cr, "DELETE FROM b2b_price AS p USING (VALUES %s) AS v(type_id, "
                           "product_id) WHERE p.price_type_id = v.type_id "
                           "AND p.product_id = v.product_id", self.removed_prices,
                           template="(%s::int, %s::int)", page_size=BATCH)
        insert_rows(self.env["b2b.price"], [
            {"product_id": product_id, "price_type_id": type_id, "price": price}
            for product_id, type_id, price in self.new_prices])
        if self.changed_prices:
            execute_values(cr, "UPDATE b2b_price AS p SET price = v.price, write_uid = %d, "
                           "write_date = (now() at time zone 'UTC') FROM (VALUES %%s) AS "
                           "v(type_id, product_id, price) WHERE p.price_type_id = v.type_id "
                           "AND p.product_id = v.product_id" % uid,
                           self.changed_prices, template="(%s::int, %s::int, %s::numeric)",
                           page_size=BATCH)
        if self.new_prices or self.changed_prices or self.removed_prices:
            self.touched.add("b2b.price")
        self.new_prices, self.changed_prices, self.removed_prices = [], [], []
        self.pending = set()

    # ------------------------------------------------------------------ stock
    def load_stock(self):
        self.cr.execute("SELECT product_id, COALESCE(warehouse_id, 0), id, quantity "
                        "FROM b2b_product_stock")
        self.stock = {}
        for product_id, warehouse_id, row_id, quantity in self.cr.fetchall():
            self.stock.setdefault(product_id, {})[warehouse_id] = [row_id, _milli(quantity)]

    def take_stock(self, record, product_id):
        """The offer's quantities become the product's stock rows: per warehouse it names, else
        one row without a warehouse; rows of warehouses it no longer names are removed."""
        if self.stock is None:
            self.load_stock()
        if record.stocks is None:
            wanted = {0: _milli(record.quantity)}
        else:
            wanted = {}
            for onec_id, quantity in record.stocks:
                warehouse_id = self.warehouse(cml.Warehouse(onec_id, onec_id, record.line),
                                              count=False)
                wanted[warehouse_id] = _milli(quantity)
        stored = self.stock.setdefault(product_id, {})
        if any(row[0] is None for row in stored.values()):
            self.flush_stock()      # the product came twice: its rows of this file get their ids
        for warehouse_id, quantity in wanted.items():
            row = stored.get(warehouse_id)
            if row is None:
                self.new_stock.append((product_id, warehouse_id or None, quantity))
                stored[warehouse_id] = [None, quantity]
            elif row[1] != quantity:
                self.changed_stock.append((row[0], quantity))
                row[1] = quantity
        for warehouse_id in [w for w in stored if w not in wanted]:
            self.removed_stock.append(stored.pop(warehouse_id)[0])

    def flush_stock(self):
        cr, uid = self.cr, self.uid
        if self.removed_stock:
            cr.execute("DELETE FROM b2b_product_stock WHERE id = ANY(%s)", (self.removed_stock,))
        new_ids = insert_rows(self.env["b2b.product.stock"], [
            {"product_id": product_id, "warehouse_id": warehouse_id, "quantity": quantity}
            for product_id, warehouse_id, quantity in self.new_stock])
        for (product_id, warehouse_id, _quantity), row_id in zip(self.new_stock, new_ids):
            self.stock[product_id][warehouse_id or 0][0] = row_id
        update_rows(cr, "b2b_product_stock", ["quantity"], self.changed_stock, ["numeric"], uid)
        self.new_stock, self.changed_stock, self.removed_stock = [], [], []

    def write_availability(self):
        """Each product whose stock the file gave is *In stock* when its variants hold more than
        zero in all, else *On order*."""
        if not self.stock_templates:
            return
        self.cr.execute("""SELECT pp.product_tmpl_id, sum(s.quantity) > 0
                             FROM b2b_product_stock s JOIN product_product pp ON pp.id = s.product_id
                            WHERE pp.product_tmpl_id = ANY(%s) GROUP BY pp.product_tmpl_id""",
                        (list(self.stock_templates),))
        in_stock = dict(self.cr.fetchall())
        rows = []
        for tmpl_id, availability, _variant in self.goods_map.values():
            if tmpl_id not in self.stock_templates:
                continue
            wanted = "in_stock" if in_stock.get(tmpl_id) else "on_order"
            if wanted != availability:
                rows.append((tmpl_id, wanted))
                self.count("stock flags", "updated")
            else:
                self.count("stock flags", "unchanged")
        update_rows(self.cr, "product_template", ["b2b_availability"], rows, ["varchar"],
                     self.uid)
        if rows:
            self.touched.add("product.template")
