from . import portal_base
from . import home
from . import dashboard
from . import catalog
from . import cart
from . import orders
from . import staff
from . import finance
