"""Consultation threads: a conversation between a customer and a doctor, opened by a paid
online consultation (type C order) or by a customer's request for a prescription product;
its messages (text, image, attachment, prescription), the prescriptions a doctor writes in
it, and how far each reader has read.

A consultation thread has its doctor from the start and a queue number per doctor and day
(UNIQUE, so two payments at once never share a number). A prescription request starts
without a doctor (`id_user_to` NULL): every doctor sees it in the pool until one answers and
takes it. A thread is archived by closing it (`is_closed`, `closed_at`); it is soft-deleted."""
from datetime import date, datetime

from sqlalchemy import (Boolean, CheckConstraint, Date, DateTime, ForeignKey, Integer, String,
                        Text, UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .accounts import User
from .base import SoftDeleteMixin, TimestampMixin, clinic_now, db
from .catalog import Menu

CONSULTATION = "consultation"
PRESCRIPTION_REQUEST = "prescription"
THREAD_TYPES = (CONSULTATION, PRESCRIPTION_REQUEST)

TEXT = "text"
IMAGE = "image"
ATTACHMENTS = "attachments"
PRESCRIPTIONS = "prescriptions"
MESSAGE_TYPES = (TEXT, IMAGE, ATTACHMENTS, PRESCRIPTIONS)


class Thread(TimestampMixin, SoftDeleteMixin, db.Model):
    """A conversation between a customer (`user_from`) and a doctor (`user_to`)."""

    __tablename__ = "threads"
    __table_args__ = (
        UniqueConstraint("id_user_to", "queue_date", "queue_number",
                         name="uq_threads_doctor_day_queue"),
        CheckConstraint("queue_number >= 0", name="queue_number_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_type: Mapped[str] = mapped_column(String(20), default=CONSULTATION, index=True)
    # the paid consultation order (type C) the thread belongs to: one thread per order
    id_order: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), unique=True,
                                                 nullable=True)
    id_user_from: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)  # customer
    id_user_to: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True,
                                                   index=True)  # the doctor's account
    id_doctors: Mapped[int | None] = mapped_column(ForeignKey("doctors.id"), nullable=True,
                                                   index=True)
    id_patients: Mapped[int | None] = mapped_column(ForeignKey("patients.id"), nullable=True,
                                                    index=True)
    id_menu: Mapped[int | None] = mapped_column(ForeignKey("menus.id"), nullable=True)
    order_date: Mapped[datetime] = mapped_column(DateTime, default=clinic_now)
    # a consultation's place in its doctor's queue of the day (1, 2, …); 0 for requests
    queue_number: Mapped[int] = mapped_column(Integer, default=0)
    queue_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    estimate_done_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_update_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    is_closed: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    id_closed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)

    user_from: Mapped[User] = relationship(foreign_keys=[id_user_from])
    user_to: Mapped[User | None] = relationship(foreign_keys=[id_user_to])
    closed_by: Mapped[User | None] = relationship(foreign_keys=[id_closed_by])
    order: Mapped["Order | None"] = relationship()  # noqa: F821
    doctor: Mapped["Doctor | None"] = relationship()  # noqa: F821
    patient: Mapped["Patient | None"] = relationship()  # noqa: F821
    menu: Mapped[Menu | None] = relationship()
    messages: Mapped[list["ThreadMessage"]] = relationship(
        back_populates="thread", order_by="ThreadMessage.id")


class ThreadMessage(TimestampMixin, SoftDeleteMixin, db.Model):
    """One message: text, an image, an attachment (PDF) or a prescription. `content` holds
    the text, or the file's original name; `file_name` the stored upload."""

    __tablename__ = "thread_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    id_threads: Mapped[int] = mapped_column(ForeignKey("threads.id"), index=True)
    id_user_from: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    content_type: Mapped[str] = mapped_column(String(20), default=TEXT)
    content: Mapped[str] = mapped_column(Text, default="")
    file_name: Mapped[str] = mapped_column(String(100), default="")
    intentions: Mapped[str] = mapped_column(String(30), default="-")
    priority: Mapped[str] = mapped_column(String(20), default="standard")
    remark: Mapped[str] = mapped_column(String(100), default="")
    edited_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    thread: Mapped[Thread] = relationship(back_populates="messages")
    user_from: Mapped[User] = relationship()
    prescription: Mapped["Prescription | None"] = relationship(back_populates="message",
                                                               uselist=False)


class Prescription(TimestampMixin, db.Model):
    """A product a doctor prescribed in a thread: how many, until when; redeemed once into
    the customer's cart (`redeemed_at`, and the order line that points back here)."""

    __tablename__ = "prescriptions"
    __table_args__ = (CheckConstraint("qty > 0", name="prescription_qty_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    id_thread_messages: Mapped[int] = mapped_column(ForeignKey("thread_messages.id"),
                                                    unique=True)
    id_threads: Mapped[int] = mapped_column(ForeignKey("threads.id"), index=True)
    id_menu: Mapped[int] = mapped_column(ForeignKey("menus.id"), index=True)
    id_doctor_user: Mapped[int] = mapped_column(ForeignKey("users.id"))
    id_customer: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    qty: Mapped[int] = mapped_column(Integer, default=1)
    valid_until: Mapped[datetime] = mapped_column(DateTime)
    redeemed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    id_redeem_order: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), nullable=True)

    message: Mapped[ThreadMessage] = relationship(back_populates="prescription")
    thread: Mapped[Thread] = relationship()
    menu: Mapped[Menu] = relationship()
    doctor_user: Mapped[User] = relationship(foreign_keys=[id_doctor_user])


class ThreadRead(db.Model):
    """How far one reader has read one thread: the last message id they have seen."""

    __tablename__ = "thread_reads"
    __table_args__ = (UniqueConstraint("id_threads", "id_users", name="uq_thread_reads_reader"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    id_threads: Mapped[int] = mapped_column(ForeignKey("threads.id"), index=True)
    id_users: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    last_read_message_id: Mapped[int] = mapped_column(Integer, default=0)
    read_at: Mapped[datetime] = mapped_column(DateTime, default=clinic_now)


from .clinic import Doctor  # noqa: E402,F401  (resolves the relationships above)
from .orders import Order  # noqa: E402,F401
from .patients import Patient  # noqa: E402,F401
