"""Rules of commission-agent reports that need no ORM (imported by the models, tested by pytest)."""
