# notification feed
from . import b2b_commission_report
