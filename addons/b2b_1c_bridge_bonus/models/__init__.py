from . import onec_exchange_file
from . import onec_package_import
