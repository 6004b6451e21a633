from . import commission_reject_wizard
