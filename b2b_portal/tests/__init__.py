from . import test_dealer_landing
from . import test_cart
from . import test_cart_access
from . import test_favourites
from . import test_saved_carts
from . import test_big_cart
from . import test_cart_jsonrpc
from . import test_contract_switch
from . import test_portal_catalog
from . import test_portal_stock
from . import test_portal_dashboard
from . import test_portal_cart
from . import test_portal_xlsx
from . import test_portal_saved
from . import test_portal_orders
from . import test_portal_staff
from . import test_portal_finance
from . import test_portal_finance_docs
from . import test_sku_lookup
from . import test_portal_routes
from . import test_price_on_request

# complaints
from . import test_portal_complaints

# files library and news
from . import test_portal_files
from . import test_portal_news

# notification feed
from . import test_portal_notifications
from . import test_services_notifications

# statistics
from . import test_portal_stats

# legal-entity requests
from . import test_portal_legal_entities

# VAT and personal discounts
from . import test_portal_vat_discounts

# phone-width catalog, xlsx workbooks
from . import test_portal_phone_xlsx
