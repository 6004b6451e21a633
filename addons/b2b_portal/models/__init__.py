from . import b2b_portal_owned
from . import b2b_cart
from . import b2b_cart_line
from . import b2b_favourite
from . import b2b_saved_cart
from . import b2b_saved_cart_line
from . import sale_order
