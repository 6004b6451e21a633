from . import test_portal_commission
