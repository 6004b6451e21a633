"""The base of the bridge's tests that talk to the Bitrix24 stand-in over real HTTP both ways."""
from contextlib import contextmanager

from odoo import SUPERUSER_ID, api
from odoo.tests import common

from .standin import bitrix24_standin


class BitrixHttpCase(common.HttpCase):
    """A running stand-in Bitrix24 the settings point at (application installed). The test and
    the HTTP server's requests (Bitrix24's events, its downloads of files) share the registry's
    test cursor, rolled back at the end; the test holds the cursor's lock but while it waits for
    those requests (``unlocked``)."""

    def setUp(self):
        super(BitrixHttpCase, self).setUp()
        self.portal = bitrix24_standin().Bitrix24StandIn(rate=50, burst=1000).start()
        self.addCleanup(self.portal.stop)
        self.shared_cr = self.registry.test_cr
        self.shared_cr.acquire()
        self.addCleanup(self.shared_cr.release)
        self.env = api.Environment(self.shared_cr, SUPERUSER_ID, {})
        self.env["ir.config_parameter"].set_param(
            "web.base.url", "http://%s:%s" % (common.HOST, common.PORT))
        self.env["b2b.bitrix.api"]._b2b_configure_for_tests(self.portal)

    @contextmanager
    def unlocked(self):
        """Let the HTTP server's requests use the cursor meanwhile."""
        self.shared_cr.commit()
        self.shared_cr.release()
        try:
            yield
        finally:
            self.shared_cr.acquire()
            self.env.cache.invalidate()
