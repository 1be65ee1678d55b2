"""Admin view classes, one module per feature; importing this registers them all."""
from .base import AdminView, Column, admin_view, view_for  # noqa: F401

from . import (accounts, appointments, catalog, content, doctors, orders,  # noqa: E402,F401
               patients, stores, threads, treatments)
