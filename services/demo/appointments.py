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
TODAY_WAITING = 3  # today's patients still to arrive
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


def _visit(slot, day, patient, actor, status, number):
    """An appointment in a slot on a day, written directly (the booking rules refuse the
    past), with the times and numbers its status implies."""
    begins = datetime.combine(day, slot.jam)
    ends = begins + timedelta(minutes=slot.offer.service.buffer_time)
    appointment = Appointment(
        id_doctors=slot.id_doctors, id_services=slot.offer.id_services,
        id_doctor_schedules=slot.id, id_patients=patient.id,
        id_users=patient.id_users or actor.id, custom_price=slot.offer.custom_price,
        hari=slot.hari, jam=slot.jam, tanggal=day, status=status,
        slot_key=None if status == "CANCEL" else slot_key(slot.id_doctors, day, slot.jam))
    if status == "CANCEL":
        appointment.cancel_reason = CANCEL_REASONS[number % len(CANCEL_REASONS)]
        appointment.cancelled_at = begins - timedelta(days=1)
    elif status in ("ARRIVED", "DONE"):
        appointment.arrived_at = begins - timedelta(minutes=10)
    if status == "DONE":
        appointment.done_at = ends
        appointment.digisoft_invoice_numbers = f"{number:04d}/{day:%Y}/{day:%m}-IORA"
    db.session.add(appointment)
    return appointment


def _free_of_overlap(slots, day, booked=()):
    """The slots of a day, by time, leaving out those that overlap an earlier one of the
    same doctor or a live appointment already `booked` that day."""
    taken, kept = {}, []
    for appointment in booked:
        begins = datetime.combine(day, appointment.jam)
        ends = begins + timedelta(minutes=appointment.service.buffer_time)
        taken.setdefault(appointment.id_doctors, []).append((begins, ends))
    for slot in sorted(slots, key=lambda item: (item.jam, item.id)):
        begins = datetime.combine(day, slot.jam)
        ends = begins + timedelta(minutes=slot.offer.service.buffer_time)
        busy = taken.setdefault(slot.id_doctors, [])
        if any(begins < other_end and other_begin < ends for other_begin, other_end in busy):
            continue
        busy.append((begins, ends))
        kept.append(slot)
    return kept


def _each_doctor_first(slots):
    """The slots (by time) with every doctor's first one ahead of anyone's second, so each
    doctor practising today has a patient still to come."""
    taken: dict[int, int] = {}
    ranked = []
    for position, slot in enumerate(slots):
        rank = taken.get(slot.id_doctors, 0)
        taken[slot.id_doctors] = rank + 1
        ranked.append((rank, position, slot))
    return [slot for _rank, _position, slot in sorted(ranked, key=lambda item: item[:2])]


def _write_today(slots, patients, actor, added):
    """Today as a working day to try every Kalender action on: one visit done, one patient
    at the clinic, and patients still to arrive — one for each doctor practising today
    first (on any day of the week; none on a holiday). Visits that have begun are the done
    and arrived ones when there are two."""
    now = clinic_now()
    today = now.date()
    if today in holidays_between(today, today):
        return
    booked = db.session.execute(select(Appointment).where(
        Appointment.tanggal == today, Appointment.status != "CANCEL")).scalars().all()
    todays = _free_of_overlap([slot for slot in slots if slot.hari == DAYS[today.weekday()]],
                              today, booked)
    if len(todays) < 2:
        return
    begun = [slot for slot in todays if datetime.combine(today, slot.jam) < now]
    finished = begun[-2:] if len(begun) >= 2 else todays[:2]
    waiting = _each_doctor_first([slot for slot in todays if slot not in finished])
    waiting = waiting[:TODAY_WAITING]
    plan = [(finished[0], "DONE"), (finished[1], "ARRIVED")] + \
        [(slot, "BOOKING") for slot in waiting]
    for number, (slot, status) in enumerate(plan, start=1):
        _visit(slot, today, patients[number % len(patients)], actor, status, 900 + number)
        added["user_schedules"] += 1
    db.session.commit()


def _write_past(slots, patients, actor, rng, added):
    """Finished (and a few cancelled) visits since the 1st of last month (a week at least),
    written directly: the booking rules refuse the past; one booking whose patient never
    came (still BOOKING: a no-show in the appointment report)."""
    today = clinic_now().date()
    # at least a week, and the whole of last month and this one (the dashboard's months)
    past_days = max(PAST_DAYS, (today - (today.replace(day=1) - timedelta(days=1))
                                .replace(day=1)).days)
    closed = holidays_between(today - timedelta(days=past_days), today)
    counter = 0
    for back in range(past_days, 0, -1):
        day = today - timedelta(days=back)
        if day in closed:
            continue
        todays = _free_of_overlap([slot for slot in slots if slot.hari == DAYS[day.weekday()]],
                                  day)
        for slot in _spread(todays, 1, rng):
            counter += 1
            patient = patients[(counter + 3) % len(patients)]
            status = "CANCEL" if counter % 6 == 0 else "BOOKING" if counter == 3 else "DONE"
            _visit(slot, day, patient, actor, status, counter)
            added["user_schedules"] += 1
    db.session.commit()


def seed(added: dict) -> None:
    """Add what is missing of this part of the demo data; count new rows in `added`. A
    database seeded on an earlier day gets today's working day added."""
    added.setdefault("user_schedules", 0)
    if db.session.execute(select(func.count(Appointment.id))).scalar_one():
        today = clinic_now().date()
        if not db.session.execute(select(func.count(Appointment.id)).where(
                Appointment.tanggal == today,
                Appointment.status.in_(("ARRIVED", "DONE")))).scalar_one():
            actor, slots = _office_user(), _bookable_slots()
            patients = db.session.execute(select(Patient).where(Patient.deleted_at.is_(None))
                                          .order_by(Patient.id)).scalars().all()
            if actor is not None and slots and patients:
                _write_today(slots, patients, actor, added)
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
    _write_today(slots, patients, actor, added)
    _book_upcoming(actor, patients, rng, added)
