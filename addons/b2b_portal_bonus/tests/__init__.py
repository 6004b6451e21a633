from . import test_portal_bonus
from . import test_portal_plans
