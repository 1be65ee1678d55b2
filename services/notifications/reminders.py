"""Appointment reminders (beyond the API document): 24 hours and 2 hours before an
appointment, by push (a notification, delivered like any other) and by WhatsApp.

The beat runs `plan` every few minutes. For each live appointment (booked or rescheduled)
whose start is within a reminder's reach, it inserts an `appointment_reminders` row for
(appointment, kind) in a savepoint: the UNIQUE key makes the insert of a second job — the same
job run twice, or on two workers at once — fail, and that job skips it. The row, the
notification and its push deliveries commit together. The WhatsApp message is then sent by
`send_whatsapp` with the same claim as a push (pending → sending by a conditional update),
retried with backoff, and not sent at all once the appointment is cancelled.

An appointment booked less than 24 hours ahead gets only the reminders still ahead of it (one
booked 5 hours ahead: the 24-hour one at once, the 2-hour one later; one booked 90 minutes
ahead: only the 2-hour one). A rescheduled or cancelled appointment loses its reminders
(receivers.py), so the new time is reminded again."""
import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from models import Appointment, AppointmentReminder, clinic_now, db
from services import format as fmt

from .delivery import _due, claim, retry_delay
from .operations import api_url, notify

log = logging.getLogger(__name__)

REMINDER_HOURS = {"24h": 24, "2h": 2}
LIVE_STATUSES = ("BOOKING", "RESCHEDULE")
KIND_WORDS = {"24h": "besok", "2h": "2 jam lagi"}


def start_of(appointment) -> datetime:
    """When the appointment begins (clinic time)."""
    return datetime.combine(appointment.tanggal, appointment.jam)


def kind_due(start: datetime, now: datetime) -> str | None:
    """The reminder an appointment starting at `start` is due for now: "2h" within two hours,
    "24h" within a day (and more than two hours ahead), else None."""
    if start <= now:
        return None
    if start <= now + timedelta(hours=2):
        return "2h"
    if start <= now + timedelta(hours=24):
        return "24h"
    return None


def recipient_of(appointment) -> int | None:
    """The account the patient's messages go to: the patient's own account, else the one
    that booked."""
    patient = appointment.patient
    if patient is not None and patient.id_users:
        return patient.id_users
    return appointment.id_users


def phone_of(appointment) -> str:
    """The WhatsApp number: the patient's mobile number, else their account's phone."""
    patient = appointment.patient
    if patient is not None and (patient.no_handphone or "").strip():
        return patient.no_handphone.strip()
    user = appointment.user or (patient.user if patient is not None else None)
    return (user.users_phone or "").strip() if user is not None and user.users_phone else ""


def doctor_name(appointment) -> str:
    """The doctor's name as the patient knows it."""
    doctor = appointment.doctor
    name = doctor.user.users_fullname if doctor is not None and doctor.user else ""
    return name if name.lower().startswith("dr") else f"dr. {name}".strip()


def reminder_text(appointment, kind: str) -> tuple[str, str]:
    """The reminder's title and text, in Bahasa Indonesia, with date, time, doctor and clinic."""
    start = start_of(appointment)
    clinic = current_app.config["CLINIC_NAME"]
    service = appointment.service.services_name if appointment.service is not None else ""
    patient = appointment.patient.nama_lengkap_pasien if appointment.patient else ""
    title = f"Pengingat janji temu {KIND_WORDS[kind]}"
    text = (f"Halo {patient}, ini pengingat janji temu Anda di {clinic} dengan "
            f"{doctor_name(appointment)} pada {fmt.weekday_name(start)}, "
            f"{fmt.day_text(start)} pukul {fmt.hour_minute(start)} WIB"
            + (f" ({service})" if service else "") +
            ". Mohon datang 15 menit lebih awal. Jika berhalangan, silakan jadwalkan ulang "
            "atau batalkan melalui aplikasi.")
    return title, text


def candidates(now: datetime) -> list[tuple[Appointment, str]]:
    """Live appointments due for a reminder they have not had: (appointment, kind)."""
    last_day = (now + timedelta(hours=24)).date()
    appointments = db.session.execute(
        select(Appointment).where(Appointment.status.in_(LIVE_STATUSES),
                                  Appointment.tanggal >= now.date(),
                                  Appointment.tanggal <= last_day)
        .order_by(Appointment.tanggal, Appointment.jam, Appointment.id)).scalars().all()
    if not appointments:
        return []
    had = set(db.session.execute(
        select(AppointmentReminder.id_user_schedules, AppointmentReminder.kind)
        .where(AppointmentReminder.id_user_schedules.in_([a.id for a in appointments]))).all())
    result = []
    for appointment in appointments:
        kind = kind_due(start_of(appointment), now)
        if kind is not None and (appointment.id, kind) not in had:
            result.append((appointment, kind))
    return result


def plan(now: datetime | None = None) -> int:
    """Write the reminders now due (row, notification, push deliveries; one transaction per
    appointment). Returns how many this run wrote; a reminder another run wrote is skipped."""
    now = now or clinic_now()
    written = 0
    for appointment, kind in candidates(now):
        if remind(appointment, kind, now):
            written += 1
    return written


def remind(appointment, kind: str, now: datetime) -> bool:
    """Claim the (appointment, kind) reminder by inserting its row and write its notification;
    False when it already exists (another run was first)."""
    title, text = reminder_text(appointment, kind)
    phone = phone_of(appointment)
    reminder = AppointmentReminder(
        id_user_schedules=appointment.id, kind=kind, phone=phone[:20], text=text,
        whatsapp_status="pending" if phone else "none", attempts=0,
        next_attempt_at=clinic_now(), created=clinic_now())
    try:
        with db.session.begin_nested():
            db.session.add(reminder)
    except IntegrityError:
        db.session.rollback()
        return False
    user_id = recipient_of(appointment)
    if user_id is not None:
        notify(user_id, title, text, "reminder", labels="Info", priority="High",
               remark="Pengingat", url=api_url(f"appointments/{appointment.id}"),
               appointment_id=appointment.id)
    db.session.commit()
    return True


def forget(appointment_id: int):
    """Drop an appointment's reminders that are not being sent right now (it moved or was
    cancelled); in the current transaction."""
    db.session.execute(delete(AppointmentReminder).where(
        AppointmentReminder.id_user_schedules == appointment_id,
        AppointmentReminder.whatsapp_status != "sending"))


def send_whatsapp(reminder_id: int) -> str:
    """Send a reminder's WhatsApp message once (claimed like a push). Returns sent, failed,
    retry or skipped."""
    from services.gateways import whatsapp

    now = clinic_now()
    if not claim(AppointmentReminder, reminder_id, AppointmentReminder.whatsapp_status, now):
        return "skipped"
    reminder = db.session.get(AppointmentReminder, reminder_id)
    appointment = db.session.get(Appointment, reminder.id_user_schedules)
    if appointment is None or appointment.status not in LIVE_STATUSES:
        return _finish(reminder, "failed", "Janji temu sudah tidak aktif.")
    try:
        result = whatsapp.send_whatsapp(reminder.phone, reminder.text)
    except Exception as exc:  # noqa: BLE001 — the gateway promises not to raise; be safe
        log.exception("WhatsApp gateway raised for reminder %s", reminder_id)
        result = None
        detail, retry = f"{type(exc).__name__}: {exc}", True
    if result is not None:
        if result.ok:
            reminder.sent_at = clinic_now()
            return _finish(reminder, "sent", "")
        detail, retry = result.detail, result.retry
    if retry and reminder.attempts < current_app.config["PUSH_MAX_ATTEMPTS"]:
        reminder.whatsapp_status = "pending"
        reminder.next_attempt_at = clinic_now() + timedelta(
            seconds=retry_delay(reminder.attempts))
        reminder.last_error = (detail or "")[:500]
        db.session.commit()
        return "retry"
    return _finish(reminder, "failed", detail)


def _finish(reminder, status: str, detail: str) -> str:
    reminder.whatsapp_status = status
    reminder.last_error = (detail or "")[:500]
    db.session.commit()
    return status


def due_whatsapp(limit: int = 200) -> list[int]:
    """Reminders whose WhatsApp message is due (never enqueued, a retry, a dead claim)."""
    now = clinic_now()
    return db.session.execute(
        select(AppointmentReminder.id)
        .where(*_due(AppointmentReminder, AppointmentReminder.whatsapp_status, now))
        .order_by(AppointmentReminder.next_attempt_at).limit(limit)).scalars().all()
