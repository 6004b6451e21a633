# complaints
from . import b2b_complaint

# legal-entity requests
from . import b2b_legal_entity_request
from . import onec_package_import
