from . import test_portal_commission

# notification feed
from . import test_commission_notifications
