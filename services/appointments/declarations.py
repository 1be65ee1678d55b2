"""Declarations of appointments (user_schedules), the calendar, availability and timeline.

Every booking and every status change goes through services/booking.py: the engine's generic
create and update are closed for this resource (`access` gives them to nobody and
`endpoints` leaves them out), and the operations below — used by the API actions and by the
admin calendar alike — validate the input with this declaration's schema and then call
`book_appointment` or `AppointmentFlow`.

Who may do what:
- staff of the office (OWNER, ADMIN, USERS) see and act on every appointment;
- a doctor sees the appointments with them and marks them arrived or done;
- a customer sees the appointments they booked or of the patients linked to them, books for
  those patients, reschedules and cancels them (not arrived/done);
- deleting is for managers (OWNER, ADMIN) and only of cancelled appointments: a live one is
  cancelled first (with a reason, which frees its slot and is audited) and a finished one is
  part of the patient's history (it carries the invoice number)."""
from datetime import date, datetime, timedelta

from flask import current_app
from markupsafe import Markup
from sqlalchemy import String, cast, func, literal, or_, select
from sqlalchemy.orm import selectinload

from models import (APPOINTMENT_STATUSES, DAYS, MANAGER_ROLES, Appointment, Doctor,
                    DoctorSchedule, DoctorService, Patient, PracticeWindow, Service, User,
                    clinic_now, db)
from services.appointments import operations as booking
from services.accounts.operations import user_data_part
from services.engine import brief, core, get_resource
from services.engine.fields import FlexDate, Number, ValidationError
from services.engine.resource import SIGNED_IN, Resource, contains, custom, id_filter, register
from services.errors import Conflict, Forbidden, Invalid, Unauthorized
from services.uploads import public_url

from services.format import rupiah
from blueprints.cells import colour_chip  # TRANSITIONAL: the markup moves to the appointments views

OFFICE = frozenset({"OWNER", "ADMIN", "USERS"})
PRICE_MAX = 1_000_000_000
TIMELINE_MAX_DAYS = 366  # the document's own timeline example asks for eleven months
UPCOMING_LIMIT = 10  # users/data next_appointments
STATUS_LABELS = {"BOOKING": "Dipesan", "RESCHEDULE": "Dijadwalkan ulang", "ARRIVED": "Datang",
                 "DONE": "Selesai", "CANCEL": "Dibatalkan"}
STATUS_COLOURS = {"BOOKING": "#0B5ED7", "RESCHEDULE": "#6F42C1", "ARRIVED": "#B35900",
                  "DONE": "#157347", "CANCEL": "#6C757D"}  # the same in calendar.css


# ---- who is calling ----------------------------------------------------------------------
def is_office(actor) -> bool:
    """OWNER, ADMIN or USERS: the clinic's office, who handle every appointment."""
    return actor is not None and actor.has_role(*OFFICE)


def is_doctor(actor) -> bool:
    """A doctor who is not also office staff: sees and finishes their own appointments."""
    return actor is not None and actor.has_role("DOCTOR") and not is_office(actor)


def is_client(actor) -> bool:
    """A signed-in customer (anyone who is not clinic staff)."""
    return actor is not None and not actor.is_staff


def status_label(status: str) -> str:
    """The status in Bahasa Indonesia."""
    return STATUS_LABELS.get(status, status)


def status_badge(status: str) -> Markup:
    """A coloured badge of the status (one colour per status; needs calendar.css)."""
    return Markup('<span class="badge status-badge status-{}">{}</span>').format(
        (status or "").lower(), status_label(status))


def status_chip(status: str) -> Markup:
    """The status's colour as a chip and its label (screens without calendar.css)."""
    return colour_chip(STATUS_COLOURS.get(status, "#6C757D"), label=status_label(status))


# ---- filters --------------------------------------------------------------------------------
def _statuses(value) -> list[str]:
    values = value if isinstance(value, list) else [value]
    result = []
    for item in values:
        if not isinstance(item, str) or item.strip().upper() not in APPOINTMENT_STATUSES:
            raise ValueError(item)
        result.append(item.strip().upper())
    return result


def status_filter(stmt, value):
    """One status or a list of statuses (BOOKING, RESCHEDULE, ARRIVED, DONE, CANCEL)."""
    return stmt.where(Appointment.status.in_(_statuses(value)))


def _date(value) -> date:
    return FlexDate().deserialize(value)


def _subquery(column, where):
    def expression():
        return select(column).where(where()).correlate(Appointment).scalar_subquery()
    return expression


def _starts_expression():
    return cast(Appointment.tanggal, String) + literal(" ") + cast(Appointment.jam, String)


def status_choices():
    """Statuses for the admin list filter."""
    return [(status, status_label(status)) for status in APPOINTMENT_STATUSES]


def doctor_choices():
    """Live doctors for selects: (id, name)."""
    return [(doctor.id, doctor.user.users_fullname) for doctor in db.session.execute(
        select(Doctor).options(selectinload(Doctor.user)).join(User, User.id == Doctor.id_users)
        .where(Doctor.deleted_at.is_(None)).order_by(User.users_fullname)).scalars()]


@register
class UserSchedules(Resource):
    """Appointments booked with a doctor for a patient (`user_schedules`)."""

    name = "user_schedules"
    model = Appointment
    label, label_plural = "Janji temu", "Janji temu"
    admin_section = "Kalender"
    endpoints = ("explore", "search", "table", "get", "delete")  # create/update: actions

    inputs = ("id_doctors", "id_services", "id_doctor_schedules", "custom_price", "hari", "jam",
              "tanggal", "id_users", "id_patients")
    required = ("id_doctor_schedules", "tanggal", "id_patients")

    outputs = ("id", "doctors", "services", "doctor_schedules", "users", "patients",
               "id_doctors", "id_services", "id_doctor_schedules", "id_users", "id_patients",
               "custom_price", "hari", "jam", "tanggal", "starts", "ends", "status",
               "digisoft_invoice_numbers", "reschedule_counts", "cancel_reason")
    list_outputs = ("id", "id_doctors", "id_services", "id_doctor_schedules", "id_users",
                    "id_patients", "custom_price", "hari", "jam", "tanggal", "starts", "ends",
                    "status", "cancel_reason", "digisoft_invoice_numbers", "reschedule_counts",
                    "doctor_buffer_time", "users", "users_picture_url", "nama_lengkap_pasien",
                    "services_name", "doctors", "doctors_picture_url")
    filters = {
        "id_doctors": id_filter(Appointment.id_doctors),
        "id_services": id_filter(Appointment.id_services),
        "id_doctor_schedules": id_filter(Appointment.id_doctor_schedules),
        "id_users": id_filter(Appointment.id_users),
        "id_patients": id_filter(Appointment.id_patients),
        "status": custom(status_filter),
        "status_array": custom(status_filter),
        "tanggal": custom(lambda stmt, value: stmt.where(Appointment.tanggal == _date(value))),
        "date_from": custom(lambda stmt, value: stmt.where(Appointment.tanggal >= _date(value))),
        "date_to": custom(lambda stmt, value: stmt.where(Appointment.tanggal <= _date(value))),
    }
    table_columns = ("id", "id_doctors", "id_services", "id_doctor_schedules", "id_users",
                     "id_patients", "custom_price", "hari", "jam", "tanggal", "status", "users",
                     "nama_lengkap_pasien", "services_name", "doctors",
                     "digisoft_invoice_numbers", "reschedule_counts", "starts", "ends",
                     "cancel_reason")
    table_exprs = {
        "users": _subquery(User.users_fullname, lambda: User.id == Appointment.id_users),
        "nama_lengkap_pasien": _subquery(Patient.nama_lengkap_pasien,
                                         lambda: Patient.id == Appointment.id_patients),
        "services_name": _subquery(Service.services_name,
                                   lambda: Service.id == Appointment.id_services),
        "doctors": lambda: (select(User.users_fullname).join(Doctor, Doctor.id_users == User.id)
                            .where(Doctor.id == Appointment.id_doctors)
                            .correlate(Appointment).scalar_subquery()),
        "starts": _starts_expression, "jadwal": _starts_expression,
        "ends": None,  # start + the service's duration: ordered and searched by the start
        "pasien": _subquery(Patient.nama_lengkap_pasien,
                            lambda: Patient.id == Appointment.id_patients),
        "harga": Appointment.custom_price,
    }
    order_by = (Appointment.tanggal.desc(), Appointment.jam.desc(), Appointment.id.desc())
    eager = (selectinload(Appointment.user), selectinload(Appointment.patient),
             selectinload(Appointment.service),
             selectinload(Appointment.doctor).selectinload(Doctor.user),
             selectinload(Appointment.slot).selectinload(DoctorSchedule.offer))
    access = {"read": SIGNED_IN, "create": frozenset(), "update": frozenset(),
              "delete": MANAGER_ROLES}

    admin_columns = ("jadwal", "pasien", "doctors", "services_name", "status", "harga")
    admin_detail = ("jadwal", "pasien", "users", "doctors", "services_name", "keadaan", "harga",
                    "reschedule_counts", "digisoft_invoice_numbers", "cancel_reason")
    admin_filters = ("status", "id_doctors")
    labels = {"id": "ID", "jadwal": "Jadwal", "pasien": "Pasien", "nama_lengkap_pasien": "Pasien",
              "users": "Dipesan oleh", "doctors": "Dokter", "services_name": "Layanan",
              "status": "Status", "keadaan": "Status", "harga": "Harga", "custom_price": "Harga (Rp)",
              "reschedule_counts": "Dijadwalkan ulang", "digisoft_invoice_numbers": "No. invoice",
              "cancel_reason": "Alasan batal", "id_doctors": "Dokter", "id_services": "Layanan",
              "id_doctor_schedules": "Slot", "id_patients": "Pasien", "id_users": "Akun pemesan",
              "tanggal": "Tanggal", "jam": "Jam", "hari": "Hari"}
    choices = {"status": status_choices, "id_doctors": doctor_choices}

    # ---- reach ----------------------------------------------------------------------------
    def visible_rows(self, stmt, actor):
        """Office all, a doctor the appointments with them, a customer their own and those of
        the patients linked to them (booking.scope_appointments)."""
        if actor is None:
            return stmt.where(Appointment.id.is_(None))
        return booking.scope_appointments(stmt, actor)

    def describe(self, obj):
        """Patient, date and time."""
        name = obj.patient.nama_lengkap_pasien if obj.patient else f"#{obj.id_patients}"
        return f"{name} · {obj.tanggal:%d/%m/%Y} {obj.jam:%H:%M}"

    # ---- input ----------------------------------------------------------------------------
    def validate(self, data, actor, obj=None):
        """Price within range, `hari` matching `tanggal`; on a reschedule (obj given) the new
        slot and date are required and doctor, service, patient and account stay."""
        problems = {}
        for name in ("id_doctors", "id_services", "id_users"):  # 0 means "not given"
            if data.get(name) == 0:
                data.pop(name)
        price = data.get("custom_price")
        if price is not None and not 0 <= price <= PRICE_MAX:
            problems["custom_price"] = "Harga 0 sampai Rp 1.000.000.000."
        day = data.get("tanggal")
        if day is not None and not 2000 <= day.year <= 2999:
            problems["tanggal"] = "Tanggal tidak valid."
        hari = data.get("hari")
        if hari:
            known = {name.lower() for name in DAYS}
            if hari.lower() not in known:
                problems["hari"] = "Gunakan nama hari: Senin … Minggu."
            elif day is not None and "tanggal" not in problems \
                    and hari.lower() != booking.day_name(day).lower():
                problems["hari"] = f"Tanggal {day:%d/%m/%Y} jatuh pada hari {booking.day_name(day)}."
        if obj is not None:
            for name in ("id_doctor_schedules", "tanggal"):
                if data.get(name) is None and name not in problems:
                    problems[name] = "Wajib diisi."
            fixed = {"id_doctors": "Dokter tidak dapat diganti; batalkan lalu buat janji baru.",
                     "id_services": "Layanan tidak dapat diganti; batalkan lalu buat janji baru.",
                     "id_patients": "Pasien tidak dapat diganti; batalkan lalu buat janji baru.",
                     "id_users": "Akun pemesan tidak dapat diganti."}
            for name, message in fixed.items():
                if data.get(name) is not None and data[name] != getattr(obj, name):
                    problems[name] = message
        if problems:
            raise Invalid(fields=problems)
        return data

    # ---- output ---------------------------------------------------------------------------
    def serialize(self, obj, actor, view="detail"):
        """Lists are flat (names and picture URLs); one appointment nests its doctor,
        service, slot, account and patient, as documented."""
        data = super().serialize(obj, actor, view)
        if view == "detail":
            data.update(doctors=brief("doctors", obj.doctor, actor),
                        services=brief("services", obj.service, actor),
                        doctor_schedules=brief("doctor_schedules", obj.slot, actor),
                        users=brief("users", obj.user, actor),
                        patients=brief("patients", obj.patient, actor))
        return data

    def out_starts(self, obj):
        """When it begins."""
        return datetime.combine(obj.tanggal, obj.jam)

    def out_ends(self, obj):
        """When it ends: the start plus the service's duration."""
        return self.out_starts(obj) + timedelta(minutes=obj.service.buffer_time if obj.service else 0)

    def out_users(self, obj):
        """Name of the account that booked."""
        return obj.user.users_fullname if obj.user else ""

    def out_users_picture_url(self, obj):
        """Picture of the account that booked."""
        return public_url("users", obj.user.users_picture) if obj.user else ""

    def out_nama_lengkap_pasien(self, obj):
        """The patient's name."""
        return obj.patient.nama_lengkap_pasien if obj.patient else ""

    out_pasien = out_nama_lengkap_pasien

    def out_services_name(self, obj):
        """The service's name."""
        return obj.service.services_name if obj.service else ""

    def out_doctors(self, obj):
        """The doctor's name."""
        return obj.doctor.user.users_fullname if obj.doctor and obj.doctor.user else ""

    def out_doctors_picture_url(self, obj):
        """The doctor's picture."""
        return public_url("users", obj.doctor.user.users_picture) \
            if obj.doctor and obj.doctor.user else ""

    def out_doctor_buffer_time(self, obj):
        """The extra minutes the doctor keeps after this service."""
        return obj.slot.offer.doctor_buffer_time if obj.slot and obj.slot.offer else 0

    def out_jadwal(self, obj):
        """Date and time as staff read them."""
        return f"{booking.day_name(obj.tanggal)}, {obj.tanggal:%d/%m/%Y} {obj.jam:%H:%M}"

    def out_keadaan(self, obj):
        """The status in Bahasa Indonesia (admin detail)."""
        return status_label(obj.status)

    def out_harga(self, obj):
        """Price as staff read it."""
        return rupiah(obj.custom_price)

    def admin_cell(self, obj, name):
        """The status with its colour in the admin list."""
        if name == "status":
            return status_chip(obj.status)
        return None

    def before_delete(self, obj, actor):
        """Only a cancelled appointment is deleted (see the module's docstring)."""
        if obj.status != "CANCEL":
            raise Conflict(f"Janji berstatus {obj.status} tidak dapat dihapus; batalkan "
                           "terlebih dahulu (janji yang selesai tetap menjadi riwayat pasien).",
                           error_code="wrong_state")


# ---- the operations both faces call --------------------------------------------------------
def _resource():
    return get_resource("user_schedules")


def _signed_in(actor):
    if actor is None:
        raise Unauthorized()


def _guarded(operation):
    """Run a change; whatever refuses it leaves nothing half-written."""
    try:
        return operation()
    except Exception:
        db.session.rollback()
        raise


def load_appointment(actor, object_id, action: str = "read") -> Appointment:
    """The appointment if the actor may see it (404 otherwise) and may do `action` on it
    (403 otherwise): reschedule/cancel by office and customers, arrived/done by office and
    doctors."""
    _signed_in(actor)
    appointment = core.load(_resource(), actor, object_id)
    if action in ("reschedule", "cancel") and not (is_office(actor) or is_client(actor)):
        raise Forbidden("Hanya front office atau pemesan yang dapat mengubah janji ini.")
    if action in ("arrived", "done") and not (is_office(actor) or is_doctor(actor)):
        raise Forbidden("Kedatangan dan penyelesaian dicatat oleh front office atau dokter.")
    return appointment


def may_book(actor) -> bool:
    """Office books for anyone; customers for their own patients; doctors do not book."""
    return is_office(actor) or is_client(actor)


def book(actor, payload) -> Appointment:
    """Validate a booking request with the declaration, then book it (booking rules)."""
    _signed_in(actor)
    if not may_book(actor):
        raise Forbidden("Dokter tidak membuat janji; minta front office untuk memesankan.")
    data = core.validate_input(_resource(), actor, payload)
    return _guarded(lambda: booking.book_appointment(actor, data))


def reschedule(actor, object_id, payload) -> Appointment:
    """Move an appointment to another free slot and date of the same doctor and service."""
    appointment = load_appointment(actor, object_id, "reschedule")
    data = core.validate_input(_resource(), actor, payload, obj=appointment)
    if appointment.status in booking.AppointmentFlow.RESCHEDULABLE \
            and data["id_doctor_schedules"] == appointment.id_doctor_schedules \
            and data["tanggal"] == appointment.tanggal:
        raise Invalid("Jadwal baru sama dengan jadwal sekarang.",
                      fields={"id_doctor_schedules": "Pilih slot atau tanggal lain."})
    flow = booking.AppointmentFlow(appointment, actor)
    return _guarded(lambda: flow.reschedule(data["id_doctor_schedules"], data["tanggal"],
                                            data.get("jam")))


def cancel(actor, object_id, payload) -> Appointment:
    """Cancel with a reason (frees the slot)."""
    appointment = load_appointment(actor, object_id, "cancel")
    reason = payload.get("cancel_reason") if isinstance(payload, dict) else None
    flow = booking.AppointmentFlow(appointment, actor)
    return _guarded(lambda: flow.cancel(reason))


def arrive(actor, object_id) -> Appointment:
    """The patient has come (on the appointment's day only)."""
    appointment = load_appointment(actor, object_id, "arrived")
    flow = booking.AppointmentFlow(appointment, actor)
    return _guarded(flow.arrive)


def finish(actor, object_id, payload) -> Appointment:
    """The visit is done; records the Digisoft invoice number(s)."""
    appointment = load_appointment(actor, object_id, "done")
    numbers = payload.get("digisoft_invoice_numbers") if isinstance(payload, dict) else None
    if isinstance(numbers, int) and not isinstance(numbers, bool):
        numbers = str(numbers)
    flow = booking.AppointmentFlow(appointment, actor)
    return _guarded(lambda: flow.done(numbers))


def _integer(body, name):
    value = body.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return Number(allow_none=True).deserialize(value)
    except ValidationError as exc:
        raise Invalid(fields={name: "Harus berupa angka."}) from exc


def _required_date(body, name):
    value = body.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise Invalid(fields={name: "Wajib diisi (DD/MM/YYYY atau YYYY-MM-DD)."})
    try:
        return _date(value)
    except ValidationError as exc:
        raise Invalid(fields={name: "Tanggal tidak valid (DD/MM/YYYY atau YYYY-MM-DD)."}) from exc


def timeline_range(date_from: date, date_to: date):
    """Refuse a reversed or too long range."""
    if date_to < date_from:
        raise Invalid(fields={"date_to": "Harus sama dengan atau sesudah date_from."})
    if (date_to - date_from).days + 1 > TIMELINE_MAX_DAYS:
        raise Invalid(fields={"date_to": f"Rentang paling panjang {TIMELINE_MAX_DAYS} hari."})


def timeline_answer(actor, body) -> dict:
    """The documented timeline answer: the range (dd/mm/yyyy) and FullCalendar events of
    the appointments the actor may see, optionally of one doctor."""
    _signed_in(actor)
    if not isinstance(body, dict):
        raise Invalid("Isi permintaan harus berupa objek JSON.")
    date_from, date_to = _required_date(body, "date_from"), _required_date(body, "date_to")
    timeline_range(date_from, date_to)
    doctor_id = _integer(body, "id_doctors")
    return {"date_from": date_from.strftime("%d/%m/%Y"), "date_to": date_to.strftime("%d/%m/%Y"),
            "events": booking.timeline(date_from, date_to, actor, doctor_id)}


def availability_answer(body) -> list:
    """Free slots of the next booking window (booking.availability), optionally of one doctor
    and/or service; an unknown doctor or service is a 422."""
    if not isinstance(body, dict):
        raise Invalid("Isi permintaan harus berupa objek JSON.")
    doctor_id, service_id = _integer(body, "id_doctors"), _integer(body, "id_services")
    problems = {}
    if doctor_id is not None:
        doctor = db.session.get(Doctor, doctor_id) if 0 < doctor_id else None
        if doctor is None or doctor.deleted_at is not None:
            problems["id_doctors"] = "Dokter tidak ditemukan."
    if service_id is not None:
        service = db.session.get(Service, service_id) if 0 < service_id else None
        if service is None or service.deleted_at is not None:
            problems["id_services"] = "Layanan tidak ditemukan."
    if problems:
        raise Invalid(fields=problems)
    return booking.availability(doctor_id, service_id)


@user_data_part
def next_appointments(user) -> dict:
    """users/data: the user's upcoming live appointments (booked by them or for the patients
    linked to them), soonest first, as timeline events."""
    return {"next_appointments": booking.upcoming_for_client(user, UPCOMING_LIMIT)}


# ---- what the admin calendar needs ---------------------------------------------------------
def doctor_offers(doctor_id) -> list[DoctorService]:
    """The active services a doctor offers (with their service), by service name."""
    if not doctor_id:
        return []
    return db.session.execute(
        select(DoctorService).options(selectinload(DoctorService.service))
        .join(Service, Service.id == DoctorService.id_services)
        .where(DoctorService.id_doctors == doctor_id, DoctorService.is_active.is_(True),
               Service.deleted_at.is_(None), Service.is_available.is_(True))
        .order_by(Service.services_name)).scalars().all()


def free_slots_on(doctor_id, service_id, day: date | None) -> tuple[list[dict], list[str]]:
    """Free slots of a doctor and service on one date, and the dates (ISO) of the booking
    window that still have a free slot, from booking.availability."""
    if not doctor_id or not service_id:
        return [], []
    days = booking.availability(doctor_id, service_id)
    free = next((entry["doctors"] for entry in days if day and entry["schedule"] == day.isoformat()),
                [])
    return free, [entry["schedule"] for entry in days]


def find_patients(text: str, limit: int = 8) -> list[Patient]:
    """Live patients whose name, mobile number or external id contains the text."""
    text = (text or "").strip()[:100]
    if len(text) < 2:
        return []
    return db.session.execute(
        select(Patient).where(Patient.deleted_at.is_(None), or_(
            contains(Patient.nama_lengkap_pasien, text), contains(Patient.no_handphone, text),
            contains(Patient.patient_external_id, text)))
        .order_by(Patient.nama_lengkap_pasien).limit(limit)).scalars().all()


def calendar_events(actor, start: date, end: date, doctor_id=None) -> list[dict]:
    """FullCalendar events for the admin calendar (booking.timeline), each with its status
    class and a title naming the patient."""
    timeline_range(start, end)
    events = booking.timeline(start, end, actor, doctor_id)
    for event in events:
        props = event["extendedProps"]
        event["id"] = str(props["id"])
        event["classNames"] = ["status-event", f"status-{props['status'].lower()}"]
        props["doctor"] = event["title"]
        props["status_label"] = status_label(props["status"])
        event["title"] = f"{props['patients']} · {event['title']}"
    return events


def calendar_hours() -> tuple[str, str]:
    """The hours the calendar shows: 07:00–21:00, widened to every practice window."""
    earliest, latest = db.session.execute(
        select(func.min(PracticeWindow.jam), func.max(PracticeWindow.jam_selesai))).one()
    start = min(earliest.hour, 7) if earliest else 7
    end = max(latest.hour + (1 if latest.minute else 0), 21) if latest else 21
    return f"{start:02d}:00:00", f"{min(end, 24):02d}:00:00"


def today() -> date:
    """The clinic's date."""
    return clinic_now().date()


def can_arrive(appointment: Appointment) -> bool:
    """The arrival can be recorded now."""
    return appointment.status in booking.AppointmentFlow.RESCHEDULABLE \
        and appointment.tanggal == today()


def can_reschedule(appointment: Appointment) -> bool:
    """A reschedule is still possible (state, not started, under the limit)."""
    return appointment.status in booking.AppointmentFlow.RESCHEDULABLE \
        and datetime.combine(appointment.tanggal, appointment.jam) > clinic_now() \
        and appointment.reschedule_counts < current_app.config["RESCHEDULE_LIMIT"]


__all__ = ["OFFICE", "STATUS_LABELS", "TIMELINE_MAX_DAYS", "UserSchedules", "arrive", "book",
           "calendar_events", "calendar_hours", "can_arrive", "can_reschedule", "cancel", "doctor_offers",
           "find_patients", "finish", "free_slots_on", "load_appointment",
           "may_book", "next_appointments", "reschedule", "status_badge", "status_chip", "status_label",
           "timeline_answer", "availability_answer"]
