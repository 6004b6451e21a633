from . import test_dealer
