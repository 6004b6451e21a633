"""New legal entities: a dealer's administrator lists the dealer's legal entities and its requests
for new ones, and asks for a new one with its requisites and bank details.

The pages call ``b2b.legal.entity.request``'s ``b2b_*`` methods as the administrator. A form with
a mistake comes back with each message beside its field and nothing saved. Buyers and outlet
users get 403; a request of another dealer, 404."""
import werkzeug.exceptions

from odoo import http
from odoo.http import request

from .portal_base import B2bPortal

MODEL = "b2b.legal.entity.request"


class B2bLegalEntities(B2bPortal):

    def _b2b_legal_admin(self):
        """The dealer administrator asking, or 403 for any other dealer user."""
        user = self._b2b_ensure_dealer()
        if user.b2b_role != "admin":
            raise werkzeug.exceptions.Forbidden()
        return user

    def _render_legal_entities(self, template, **values):
        Request = request.env[MODEL]
        values.setdefault("state_labels", dict(
            Request.fields_get(["state"])["state"]["selection"]))
        return request.render(template, self._prepare_b2b_layout_values(
            page_name="b2b_legal_entities", **values))

    @http.route("/b2b/legal-entities", type="http", auth="user", methods=["GET"], website=False)
    def legal_entities(self, **kw):
        self._b2b_legal_admin()
        overview = request.env[MODEL].b2b_dealer_overview()
        return self._render_legal_entities(
            "b2b_portal.legal_entities_page", entities=overview["entities"],
            entity_requests=overview["requests"])

    @http.route("/b2b/legal-entities/new", type="http", auth="user", methods=["GET"],
                website=False)
    def legal_entity_new(self, **kw):
        self._b2b_legal_admin()
        form = dict.fromkeys(request.env[MODEL]._b2b_form_fields(), "")
        return self._render_legal_entities("b2b_portal.legal_entity_form_page", form=form,
                                           errors={})

    @http.route("/b2b/legal-entities/new", type="http", auth="user", methods=["POST"],
                website=False)
    def legal_entity_submit(self, **post):
        self._b2b_legal_admin()
        Request = request.env[MODEL]
        form = {name: post.get(name) or "" for name in Request._b2b_form_fields()}
        errors = Request.b2b_check(form)
        error = None
        if not errors:
            created, error = self._b2b_attempt(Request.b2b_submit, form)
            if not error:
                return self._b2b_redirect("/b2b/legal-entities/%d?sent=1" % created.id)
        return self._render_legal_entities("b2b_portal.legal_entity_form_page", form=form,
                                           errors=errors, error=error)

    @http.route("/b2b/legal-entities/<int:entity_request_id>", type="http", auth="user",
                methods=["GET"], website=False)
    def legal_entity_request(self, entity_request_id, sent=None, **kw):
        self._b2b_legal_admin()
        entity_request = self._b2b_own(MODEL, entity_request_id)
        return self._render_legal_entities("b2b_portal.legal_entity_request_page",
                                           entity_request=entity_request, sent=sent)
