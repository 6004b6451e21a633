from . import test_dealer_landing
