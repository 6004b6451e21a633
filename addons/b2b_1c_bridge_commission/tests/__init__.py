from . import test_consignment_package
from . import test_commission_report_request
from . import test_commission_decisions
from . import test_demo_commission_exchange
