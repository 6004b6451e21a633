"""The dealer's notification feed: the bell with the unread count on every portal page (live
over Odoo's bus, else asked every 30 s), the page /b2b/notifications (newest first, paged, "mark
all read", the e-mail preferences), the latest five on the dashboard.

Every route works on the logged-in user's own notifications (record rules, ``_b2b_own``): another
user's notification answers 404. Opening one marks it read and leads to its link, a path of this
portal only."""
from odoo import http
from odoo.http import request
from odoo.tools import config

from odoo.addons.bus.models import bus
from odoo.addons.portal.controllers.portal import pager as portal_pager

from odoo.addons.b2b_base.tools.rule_messages import translate

from ..lib import notifications as feed
from .portal_base import B2bPortal


class B2bNotificationsPortal(B2bPortal):

    # ------------------------------------------------------------------ the frame
    def _prepare_b2b_layout_values(self, **values):
        """Every page: the bell's unread count (one indexed count) and whether the bus answers
        here; the dashboard: the latest notifications."""
        result = super(B2bNotificationsPortal, self)._prepare_b2b_layout_values(**values)
        user = result.get("b2b_user")
        if user:
            Notification = request.env["b2b.notification"]
            result.setdefault("b2b_notify_unread", Notification._b2b_unread_count(user))
            result["b2b_notify_bus"] = self._b2b_notify_bus_here()
            if result.get("page_name") == "b2b_home":
                result["b2b_notify_latest"] = Notification._b2b_latest(user)
        return result

    def _b2b_notify_bus_here(self):
        """Whether /longpolling/poll answers on this host (this process serves the bus, or a
        reverse proxy routes /longpolling/ to Odoo's long-polling port); otherwise the bell asks
        the count every 30 s instead."""
        return bool(bus.dispatch) or bool(config.get("proxy_mode"))

    # ------------------------------------------------------------------ the page
    @http.route(["/b2b/notifications", "/b2b/notifications/page/<int:page>"], type="http",
                auth="user", methods=["GET"], website=False)
    def notifications(self, page=1, saved=None, **kw):
        user = self._b2b_ensure_dealer()
        Notification = request.env["b2b.notification"]
        total = Notification.search_count([("user_id", "=", user.id)])
        page, offset, _pages = feed.page_bounds(total, page)
        notes = Notification._b2b_latest(user, limit=feed.PAGE_SIZE, offset=offset)
        Pref = request.env["b2b.notification.pref"]
        values = self._prepare_b2b_layout_values(
            page_name="b2b_notifications", notes=notes, total=total,
            pager=portal_pager(url=feed.FEED_URL, total=total, page=page, step=feed.PAGE_SIZE),
            preferences=Pref._b2b_preferences(user),
            kinds=[(kind, translate(request.env, feed.KIND_LABELS[kind])) for kind in feed.KINDS],
            saved=bool(saved))
        return request.render("b2b_portal.notifications_page", values)

    @http.route("/b2b/notifications/<int:notification_id>", type="http", auth="user",
                methods=["GET"], website=False)
    def notification_open(self, notification_id, **kw):
        """Open a notification: mark it read, go where it leads (this portal only)."""
        user = self._b2b_ensure_dealer()
        note = self._b2b_own("b2b.notification", notification_id, "write")
        if not note.is_read:
            note._b2b_mark_read()
            request.env["b2b.notification"]._b2b_push_count(user)
        return self._b2b_redirect(feed.local_url(note.url))

    @http.route("/b2b/notifications/read_all", type="http", auth="user", methods=["POST"],
                website=False)
    def notifications_read_all(self, **kw):
        user = self._b2b_ensure_dealer()
        request.env["b2b.notification"]._b2b_mark_all_read(user)
        request.env["b2b.notification"]._b2b_push_count(user)
        return self._b2b_redirect(feed.FEED_URL)

    @http.route("/b2b/notifications/preferences", type="http", auth="user", methods=["POST"],
                website=False)
    def notifications_preferences(self, **form):
        user = self._b2b_ensure_dealer()
        request.env["b2b.notification.pref"]._b2b_set_preferences(
            user, feed.parse_preferences(form))
        return self._b2b_redirect(feed.FEED_URL + "?saved=1#o_b2b_notify_prefs")

    @http.route("/b2b/notifications/unread", type="json", auth="user", website=False)
    def notifications_unread(self, **kw):
        """The bell's count and the latest notifications (the fallback when the bus is not
        reachable, and the bell's list)."""
        user = self._b2b_ensure_dealer()
        Notification = request.env["b2b.notification"]
        return {"unread": Notification._b2b_unread_count(user),
                "latest": Notification._b2b_latest(user)._b2b_values()}
