from . import bonus
