"""Business rules of the domain core that need no ORM (importable without Odoo)."""
