from . import event_intake
from . import install
from . import files
