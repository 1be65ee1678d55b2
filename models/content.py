"""Texts the clinic publishes in the app (about us, booking info, terms …)."""
from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import TimestampMixin, db


class StaticContent(TimestampMixin, db.Model):
    """One page of content, identified by its type."""

    __tablename__ = "static_contents"

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(String(50), unique=True)
    contents: Mapped[str] = mapped_column(Text, default="")
