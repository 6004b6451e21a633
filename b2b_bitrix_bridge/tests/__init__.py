from . import test_event_intake
from . import test_settings
