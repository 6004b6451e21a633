from . import res_partner
from . import commission_report
from . import commission_report_line
from . import consignment_line
from . import commission_term
from . import b2b_contract
from . import b2b_document
