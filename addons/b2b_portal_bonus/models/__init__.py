from . import b2b_contract
from . import b2b_catalog
from . import b2b_cart
from . import product_product
from . import sale_order

# notification feed
from . import b2b_bonus_plan
