"""Messages the offline stand-ins of FCM, Wablas and SMTP "sent": the local outbox staff read
in Pengaturan → Kotak keluar (so `make run` shows every push, WhatsApp and e-mail with no
network), and the password-recovery tokens those messages carry (stored only as hashes)."""
from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .accounts import User
from .base import clinic_now, db

CHANNELS = ("push", "whatsapp", "email")
RECOVERY_CHANNELS = ("email", "wa")


class OutboxMessage(db.Model):
    """One message a stand-in gateway accepted instead of sending it."""

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_channel_id", "channel", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(10))  # push, whatsapp, email
    recipient: Mapped[str] = mapped_column(String(255))  # device token, phone or address
    subject: Mapped[str] = mapped_column(String(255), default="")  # e-mail subject, push title
    body: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict | None] = mapped_column(JSON, nullable=True)  # push data, e-mail HTML
    created: Mapped[datetime] = mapped_column(DateTime, default=clinic_now, index=True)


class PasswordRecovery(db.Model):
    """A password-recovery token sent by e-mail or WhatsApp: its SHA-256 only, single use,
    valid until expires_at."""

    __tablename__ = "password_recoveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    id_users: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    channel: Mapped[str] = mapped_column(String(10))  # email, wa
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created: Mapped[datetime] = mapped_column(DateTime, default=clinic_now)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    user: Mapped[User] = relationship()
