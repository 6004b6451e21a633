import collections
import inspect

import odoo.http
import odoo.tests

from odoo.addons.b2b_portal.controllers.portal_base import B2bPortal
from odoo.addons.portal.controllers.portal import CustomerPortal


class TestPortalRoutes(odoo.tests.TransactionCase):
    """Odoo builds one controller out of every subclass of ``CustomerPortal``, Odoo's own and the
    portal's B2B controllers: each address must stay served once, by the method that declares it."""

    post_install = True
    at_install = False

    def setUp(self):
        super(TestPortalRoutes, self).setUp()
        routing = odoo.http.routing_map(list(self.registry._init_modules) + ["web"], False)
        self.rules = collections.defaultdict(list)
        for rule in routing.iter_rules():
            self.rules[(rule.rule, frozenset(rule.methods or ()))].append(rule.endpoint)

    def served(self, url, methods=None):
        """The endpoints of ``url`` (of those of its rules for the HTTP ``methods``, if given)."""
        # werkzeug serves HEAD wherever GET is served
        wanted = methods is not None and frozenset(methods) - {"HEAD"}
        return [endpoint for (rule, rule_methods), endpoints in self.rules.items()
                if rule == url and (methods is None or rule_methods - {"HEAD"} == wanted)
                for endpoint in endpoints]

    def test_each_address_once(self):
        twice = sorted(rule for (rule, _methods), endpoints in self.rules.items()
                       if len(endpoints) > 1 and rule.startswith(("/my", "/b2b")))
        self.assertEqual(twice, [])

    def test_odoo_portal_addresses_kept(self):
        for url in ("/my", "/my/home", "/my/account", "/my/orders", "/my/quotes", "/my/invoices"):
            self.assertEqual(len(self.served(url)), 1, url)
        # the dealer's dashboard answers Odoo's /my
        self.assertEqual(self.served("/my")[0].original.__name__, "home")

    def test_b2b_routes_served_by_their_method(self):
        classes = [cls for cls in _subclasses(B2bPortal) | {B2bPortal}
                   if cls.__module__.startswith("odoo.addons.b2b_portal.")]
        self.assertTrue(all(issubclass(cls, CustomerPortal) for cls in classes))
        declared = 0
        for cls in classes:
            for name, function in vars(cls).items():
                routing = getattr(function, "routing", None)
                if not inspect.isfunction(function) or not routing or not routing.get("routes"):
                    continue
                for url in routing["routes"]:
                    declared += 1
                    endpoints = self.served(url, routing.get("methods") or ())
                    self.assertTrue(endpoints, url)
                    self.assertEqual({endpoint.original.__name__ for endpoint in endpoints}, {name},
                                     url)
        self.assertGreater(declared, 30)

    def test_no_two_controllers_share_a_method_name(self):
        """A name defined by two subclasses of CustomerPortal is one method at run time: only an
        override of what a common base defines (B2bPortal's or CustomerPortal's) is meant."""
        owners = collections.defaultdict(set)
        for cls in _subclasses(CustomerPortal) - {B2bPortal}:
            # Odoo's own merged classes (module odoo.http) are not declared by any addon
            module = cls.__module__.split(".")
            if module[:2] != ["odoo", "addons"] or module[2] not in self.registry._init_modules:
                continue
            for name, member in vars(cls).items():
                if inspect.isfunction(member) and not hasattr(B2bPortal, name):
                    owners[name].add(cls)
        shared = {name: sorted(cls.__name__ for cls in classes)
                  for name, classes in owners.items()
                  if len(classes) > 1 and not _one_line(classes)}
        self.assertEqual(shared, {})


def _one_line(classes):
    """Whether ``classes`` extend one another (an override along one line of inheritance)."""
    ordered = sorted(classes, key=lambda cls: len(cls.__mro__))
    return all(issubclass(later, earlier) for earlier, later in zip(ordered, ordered[1:]))


def _subclasses(cls):
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub} | _subclasses(sub)
    return found
