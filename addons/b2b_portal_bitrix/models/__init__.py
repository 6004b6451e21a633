from . import b2b_portal_layout
from . import sale_order

# complaints
from . import b2b_complaint
