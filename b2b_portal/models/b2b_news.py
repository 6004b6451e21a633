from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import html_sanitize

from odoo.addons.b2b_base.tools import business_date
from odoo.addons.b2b_base.tools.rule_messages import render

from ..lib import library
from ..lib import notifications as feed

READ_TABLE = "b2b_news_read_rel"


class B2bNews(models.Model):
    """News and promotions the supplier publishes to dealers: to all, to segments or to named
    dealers (``b2b.audience.mixin``). A promotion runs over a period. Each dealer user has an
    unread marker per item: opening it in the portal marks it read for that user only."""
    _name = "b2b.news"
    _inherit = ["b2b.audience.mixin"]
    _description = "News and Promotions"
    _order = "date_published desc, id desc"

    name = fields.Char("Title", required=True, translate=True)
    kind = fields.Selection([("news", "News"), ("promotion", "Promotion")], default="news",
                            required=True)
    summary = fields.Text(translate=True, help="A line or two shown in the list and on the "
                                               "dealer's dashboard.")
    body = fields.Html(translate=True, sanitize=True, sanitize_attributes=True,
                       strip_style=True, strip_classes=False)
    date_published = fields.Datetime("Published On", readonly=True, copy=False, index=True)
    date_start = fields.Date("Promotion From")
    date_end = fields.Date("Promotion Until")
    read_user_ids = fields.Many2many(
        "res.users", READ_TABLE, "news_id", "user_id", string="Read By", readonly=True,
        copy=False, groups="base.group_user")
    read_count = fields.Integer("Read By (users)", compute="_compute_read_count",
                                groups="base.group_user")

    @api.depends("read_user_ids")
    def _compute_read_count(self):
        for record in self:
            record.read_count = len(record.read_user_ids)

    @api.constrains("kind", "date_start", "date_end")
    def _check_period(self):
        for record in self:
            problems = library.check_period(record.kind, record.date_start, record.date_end)
            if problems:
                raise ValidationError(_("%(record)s: %(problem)s") % {
                    "record": record.display_name, "problem": render(self.env, problems)})

    @api.model
    def create(self, vals):
        if vals.get("body"):
            vals = dict(vals, body=html_sanitize(vals["body"], strip_style=True))
        if vals.get("published") and not vals.get("date_published"):
            vals = dict(vals, date_published=fields.Datetime.now())
        news = super(B2bNews, self).create(vals)
        if news.published:
            news._b2b_notify_published()
        return news

    @api.multi
    def write(self, vals):
        first = self.browse()
        if vals.get("published"):
            first = self.filtered(lambda news: not news.date_published)
            if first:
                super(B2bNews, first).write({"date_published": fields.Datetime.now()})
        result = super(B2bNews, self).write(vals)
        first._b2b_notify_published()
        return result

    def _b2b_notify_published(self):
        """Tell the users of the audience of news published for the first time (published again
        after a withdrawal, it is not told twice)."""
        Note = self.env["b2b.notification"]
        for news in self:
            title = feed.PROMOTION_PUBLISHED if news.kind == "promotion" else feed.NEWS_PUBLISHED
            params = {"title": lambda tr, news=news: news.with_context(lang=tr.env.lang).name}
            summary = lambda tr, news=news: news.with_context(lang=tr.env.lang).summary or ""  # noqa: E731
            Note._b2b_notify(news._b2b_audience_users(), "news", (title, params), summary,
                             url="/b2b/news/%d" % news.id, record=news)

    @api.multi
    def action_publish(self):
        self.write({"published": True})
        return True

    @api.multi
    def action_unpublish(self):
        self.write({"published": False})
        return True

    # ------------------------------------------------------------------ the dealer's side
    @api.model
    def _b2b_visible(self, limit=None):
        """The news the current user may read (record rules), newest first."""
        return self.search([("published", "=", True)], limit=limit)

    @api.multi
    def _b2b_unread_ids(self, user=None):
        """The ids of these news items ``user`` (the current one) has not opened yet."""
        user = user or self.env.user
        if not self.ids:
            return set()
        self.env.cr.execute("SELECT news_id FROM %s WHERE user_id = %%s AND news_id = ANY(%%s)"
                            % READ_TABLE, (user.id, list(self.ids)))
        return set(self.ids) - {row[0] for row in self.env.cr.fetchall()}

    @api.model
    def _b2b_unread_count(self):
        """How many published news items the current user may read and has not opened."""
        visible = self._b2b_visible()
        return len(visible._b2b_unread_ids())

    @api.multi
    def _b2b_mark_read(self, user=None):
        """``user`` (the current one) opened these news items: read for them, for nobody else."""
        user = user or self.env.user
        for news_id in self.ids:
            self.env.cr.execute(
                "INSERT INTO %s (news_id, user_id) VALUES (%%s, %%s) ON CONFLICT DO NOTHING"
                % READ_TABLE, (news_id, user.id))
        self.sudo().invalidate_cache(["read_user_ids", "read_count"], self.ids)

    @api.multi
    def _b2b_promotion_state(self):
        """'upcoming', 'running' or 'ended' of a promotion today (Moscow), None for news."""
        self.ensure_one()
        if self.kind != "promotion":
            return None
        return library.promotion_state(self.date_start, self.date_end,
                                       business_date.today_string(self.env))
