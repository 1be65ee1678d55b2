"""The audit log the application writes itself."""
from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .accounts import User
from .base import clinic_now, db


class Log(db.Model):
    """Who did what to which object, when and from where."""

    __tablename__ = "logs"

    id: Mapped[int] = mapped_column(primary_key=True)
    created: Mapped[datetime] = mapped_column(DateTime, default=clinic_now, index=True)
    id_users: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True, index=True)
    username: Mapped[str] = mapped_column(String(50), default="")
    action: Mapped[str] = mapped_column(String(50), index=True)
    object_type: Mapped[str] = mapped_column(String(50), default="")
    object_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    descriptions: Mapped[str] = mapped_column(String(500), default="")
    ip_address: Mapped[str] = mapped_column(String(45), default="")
    is_manual: Mapped[bool] = mapped_column(Boolean, default=False)

    user: Mapped[User | None] = relationship()
