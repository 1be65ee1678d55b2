"""Clinic-wide settings: holidays (the clinic is closed) and delivery distance tiers."""
from datetime import date

from sqlalchemy import CheckConstraint, Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import TimestampMixin, db


class Holiday(TimestampMixin, db.Model):
    """A date the whole clinic is closed."""

    __tablename__ = "holidays"

    id: Mapped[int] = mapped_column(primary_key=True)
    dates: Mapped[date] = mapped_column(Date, unique=True)
    descriptions: Mapped[str] = mapped_column(String(255), default="")


class DeliveryTier(TimestampMixin, db.Model):
    """Courier price per km for a distance range [distance_fr, distance_to) in km."""

    __tablename__ = "deliveries"
    __table_args__ = (
        CheckConstraint("distance_fr >= 0", name="from_not_negative"),
        CheckConstraint("distance_to > distance_fr", name="range_not_empty"),
        CheckConstraint("price_in_km >= 0", name="price_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    distance_fr: Mapped[int] = mapped_column(Integer)
    distance_to: Mapped[int] = mapped_column(Integer)
    segment: Mapped[str] = mapped_column(String(100), default="")
    price_in_km: Mapped[int] = mapped_column(Integer, default=0)
