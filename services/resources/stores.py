"""Declarations of stores, the products they sell and stock."""
