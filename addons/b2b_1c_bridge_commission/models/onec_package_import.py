from odoo import api, fields, models

from odoo.addons.b2b_1c_bridge.lib import cml_packages as cml


class OnecPackageImport(models.AbstractModel):
    """The reader of the consignment lists from 1C (doc/exchange_contract.rst of b2b_1c_bridge):
    the goods each commission contract holds, with their quantities handed over, sold and
    returned when 1C sends them. Called like the bridge's own readers, inside the savepoint of
    their file."""

    _inherit = "b2b.onec.package.import"

    # ------------------------------------------------------------------ consignment lists
    @api.model
    def _read_consignment(self, exchange_file, path, info):
        counts = self._counts()
        Line = self.env["b2b.consignment.line"]
        digits = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        for values in cml.read_consignment(path, exchange_file.name, digits=digits):
            contract = self._one("b2b.contract", values["contract_ref"], values, "ИдДоговора",
                                 cml.MSG_UNKNOWN_CONTRACT)
            products = self._by_onec_id("product.template", [g["product_ref"] for g in values["goods"]])
            existing = {line.product_id.id: line
                        for line in Line.search([("contract_id", "=", contract.id)])}
            kept = set()
            for good in values["goods"]:
                template = products.get(good["product_ref"])
                if not template:
                    raise cml.refuse(good, cml.MSG_UNKNOWN_PRODUCT, "Ид", good["product_ref"])
                product = template.product_variant_id
                kept.add(product.id)
                vals = {"contract_id": contract.id, "product_id": product.id,
                        "qty": good["qty"], "price_unit": good["price"],
                        "date": fields.Date.to_string(values["date"])}
                # the movement figures 1C did not send keep their stored value
                for _element, key in cml.CONSIGNMENT_MOVES:
                    if good[key] is not None:
                        vals[key] = good[key]
                self._save("b2b.consignment.line", existing.get(product.id), vals,
                           good, counts, label=good["product_ref"])
            gone = Line.browse([line.id for pid, line in existing.items() if pid not in kept])
            if gone:
                counts["updated"] += len(gone)
                gone.unlink()
        return self._done(exchange_file, counts)

