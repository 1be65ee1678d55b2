"""Treatments rules that read: the choices of the forms and how many services a category
holds. (The clinic calendar is in holidays.py, the courier tiers in tiers.py.)"""
from sqlalchemy import func, select

from models import Service, ServiceCategory, db


def category_choices():
    """Service categories for selects: (id, name)."""
    return [(row.id, row.service_categories) for row in db.session.execute(
        select(ServiceCategory).order_by(ServiceCategory.service_categories)).scalars()]


def service_choices():
    """Live services for selects: (id, name)."""
    return [(row.id, row.services_name) for row in db.session.execute(
        select(Service).where(Service.deleted_at.is_(None))
        .order_by(Service.services_name)).scalars()]


def live_services_in(category_id: int) -> int:
    """How many live services are in the category."""
    return db.session.execute(select(func.count(Service.id)).where(
        Service.id_service_categories == category_id, Service.deleted_at.is_(None))).scalar_one()

