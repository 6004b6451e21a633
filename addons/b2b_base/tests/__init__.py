from . import test_dealer
from . import test_access
from . import test_pricing
from . import test_jsonrpc
from . import test_bulk
