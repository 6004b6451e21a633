"""News and promotions for dealers: ``/b2b/news`` (the unread ones marked), ``/b2b/news/<id>``
(opening an item marks it read for this user only), the unread count in the Services menu of
every page and the latest three on the dashboard.

Read as the dealer's user: the record rules show only published items whose audience holds its
dealer (lib/audience.py); another dealer's or an unpublished item answers 404."""
import werkzeug.exceptions

from odoo import http
from odoo.http import request

from .portal_base import B2bPortal

DASHBOARD_NEWS = 3


class B2bNewsPortal(B2bPortal):

    def _prepare_b2b_layout_values(self, **values):
        result = super(B2bNewsPortal, self)._prepare_b2b_layout_values(**values)
        if result.get("b2b_user"):
            News = request.env["b2b.news"]
            if "b2b_news_unread" not in values:
                result["b2b_news_unread"] = News._b2b_unread_count()
            if result["page_name"] == "b2b_home":
                latest = News._b2b_visible(limit=DASHBOARD_NEWS)
                result["b2b_latest_news"] = latest
                result["b2b_latest_unread"] = latest._b2b_unread_ids()
        return result

    @http.route("/b2b/news", type="http", auth="user", website=False)
    def news(self, **kw):
        self._b2b_ensure_dealer()
        items = request.env["b2b.news"]._b2b_visible()
        return request.render("b2b_portal.news_page", self._prepare_b2b_layout_values(
            page_name="b2b_news",
            items=items,
            unread=items._b2b_unread_ids(),
        ))

    @http.route("/b2b/news/<int:news_id>", type="http", auth="user", website=False)
    def news_item(self, news_id, **kw):
        self._b2b_ensure_dealer()
        item = request.env["b2b.news"].search([("id", "=", news_id), ("published", "=", True)])
        if not item:
            raise werkzeug.exceptions.NotFound()
        item._b2b_mark_read()
        return request.render("b2b_portal.news_item_page", self._prepare_b2b_layout_values(
            page_name="b2b_news",
            item=item,
            promotion_state=item._b2b_promotion_state(),
        ))
