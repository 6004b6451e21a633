from . import test_exchange_auth
from . import test_exchange_files
from . import test_exchange_hostile
from . import test_exchange_orders
