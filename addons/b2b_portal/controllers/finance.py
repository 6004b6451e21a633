"""Finance pages of the dealer portal."""
