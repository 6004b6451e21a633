from . import exchange
