"""Courier distance tiers: each tier prices the kilometres of a range [distance_fr, distance_to).

Tiers never overlap (ranges may touch: 0–5 and 5–10), so every distance falls in at most one
tier. The price of a delivery is the distance times the tier's `price_in_km`, rounded up to
the whole rupiah."""
import math
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from sqlalchemy import select

from models import DeliveryTier, db


class DeliveryQuote(NamedTuple):
    """The tier a distance falls in and what the delivery costs (integer rupiah)."""

    tier: DeliveryTier
    price: int


def tier_label(tier: DeliveryTier) -> str:
    """How staff read a tier: its segment (or range) with the range in km."""
    span = f"{tier.distance_fr}–{tier.distance_to} km"
    return f"{tier.segment} ({span})" if tier.segment else span


def overlapping_tier(distance_fr: int, distance_to: int, exclude_id: int | None = None):
    """The first tier whose range [fr, to) overlaps [distance_fr, distance_to), or None.

    Touching ends do not overlap: 0–5 and 5–10 live side by side."""
    stmt = select(DeliveryTier).where(DeliveryTier.distance_fr < distance_to,
                                      DeliveryTier.distance_to > distance_fr)
    if exclude_id is not None:
        stmt = stmt.where(DeliveryTier.id != exclude_id)
    return db.session.execute(stmt.order_by(DeliveryTier.distance_fr).limit(1)).scalars().first()


def ordered_tiers():
    """Every tier, nearest range first."""
    return db.session.execute(select(DeliveryTier).order_by(
        DeliveryTier.distance_fr, DeliveryTier.id)).scalars().all()


def _kilometres(km) -> Decimal:
    if isinstance(km, bool):
        raise ValueError("distance must be a number")
    try:
        value = Decimal(str(km))
    except (InvalidOperation, ValueError) as exc:
        raise ValueError("distance must be a number") from exc
    if not value.is_finite() or value < 0:
        raise ValueError("distance must be a finite number of km, 0 or more")
    return value


def tier_for_distance(km) -> DeliveryTier | None:
    """The tier whose range holds `km` (distance_fr <= km < distance_to), or None."""
    value = float(_kilometres(km))
    return db.session.execute(select(DeliveryTier).where(
        DeliveryTier.distance_fr <= value, DeliveryTier.distance_to > value)
        .order_by(DeliveryTier.distance_fr).limit(1)).scalars().first()


def price_for_distance(km) -> DeliveryQuote | None:
    """The tier and price of delivering over `km` kilometres; None when no tier covers it.

    Raises ValueError for a negative or non-numeric distance."""
    value = _kilometres(km)
    tier = tier_for_distance(value)
    if tier is None:
        return None
    return DeliveryQuote(tier, int(math.ceil(value * tier.price_in_km)))
