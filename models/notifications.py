"""Notifications: the in-app rows a user reads (`notifications`, the documented fields), their
push deliveries (`notification_deliveries`, the outbox: one row per notification and device
token) and the appointment reminders already sent (`appointment_reminders`, one row per
appointment and kind).

A notification and its delivery rows are written in the transaction of the change that caused
them (services/notifications/receivers.py); a background job sends the deliveries
(services/notifications/delivery.py). A delivery moves pending → sending (claimed by a
conditional update, so two workers never send one row) → sent, or back to pending with a later
`next_attempt_at` (retry with backoff), or failed (given up, or the token is no longer valid)."""
from datetime import datetime

from sqlalchemy import (Boolean, DateTime, ForeignKey, Index, Integer, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .accounts import User
from .base import clinic_now, db

DELIVERY_STATUSES = ("pending", "sending", "sent", "failed")
REMINDER_KINDS = ("24h", "2h")


class Notification(db.Model):
    """One message to a user in the app (`notifications/*`)."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_to_read", "id_user_to", "is_read"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created: Mapped[datetime] = mapped_column(DateTime, default=clinic_now, index=True)
    # what it is about: order_status, appointment, message, reminder
    intentions: Mapped[str] = mapped_column(String(50), default="")
    id_user_from: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    id_user_to: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(String(255))
    content: Mapped[str] = mapped_column(Text, default="")
    priority: Mapped[str] = mapped_column(String(10), default="Low")  # Low, Normal, High
    labels: Mapped[str] = mapped_column(String(20), default="Info")  # Info, Success, Warning, Danger
    is_read: Mapped[bool] = mapped_column(Boolean, default=False)
    read_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    url: Mapped[str] = mapped_column(String(500), default="")
    remark: Mapped[str] = mapped_column(String(100), default="")
    # what the app opens when the notification is tapped
    id_orders: Mapped[int | None] = mapped_column(
        ForeignKey("orders.id", ondelete="SET NULL"), nullable=True, index=True)
    id_appointments: Mapped[int | None] = mapped_column(
        ForeignKey("user_schedules.id", ondelete="SET NULL"), nullable=True, index=True)
    id_threads: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)

    user_from: Mapped[User | None] = relationship(foreign_keys=[id_user_from])
    user_to: Mapped[User] = relationship(foreign_keys=[id_user_to])
    deliveries: Mapped[list["NotificationDelivery"]] = relationship(
        back_populates="notification", passive_deletes=True)

    def push_data(self) -> dict:
        """The data a push message carries (strings, as FCM wants them)."""
        data = {"id_notifications": str(self.id), "intentions": self.intentions}
        for key in ("id_orders", "id_appointments", "id_threads"):
            value = getattr(self, key)
            if value is not None:
                data[key] = str(value)
        return data


class NotificationDelivery(db.Model):
    """The push of one notification to one device token (the outbox row)."""

    __tablename__ = "notification_deliveries"
    __table_args__ = (
        UniqueConstraint("id_notifications", "id_user_device_tokens"),
        Index("ix_notification_deliveries_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    id_notifications: Mapped[int] = mapped_column(
        ForeignKey("notifications.id", ondelete="CASCADE"), index=True)
    # NULL once the token was removed (FCM called it invalid); the row stays as history
    id_user_device_tokens: Mapped[int | None] = mapped_column(
        ForeignKey("user_device_tokens.id", ondelete="SET NULL"), nullable=True, index=True)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime, default=clinic_now)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    sent_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    created: Mapped[datetime] = mapped_column(DateTime, default=clinic_now)

    notification: Mapped[Notification] = relationship(back_populates="deliveries")


class AppointmentReminder(db.Model):
    """A reminder sent (or being sent) for an appointment: at most one per kind, so a job that
    runs twice, or on two workers, reminds once. Its WhatsApp message is delivered like a push
    (status, attempts, next_attempt_at)."""

    __tablename__ = "appointment_reminders"
    __table_args__ = (
        UniqueConstraint("id_user_schedules", "kind"),
        Index("ix_appointment_reminders_due", "whatsapp_status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    id_user_schedules: Mapped[int] = mapped_column(
        ForeignKey("user_schedules.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(5))  # 24h, 2h
    phone: Mapped[str] = mapped_column(String(20), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    # pending, sending, sent, failed; "none" when there is no phone number to write to
    whatsapp_status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime, default=clinic_now)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    sent_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    created: Mapped[datetime] = mapped_column(DateTime, default=clinic_now)
