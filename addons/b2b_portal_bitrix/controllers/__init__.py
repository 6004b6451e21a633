from . import chat
from . import merch
