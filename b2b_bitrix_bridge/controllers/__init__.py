from . import event_intake
from . import install
