"""Admin screens of doctors, the services they offer, practice windows and bookable slots beyond
the generic ones: the weekly grid of a doctor (practice windows and slots per day, opening and
closing slots, adding and removing windows, generating slots) with the upcoming holidays."""
from datetime import timedelta

from flask import Blueprint, flash, request
from sqlalchemy import select

from app.auth import current_actor, requires
from app.extensions import htmx
from models import DAYS, Holiday, STAFF_ROLES, clinic_now, db
from services.engine import core, get_resource
from services.errors import DomainError
from services.doctors import declarations as doctor_ops

from .render import go, render, toast

bp = Blueprint("doctors", __name__, url_prefix="/admin/doctors")
HOLIDAY_DAYS = 90  # how far ahead the holidays beside the grid reach


@bp.before_request
@requires(*STAFF_ROLES)
def staff_only():
    """Staff only; the engine checks each change (a doctor changes only their own schedule)."""


def _doctor(doctor_id):
    """The live doctor, or 404."""
    return core.load(get_resource("doctors"), current_actor(), doctor_id)


def upcoming_holidays(days=HOLIDAY_DAYS):
    """Holidays from today to `days` ahead, in date order."""
    today = clinic_now().date()
    return db.session.execute(select(Holiday).where(
        Holiday.dates >= today, Holiday.dates <= today + timedelta(days=days))
        .order_by(Holiday.dates)).scalars().all()


def next_dates():
    """The next date (today included) of each weekday: Senin … Minggu -> date."""
    today = clinic_now().date()
    result = {}
    for offset in range(7):
        day = today + timedelta(days=offset)
        result[DAYS[day.weekday()]] = day
    return result


def _context(doctor, **extra):
    """What the weekly grid shows."""
    actor = current_actor()
    holidays = upcoming_holidays()
    closed = {holiday.dates: holiday for holiday in holidays}
    context = {"doctor": doctor, "resource": get_resource("doctors"),
               "days": doctor_ops.weekly_schedule(doctor), "day_names": DAYS,
               "next_dates": next_dates(), "closed": closed, "holidays": holidays,
               "today": clinic_now().date(),
               "can_manage": doctor_ops.may_manage_schedule(actor, doctor),
               "window_errors": {}, "window_message": None, "window_values": {},
               "generated": None}
    context.update(extra)
    return context


def _weekly(doctor, status=200, trigger=None, **extra):
    """The grid page, or its section for HTMX."""
    return render("doctors/schedule.html", "doctors/_weekly.html", status=status,
                  trigger=trigger, **_context(doctor, **extra))


def _after_change(doctor, message, level="success", **extra):
    """HTMX: the fresh grid and a toast; a plain form: back to the grid with the message."""
    if htmx:
        return _weekly(doctor, trigger=toast(message, level), **extra)
    flash(message, level)
    return go("doctors.schedule", doctor_id=doctor.id)


@bp.get("/<int:doctor_id>/schedule")
def schedule(doctor_id):
    """The weekly grid of a doctor: practice windows and slots, Senin to Minggu."""
    return _weekly(_doctor(doctor_id))


@bp.post("/<int:doctor_id>/windows")
def add_window(doctor_id):
    """Add a practice window; refusals (overlap, end before start) come back inline."""
    doctor = _doctor(doctor_id)
    values = {name: request.form.get(name, "").strip()[:20] for name in ("hari", "jam",
                                                                         "jam_selesai")}
    try:
        window = core.create(get_resource("schedules"), current_actor(),
                             {"id_doctors": doctor.id, **values})
    except DomainError as exc:
        if exc.status in (401, 403, 404):
            raise
        return _weekly(doctor, status=422, window_errors=exc.fields,
                       window_message=exc.message, window_values=values)
    return _after_change(doctor, f"Jam praktik {window.hari} {window.jam:%H:%M}–"
                                 f"{window.jam_selesai:%H:%M} ditambahkan. Jalankan Generate "
                                 "untuk membuat slotnya.")


@bp.route("/windows/<int:window_id>/delete", methods=["POST", "DELETE"])
def delete_window(window_id):
    """Remove a practice window; its slots go with it (or close, when already booked)."""
    actor = current_actor()
    window = core.load(get_resource("schedules"), actor, window_id)
    doctor = _doctor(window.id_doctors)
    label = doctor_ops.window_label(window)
    core.delete(get_resource("schedules"), actor, window_id)
    removed, closed = getattr(window, "_released", (0, 0))
    parts = [f"Jam praktik {label} dihapus"]
    if removed:
        parts.append(f"{removed} slot ikut dihapus")
    if closed:
        parts.append(f"{closed} slot yang pernah dipesan ditutup")
    return _after_change(doctor, "; ".join(parts) + ".")


@bp.post("/<int:doctor_id>/generate")
def generate(doctor_id):
    """Cut the doctor's practice windows into slots; says how many were created."""
    doctor = _doctor(doctor_id)
    created = doctor_ops.generate_for(current_actor(), doctor.id)
    if created:
        message, level = f"{len(created)} slot baru dibuat.", "success"
    else:
        message, level = "Tidak ada slot baru: semua slot dari jam praktik sudah ada.", "info"
    return _after_change(doctor, message, level, generated=len(created))


def _toggle(slot_id, active):
    """Open or close one slot; HTMX gets the slot back with a toast."""
    actor = current_actor()
    slot = doctor_ops.set_slot_active(actor, slot_id, active)
    service = slot.offer.service.services_name
    message = (f"Slot {slot.hari} {slot.jam:%H:%M} ({service}) "
               f"{'dibuka' if slot.is_active else 'ditutup'}.")
    if not htmx:
        flash(message, "success")
        if request.form.get("back") == "detail":
            return go("crud.detail", name="doctor_schedules", object_id=slot.id)
        return go("doctors.schedule", doctor_id=slot.id_doctors)
    doctor = _doctor(slot.id_doctors)
    item = {"slot": slot, "end": doctor_ops.slot_end(slot),
            "inside": doctor_ops.fits_in_windows(slot)}
    return render("doctors/_slot.html", trigger=toast(message), item=item, doctor=doctor,
                  can_manage=doctor_ops.may_manage_schedule(actor, doctor))


@bp.post("/slots/<int:slot_id>/activate")
def activate_slot(slot_id):
    """Open one slot for booking."""
    return _toggle(slot_id, True)


@bp.post("/slots/<int:slot_id>/unactivate")
def unactivate_slot(slot_id):
    """Close one slot for booking (appointments already made stay)."""
    return _toggle(slot_id, False)


@bp.app_template_global("doctor_week")
def doctor_week(doctor):
    """The doctor's windows and slots per day, for the doctor detail screen."""
    return doctor_ops.weekly_schedule(doctor)
