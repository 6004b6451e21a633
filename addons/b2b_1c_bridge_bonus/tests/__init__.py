from . import test_bonus_packages
from . import test_bonus_orders_exchange
