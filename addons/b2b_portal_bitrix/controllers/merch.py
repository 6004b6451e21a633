"""Merchandising requests in the dealer portal: the dealer's requests with their status
(/b2b/merch), the form to file one (/b2b/merch/new: outlet, address, what is wanted, photos), a
request's page (/b2b/merch/<id>: photos, status, the supplier's notes), and the photo links given
to Bitrix24 (/b2b/merch/photo/<id>?token=...: the request's key opens its photos without a login).

Everything goes through the dealer API of ``b2b.merch.request`` (b2b_bitrix_bridge) as the
dealer's user: the record rules decide what is the dealer's own, and a request of another dealer
answers 404 whatever id the path carries. A refused form saves nothing and shows each problem
beside its field."""

import werkzeug.exceptions

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.b2b_bitrix_bridge.lib import merch
from odoo.addons.b2b_portal.controllers.portal_base import B2bPortal

NOTICE_KEY = "b2b_merch_notice"
FORM_FIELDS = ("outlet_id", "outlet_name", "address", "wanted")


class B2bMerchPortal(B2bPortal):

    def _render_merch_form(self, form=None, problems=None, status=200):
        problems = problems or []
        by_field = {}
        for field, message in problems:
            by_field.setdefault(field, []).append(message)
        response = request.render(
            "b2b_portal_bitrix.merch_form", self._prepare_b2b_layout_values(
                page_name="b2b_merch", b2b_service_page=True, form=form or {},
                outlets=request.env["b2b.merch.request"].b2b_outlets(),
                problems=[message for _field, message in problems], field_problems=by_field,
                max_photos=merch.MAX_PHOTOS,
                max_photo_mb=merch.MAX_PHOTO_SIZE // (1024 * 1024)))
        response.status_code = status
        return response

    @http.route("/b2b/merch", type="http", auth="user", website=False)
    def merch_requests(self, **kw):
        """The dealer's merchandising requests, newest first, with their status."""
        self._b2b_ensure_dealer()
        return request.render("b2b_portal_bitrix.merch_list", self._prepare_b2b_layout_values(
            page_name="b2b_merch", b2b_service_page=True,
            merch_requests=request.env["b2b.merch.request"].b2b_requests()))

    @http.route("/b2b/merch/new", type="http", auth="user", methods=["GET"], website=False)
    def merch_new(self, **kw):
        """The form of a new request."""
        self._b2b_ensure_dealer()
        return self._render_merch_form()

    @http.route("/b2b/merch/new", type="http", auth="user", methods=["POST"], website=False)
    def merch_file(self, **kw):
        """File the request: its page, or the form again with each problem beside its field
        (nothing saved)."""
        self._b2b_ensure_dealer()
        form = {name: kw.get(name) or "" for name in FORM_FIELDS}
        photos = self._b2b_uploaded_photos("photos")
        answer, error = self._b2b_attempt(
            request.env["b2b.merch.request"].b2b_file_request, form, photos)
        if error:
            return self._render_merch_form(form, [("", error)], status=400)
        if answer.get("problems"):
            return self._render_merch_form(form, answer["problems"], status=400)
        request.session[NOTICE_KEY] = "filed"
        return self._b2b_redirect("/b2b/merch/%d" % answer["request_id"])

    @http.route("/b2b/merch/<int:merch_id>", type="http", auth="user", website=False)
    def merch_request(self, merch_id, **kw):
        """A request: what was asked, its photos, its status and the supplier's notes."""
        self._b2b_ensure_dealer()
        try:
            view = request.env["b2b.merch.request"].b2b_request_view(merch_id)
        except (AccessError, MissingError):
            raise werkzeug.exceptions.NotFound()
        return request.render("b2b_portal_bitrix.merch_page", self._prepare_b2b_layout_values(
            page_name="b2b_merch", b2b_service_page=True, merch_request=view,
            notice=request.session.pop(NOTICE_KEY, None)))
