"""Stores (brandstore), the products each sells, and their stock."""
