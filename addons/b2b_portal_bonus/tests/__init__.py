from . import test_portal_bonus
from . import test_portal_plans

# the fulfilment of the monthly plans on the statistics page
from . import test_portal_stats_plans
# notification feed
from . import test_plan_reminders
