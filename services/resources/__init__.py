"""Resource declarations, one module per domain; importing this registers them all."""
from . import accounts, catalog, content, stores, treatments  # noqa: F401
