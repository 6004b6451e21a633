from . import test_chat
from . import test_merch

# complaints
from . import test_complaints_bitrix
