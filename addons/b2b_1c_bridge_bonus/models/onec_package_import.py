from psycopg2 import IntegrityError

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.b2b_1c_bridge.lib import cml_packages as cml
from odoo.addons.b2b_1c_bridge.models.onec_package_import import _problem_text
from odoo.addons.b2b_bonus.lib import plans as plan_rules


class OnecPackageImport(models.AbstractModel):
    """The readers of the bonus packages from 1C (doc/exchange_contract.rst of b2b_1c_bridge):
    dealers' bonus balances, goods' bonus prices, monthly plans. Called like the bridge's own
    readers, inside the savepoint of their file."""

    _inherit = "b2b.onec.package.import"

    # ------------------------------------------------------------------ bonuses
    @api.model
    def _read_bonuses(self, exchange_file, path, info):
        counts = self._counts()
        Balance = self.env["b2b.bonus.balance"]
        for kind, values in cml.read_bonuses(path, exchange_file.name):
            if kind == "balance":
                dealer = self._dealer(values, "ИдКонтрагента", values["dealer_ref"])
                balance = Balance.search([("partner_id", "=", dealer.id)], limit=1)
                vals = {"partner_id": dealer.id, "points": values["points"],
                        "balance_date": fields.Date.to_string(values["date"])}
                if values["id"]:
                    other = Balance.search([("b2b_onec_id", "=", values["id"]),
                                            ("partner_id", "!=", dealer.id)], limit=1)
                    if other:
                        raise cml.refuse(values, cml.MSG_RECORD_REFUSED, "", values["id"], error=_(
                            "this 1C id is already the bonus balance of %s") % other.partner_id.name)
                    vals["b2b_onec_id"] = values["id"]
                self._save("b2b.bonus.balance", balance, vals, values, counts,
                           label=values["dealer_ref"])
            else:
                product = self._one("product.template", values["product_ref"], values, "Ид",
                                    cml.MSG_UNKNOWN_PRODUCT)
                self._save("product.template", product,
                           {"b2b_bonus_price": values["price"],
                            "b2b_bonus_only": values["bonus_only"]},
                           values, counts, label=values["product_ref"])
        return self._done(exchange_file, counts)

    # ------------------------------------------------------------------ monthly plans
    @api.model
    def _read_plans(self, exchange_file, path, info):
        counts = self._counts()
        Category = self.env["product.category"]
        categories_have_ids = "b2b_onec_id" in Category._fields
        for values in cml.read_plans(path, exchange_file.name):
            dealer = self._dealer(values, "ИдКонтрагента", values["dealer_ref"])
            lines = []
            for line in values["lines"]:
                product, category = self.env["product.template"], Category
                if line["product_ref"]:
                    product = self._one("product.template", line["product_ref"], line, "ИдТовара",
                                        cml.MSG_UNKNOWN_PRODUCT)
                elif categories_have_ids:
                    category = self._one("product.category", line["group_ref"], line, "ИдГруппы",
                                         cml.MSG_UNKNOWN_GROUP)
                lines.append({"product_tmpl_id": product.id or False,
                              "categ_id": category.id or False,
                              "group_onec_id": line["group_ref"] or False,
                              "group_name": line["group_name"] or category.name or False,
                              "qty_planned": line["qty"], "amount_planned": line["amount"]})
            plan = self._by_onec_id("b2b.bonus.plan", [values["id"]]).get(values["id"])
            vals = {"b2b_onec_id": values["id"], "partner_id": dealer.id,
                    "month": fields.Date.to_string(values["month"]),
                    "date_to": fields.Date.to_string(values.get("date_to")
                                                     or plan_rules.month_end(values["month"])),
                    "is_commitment": bool(values.get("commitment")),
                    "name": values["name"] or "%s %s" % (dealer.name,
                                                         values["month"].strftime("%m.%Y"))}
            if plan and plan._b2b_line_signature() == plan._b2b_line_signature(lines):
                self._save("b2b.bonus.plan", plan, vals, values, counts)
                continue
            if plan:
                vals["line_ids"] = [(5, 0, 0)] + [(0, 0, line) for line in lines]
                try:
                    plan.write(vals)
                except (ValidationError, UserError, IntegrityError) as exc:
                    raise cml.refuse(values, cml.MSG_RECORD_REFUSED, "", values["id"],
                                     error=_problem_text(exc)) from None
                counts["updated"] += 1
            else:
                vals["line_ids"] = [(0, 0, line) for line in lines]
                self._save("b2b.bonus.plan", plan, vals, values, counts)
        return self._done(exchange_file, counts)

