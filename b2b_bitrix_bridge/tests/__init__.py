from . import test_event_intake
from . import test_settings
from . import test_connection
from . import test_deals
from . import test_chat_bridge
from . import test_merch_request
from . import test_offline_events
