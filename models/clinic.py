"""Doctors, what they offer, when they practise, and the appointments booked with them."""
from datetime import date, datetime, time

from sqlalchemy import (Boolean, CheckConstraint, Date, DateTime, ForeignKey, Index, Integer,
                        String, Text, Time, UniqueConstraint, event)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .accounts import User
from .base import SoftDeleteMixin, TimestampMixin, db
from .treatments import Service

DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")  # Monday first
APPOINTMENT_STATUSES = ("BOOKING", "RESCHEDULE", "ARRIVED", "DONE", "CANCEL")


class Doctor(TimestampMixin, SoftDeleteMixin, db.Model):
    """A doctor: a user account (holding the DOCTOR role) with a public profile."""

    __tablename__ = "doctors"

    id: Mapped[int] = mapped_column(primary_key=True)
    id_users: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # = id_users while the doctor is live, NULL once deleted: one live doctor per account,
    # and a deleted doctor's account can become a doctor again
    live_id_users: Mapped[int | None] = mapped_column(Integer, unique=True, nullable=True)
    id_services: Mapped[int | None] = mapped_column(ForeignKey("services.id"), nullable=True)
    custom_price: Mapped[int] = mapped_column(Integer, default=0)
    doctor_description: Mapped[str] = mapped_column(Text, default="")
    availability_description: Mapped[str] = mapped_column(String(255), default="")
    short_description: Mapped[str] = mapped_column(String(255), default="")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    user: Mapped[User] = relationship()
    # the consultation service (a small table) comes with the doctor in the same statement:
    # every nested doctor shows its name, so a list of orders or threads never loads it row
    # by row
    service: Mapped[Service | None] = relationship(lazy="joined")
    offers: Mapped[list["DoctorService"]] = relationship(back_populates="doctor")


@event.listens_for(Doctor, "before_insert")
@event.listens_for(Doctor, "before_update")
def _keep_live_key(_mapper, _connection, doctor):
    """live_id_users follows id_users while the doctor is live, NULL once deleted."""
    doctor.live_id_users = None if doctor.deleted_at is not None else doctor.id_users


class DoctorService(TimestampMixin, SoftDeleteMixin, db.Model):
    """A service a doctor offers, at their price, with extra buffer minutes after it. A
    deleted offer stays (appointments keep pointing at it), marked with `deleted_at`."""

    __tablename__ = "doctor_services"
    __table_args__ = (
        UniqueConstraint("id_doctors", "live_id_services"),
        CheckConstraint("custom_price >= 0", name="price_not_negative"),
        CheckConstraint("doctor_buffer_time >= 0", name="buffer_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    id_doctors: Mapped[int] = mapped_column(ForeignKey("doctors.id"), index=True)
    id_services: Mapped[int] = mapped_column(ForeignKey("services.id"), index=True)
    # = id_services while the offer is live, NULL once deleted: one live offer per doctor and
    # service, and a deleted offer's service can be offered again
    live_id_services: Mapped[int | None] = mapped_column(Integer, nullable=True)
    custom_price: Mapped[int] = mapped_column(Integer, default=0)
    doctor_buffer_time: Mapped[int] = mapped_column(Integer, default=0)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    doctor: Mapped[Doctor] = relationship(back_populates="offers")
    service: Mapped[Service] = relationship()


@event.listens_for(DoctorService, "before_insert")
@event.listens_for(DoctorService, "before_update")
def _keep_live_offer_key(_mapper, _connection, offer):
    """live_id_services follows id_services while the offer is live, NULL once deleted."""
    offer.live_id_services = None if offer.deleted_at is not None else offer.id_services


class PracticeWindow(TimestampMixin, db.Model):
    """A weekly practice window of a doctor (`schedules`): day and hours."""

    __tablename__ = "schedules"
    __table_args__ = (CheckConstraint("jam_selesai > jam", name="window_not_empty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    id_doctors: Mapped[int] = mapped_column(ForeignKey("doctors.id"), index=True)
    hari: Mapped[str] = mapped_column(String(10))
    jam: Mapped[time] = mapped_column(Time)
    jam_selesai: Mapped[time] = mapped_column(Time)

    doctor: Mapped[Doctor] = relationship()


class DoctorSchedule(TimestampMixin, db.Model):
    """A bookable weekly slot (`doctor_schedules`): doctor, service offer, day and start."""

    __tablename__ = "doctor_schedules"
    __table_args__ = (UniqueConstraint("id_doctors", "hari", "jam", "id_doctor_services"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    id_doctors: Mapped[int] = mapped_column(ForeignKey("doctors.id"), index=True)
    id_doctor_services: Mapped[int] = mapped_column(ForeignKey("doctor_services.id"), index=True)
    custom_price: Mapped[int] = mapped_column(Integer, default=0)
    hari: Mapped[str] = mapped_column(String(10))
    jam: Mapped[time] = mapped_column(Time)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    doctor: Mapped[Doctor] = relationship()
    offer: Mapped[DoctorService] = relationship()


class Appointment(TimestampMixin, db.Model):
    """A booked appointment (`user_schedules`).

    `slot_key` is "<doctor>|<date>|<time>" while the appointment holds its slot and NULL once
    cancelled; its UNIQUE index makes double booking impossible, also under concurrency."""

    __tablename__ = "user_schedules"
    __table_args__ = (
        CheckConstraint("custom_price >= 0", name="price_not_negative"),
        CheckConstraint("reschedule_counts >= 0", name="reschedules_not_negative"),
        # the report figures: appointments of a period per doctor and service, upcoming ones
        Index("ix_user_schedules_day_figures", "tanggal", "id_doctors", "id_services", "status",
              "custom_price"),
        # the services done most in a period
        Index("ix_user_schedules_status_day", "status", "tanggal", "id_services"),
        # a doctor's appointments of a few days (availability, one doctor's timeline, the
        # overlap check of a booking), read from the index alone; it also serves the FK
        Index("ix_user_schedules_doctor_day", "id_doctors", "tanggal", "status", "jam",
              "id_services"),
        # the lists' order (newest first): a page's ids picked from the index alone
        Index("ix_user_schedules_listing", "tanggal", "jam", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    id_doctors: Mapped[int] = mapped_column(ForeignKey("doctors.id"))
    id_services: Mapped[int] = mapped_column(ForeignKey("services.id"), index=True)
    id_doctor_schedules: Mapped[int] = mapped_column(ForeignKey("doctor_schedules.id"), index=True)
    id_users: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True, index=True)
    id_patients: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    custom_price: Mapped[int] = mapped_column(Integer, default=0)
    hari: Mapped[str] = mapped_column(String(10))
    jam: Mapped[time] = mapped_column(Time)
    tanggal: Mapped[date] = mapped_column(Date, active_history=True)  # rollups: the old day too
    status: Mapped[str] = mapped_column(String(12), default="BOOKING")
    digisoft_invoice_numbers: Mapped[str] = mapped_column(String(50), default="")
    reschedule_counts: Mapped[int] = mapped_column(Integer, default=0)
    cancel_reason: Mapped[str] = mapped_column(String(255), default="")
    slot_key: Mapped[str | None] = mapped_column(String(40), unique=True, nullable=True)
    arrived_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    done_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    doctor: Mapped[Doctor] = relationship()
    service: Mapped[Service] = relationship()
    slot: Mapped[DoctorSchedule] = relationship()
    user: Mapped[User | None] = relationship()
    patient: Mapped["Patient"] = relationship()  # noqa: F821


from .patients import Patient  # noqa: E402,F401  (resolves the relationship above)
