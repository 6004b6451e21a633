# complaints
from . import test_complaints_to_onec

# legal-entity requests
from . import test_legal_entities_to_onec
