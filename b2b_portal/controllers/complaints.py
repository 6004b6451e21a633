"""Complaints (рекламации) in the dealer portal: the dealer's complaints with their status
(/b2b/complaints), the form to file one from an order line or on its own (/b2b/complaints/new:
product, quantity, defect, photos, resolution wanted), a complaint's page (/b2b/complaints/<id>:
status, the reason of a rejection, photos, the supplier's replies and the dealer's answer), and its
photos (/b2b/complaints/photo/<id>: the dealer's own, or by the complaint's link key for the
supplier's CRM).

Everything goes through the dealer API of ``b2b.complaint`` as the dealer's user: the record rules
decide what is the dealer's own, and another dealer's complaint or photo answers 404 whatever id
the path carries. A refused form saves nothing and shows each problem beside its field."""
import base64

import werkzeug.exceptions

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.b2b_base.lib import images

from .portal_base import B2bPortal

NOTICE_KEY = "b2b_complaint_notice"
FORM_FIELDS = ("sku", "qty", "description", "resolution")


class B2bComplaints(B2bPortal):

    def _complaint_line(self, line_id):
        if not line_id:
            return None
        try:
            return request.env["b2b.complaint"].b2b_line_info(line_id)
        except (AccessError, MissingError, ValueError):
            raise werkzeug.exceptions.NotFound()

    def _render_complaint_form(self, line=None, form=None, problems=None, status=200):
        problems = problems or []
        by_field = {}
        for field, message in problems:
            by_field.setdefault(field or "", []).append(message)
        Complaint = request.env["b2b.complaint"]
        user = self._b2b_user()
        contract = self._b2b_contract()
        form = dict(form or {})
        form.setdefault("contract_id", str(contract.id) if contract else "")
        response = request.render("b2b_portal.complaint_form", self._prepare_b2b_layout_values(
            page_name="b2b_complaints", form=form, line=line,
            problems=[message for _field, message in problems], field_problems=by_field,
            resolutions=Complaint._fields["resolution"]._description_selection(request.env),
            complaint_contracts=self._b2b_contracts(user),
            max_photos=images.MAX_PHOTOS,
            max_photo_mb=images.MAX_PHOTO_SIZE // (1024 * 1024)))
        response.status_code = status
        return response

    @http.route("/b2b/complaints", type="http", auth="user", website=False)
    def complaints(self, **kw):
        """The dealer's complaints, newest first, with their status."""
        self._b2b_ensure_dealer()
        return request.render("b2b_portal.complaints_page", self._prepare_b2b_layout_values(
            page_name="b2b_complaints",
            complaints=request.env["b2b.complaint"].b2b_complaints()))

    @http.route("/b2b/complaints/new", type="http", auth="user", methods=["GET"], website=False)
    def complaint_new(self, line_id=None, **kw):
        """The form of a new complaint: about an order line (``line_id``) or on its own."""
        self._b2b_ensure_dealer()
        return self._render_complaint_form(self._complaint_line(line_id))

    @http.route("/b2b/complaints/new", type="http", auth="user", methods=["POST"],
                website=False)
    def complaint_file(self, line_id=None, contract_id=None, **kw):
        """File the complaint: its page, or the form again with each problem beside its field
        (nothing saved)."""
        self._b2b_ensure_dealer()
        line = self._complaint_line(line_id)
        form = {name: kw.get(name) or "" for name in FORM_FIELDS}
        form["contract_id"] = contract_id or ""
        photos = self._b2b_uploaded_photos("photos")
        answer, error = self._b2b_attempt(
            request.env["b2b.complaint"].b2b_file_complaint, form, photos,
            contract_id, line and line["id"], refusals=(UserError, AccessError))
        if error:
            return self._render_complaint_form(line, form, [("", error)], status=400)
        if answer.get("problems"):
            return self._render_complaint_form(line, form, answer["problems"], status=400)
        request.session[NOTICE_KEY] = "filed"
        return self._b2b_redirect("/b2b/complaints/%d" % answer["complaint_id"])

    def _complaint_view(self, complaint_id):
        try:
            return request.env["b2b.complaint"].b2b_complaint_view(complaint_id)
        except (AccessError, MissingError):
            raise werkzeug.exceptions.NotFound()

    def _render_complaint(self, view, reply="", error=None, notice=None, status=200):
        response = request.render("b2b_portal.complaint_page", self._prepare_b2b_layout_values(
            page_name="b2b_complaints", complaint=view, reply=reply, error=error, notice=notice))
        response.status_code = status
        return response

    @http.route("/b2b/complaints/<int:complaint_id>", type="http", auth="user", website=False)
    def complaint(self, complaint_id, **kw):
        """A complaint: what was filed, its photos, its status and the conversation."""
        self._b2b_ensure_dealer()
        view = self._complaint_view(complaint_id)
        return self._render_complaint(view, notice=request.session.pop(NOTICE_KEY, None))

    @http.route("/b2b/complaints/<int:complaint_id>/reply", type="http", auth="user",
                methods=["POST"], website=False)
    def complaint_reply(self, complaint_id, body=None, **kw):
        """The dealer's answer to the supplier: back to the complaint's page."""
        self._b2b_ensure_dealer()
        self._complaint_view(complaint_id)
        _result, error = self._b2b_attempt(request.env["b2b.complaint"].b2b_reply, complaint_id,
                                           body or "")
        if error:
            return self._render_complaint(self._complaint_view(complaint_id), reply=body or "",
                                          error=error, status=400)
        request.session[NOTICE_KEY] = "replied"
        return self._b2b_redirect("/b2b/complaints/%d#o_b2b_complaint_messages" % complaint_id)

    @http.route("/b2b/complaints/photo/<int:photo_id>", type="http", auth="public",
                website=False)
    def complaint_photo(self, photo_id, token=None, **kw):
        """A complaint's photo: for the dealer's users who see the complaint, or by the link the
        supplier's CRM was given (the complaint's key in ``token``); 404 for anyone else."""
        Complaint = request.env["b2b.complaint"]
        photo = None
        if token:
            photo = Complaint.sudo()._b2b_photo_by_token(photo_id, token) or None
        elif self._b2b_user():
            try:
                photo = Complaint.b2b_photo(photo_id)
            except (AccessError, MissingError):
                photo = None
        if not photo:
            raise werkzeug.exceptions.NotFound()
        data = base64.b64decode(photo.data or b"")
        return request.make_response(data, headers=[
            ("Content-Type", photo.mimetype or "application/octet-stream"),
            ("Content-Length", str(len(data))),
            ("X-Content-Type-Options", "nosniff"),
            ("Cache-Control", "private, max-age=3600")])
