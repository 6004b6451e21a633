from . import test_portal_bonus
from . import test_portal_plans

# notification feed
from . import test_plan_reminders
