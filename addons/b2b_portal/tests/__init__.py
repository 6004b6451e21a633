from . import test_dealer_landing
from . import test_cart
from . import test_cart_access
from . import test_favourites
from . import test_saved_carts
from . import test_big_cart
from . import test_cart_jsonrpc
