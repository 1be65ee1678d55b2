"""Admin screens of doctors, the services they offer, practice windows and bookable slots beyond
the generic ones: the weekly grid of a doctor (practice windows and slots per day, opening and
closing slots, adding and removing windows, generating slots) with the upcoming holidays."""
from flask import Blueprint, flash, request

from app.auth import current_actor, requires
from app.extensions import htmx
from models import DAYS, clinic_now
from services.access import STAFF
from services.doctors import operations, queries
from services.doctors.rules import may_manage_schedule, window_label
from services.engine import core, get_resource, writing
from services.errors import DomainError, Forbidden

from .render import go, inline_refusal, render, toast

bp = Blueprint("doctors", __name__, url_prefix="/admin/doctors")
WINDOW_FIELDS = ("hari", "jam", "jam_selesai")


@bp.before_request
@requires(*STAFF)
def staff_only():
    """Staff only; the engine checks each change (a doctor changes only their own schedule)."""


def _doctor(doctor_id):
    """The live doctor, or 404."""
    return core.load(get_resource("doctors"), current_actor(), doctor_id)


def _managed_doctor(doctor_id):
    """The live doctor whose schedule the signed-in user may change, or 404/403."""
    doctor = _doctor(doctor_id)
    if not may_manage_schedule(current_actor(), doctor):
        raise Forbidden("Anda hanya dapat mengatur jadwal Anda sendiri.")
    return doctor


def _context(doctor, **extra):
    """What the weekly grid shows."""
    holidays = queries.upcoming_holidays()
    context = {"doctor": doctor, "resource": get_resource("doctors"),
               "days": queries.weekly_schedule(doctor), "day_names": DAYS,
               "next_dates": queries.next_dates(),
               "closed": {holiday.dates: holiday for holiday in holidays},
               "holidays": holidays, "today": clinic_now().date(),
               "can_manage": may_manage_schedule(current_actor(), doctor),
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
    doctor = _managed_doctor(doctor_id)
    values = {name: request.form.get(name, "").strip()[:20] for name in WINDOW_FIELDS}
    try:
        window = writing.create(get_resource("schedules"), current_actor(),
                                {"id_doctors": doctor.id, **values})
    except DomainError as exc:
        refusal = inline_refusal(exc)
        return _weekly(doctor, status=422, window_errors=refusal.fields,
                       window_message=refusal.message, window_values=values)
    return _after_change(doctor, f"Jam praktik {window_label(window)} ditambahkan. "
                                 "Jalankan Generate untuk membuat slotnya.")


@bp.route("/windows/<int:window_id>/delete", methods=["POST", "DELETE"])
def delete_window(window_id):
    """Remove a practice window; its slots go with it (or close, when already booked)."""
    window, released = operations.remove_window(current_actor(), window_id)
    parts = [f"Jam praktik {window_label(window)} dihapus"]
    if released.removed:
        parts.append(f"{released.removed} slot ikut dihapus")
    if released.closed:
        parts.append(f"{released.closed} slot yang pernah dipesan ditutup")
    return _after_change(_doctor(window.id_doctors), "; ".join(parts) + ".")


@bp.post("/<int:doctor_id>/generate")
def generate(doctor_id):
    """Cut the doctor's practice windows into slots; says how many were created."""
    doctor = _doctor(doctor_id)
    created = operations.generate_for(current_actor(), doctor.id)
    if created:
        message, level = f"{len(created)} slot baru dibuat.", "success"
    else:
        message, level = "Tidak ada slot baru: semua slot dari jam praktik sudah ada.", "info"
    return _after_change(doctor, message, level, generated=len(created))


def _toggle(slot_id, active):
    """Open or close one slot; HTMX gets the slot back with a toast."""
    actor = current_actor()
    slot = operations.set_slot_active(actor, slot_id, active)
    service = slot.offer.service.services_name
    message = (f"Slot {slot.hari} {slot.jam:%H:%M} ({service}) "
               f"{'dibuka' if slot.is_active else 'ditutup'}.")
    if not htmx:
        flash(message, "success")
        if request.form.get("back") == "detail":
            return go("crud.detail", name="doctor_schedules", object_id=slot.id)
        return go("doctors.schedule", doctor_id=slot.id_doctors)
    doctor = _doctor(slot.id_doctors)
    return render("doctors/_slot.html", trigger=toast(message), item=queries.slot_item(slot),
                  doctor=doctor, can_manage=may_manage_schedule(actor, doctor))


@bp.post("/slots/<int:slot_id>/activate")
def activate_slot(slot_id):
    """Open one slot for booking."""
    return _toggle(slot_id, True)


@bp.post("/slots/<int:slot_id>/unactivate")
def unactivate_slot(slot_id):
    """Close one slot for booking (appointments already made stay)."""
    return _toggle(slot_id, False)
