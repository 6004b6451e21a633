from . import b2b_bitrix_event
from . import res_config_settings
