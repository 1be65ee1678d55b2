"""API actions of stores, the products they sell and stock beyond CRUD."""
from . import bp  # noqa: F401
