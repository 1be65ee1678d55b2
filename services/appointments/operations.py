"""The appointment workflow: booking (the booking rules of services/appointments/slots.py),
then the transitions of `AppointmentFlow` — reschedule, arrive, done, cancel — each checking
the state it comes from; and the operations both faces call (the API actions and the admin
Kalender), which check who may act, validate the input with the declaration and run one
transition in one transaction.

    BOOKING ─reschedule→ RESCHEDULE ─reschedule→ RESCHEDULE
    BOOKING | RESCHEDULE ─arrive→ ARRIVED ─done→ DONE
    BOOKING | RESCHEDULE | ARRIVED ─cancel→ CANCEL (frees the slot)"""
import re
from datetime import date, datetime, time

from flask import current_app

from models import Appointment, Patient, clinic_now, db
from services import audit, events
from services.access import is_client, is_doctor_only, is_office
from services.appointments.slots import (check_overlap, check_slot, commit_holding_slot,
                                         flush_holding_slot, load_slot, slot_key)
from services.appointments.statuses import status_label
from services.engine import core, get_resource, writing
from services.errors import Conflict, Forbidden, Invalid, Unauthorized

INVOICE_MAX, REASON_MAX = 50, 255
WALK_IN_FIELDS = ("nama_lengkap_pasien", "no_handphone", "tanggal_lahir", "jenis_kelamin")
MOBILE_NUMBER = re.compile(r"^\+?[0-9]{8,15}$")


def book_appointment(actor, data: dict) -> Appointment:
    """Create an appointment (BOOKING) after every booking rule, in one transaction: the
    office books for any patient at any price, a customer for their own patients at the
    doctor's price."""
    slot = load_slot(data["id_doctor_schedules"])
    patient = db.session.get(Patient, data["id_patients"])
    if patient is None or patient.deleted_at is not None:
        raise Invalid(fields={"id_patients": "Pasien tidak ditemukan."})
    office = is_office(actor)
    if not office and patient.id_users != actor.id:
        raise Forbidden("Anda hanya dapat memesan untuk pasien yang terhubung dengan akun Anda.",
                        fields={"id_patients": "Bukan pasien Anda."})
    check_slot(slot, data.get("id_doctors"), data.get("id_services"), data["tanggal"],
               data.get("jam"))
    check_overlap(slot, data["tanggal"])
    price = data.get("custom_price") if office else None
    appointment = Appointment(
        id_doctors=slot.id_doctors, id_services=slot.offer.id_services,
        id_doctor_schedules=slot.id, id_patients=patient.id,
        id_users=(data.get("id_users") if office else None) or patient.id_users or actor.id,
        custom_price=price if price not in (None, 0) else slot.offer.custom_price,
        hari=slot.hari, jam=slot.jam, tanggal=data["tanggal"], status="BOOKING",
        slot_key=slot_key(slot.id_doctors, data["tanggal"], slot.jam))
    db.session.add(appointment)
    flush_holding_slot()  # the unique slot key decides a race here
    audit.record("book", actor, "user_schedules", appointment.id,
                 f"{patient.nama_lengkap_pasien} {data['tanggal']:%d/%m/%Y} {slot.jam:%H:%M}")
    events.appointment_changed.send(appointment, action="booked", actor=actor)
    commit_holding_slot()
    return appointment


# a transition's audit action -> the event's action (services/events.py)
_EVENT_NAMES = {"arrived": "arrived", "done": "done", "cancel": "cancelled"}


class AppointmentFlow:
    """The appointment's state machine: each transition checks the state it comes from, is
    audited and committed; the `can_*` questions tell the screens what is possible now."""

    RESCHEDULABLE = ("BOOKING", "RESCHEDULE")
    ARRIVABLE = ("BOOKING", "RESCHEDULE")
    FINISHABLE = ("ARRIVED",)
    CANCELLABLE = ("BOOKING", "RESCHEDULE", "ARRIVED")

    def __init__(self, appointment: Appointment, actor):
        self.appointment = appointment
        self.actor = actor

    def _require(self, allowed, action):
        if self.appointment.status not in allowed:
            raise Conflict(f"Janji berstatus {status_label(self.appointment.status)} tidak dapat {action}.",
                           error_code="wrong_state")

    def _save(self, action, note):
        audit.record(action, self.actor, "user_schedules", self.appointment.id, note)
        events.appointment_changed.send(self.appointment, action=_EVENT_NAMES[action],
                                        actor=self.actor)
        db.session.commit()
        return self.appointment

    # ---- what is possible now ---------------------------------------------------------------
    def has_started(self) -> bool:
        """The appointment's start time has come."""
        appointment = self.appointment
        return datetime.combine(appointment.tanggal, appointment.jam) <= clinic_now()

    def can_reschedule(self) -> bool:
        """A reschedule is still possible (state, not started, under the limit)."""
        return self.appointment.status in self.RESCHEDULABLE and not self.has_started() \
            and self.appointment.reschedule_counts < current_app.config["RESCHEDULE_LIMIT"]

    def can_arrive_today(self) -> bool:
        """The arrival can be recorded now (a live appointment of today)."""
        return self.appointment.status in self.ARRIVABLE \
            and self.appointment.tanggal == clinic_now().date()

    def is_same_place(self, slot_id, day: date) -> bool:
        """Moving to this slot and date would change nothing."""
        return self.appointment.status in self.RESCHEDULABLE \
            and slot_id == self.appointment.id_doctor_schedules and day == self.appointment.tanggal

    # ---- transitions ------------------------------------------------------------------------
    def reschedule(self, slot_id, day: date, start: time | None = None) -> Appointment:
        """BOOKING/RESCHEDULE → RESCHEDULE: another slot/date of the same doctor and service;
        capped, not once it has started; frees the old slot."""
        appointment = self.appointment
        self._require(self.RESCHEDULABLE, "dijadwalkan ulang")
        if self.has_started():
            raise Conflict("Janji yang sudah dimulai tidak dapat dijadwalkan ulang.",
                           error_code="wrong_state")
        limit = current_app.config["RESCHEDULE_LIMIT"]
        if appointment.reschedule_counts >= limit:
            raise Conflict(f"Batas penjadwalan ulang ({limit} kali) sudah tercapai.",
                           error_code="reschedule_limit")
        slot = load_slot(slot_id)
        check_slot(slot, appointment.id_doctors, appointment.id_services, day, start)
        check_overlap(slot, day, ignore_id=appointment.id)
        before = f"{appointment.tanggal:%d/%m/%Y} {appointment.jam:%H:%M}"
        appointment.id_doctor_schedules = slot.id
        appointment.hari, appointment.jam, appointment.tanggal = slot.hari, slot.jam, day
        appointment.slot_key = slot_key(slot.id_doctors, day, slot.jam)
        appointment.reschedule_counts += 1
        appointment.status = "RESCHEDULE"
        # hold the new slot now: a key taken meanwhile is a 409 here, not an IntegrityError
        # from the autoflush of the audit or the notification receivers below
        flush_holding_slot()
        audit.record("reschedule", self.actor, "user_schedules", appointment.id,
                     f"{before} -> {day:%d/%m/%Y} {slot.jam:%H:%M}")
        events.appointment_changed.send(appointment, action="rescheduled", actor=self.actor)
        commit_holding_slot()
        return appointment

    def arrive(self) -> Appointment:
        """BOOKING/RESCHEDULE → ARRIVED: the patient is at the clinic (on the day only)."""
        self._require(self.ARRIVABLE, "ditandai datang")
        if self.appointment.tanggal != clinic_now().date():
            raise Conflict("Kedatangan hanya dapat dicatat pada hari janji.", error_code="wrong_day")
        self.appointment.status = "ARRIVED"
        self.appointment.arrived_at = clinic_now()
        return self._save("arrived", "")

    def done(self, invoice_numbers: str) -> Appointment:
        """ARRIVED → DONE: the visit is finished and invoiced."""
        self._require(self.FINISHABLE, "diselesaikan")
        invoice_numbers = (invoice_numbers or "").strip() if isinstance(invoice_numbers, str) else ""
        if not invoice_numbers or len(invoice_numbers) > INVOICE_MAX:
            raise Invalid(fields={"digisoft_invoice_numbers": "Nomor invoice wajib (maks. 50)."})
        self.appointment.status = "DONE"
        self.appointment.digisoft_invoice_numbers = invoice_numbers
        self.appointment.done_at = clinic_now()
        return self._save("done", invoice_numbers)

    def cancel(self, reason: str) -> Appointment:
        """BOOKING/RESCHEDULE/ARRIVED → CANCEL with a reason; the slot becomes free again."""
        self._require(self.CANCELLABLE, "dibatalkan")
        reason = (reason or "").strip() if isinstance(reason, str) else ""
        if not reason or len(reason) > REASON_MAX:
            raise Invalid(fields={"cancel_reason": "Alasan pembatalan wajib (maks. 255)."})
        self.appointment.status = "CANCEL"
        self.appointment.cancel_reason = reason
        self.appointment.slot_key = None
        self.appointment.cancelled_at = clinic_now()
        return self._save("cancel", reason)


# ---- the operations both faces call --------------------------------------------------------
def _resource():
    return get_resource("user_schedules")


def _guarded(operation):
    """Run a change; whatever refuses it leaves nothing half-written."""
    try:
        return operation()
    except Exception:
        db.session.rollback()
        raise


def may_book(actor) -> bool:
    """Office books for anyone; customers for their own patients; doctors do not book."""
    return is_office(actor) or is_client(actor)


def may_move(actor) -> bool:
    """Office and the customer who booked reschedule and cancel."""
    return is_office(actor) or is_client(actor)


def may_attend(actor) -> bool:
    """Office and the doctor record arrivals and finish visits."""
    return is_office(actor) or is_doctor_only(actor)


def load_appointment(actor, object_id, action: str = "read") -> Appointment:
    """The appointment if the actor may see it (404 otherwise) and may do `action` on it
    (403 otherwise): reschedule/cancel by office and customers, arrived/done by office and
    doctors."""
    if actor is None:
        raise Unauthorized()
    appointment = core.load(_resource(), actor, object_id)
    if action in ("reschedule", "cancel") and not may_move(actor):
        raise Forbidden("Hanya front office atau pemesan yang dapat mengubah janji ini.")
    if action in ("arrived", "done") and not may_attend(actor):
        raise Forbidden("Kedatangan dan penyelesaian dicatat oleh front office atau dokter.")
    return appointment


def book(actor, payload) -> Appointment:
    """Validate a booking request with the declaration, then book it (booking rules)."""
    if actor is None:
        raise Unauthorized()
    if not may_book(actor):
        raise Forbidden("Dokter tidak membuat janji; minta front office untuk memesankan.")
    data = writing.validate_input(_resource(), actor, payload)
    return _guarded(lambda: book_appointment(actor, data))


def reschedule(actor, object_id, payload) -> Appointment:
    """Move an appointment to another free slot and date of the same doctor and service."""
    appointment = load_appointment(actor, object_id, "reschedule")
    data = writing.validate_input(_resource(), actor, payload, obj=appointment)
    flow = AppointmentFlow(appointment, actor)
    if flow.is_same_place(data["id_doctor_schedules"], data["tanggal"]):
        raise Invalid("Jadwal baru sama dengan jadwal sekarang.",
                      fields={"id_doctor_schedules": "Pilih slot atau tanggal lain."})
    return _guarded(lambda: flow.reschedule(data["id_doctor_schedules"], data["tanggal"],
                                            data.get("jam")))


def _text(payload, name):
    return payload.get(name) if isinstance(payload, dict) else None


def cancel(actor, object_id, payload) -> Appointment:
    """Cancel with a reason (frees the slot)."""
    flow = AppointmentFlow(load_appointment(actor, object_id, "cancel"), actor)
    return _guarded(lambda: flow.cancel(_text(payload, "cancel_reason")))


def arrive(actor, object_id) -> Appointment:
    """The patient has come (on the appointment's day only)."""
    flow = AppointmentFlow(load_appointment(actor, object_id, "arrived"), actor)
    return _guarded(flow.arrive)


def finish(actor, object_id, payload) -> Appointment:
    """The visit is done; records the Digisoft invoice number(s)."""
    flow = AppointmentFlow(load_appointment(actor, object_id, "done"), actor)
    numbers = _text(payload, "digisoft_invoice_numbers")
    if isinstance(numbers, int) and not isinstance(numbers, bool):
        numbers = str(numbers)
    return _guarded(lambda: flow.done(numbers))


def add_walk_in_patient(actor, payload) -> Patient:
    """Register a walk-in patient from the booking form (name and mobile number required,
    birth date and sex as the patients resource checks them) through the patients resource's
    create, so the office-only rule, validation and audit are the same as everywhere; every
    problem is answered in one 422, nothing is written then."""
    resource = get_resource("patients")
    if actor is None:
        raise Unauthorized()
    if not core.allowed(resource, actor, "create"):
        raise Forbidden("Pasien baru didaftarkan oleh staf front office.")
    data = {name: (payload.get(name) or "").strip() for name in WALK_IN_FIELDS
            if isinstance(payload.get(name), str)}
    problems = {} if data.get("nama_lengkap_pasien") else {"nama_lengkap_pasien": "Wajib diisi."}
    phone = re.sub(r"[\s.()-]", "", data.get("no_handphone", ""))
    if not phone:
        problems["no_handphone"] = "Wajib diisi untuk pasien baru."
    elif not MOBILE_NUMBER.match(phone):
        problems["no_handphone"] = "Nomor HP 8–15 angka, boleh diawali +."
    data["no_handphone"] = phone
    data = {name: value for name, value in data.items() if value != ""}
    try:  # the resource's own checks too (a stand-in name, so the rest are checked as well)
        writing.validate_input(resource, actor, {**data, "nama_lengkap_pasien":
                                                 data.get("nama_lengkap_pasien", "-")})
    except Invalid as exc:
        problems = {**exc.fields, **problems}
    if problems:
        raise Invalid("Data pasien baru belum lengkap.", fields=problems)
    return writing.create(resource, actor, data)


__all__ = ["AppointmentFlow", "add_walk_in_patient", "arrive", "book", "book_appointment", "cancel", "finish",
           "load_appointment", "may_attend", "may_book", "may_move", "reschedule"]
