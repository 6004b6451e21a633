from . import test_commission_flow
from . import test_commission_rules
from . import test_commission_access
from . import test_commission_terms
from . import test_commission_upload
from . import test_commission_bulk
