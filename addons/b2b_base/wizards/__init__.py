from . import b2b_block_override_wizard
