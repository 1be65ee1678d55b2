"""The API data contract of appointments (`user_schedules`).

Every booking and every status change goes through services/appointments/operations.py: the
engine's generic create and update are closed for this resource (`access` gives them to
nobody and `endpoints` leaves them out), and the operations there — used by the API actions
and by the admin Kalender alike — validate the input with this declaration's schema and then
run the booking rules or a transition of `AppointmentFlow`.

Who may do what:
- staff of the office (OWNER, ADMIN, USERS) see and act on every appointment;
- a doctor sees the appointments with them and marks them arrived or done;
- a customer sees the appointments they booked or of the patients linked to them, books for
  those patients, reschedules and cancels them (not arrived/done);
- deleting is for managers (OWNER, ADMIN) and only of cancelled appointments: a live one is
  cancelled first (with a reason, which frees its slot and is audited) and a finished one is
  part of the patient's history (it carries the invoice number)."""
from datetime import date, datetime, timedelta

from sqlalchemy import String, cast, literal, select
from sqlalchemy.orm import joinedload, lazyload

from models import (APPOINTMENT_STATUSES, DAYS, Appointment, Doctor,
                    DoctorSchedule, DoctorService, Patient, Service, User)
from services.appointments.queries import scope_appointments
from services.appointments.statuses import status_label
from services.access import MANAGERS
from services.engine import brief
from services.engine.fields import FlexDate
from services.engine.filters import custom, id_filter
from services.engine.resource import Resource, SIGNED_IN, register
from services.errors import Conflict, Invalid
from services.format import weekday_name
from services.uploads import public_url

PRICE_MAX = 1_000_000_000
FIXED_ON_RESCHEDULE = {
    "id_doctors": "Dokter tidak dapat diganti; batalkan lalu buat janji baru.",
    "id_services": "Layanan tidak dapat diganti; batalkan lalu buat janji baru.",
    "id_patients": "Pasien tidak dapat diganti; batalkan lalu buat janji baru.",
    "id_users": "Akun pemesan tidak dapat diganti."}


# ---- filters and table expressions --------------------------------------------------------
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


def starts_expression():
    """SQL of when an appointment begins ("YYYY-MM-DD HH:MM:SS" text, sorts in time order)."""
    return cast(Appointment.tanggal, String) + literal(" ") + cast(Appointment.jam, String)


def _doctor_name():
    return (select(User.users_fullname).join(Doctor, Doctor.id_users == User.id)
            .where(Doctor.id == Appointment.id_doctors).correlate(Appointment).scalar_subquery())


@register
class UserSchedules(Resource):
    """Appointments booked with a doctor for a patient (`user_schedules`)."""

    name = "user_schedules"
    model = Appointment
    label = "Janji temu"
    endpoints = ("explore", "search", "table", "get", "delete")  # create/update: actions

    inputs = ("id_doctors", "id_services", "id_doctor_schedules", "custom_price", "hari", "jam",
              "tanggal", "id_users", "id_patients")
    required = ("id_doctor_schedules", "tanggal", "id_patients")
    money_inputs = ("custom_price",)

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
        "doctors": _doctor_name,
        "starts": starts_expression,
        "ends": None,  # start + the service's duration: ordered and searched by the start
    }
    order_by = (Appointment.tanggal.desc(), Appointment.jam.desc(), Appointment.id.desc())
    # the rows an appointment points at (one each) come in the page's statement itself
    eager = (joinedload(Appointment.user), joinedload(Appointment.patient),
             joinedload(Appointment.service),
             joinedload(Appointment.doctor).joinedload(Doctor.user),
             joinedload(Appointment.slot).joinedload(DoctorSchedule.offer))
    # the lists show names and pictures of those rows: ~40 columns a row instead of ~150
    list_eager = (
        joinedload(Appointment.user).load_only(User.users_fullname, User.users_picture),
        joinedload(Appointment.patient).load_only(Patient.nama_lengkap_pasien),
        joinedload(Appointment.service).load_only(Service.services_name, Service.buffer_time),
        joinedload(Appointment.doctor).load_only(Doctor.id_users).options(
            lazyload(Doctor.service),
            joinedload(Doctor.user).load_only(User.users_fullname, User.users_picture)),
        joinedload(Appointment.slot).load_only(DoctorSchedule.id_doctor_services)
        .joinedload(DoctorSchedule.offer).load_only(DoctorService.doctor_buffer_time))
    access = {"read": SIGNED_IN, "create": frozenset(), "update": frozenset(),
              "delete": MANAGERS}

    # ---- reach ----------------------------------------------------------------------------
    def visible_rows(self, stmt, actor):
        """Office all, a doctor the appointments with them, a customer their own and those of
        the patients linked to them (queries.scope_appointments)."""
        if actor is None:
            return stmt.where(Appointment.id.is_(None))
        return scope_appointments(stmt, actor)

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
            if hari.lower() not in {name.lower() for name in DAYS}:
                problems["hari"] = "Gunakan nama hari: Senin … Minggu."
            elif day is not None and "tanggal" not in problems \
                    and hari.lower() != weekday_name(day).lower():
                problems["hari"] = f"Tanggal {day:%d/%m/%Y} jatuh pada hari {weekday_name(day)}."
        if obj is not None:
            for name in ("id_doctor_schedules", "tanggal"):
                if data.get(name) is None and name not in problems:
                    problems[name] = "Wajib diisi."
            for name, message in FIXED_ON_RESCHEDULE.items():
                if data.get(name) is not None and data[name] != getattr(obj, name):
                    problems[name] = message
        if problems:
            raise Invalid(fields=problems)
        return data

    def before_delete(self, obj, actor):
        """Only a cancelled appointment is deleted (see the module's docstring)."""
        if obj.status != "CANCEL":
            raise Conflict(f"Janji berstatus {status_label(obj.status)} tidak dapat dihapus; batalkan "
                           "terlebih dahulu (janji yang selesai tetap menjadi riwayat pasien).",
                           error_code="wrong_state")

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


__all__ = ["PRICE_MAX", "UserSchedules", "starts_expression", "status_filter"]
