"""Dealer-portal rules that need no ORM (imported by the controllers and models, tested by pytest)."""
