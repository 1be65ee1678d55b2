"""Admin view classes, one module per feature; importing this registers them all."""
from .base import AdminView, Column, admin_view, view_for  # noqa: F401

from . import (accounts, appointments, catalog, content, doctors, messages,  # noqa: E402,F401
               notifications, orders, patients, stores, threads, treatments)
