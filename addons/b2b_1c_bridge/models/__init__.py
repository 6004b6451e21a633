from . import onec_exchange_session
from . import onec_exchange_file
