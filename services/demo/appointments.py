"""Demo appointments (user_schedules) so the Kalender is alive on first run.

Runs after the doctors and patients parts: it needs bookable slots and patients, and adds
nothing without them, nor when appointments already exist (loading twice changes nothing).
Upcoming appointments are booked through the booking rules (book_appointment and
AppointmentFlow: some rescheduled, some cancelled with a reason); the finished ones of the
past week cannot be booked (the rules refuse the past), so they are written directly with
the models, keeping the slot-key rule (a live or finished appointment holds its key, a
cancelled one none) and never overlapping another appointment of the same doctor."""
import random
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from models import (DAYS, Appointment, Doctor, DoctorSchedule, DoctorService, Patient, Role,
                    Service, User, clinic_now, db)
from services.appointments import operations as booking, queries
from services.appointments.slots import slot_key
from services.treatments.holidays import holidays_between
from services.errors import DomainError

UPCOMING = 16  # booked in the coming two weeks
RESCHEDULED, CANCELLED = 3, 3  # of those
PAST_DAYS = 7
CANCEL_REASONS = ["Pasien sedang sakit demam", "Ada urusan keluarga mendadak",
                  "Bentrok dengan jadwal kantor", "Pasien memilih dokter lain"]


def _office_user():
    """A staff member of the office who books on behalf of patients (demo front desk)."""
    return db.session.execute(
        select(User).join(Role, Role.iduser == User.id)
        .where(Role.rolecodes.in_(("USERS", "ADMIN", "OWNER")), User.deleted_at.is_(None))
        .order_by(Role.rolecodes.desc(), User.id)).scalars().first()


def _bookable_slots():
    """Active slots of active offers of active doctors (with what the demo needs loaded)."""
    return db.session.execute(
        select(DoctorSchedule)
        .join(DoctorService, DoctorService.id == DoctorSchedule.id_doctor_services)
        .join(Doctor, Doctor.id == DoctorSchedule.id_doctors)
        .join(Service, Service.id == DoctorService.id_services)
        .options(selectinload(DoctorSchedule.offer).selectinload(DoctorService.service))
        .where(DoctorSchedule.is_active.is_(True), DoctorService.is_active.is_(True),
               Doctor.is_active.is_(True), Doctor.deleted_at.is_(None),
               Service.deleted_at.is_(None), Service.is_available.is_(True))
        .order_by(DoctorSchedule.id)).scalars().all()


def _spread(items, count, rng):
    """`count` items spread over the list (every n-th, from a random start)."""
    if not items or count <= 0:
        return []
    step = max(len(items) / count, 1)
    start = rng.random() * step
    picked, index = [], start
    while index < len(items) and len(picked) < count:
        picked.append(items[int(index)])
        index += step
    return picked


def _book_upcoming(actor, patients, rng, added):
    """Book in the coming two weeks through the rules; reschedule and cancel some."""
    days = queries.availability()
    candidates = [(entry["schedule"], slot) for entry in days for slot in entry["doctors"]]
    booked = []
    for index, (day, slot) in enumerate(_spread(candidates, UPCOMING, rng)):
        patient = patients[index % len(patients)]
        data = {"id_doctor_schedules": slot["id"], "id_patients": patient.id,
                "tanggal": datetime.strptime(day, "%Y-%m-%d").date()}
        try:
            booked.append(booking.book_appointment(actor, data))
        except DomainError:  # taken by an overlapping slot booked just before: skip it
            db.session.rollback()
            continue
        added["user_schedules"] += 1
    for appointment in booked[1:1 + RESCHEDULED]:
        free = queries.availability(appointment.id_doctors, appointment.id_services)
        moves = [(entry["schedule"], slot["id"]) for entry in free for slot in entry["doctors"]
                 if entry["schedule"] != appointment.tanggal.isoformat()]
        if not moves:
            continue
        day, slot_id = moves[rng.randrange(len(moves))]
        try:
            booking.AppointmentFlow(appointment, actor).reschedule(
                slot_id, datetime.strptime(day, "%Y-%m-%d").date())
        except DomainError:
            db.session.rollback()
    for position, appointment in enumerate(booked[-CANCELLED:] if len(booked) > CANCELLED else []):
        booking.AppointmentFlow(appointment, actor).cancel(
            CANCEL_REASONS[position % len(CANCEL_REASONS)])


def _write_past(slots, patients, actor, rng, added):
    """Finished (and a few cancelled) visits of the past week, and the ones of today that
    have begun (arrived), written directly: the booking rules refuse the past."""
    now = clinic_now()
    today = now.date()
    closed = holidays_between(today - timedelta(days=PAST_DAYS), today)
    taken = {}  # (doctor, date) -> [(begins, ends)]
    counter = 0
    for back in range(PAST_DAYS, -1, -1):
        day = today - timedelta(days=back)
        if day in closed:
            continue
        todays = [slot for slot in slots if slot.hari == DAYS[day.weekday()]]
        picks = sorted(_spread(todays, 1 if back else 2, rng), key=lambda slot: slot.jam)
        for position, slot in enumerate(picks):
            begins = datetime.combine(day, slot.jam)
            if begins >= now:
                continue
            ends = begins + timedelta(minutes=slot.offer.service.buffer_time)
            busy = taken.setdefault((slot.id_doctors, day), [])
            if any(begins < other_end and other_begin < ends for other_begin, other_end in busy):
                continue
            busy.append((begins, ends))
            patient = patients[(counter + 3) % len(patients)]
            counter += 1
            if back == 0:  # today: the latest one is still at the clinic
                status = "ARRIVED" if position == len(picks) - 1 else "DONE"
            else:
                status = "CANCEL" if counter % 6 == 0 else "DONE"
            appointment = Appointment(
                id_doctors=slot.id_doctors, id_services=slot.offer.id_services,
                id_doctor_schedules=slot.id, id_patients=patient.id,
                id_users=patient.id_users or actor.id, custom_price=slot.offer.custom_price,
                hari=slot.hari, jam=slot.jam, tanggal=day, status=status,
                slot_key=None if status == "CANCEL" else slot_key(slot.id_doctors, day, slot.jam))
            if status == "CANCEL":
                appointment.cancel_reason = CANCEL_REASONS[counter % len(CANCEL_REASONS)]
                appointment.cancelled_at = begins - timedelta(days=1)
            else:
                appointment.arrived_at = begins - timedelta(minutes=10)
            if status == "DONE":
                appointment.done_at = ends
                appointment.digisoft_invoice_numbers = f"{counter:04d}/{day:%Y}/{day:%m}-IORA"
            db.session.add(appointment)
            added["user_schedules"] += 1
    db.session.commit()


def seed(added: dict) -> None:
    """Add what is missing of this part of the demo data; count new rows in `added`."""
    added.setdefault("user_schedules", 0)
    if db.session.execute(select(func.count(Appointment.id))).scalar_one():
        return
    slots = _bookable_slots()
    patients = db.session.execute(select(Patient).where(Patient.deleted_at.is_(None))
                                  .order_by(Patient.id)).scalars().all()
    actor = _office_user()
    if not slots or not patients or actor is None:
        return
    db.session.commit()  # what the earlier parts added is kept whatever happens below
    rng = random.Random(2026)
    _write_past(slots, patients, actor, rng, added)
    _book_upcoming(actor, patients, rng, added)
