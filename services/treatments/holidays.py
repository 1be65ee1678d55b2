"""The clinic calendar: the days the whole clinic is closed (holidays)."""
from datetime import date, datetime

from sqlalchemy import select

from models import Holiday, db


def _as_date(day) -> date:
    """A date from a date or datetime (the time of day does not matter)."""
    if isinstance(day, datetime):
        return day.date()
    if isinstance(day, date):
        return day
    raise TypeError(f"expected a date, got {type(day).__name__}")


def is_holiday(day) -> bool:
    """True when the clinic is closed on this date."""
    return db.session.execute(
        select(Holiday.id).where(Holiday.dates == _as_date(day)).limit(1)).first() is not None


def holidays_between(start, end) -> set[date]:
    """The closed dates between start and end, both included (empty when end < start)."""
    start, end = _as_date(start), _as_date(end)
    if end < start:
        return set()
    return set(db.session.execute(select(Holiday.dates).where(
        Holiday.dates >= start, Holiday.dates <= end)).scalars())


def holiday_on(day) -> Holiday | None:
    """The holiday entry of a date, or None."""
    return db.session.execute(
        select(Holiday).where(Holiday.dates == _as_date(day))).scalars().first()
