from . import product_template
from . import bonus_balance
from . import bonus_move
from . import sale_order
from . import sale_order_line
from . import bonus_plan
from . import bonus_plan_line
