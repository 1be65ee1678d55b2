"""Shared model pieces: the clinic clock, timestamps and soft deletion."""
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context
from sqlalchemy import DateTime
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db  # noqa: F401  (re-exported for model modules)


def clinic_now() -> datetime:
    """Naive datetime of now in the clinic's time zone (Asia/Jakarta has no DST)."""
    name = current_app.config.get("TIMEZONE", "Asia/Jakarta") if has_app_context() else "Asia/Jakarta"
    return datetime.now(ZoneInfo(name)).replace(tzinfo=None, microsecond=0)


class TimestampMixin:
    """`created` and `updated` columns kept by the application in clinic time."""

    created: Mapped[datetime] = mapped_column(DateTime, default=clinic_now, nullable=False)
    updated: Mapped[datetime] = mapped_column(
        DateTime, default=clinic_now, onupdate=clinic_now, nullable=False
    )


class SoftDeleteMixin:
    """Rows are never removed, only marked with `deleted_at`."""

    deleted_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True, index=True)
