"""API actions of categories, products with pictures, promotions beyond CRUD."""
from . import bp  # noqa: F401
