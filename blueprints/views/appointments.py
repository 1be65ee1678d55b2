"""How appointments (user_schedules) look on the staff screens: the list and detail of the
generic screens, the status colours (one per status: badges, chips, the Kalender's events),
and the panel of one appointment with the actions this staff member may take there (the
Kalender's modal and the appointment's own page)."""
from flask import current_app
from markupsafe import Markup

from models import Appointment
from services.access import is_office
from services.appointments import queries
from services.appointments.declarations import UserSchedules
from services.appointments.operations import AppointmentFlow, may_attend
from services.appointments.statuses import status_choices, status_label
from services.doctors.queries import doctor_choices
from services.engine import get_resource
from services.format import rupiah, weekday_name

from ..cells import colour_chip
from .base import AdminView, Column, admin_view, view_for

# The same colours stand in static/css/calendar.css (.status-booking …) for badges and events.
STATUS_COLOURS = {"BOOKING": "#0B5ED7", "RESCHEDULE": "#6F42C1", "ARRIVED": "#B35900",
                  "DONE": "#157347", "CANCEL": "#6C757D"}


def status_badge(status: str) -> Markup:
    """The status as a badge in its colour (the page needs calendar.css)."""
    return Markup('<span class="badge status-badge status-{}">{}</span>').format(
        (status or "").lower(), status_label(status))


def status_chip(status: str) -> Markup:
    """The status's colour as a chip and its label (any page: no stylesheet needed)."""
    return colour_chip(STATUS_COLOURS.get(status, "#6C757D"), label=status_label(status))


def schedule_text(appointment: Appointment) -> str:
    """Weekday, date and time as staff read them: Senin, 01/06/2026 09:00."""
    return (f"{weekday_name(appointment.tanggal)}, {appointment.tanggal:%d/%m/%Y} "
            f"{appointment.jam:%H:%M}")


def _sorted_by(column_name: str):
    """The SQL a list sorts by: the declaration's expression of that column."""
    return lambda: get_resource(UserSchedules.name).column_expr(column_name)


@admin_view
class AppointmentView(AdminView):
    """The appointment list (Kalender › Daftar janji) and an appointment's own page."""

    resource_name = UserSchedules.name
    not_on_screens = ("delete",)  # an appointment is cancelled (history kept), never deleted
    list_columns = ("jadwal", "nama_lengkap_pasien", "doctors", "services_name", "status",
                    "harga")
    detail_fields = ("jadwal", "nama_lengkap_pasien", "users", "doctors", "services_name",
                     "keadaan", "harga", "reschedule_counts", "digisoft_invoice_numbers",
                     "cancel_reason")
    list_filters = ("status", "id_doctors")
    period_column = staticmethod(lambda: Appointment.tanggal)  # the dashboard's cards
    labels = {"id": "ID", "nama_lengkap_pasien": "Pasien", "users": "Dipesan oleh",
              "doctors": "Dokter", "services_name": "Layanan", "status": "Status",
              "custom_price": "Harga (Rp)", "reschedule_counts": "Dijadwalkan ulang",
              "digisoft_invoice_numbers": "No. invoice", "cancel_reason": "Alasan batal",
              "id_doctors": "Dokter", "id_services": "Layanan", "id_doctor_schedules": "Slot",
              "id_patients": "Pasien", "id_users": "Akun pemesan", "tanggal": "Tanggal",
              "jam": "Jam", "hari": "Hari"}
    columns = {
        "jadwal": Column("Jadwal", value=schedule_text, sort=_sorted_by("starts")),
        "keadaan": Column("Status", value=lambda obj: status_label(obj.status)),
        "harga": Column("Harga", value=lambda obj: rupiah(obj.custom_price),
                        sort=lambda: Appointment.custom_price),
        "status": Column(cell=lambda obj: status_chip(obj.status)),
    }
    choices = {"status": status_choices, "id_doctors": doctor_choices}

    def detail_context(self, obj, actor) -> dict:
        """The panel of the appointment with its actions, as a card beside the details, and
        the medical records linked to it that the actor may read."""
        from services.patients.queries import appointment_records

        return {"panel": panel_context(obj, actor, place="page"),
                "records": appointment_records(actor, obj.id)}


def panel_context(appointment, actor, place="modal", errors=None, message=None, values=None,
                  open_section=None, reschedule_day=None) -> dict:
    """What an appointment's panel shows and which actions this staff member has there; its
    place: the Kalender's modal, the Kalender's own page of it ("calendar") or the generic
    detail screen ("page", which lists the facts itself)."""
    office, attends = is_office(actor), may_attend(actor)
    flow = AppointmentFlow(appointment, actor)
    view = view_for(UserSchedules.name)
    reschedulable = office and flow.can_reschedule()
    day = reschedule_day or appointment.tanggal
    free, free_dates = [], []
    if reschedulable:
        free, free_dates = queries.free_slots_on(appointment.id_doctors,
                                                 appointment.id_services, day)
        free = [slot for slot in free if not (slot["id"] == appointment.id_doctor_schedules
                                              and day == appointment.tanggal)]
    return {
        "appointment": appointment,
        "place": place if place in ("page", "calendar") else "modal",
        "status_badge": status_badge(appointment.status),
        "status_label": status_label(appointment.status),
        "patient": view.display(appointment, "nama_lengkap_pasien"),
        "doctor": view.display(appointment, "doctors"),
        "service": view.display(appointment, "services_name"),
        "booked_by": view.display(appointment, "users"),
        "ends": view.display(appointment, "ends"),
        "may_arrive": attends and appointment.status in AppointmentFlow.ARRIVABLE,
        "arrive_today": flow.can_arrive_today(),
        "may_done": attends and appointment.status in AppointmentFlow.FINISHABLE,
        "may_reschedule": reschedulable,
        "may_cancel": office and appointment.status in AppointmentFlow.CANCELLABLE,
        "reschedule_day": day, "free": free, "free_dates": free_dates,
        "errors": errors or {}, "message": message, "values": values or {},
        "open_section": open_section, "limit": current_app.config["RESCHEDULE_LIMIT"],
    }


__all__ = ["AppointmentView", "STATUS_COLOURS", "panel_context", "schedule_text",
           "status_badge", "status_chip"]
