"""Rules of bonus goods and bonus orders that need no ORM (imported by the models, tested by pytest)."""
