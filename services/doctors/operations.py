"""Operations on doctors and their schedules beyond plain CRUD, used by the declarations' hooks,
the API actions and the staff screens: the DOCTOR role that follows the doctor row, letting go
of slots when a practice window or an offer goes, opening and closing one slot, and cutting
the practice windows into slots."""
from dataclasses import dataclass

from sqlalchemy import delete, inspect, select, update
from sqlalchemy.orm import selectinload

from models import (Appointment, Doctor, DoctorSchedule, DoctorService, PracticeWindow, Role,
                    User, db)
from services import audit
from services.appointments.slots import generate_slots
from services.engine import core, get_resource, writing
from services.errors import Conflict, Invalid

from .queries import upcoming_appointments, windows_of
from .rules import check_own_doctor, fits, parse_doctor_id


@dataclass(frozen=True)
class ReleasedSlots:
    """Slots let go: `removed` (no appointment used them) and `closed` (kept for the history
    of the appointments that used them, no longer bookable)."""

    removed: int = 0
    closed: int = 0

    def __bool__(self) -> bool:
        """True when any slot was let go."""
        return bool(self.removed or self.closed)

    def text(self) -> str:
        """As the audit log writes it."""
        return f"{self.removed} slot dihapus, {self.closed} slot ditutup"


# ---- the doctor row and the DOCTOR role ------------------------------------------------------
def grant_doctor_role(doctor: Doctor, actor):
    """The new doctor's account gains the DOCTOR role (in the doctor's transaction)."""
    user = db.session.get(User, doctor.id_users)
    if not user.has_role("DOCTOR"):
        user.roles.append(Role(rolecodes="DOCTOR", descriptions="dokter"))
        audit.record("role_change", actor, "users", user.id, f"{user.username}: +DOCTOR")


def retire_doctor(doctor: Doctor, actor):
    """Before a doctor is deleted: refused while appointments are coming up; otherwise the
    account loses the DOCTOR role and the doctor's slots are closed."""
    upcoming = upcoming_appointments(Appointment.id_doctors == doctor.id)
    if upcoming:
        raise Conflict(f"Dokter masih memiliki {upcoming} janji mendatang. Batalkan atau "
                       "pindahkan janji tersebut, atau nonaktifkan dokter saja.")
    removed = db.session.execute(delete(Role).where(
        Role.iduser == doctor.id_users, Role.rolecodes == "DOCTOR")).rowcount
    db.session.execute(update(DoctorSchedule).where(DoctorSchedule.id_doctors == doctor.id)
                       .values(is_active=False))
    doctor.is_active = False
    if removed:
        audit.record("role_change", actor, "users", doctor.id_users,
                     f"{doctor.user.username if doctor.user else doctor.id_users}: -DOCTOR")
    if doctor.user is not None:
        db.session.expire(doctor.user, ["roles"])


# ---- letting go of slots ---------------------------------------------------------------------
def let_go(slots, actor, doctor_id) -> ReleasedSlots:
    """Remove the slots no appointment used and close the others (written to the audit log)."""
    used = set(db.session.execute(select(Appointment.id_doctor_schedules).where(
        Appointment.id_doctor_schedules.in_([slot.id for slot in slots]))).scalars())
    removed = closed = 0
    for slot in slots:
        if slot.id not in used:
            db.session.delete(slot)
            removed += 1
        elif slot.is_active:
            slot.is_active = False
            closed += 1
    released = ReleasedSlots(removed, closed)
    if released:
        audit.record("release_slots", actor, "doctors", doctor_id, released.text())
    return released


def release_slots(doctor_id, day, start, end, actor, exclude_window_id=None) -> ReleasedSlots:
    """After a window shrank, moved or went: the doctor's slots that started in it and fit no
    remaining window (all but `exclude_window_id`) are let go."""
    slots = db.session.execute(select(DoctorSchedule).options(
        selectinload(DoctorSchedule.offer).selectinload(DoctorService.service)).where(
        DoctorSchedule.id_doctors == doctor_id, DoctorSchedule.hari == day,
        DoctorSchedule.jam >= start, DoctorSchedule.jam < end)).scalars().all()
    if not slots:
        return ReleasedSlots()
    windows = windows_of(doctor_id, day, exclude_id=exclude_window_id)
    return let_go([slot for slot in slots if not fits(slot, windows)], actor, doctor_id)


def release_window(window: PracticeWindow, actor) -> ReleasedSlots:
    """Before a window goes: its slots that fit no other window are let go (a second call
    finds nothing left to do)."""
    return release_slots(window.id_doctors, window.hari, window.jam, window.jam_selesai, actor,
                         exclude_window_id=window.id)


def release_moved_window(window: PracticeWindow, actor) -> ReleasedSlots:
    """After a window's new values are set (not yet flushed): the slots that started in its
    old place and fit no window now are let go."""
    state = inspect(window)
    place = []
    for name in ("id_doctors", "hari", "jam", "jam_selesai"):
        history = state.attrs[name].history
        place.append(history.deleted[0] if history.deleted else getattr(window, name))
    db.session.flush()
    return release_slots(*place, actor)


def remove_window(actor, window_id) -> tuple[PracticeWindow, ReleasedSlots]:
    """Delete a practice window (the office, or its doctor); its slots that fit no other
    window are let go. Returns the deleted window and what was released."""
    resource = get_resource("schedules")
    window = core.load(resource, actor, window_id, "delete")
    try:
        released = release_window(window, actor)
    except Exception:
        db.session.rollback()
        raise
    writing.delete(resource, actor, window.id)  # the declaration's hook finds nothing left
    return window, released


def retire_offer(offer: DoctorService, actor) -> ReleasedSlots:
    """Before an offer is (softly) deleted: refused while appointments are coming up in its
    slots; otherwise it stops being bookable and its slots are let go. Past appointments keep
    pointing at it."""
    slot_ids = select(DoctorSchedule.id).where(DoctorSchedule.id_doctor_services == offer.id)
    upcoming = upcoming_appointments(Appointment.id_doctor_schedules.in_(slot_ids))
    if upcoming:
        raise Conflict(f"Layanan ini masih dipakai {upcoming} janji mendatang. Batalkan atau "
                       "pindahkan janji tersebut, atau nonaktifkan layanannya saja.")
    offer.is_active = False
    slots = db.session.execute(select(DoctorSchedule).where(
        DoctorSchedule.id_doctor_services == offer.id)).scalars().all()
    return let_go(slots, actor, offer.id_doctors)


# ---- one slot, and generating slots ------------------------------------------------------------
def set_slot_active(actor, slot_id, active: bool) -> DoctorSchedule:
    """Open or close one slot for booking (staff, or the slot's doctor)."""
    resource = get_resource("doctor_schedules")
    slot = core.load(resource, actor, slot_id, "update")
    try:
        if slot.is_active != active:
            slot.is_active = active
            audit.record("activate" if active else "unactivate", actor, resource.name, slot.id,
                         resource.describe(slot))
        writing.commit_or_conflict()
    except Exception:
        db.session.rollback()
        raise
    return slot


def generate_for(actor, doctor_id) -> list[dict]:
    """Cut a doctor's practice windows into slots (services.appointments.slots.generate_slots): the office for
    any doctor, a doctor for themselves. Returns the new slots as documented."""
    reach = core.require(get_resource("doctor_schedules"), actor, "create")
    if reach == "own":
        check_own_doctor(actor, None)
    number = parse_doctor_id(doctor_id)
    doctor = db.session.execute(select(Doctor).where(
        Doctor.id == number, Doctor.deleted_at.is_(None))).scalars().first()
    if doctor is None:
        raise Invalid(fields={"id_doctors": "Dokter tidak ditemukan."})
    if reach == "own":
        check_own_doctor(actor, doctor.id)
    return generate_slots(doctor, actor)
