"""Resource declarations, one module per domain; importing this registers them all."""
from . import accounts, content  # noqa: F401
