"""What the local Midtrans stand-in knows: the transactions it was asked to create and what the
person on its payment page chose. Stored in the database so every process answers alike."""
from datetime import datetime

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import clinic_now, db


class StandinTransaction(db.Model):
    """One Snap transaction of the stand-in: its token, the order it pays and its status."""

    __tablename__ = "midtrans_standin_transactions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    transaction_id: Mapped[str] = mapped_column(String(64), unique=True)
    order_id: Mapped[str] = mapped_column(String(50), index=True)  # the order code
    gross_amount: Mapped[int] = mapped_column(Integer)
    # pending, settlement, cancel, expire (Midtrans' transaction_status words)
    transaction_status: Mapped[str] = mapped_column(String(20), default="pending")
    payment_type: Mapped[str] = mapped_column(String(30), default="")
    transaction_time: Mapped[datetime] = mapped_column(DateTime, default=clinic_now)
    settlement_time: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    updated: Mapped[datetime] = mapped_column(DateTime, default=clinic_now, onupdate=clinic_now)
