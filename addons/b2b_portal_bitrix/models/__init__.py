from . import b2b_portal_layout
