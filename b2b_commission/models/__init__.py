from . import res_partner
from . import commission_report
from . import commission_report_line
from . import consignment_line
