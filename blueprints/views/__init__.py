"""Admin view classes, one module per feature; importing this registers them all."""
from .base import AdminView, Column, admin_view, view_for  # noqa: F401
from . import doctors  # noqa: F401,E402
