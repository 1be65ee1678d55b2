"""Admin view classes, one module per feature; importing this registers them all."""
from . import patients  # noqa: F401
from .base import AdminView, Column, admin_view, view_for  # noqa: F401

from . import accounts, appointments, content, stores  # noqa: E402,F401  (register the views)
