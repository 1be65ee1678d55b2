"""Declarations of categories, products with pictures, promotions."""
