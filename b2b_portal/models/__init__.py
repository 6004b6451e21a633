from . import b2b_portal_owned
from . import b2b_cart
from . import b2b_cart_line
from . import b2b_favourite
from . import b2b_saved_cart
from . import b2b_saved_cart_line
from . import sale_order
from . import b2b_cart_upload
from . import res_users
from . import res_config_settings
from . import product_product
from . import ir_http
from . import ir_ui_view
from . import b2b_catalog
from . import b2b_catalog_stock

# complaints
from . import b2b_complaint
from . import b2b_complaint_photo

# files library and news, for all dealers or segments
from . import b2b_audience_mixin
from . import b2b_file_category
from . import b2b_file
from . import b2b_file_version
from . import b2b_news
from . import res_partner_audience

# notification feed
from . import b2b_notification
from . import b2b_notification_pref
from . import b2b_document_notify
from . import b2b_contract_notify
from . import b2b_reconciliation_request_notify

# legal-entity requests
from . import b2b_legal_entity_request
