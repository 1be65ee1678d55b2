"""Factories of stores (brandstore) and store products."""
