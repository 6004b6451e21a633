from . import test_bonus_goods
from . import test_bonus_orders
from . import test_bonus_access
from . import test_bonus_ledger
from . import test_bonus_plans
from . import test_bonus_plans_report
from . import test_bonus_concurrency
