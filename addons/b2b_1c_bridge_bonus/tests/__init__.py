from . import test_bonus_packages
from . import test_bonus_orders_exchange
from . import test_demo_bonus_exchange
