from . import test_bonus_packages
