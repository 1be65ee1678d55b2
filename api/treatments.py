"""API actions of service categories, services, holidays and delivery tiers beyond CRUD."""
from . import bp  # noqa: F401
