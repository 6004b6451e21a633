from . import event_intake
