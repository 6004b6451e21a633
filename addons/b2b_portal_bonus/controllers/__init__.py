from . import bonus

# the fulfilment of the monthly plans on the statistics page
from . import stats_plans
