from . import models
from . import wizards
from .tools import dealer_requests

dealer_requests.install()
