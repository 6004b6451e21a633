from . import test_chat
from . import test_merch
