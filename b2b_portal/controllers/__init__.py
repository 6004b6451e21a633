from . import portal_base
from . import home
from . import dashboard
from . import catalog
from . import cart
from . import orders
from . import staff
from . import finance

# complaints
from . import complaints

# files library and news
from . import files
from . import news

# notification feed
from . import notifications

# statistics
from . import stats

# legal-entity requests
from . import legal_entities
