from . import commission_report
from . import onec_request
from . import onec_exchange_file
from . import onec_package_import
