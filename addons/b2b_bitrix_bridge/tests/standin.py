"""Load the local Bitrix24 stand-in (``tests/standins/bitrix24.py`` of the repository)."""
import importlib.util
import os
import sys

REPO_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__)))))
STANDIN = os.path.join(REPO_DIR, "tests", "standins", "bitrix24.py")


def bitrix24_standin():
    """The stand-in module; loaded by file path so it does not depend on ``sys.path``."""
    name = "b2b_standin_bitrix24"
    if name not in sys.modules:
        if not os.path.isfile(STANDIN):
            raise RuntimeError("The Bitrix24 stand-in is missing: %s (these tests run from the "
                               "repository checkout)" % STANDIN)
        spec = importlib.util.spec_from_file_location(name, STANDIN)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]
