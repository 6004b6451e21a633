from . import test_consignment_package
